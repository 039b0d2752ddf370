import { useState, type FormEvent } from "react";

import { api, call } from "../../api/client";
import { FormMessage } from "../../components/FormMessage";
import { TextField } from "../../components/TextField";
import { focusFirstProblem } from "../../forms/validation";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { FieldError } from "../forms/fields";
import { LoadFailure } from "./LoadFailure";
import { PO_NUMBER_MAX, reviewProblems, type Order } from "./order";
import { formatRate } from "./percent";
import { StepHeading } from "./StepHeading";
import { shortTierName } from "./tiers";
import type { QuoteOut } from "./types";
import { useLoad } from "./useLoad";

const FIELD_IDS = { purchaseOrderNumber: "purchase-order-number", acceptTerms: "accept-terms" } as const;
type Field = keyof typeof FIELD_IDS;

/**
 * Step 2, "Please review your information": the chosen tier ("change plan"), its price excl.
 * VAT, the VAT and the total from POST /checkout/quote, the subscription type (auto-renewal),
 * an optional purchase-order number and the CPS Terms & Conditions, which must be accepted.
 */
export function ReviewStep({
  focus,
  order,
  tierName,
  onChange,
  serverFields,
  onChangePlan,
  onReviewed,
}: {
  focus: boolean;
  order: Order;
  /** The chosen tier's name ("CPS Silver"), shown before the quote arrives. */
  tierName: string;
  onChange: (order: Order) => void;
  /** The API's messages for these fields, when the purchase was refused for them. */
  serverFields: Readonly<Record<string, string>>;
  onChangePlan: () => void;
  onReviewed: (quote: QuoteOut) => void;
}) {
  const { t, money, language } = useI18n();
  const [problems, setProblems] = useState<Partial<Record<Field, MessageKey>>>({});
  const { result, reload } = useLoad(
    () => call(api().POST("/checkout/quote", { body: { tier: order.tier } })),
    [order.tier],
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (result.state !== "loaded") return;
    const found = reviewProblems(order);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      focusFirstProblem(found, FIELD_IDS);
      return;
    }
    onReviewed(result.data);
  }

  const fieldError = (field: Field, apiName: string): string | undefined => {
    const problem = problems[field];
    return problem ? t(problem, { max: PO_NUMBER_MAX }) : serverFields[apiName];
  };
  // New terms since the quote: our own words (the API's field message names the version).
  const termsError =
    fieldError("acceptTerms", "accept_terms") ??
    (serverFields.terms_version ? t("subscriptions.review.termsChanged") : undefined);
  const quote = result.state === "loaded" ? result.data : null;

  return (
    <section aria-labelledby="sub-step-review" className="sub-step">
      <StepHeading id="sub-step-review" focus={focus}>
        {t("subscriptions.review.heading")}
      </StepHeading>
      <p>{t("subscriptions.review.intro")}</p>
      {result.state === "loading" ? <p role="status">{t("app.loading")}</p> : null}
      {result.state === "failed" ? (
        <LoadFailure
          message={t(result.status === 422 ? "subscriptions.review.notEligible" : result.message)}
          onRetry={() => reload()}
        />
      ) : null}
      <form noValidate onSubmit={submit} className="sub-form">
        <h3>{t("subscriptions.review.subscription")}</h3>
        <dl className="sub-summary">
          <div>
            <dt>{t("subscriptions.review.plan")}</dt>
            <dd>
              {t("subscriptions.review.planName", { tier: shortTierName(quote?.name ?? tierName) })}{" "}
              <button type="button" className="link-button sub-inline-link" onClick={onChangePlan}>
                {t("subscriptions.review.changePlan")}
              </button>
            </dd>
          </div>
          {quote ? (
            <>
              <div>
                <dt>{t("subscriptions.review.price")}</dt>
                <dd>{t("subscriptions.review.pricePerYear", { price: money(quote.price_excl_vat) })}</dd>
              </div>
              <div>
                <dt>{t("subscriptions.review.vat", { rate: formatRate(quote.vat_rate, language) })}</dt>
                <dd>
                  {money(quote.vat_amount)}
                  {quote.vat_treatment === "REVERSE_CHARGE" ? (
                    <span className="sub-note"> {t("subscriptions.vat.reverseCharge")}</span>
                  ) : null}
                  {quote.vat_treatment === "OUTSIDE_EU" ? (
                    <span className="sub-note"> {t("subscriptions.vat.outsideEu")}</span>
                  ) : null}
                </dd>
              </div>
              <div>
                <dt>{t("subscriptions.review.total")}</dt>
                <dd>
                  <strong>{money(quote.total)}</strong>
                </dd>
              </div>
            </>
          ) : null}
        </dl>

        <fieldset className="sub-choice">
          <legend>{t("subscriptions.review.subscriptionType")}</legend>
          <div className="sub-choice__option">
            <input
              type="checkbox"
              id="auto-renew"
              checked={order.autoRenew}
              onChange={(event) => onChange({ ...order, autoRenew: event.target.checked })}
              aria-describedby="auto-renew-hint"
            />
            <label htmlFor="auto-renew">{t("subscriptions.review.autoRenewal")}</label>
          </div>
          <p id="auto-renew-hint" className="field__hint">
            {t("subscriptions.review.autoRenewalHint")}
          </p>
        </fieldset>

        <TextField
          id={FIELD_IDS.purchaseOrderNumber}
          name="purchase_order_number"
          label={t("subscriptions.review.poNumber")}
          hint={t("subscriptions.review.poNumberHint", { max: PO_NUMBER_MAX })}
          value={order.purchaseOrderNumber}
          onChange={(value) => onChange({ ...order, purchaseOrderNumber: value })}
          error={fieldError("purchaseOrderNumber", "purchase_order_number")}
          autoComplete="off"
        />

        <div className={termsError ? "field field--invalid sub-terms" : "field sub-terms"}>
          <details className="sub-terms__text">
            <summary>{t("subscriptions.review.termsSummary")}</summary>
            <ul>
              <li>{t("subscriptions.review.terms1")}</li>
              <li>{t("subscriptions.review.terms2")}</li>
              <li>{t("subscriptions.review.terms3")}</li>
              <li>{t("subscriptions.review.terms4")}</li>
            </ul>
            {quote ? (
              <p className="field__hint">{t("subscriptions.review.termsVersion", { version: quote.terms_version })}</p>
            ) : null}
          </details>
          <div className="sub-choice__option">
            <input
              type="checkbox"
              id={FIELD_IDS.acceptTerms}
              name="accept_terms"
              checked={order.acceptTerms}
              onChange={(event) => {
                onChange({ ...order, acceptTerms: event.target.checked });
                if (event.target.checked) setProblems(({ acceptTerms: _, ...rest }) => rest);
              }}
              required
              aria-required="true"
              aria-invalid={termsError ? true : undefined}
              aria-describedby={termsError ? `${FIELD_IDS.acceptTerms}-error` : undefined}
            />
            <label htmlFor={FIELD_IDS.acceptTerms}>{t("subscriptions.review.acceptTerms")}</label>
          </div>
          <FieldError id={FIELD_IDS.acceptTerms} error={termsError} />
        </div>

        {Object.keys(problems).length > 0 ? <FormMessage tone="error">{t("form.checkFields")}</FormMessage> : null}
        <div className="button-row">
          <button type="submit" className="button" disabled={quote === null}>
            {t("subscriptions.review.purchase")}
          </button>
        </div>
      </form>
    </section>
  );
}
