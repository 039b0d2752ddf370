import { useState } from "react";
import { Link } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { ActiveStep } from "../components/subscriptions/ActiveStep";
import { hasEnded } from "../components/subscriptions/labels";
import { newOrder, stepNumber, STEPS, type Order, type Step } from "../components/subscriptions/order";
import { PaymentStep } from "../components/subscriptions/PaymentStep";
import { ReviewStep } from "../components/subscriptions/ReviewStep";
import { TierStep } from "../components/subscriptions/TierStep";
import { isTierId } from "../components/subscriptions/tiers";
import type { CheckoutOut, PaymentMethod, QuoteOut } from "../components/subscriptions/types";
import { useLoad } from "../components/subscriptions/useLoad";
import { useOrderKey } from "../components/subscriptions/useOrderKey";
import "../components/subscriptions/subscriptions.css";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";

const STEP_TITLES: { readonly [step in Step]: MessageKey } = {
  tiers: "subscriptions.tiers.heading",
  review: "subscriptions.review.heading",
  payment: "subscriptions.payment.heading",
  active: "subscriptions.active.heading",
};

interface Flow {
  step: Step;
  /** The customer moved here (focus the step's heading); false on the first screen. */
  moved: boolean;
  order: Order | null;
  tierName: string;
  currency: string | null;
  quote: QuoteOut | null;
  reviewFields: Readonly<Record<string, string>>;
  purchase: { result: CheckoutOut; method: PaymentMethod } | null;
}

const START: Flow = {
  step: "tiers",
  moved: false,
  order: null,
  tierName: "",
  currency: null,
  quote: null,
  reviewFields: {},
  purchase: null,
};

/**
 * /cps/sign-up (MY SUBSCRIPTIONS → SIGN UP FOR CPS), the seed guide's screens in order: the
 * tier cards, "Please review your information", "Please select payment option", SUBSCRIPTION
 * ACTIVE. Each step change is announced and its heading focused.
 */
export function SignUpPage() {
  const { t } = useI18n();
  const [flow, setFlow] = useState<Flow>(START);
  const [corporateOn, setCorporateOn] = useState(false);
  const orderKey = useOrderKey();
  // A company that is a member already manages its membership instead (an ended one may buy again).
  const { result: me } = useLoad(() => call(api().GET("/me")), []);
  const member = me.state === "loaded" && me.data.membership !== null && !hasEnded(me.data.membership.status);
  const checking = me.state === "loading";

  function go(step: Step, changes: Partial<Flow> = {}) {
    setFlow((current) => ({ ...current, ...changes, step, moved: true }));
    announce(
      t("subscriptions.stepAnnounced", {
        number: stepNumber(step),
        count: STEPS.length,
        title: t(STEP_TITLES[step]),
      }),
    );
  }

  const { order } = flow;
  return (
    <Page title={t("signUp.title")}>
      <p>{t("signUp.intro")}</p>
      {flow.step !== "active" ? (
        <p className="sub-progress">
          {t("subscriptions.stepOf", { number: stepNumber(flow.step), count: STEPS.length })}
        </p>
      ) : null}
      {member && flow.step !== "active" ? (
        <FormMessage tone="info">
          {t("subscriptions.signUp.member")} <Link to={paths.membership}>{t("subscriptions.manageLink")}</Link>
        </FormMessage>
      ) : null}
      {checking ? <p role="status">{t("app.loading")}</p> : null}
      {flow.step === "tiers" && !member && !checking ? (
        <TierStep
          focus={flow.moved}
          corporateOn={corporateOn}
          onCorporateOn={setCorporateOn}
          onChoose={(tier, chart) => {
            if (!isTierId(tier.tier)) return;
            // Another tier is another order: its purchase gets a new Idempotency-Key.
            if (order?.tier !== tier.tier) orderKey.settle();
            go("review", {
              order: order ? { ...order, tier: tier.tier } : newOrder(tier.tier),
              tierName: tier.name,
              currency: chart.currency,
              quote: null,
              reviewFields: {},
            });
          }}
        />
      ) : null}
      {flow.step === "review" && order ? (
        <ReviewStep
          focus={flow.moved}
          order={order}
          tierName={flow.tierName}
          onChange={(next) => setFlow((current) => ({ ...current, order: next }))}
          serverFields={flow.reviewFields}
          onChangePlan={() => go("tiers")}
          onReviewed={(quote) => go("payment", { quote, reviewFields: {} })}
        />
      ) : null}
      {flow.step === "payment" && order && flow.quote ? (
        <PaymentStep
          focus={flow.moved}
          order={order}
          quote={flow.quote}
          currency={flow.currency}
          orderKey={orderKey}
          onPaid={(result, method) => {
            setFlow((current) => ({ ...current, step: "active", moved: true, purchase: { result, method } }));
            announce(
              t("subscriptions.active.announced", {
                tier: result.membership.name,
                number: result.membership.membership_number,
              }),
            );
          }}
          onBack={() => go("review")}
          onCancel={() => {
            orderKey.settle();
            go("tiers", { order: null, quote: null, reviewFields: {} });
          }}
          onReviewRefused={(fields) =>
            go("review", {
              reviewFields: fields,
              quote: null,
              // New terms must be read and accepted again.
              order: fields.terms_version ? { ...order, acceptTerms: false } : order,
            })
          }
        />
      ) : null}
      {flow.step === "active" && flow.purchase ? (
        <ActiveStep purchase={flow.purchase.result} method={flow.purchase.method} />
      ) : null}
    </Page>
  );
}
