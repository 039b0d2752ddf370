import { useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";

import { announce } from "../../a11y/announcer";
import { api, call } from "../../api/client";
import { FormMessage } from "../../components/FormMessage";
import { failureOf } from "../../forms/failure";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { paths } from "../../paths";
import { cardProblemText, focusCard, type CardEntryHandle } from "./cardCollector";
import { CardEntry } from "./CardEntry";
import { checkoutBody, type Order, type PaymentChoice } from "./order";
import { declineReason, isConflict, isUnavailable, refusedField } from "./refusals";
import { StepHeading } from "./StepHeading";
import type { CheckoutOut, PaymentMethod, QuoteOut } from "./types";

const CARD_ENTRY_ID = "card-entry";
/** The review's fields: a refusal naming one of them sends the customer back to the review. */
const REVIEW_FIELDS = ["accept_terms", "terms_version", "purchase_order_number", "tier"];

type Problem = { message: MessageKey; values?: Record<string, string>; member?: boolean } | null;

/**
 * Step 3, "Please select payment option": Credit Card (authorised for zero today, charged on
 * the invoice's due date) or Bank Transfer (additional bank charges may apply). CHECKOUT sends
 * POST /checkout with an Idempotency-Key (the same key for a retry of the same order); a
 * declined card (422) is explained beside the card and the customer may choose another.
 */
export function PaymentStep({
  focus,
  order,
  quote,
  currency,
  orderKey,
  onPaid,
  onBack,
  onCancel,
  onReviewRefused,
}: {
  focus: boolean;
  order: Order;
  quote: QuoteOut;
  currency: string | null;
  orderKey: { forBody(body: unknown): string; settle(): void };
  onPaid: (purchase: CheckoutOut, method: PaymentMethod) => void;
  onBack: () => void;
  onCancel: () => void;
  onReviewRefused: (fields: Readonly<Record<string, string>>) => void;
}) {
  const { t, money } = useI18n();
  const [method, setMethod] = useState<PaymentMethod>("CARD");
  const [cardError, setCardError] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<Problem>(null);
  const [sending, setSending] = useState(false);
  const card = useRef<CardEntryHandle | null>(null);

  function refuse(next: NonNullable<Problem>, detail?: string) {
    setProblem(next);
    announce([t(next.message, next.values), detail].filter(Boolean).join(" "));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    setProblem(null);
    setCardError(undefined);
    let payment: PaymentChoice = { method: "BANK_TRANSFER" };
    if (method === "CARD") {
      const collected = card.current ? await card.current.collect() : null;
      if (collected === null || !collected.ok) {
        const text = collected ? cardProblemText(t, collected) : t("subscriptions.card.stripeUnavailable");
        setCardError(text);
        announce(text);
        return;
      }
      payment = { method: "CARD", token: collected.token };
    }
    const body = checkoutBody(order, quote.terms_version, payment);
    setSending(true);
    try {
      const purchase = await call(
        api().POST("/checkout", { body, params: { header: { "Idempotency-Key": orderKey.forBody(body) } } }),
      );
      orderKey.settle();
      onPaid(purchase, method);
    } catch (error) {
      const reason = declineReason(error);
      if (reason !== null) {
        setCardError(t(reason));
        refuse({ message: "subscriptions.payment.declined" }, t(reason));
        focusCard(CARD_ENTRY_ID);
      } else if (isConflict(error)) {
        refuse({ message: "subscriptions.payment.alreadyMember", member: true });
      } else if (refusedField(error, ...REVIEW_FIELDS) !== null) {
        onReviewRefused(failureOf(error).fields);
      } else if (isUnavailable(error)) {
        refuse({ message: "subscriptions.payment.unavailable" });
      } else {
        refuse({ message: failureOf(error).message });
      }
    } finally {
      setSending(false);
    }
  }

  return (
    <section aria-labelledby="sub-step-payment" className="sub-step">
      <StepHeading id="sub-step-payment" focus={focus}>
        {t("subscriptions.payment.heading")}
      </StepHeading>
      <p>
        {t("subscriptions.payment.summary", {
          tier: quote.name,
          total: money(quote.total),
        })}
      </p>
      <form noValidate onSubmit={submit} className="sub-form">
        <fieldset className="sub-choice">
          <legend>{t("subscriptions.payment.legend")}</legend>
          <div className="sub-choice__option">
            <input
              type="radio"
              id="pay-card"
              name="payment-method"
              value="CARD"
              checked={method === "CARD"}
              onChange={() => {
                setMethod("CARD");
                setProblem(null);
              }}
              aria-describedby="pay-card-note"
            />
            <div>
              <label htmlFor="pay-card">{t("subscriptions.payment.card")}</label>{" "}
              <span id="pay-card-note" className="sub-choice__note">
                {t("subscriptions.payment.cardNote")}
              </span>
            </div>
          </div>
          <div className="sub-choice__option">
            <input
              type="radio"
              id="pay-bank"
              name="payment-method"
              value="BANK_TRANSFER"
              checked={method === "BANK_TRANSFER"}
              onChange={() => {
                setMethod("BANK_TRANSFER");
                setCardError(undefined);
                setProblem(null);
              }}
              aria-describedby="pay-bank-note"
            />
            <div>
              <label htmlFor="pay-bank">{t("subscriptions.payment.bank")}</label>{" "}
              <span id="pay-bank-note" className="sub-choice__note">
                {t("subscriptions.payment.bankNote")}
              </span>
            </div>
          </div>
        </fieldset>

        {method === "CARD" ? (
          <CardEntry
            id={CARD_ENTRY_ID}
            handle={card}
            currency={currency}
            error={cardError}
            onChange={() => setCardError(undefined)}
          />
        ) : null}

        <ul className="sub-notes">
          <li>{t(method === "CARD" ? "subscriptions.payment.cardDetail" : "subscriptions.payment.bankDetail")}</li>
          <li>{t("subscriptions.payment.invoiceSoon")}</li>
          <li>{t("subscriptions.payment.activeAtOnce")}</li>
          <li>{t("subscriptions.payment.newNumber")}</li>
        </ul>

        {problem ? (
          <FormMessage tone="error">
            {t(problem.message, problem.values)}
            {problem.member ? (
              <>
                {" "}
                <Link to={paths.membership}>{t("subscriptions.manageLink")}</Link>
              </>
            ) : null}
          </FormMessage>
        ) : null}
        <div className="button-row">
          <button type="button" className="button button--secondary" onClick={onCancel} disabled={sending}>
            {t("subscriptions.payment.cancel")}
          </button>
          <button type="button" className="button button--secondary" onClick={onBack} disabled={sending}>
            {t("subscriptions.payment.back")}
          </button>
          <button type="submit" className="button" disabled={sending}>
            {sending ? t("form.sending") : t("subscriptions.payment.checkout")}
          </button>
        </div>
      </form>
    </section>
  );
}
