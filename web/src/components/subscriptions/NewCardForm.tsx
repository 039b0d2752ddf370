import { useRef, useState, type FormEvent } from "react";

import { announce } from "../../a11y/announcer";
import { api, call } from "../../api/client";
import { FormMessage } from "../../components/FormMessage";
import { failureOf } from "../../forms/failure";
import { useI18n } from "../../i18n/I18nProvider";
import { cardProblemText, focusCard, type CardEntryHandle } from "./cardCollector";
import { CardEntry } from "./CardEntry";
import { declineReason, isUnavailable } from "./refusals";
import type { MembershipOut } from "./types";

/**
 * A new card for the membership (PUT /membership/payment-method {payment_method_token}): it
 * is authorised for a zero amount, and an open invoice that is due is charged to it at once.
 * A declined card (422) is explained beside the card and is not saved.
 */
export function NewCardForm({
  id,
  currency,
  submitLabel,
  savedMessage,
  onSaved,
}: {
  id: string;
  currency: string | null;
  submitLabel: string;
  savedMessage: string;
  onSaved: (membership: MembershipOut) => void;
}) {
  const { t } = useI18n();
  const card = useRef<CardEntryHandle | null>(null);
  const [cardError, setCardError] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [sending, setSending] = useState(false);
  const entryId = `${id}-card`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending) return;
    setMessage(null);
    setCardError(undefined);
    const collected = card.current ? await card.current.collect() : null;
    if (collected === null || !collected.ok) {
      const text = collected ? cardProblemText(t, collected) : t("subscriptions.card.stripeUnavailable");
      setCardError(text);
      announce(text);
      return;
    }
    setSending(true);
    try {
      const membership = await call(
        api().PUT("/membership/payment-method", { body: { payment_method_token: collected.token } }),
      );
      setMessage({ tone: "success", text: savedMessage });
      announce(savedMessage);
      onSaved(membership);
    } catch (error) {
      const reason = declineReason(error);
      let text: string;
      if (reason !== null) {
        setCardError(t(reason));
        text = `${t("subscriptions.card.declined")} ${t(reason)}`;
        focusCard(entryId);
      } else if (isUnavailable(error)) {
        text = t("subscriptions.payment.unavailable");
      } else {
        text = t(failureOf(error, { 409: "subscriptions.card.ended" }).message);
      }
      setMessage({ tone: "error", text });
      announce(text);
    } finally {
      setSending(false);
    }
  }

  return (
    <form noValidate onSubmit={submit} className="sub-form">
      <CardEntry
        id={entryId}
        handle={card}
        currency={currency}
        error={cardError}
        onChange={() => setCardError(undefined)}
      />
      {message ? <FormMessage tone={message.tone}>{message.text}</FormMessage> : null}
      <button type="submit" className="button" disabled={sending}>
        {sending ? t("form.sending") : submitLabel}
      </button>
    </form>
  );
}
