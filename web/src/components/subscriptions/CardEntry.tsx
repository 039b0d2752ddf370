import { lazy, Suspense, useImperativeHandle } from "react";

import { useRuntimeConfig } from "../../App";
import { useI18n } from "../../i18n/I18nProvider";
import { cardCollectorKind, type CardEntryProps } from "./cardCollector";
import { FieldError } from "../forms/fields";
import { LocalCardEntry } from "./LocalCardEntry";

// Stripe's entry is its own chunk: the local stage never loads it.
const StripeCardEntry = lazy(() => import("./StripeCardEntry"));

/** The stage's card entry (see cardCollector.ts): local test cards, Stripe, or none. */
export function CardEntry(props: CardEntryProps) {
  const config = useRuntimeConfig();
  const { t } = useI18n();
  const kind = cardCollectorKind(config);
  if (kind === "local") return <LocalCardEntry {...props} />;
  if (kind === "stripe") {
    return (
      <Suspense fallback={<p className="field__hint">{t("subscriptions.card.stripe.loading")}</p>}>
        <StripeCardEntry {...props} />
      </Suspense>
    );
  }
  return <UnavailableCardEntry {...props} />;
}

/** A deployed stage without Stripe's publishable key: no card can be taken. */
function UnavailableCardEntry({ id, handle, error }: CardEntryProps) {
  const { t } = useI18n();
  useImperativeHandle(
    handle,
    () => ({ collect: async () => ({ ok: false, problem: { key: "subscriptions.card.stripeUnavailable" } }) }),
    [],
  );
  return (
    <div id={id}>
      <p className="field__hint">{t("subscriptions.card.stripeUnavailable")}</p>
      <FieldError id={id} error={error} />
    </div>
  );
}
