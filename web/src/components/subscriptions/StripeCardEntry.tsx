import type { Stripe, StripeElements } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";
import { useEffect, useImperativeHandle, useRef, useState } from "react";

import { useRuntimeConfig } from "../../App";
import { useI18n } from "../../i18n/I18nProvider";
import type { CardEntryProps, CardResult } from "./cardCollector";
import { FieldError } from "../forms/fields";

type Loaded = { stripe: Stripe; elements: StripeElements };

/**
 * Deployed stages: Stripe's Payment Element. Stripe.js is loaded from Stripe only when this
 * entry is shown (the `pure` entry point loads nothing on import); the card is typed into
 * Stripe's own frame and never reaches our pages or API. `collect()` creates a PaymentMethod
 * (`paymentMethodCreation: "manual"`) and answers only its id.
 */
export default function StripeCardEntry({ id, handle, currency, error, onChange }: CardEntryProps) {
  const { t, language } = useI18n();
  const { stripePublishableKey } = useRuntimeConfig();
  const mount = useRef<HTMLDivElement>(null);
  const loaded = useRef<Loaded | null>(null);
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");
  const changed = useRef(onChange);
  changed.current = onChange;
  const errorId = `${id}-error`;

  useEffect(() => {
    let cancelled = false;
    let destroy = () => {};
    async function start() {
      if (!stripePublishableKey) throw new Error("no Stripe publishable key");
      const stripe = await loadStripe(stripePublishableKey, { locale: language });
      if (stripe === null || cancelled || mount.current === null) {
        if (!cancelled) setState("failed");
        return;
      }
      const elements = stripe.elements({
        mode: "setup",
        ...(currency ? { currency: currency.toLowerCase() } : {}),
        paymentMethodCreation: "manual",
        locale: language,
      });
      const payment = elements.create("payment", { layout: "tabs" });
      payment.on("change", () => changed.current?.());
      payment.on("ready", () => {
        if (!cancelled) setState("ready");
      });
      payment.on("loaderror", () => {
        if (!cancelled) setState("failed");
      });
      payment.mount(mount.current);
      loaded.current = { stripe, elements };
      destroy = () => payment.destroy();
    }
    start().catch(() => {
      if (!cancelled) setState("failed");
    });
    return () => {
      cancelled = true;
      loaded.current = null;
      destroy();
    };
  }, [stripePublishableKey, currency, language]);

  useImperativeHandle(
    handle,
    () => ({
      async collect(): Promise<CardResult> {
        const current = loaded.current;
        if (current === null) return { ok: false, problem: { key: "subscriptions.card.stripeUnavailable" } };
        const submitted = await current.elements.submit();
        if (submitted.error) return failure(submitted.error.message);
        const created = await current.stripe.createPaymentMethod({ elements: current.elements });
        if (created.error || !created.paymentMethod) return failure(created.error?.message);
        return { ok: true, token: created.paymentMethod.id };
      },
    }),
    [],
  );

  return (
    <fieldset id={id} className="sub-choice" aria-describedby={error ? errorId : undefined}>
      <legend>{t("subscriptions.card.stripe.legend")}</legend>
      {state === "loading" ? <p className="field__hint">{t("subscriptions.card.stripe.loading")}</p> : null}
      {state === "failed" ? <p className="field__error">{t("subscriptions.card.stripeUnavailable")}</p> : null}
      <div ref={mount} className="sub-stripe" />
      <FieldError id={id} error={error} />
    </fieldset>
  );
}

/** Stripe's own message (in the customer's language) when it gives one, else ours. */
function failure(message: string | undefined): CardResult {
  return message
    ? { ok: false, problem: { text: message } }
    : { ok: false, problem: { key: "subscriptions.card.stripeUnavailable" } };
}
