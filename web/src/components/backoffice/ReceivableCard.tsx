import { useState, type FormEvent } from "react";

import { announce } from "../../a11y/announcer";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { components } from "../../api/schema";
import { FormMessage } from "../FormMessage";
import { TextField } from "../TextField";
import { failureOf, type Failure } from "../../forms/failure";
import { focusFirstProblem } from "../../forms/validation";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { localToday, normaliseAmount, paymentProblems, REFERENCE_MAX, takesBankTransfer, type PaymentForm, type Receivable } from "./logic";

export type PaidInvoice = components["schemas"]["InvoiceOut"];

export const INVOICE_STATUS_LABELS: Readonly<Record<Receivable["status"], MessageKey>> = {
  ISSUED: "backoffice.finance.status.ISSUED",
  OVERDUE: "backoffice.finance.status.OVERDUE",
  PAID: "backoffice.finance.status.PAID",
  CANCELLED: "backoffice.finance.status.CANCELLED",
};

const STATUS_TONES: Readonly<Record<Receivable["status"], string>> = {
  ISSUED: "neutral",
  OVERDUE: "danger",
  PAID: "success",
  CANCELLED: "neutral",
};

/** The API's field names → the form's. */
const API_FIELDS: Readonly<Record<string, keyof PaymentForm>> = {
  amount: "amount",
  paid_on: "paidOn",
  reference: "reference",
};

/**
 * One receivable: number, company and account, amounts, dates, days overdue, how it is paid;
 * for an open bank-transfer invoice, "Record a bank transfer" opens the payment form.
 */
export function ReceivableCard({
  invoice,
  onPaid,
  onConflict,
}: {
  invoice: Receivable;
  onPaid: (invoice: Receivable, paid: PaidInvoice) => void;
  onConflict: (invoice: Receivable) => void;
}) {
  const { t, money, date, number } = useI18n();
  const [open, setOpen] = useState(false);
  const key = invoice.invoice_number.replace(/[^A-Za-z0-9-]/g, "_");
  const headingId = `invoice-${key}`;
  const formId = `payment-${key}`;
  const overdue = invoice.days_overdue > 0 && invoice.status !== "PAID" && invoice.status !== "CANCELLED";
  return (
    <article className="bo-card" aria-labelledby={headingId}>
      <header className="bo-card__header">
        <h3 id={headingId} className="bo-card__title">
          {t(invoice.kind === "CREDIT_NOTE" ? "backoffice.finance.creditNote" : "backoffice.finance.invoice", {
            number: invoice.invoice_number,
          })}
        </h3>
        <ul className="bo-badges" aria-label={t("backoffice.finance.flags")}>
          <li className={`bo-badge bo-badge--${STATUS_TONES[invoice.status]}`}>{t(INVOICE_STATUS_LABELS[invoice.status])}</li>
          {overdue ? (
            <li className="bo-badge bo-badge--danger">
              {t(invoice.days_overdue === 1 ? "backoffice.finance.dayOverdue" : "backoffice.finance.daysOverdue", {
                days: number(invoice.days_overdue),
              })}
            </li>
          ) : null}
        </ul>
      </header>
      <dl className="bo-facts">
        <div>
          <dt>{t("backoffice.finance.company")}</dt>
          <dd>{invoice.company}</dd>
        </div>
        <div>
          <dt>{t("backoffice.finance.account")}</dt>
          <dd className="bo-code">{invoice.account_id}</dd>
        </div>
        <div>
          <dt>{t("backoffice.finance.total")}</dt>
          <dd className="bo-amount">{money(invoice.total)}</dd>
        </div>
        <div>
          <dt>{t("backoffice.finance.dueOn")}</dt>
          <dd className={overdue ? "bo-urgent" : undefined}>{date(invoice.due_on)}</dd>
        </div>
        <div>
          <dt>{t("backoffice.finance.issuedOn")}</dt>
          <dd>{date(invoice.issued_on)}</dd>
        </div>
        <div>
          <dt>{t("backoffice.finance.paymentMethod")}</dt>
          <dd>
            {t(invoice.payment_method === "BANK_TRANSFER" ? "backoffice.finance.bankTransfer" : "backoffice.finance.card")}
          </dd>
        </div>
        {invoice.bank_details ? (
          <div>
            <dt>{t("backoffice.finance.expectedReference")}</dt>
            <dd className="bo-code">{invoice.bank_details.reference}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("backoffice.finance.membership")}</dt>
          <dd>{invoice.description}</dd>
        </div>
        <div>
          <dt>{t("backoffice.finance.membershipNumber")}</dt>
          <dd className="bo-code">{invoice.membership_number}</dd>
        </div>
        {invoice.purchase_order_number ? (
          <div>
            <dt>{t("backoffice.finance.orderNumber")}</dt>
            <dd>{invoice.purchase_order_number}</dd>
          </div>
        ) : null}
        {invoice.paid_on ? (
          <div>
            <dt>{t("backoffice.finance.paidOn")}</dt>
            <dd>{date(invoice.paid_on)}</dd>
          </div>
        ) : null}
        {invoice.cancelled_by ? (
          <div>
            <dt>{t("backoffice.finance.cancelledBy")}</dt>
            <dd>{invoice.cancelled_by}</dd>
          </div>
        ) : null}
        {invoice.credit_note_for ? (
          <div>
            <dt>{t("backoffice.finance.creditNoteFor")}</dt>
            <dd>{invoice.credit_note_for}</dd>
          </div>
        ) : null}
      </dl>
      {invoice.pdf_url ? (
        <p>
          <a href={invoice.pdf_url} target="_blank" rel="noopener noreferrer">
            {t("backoffice.finance.pdf")}
            <span className="visually-hidden"> {invoice.invoice_number}</span>
          </a>
          <span className="bo-note"> {t("backoffice.review.newTab")}</span>
        </p>
      ) : null}
      {takesBankTransfer(invoice) ? (
        <>
          <button
            type="button"
            className="button button--secondary"
            aria-expanded={open}
            aria-controls={formId}
            onClick={() => setOpen(!open)}
          >
            {t("backoffice.finance.record")}
            <span className="visually-hidden"> {invoice.invoice_number}</span>
          </button>
          {open ? (
            <PaymentEntry
              id={formId}
              invoice={invoice}
              onPaid={(paid) => onPaid(invoice, paid)}
              onConflict={() => onConflict(invoice)}
              onCancel={() => setOpen(false)}
            />
          ) : null}
        </>
      ) : invoice.payment_method === "CARD" && (invoice.status === "ISSUED" || invoice.status === "OVERDUE") ? (
        <p className="bo-note">{t("backoffice.finance.cardCharged")}</p>
      ) : null}
    </article>
  );
}

/** The bank transfer's form: the amount (the open amount), the day it arrived, its reference. */
function PaymentEntry({
  id,
  invoice,
  onPaid,
  onConflict,
  onCancel,
}: {
  id: string;
  invoice: Receivable;
  onPaid: (paid: PaidInvoice) => void;
  onConflict: () => void;
  onCancel: () => void;
}) {
  const { t, money } = useI18n();
  const fieldIds = { amount: `${id}-amount`, paidOn: `${id}-paid-on`, reference: `${id}-reference` } as const;
  const [form, setForm] = useState<PaymentForm>(() => ({
    amount: invoice.total.amount,
    paidOn: localToday(),
    reference: "",
  }));
  const [problems, setProblems] = useState<ReturnType<typeof paymentProblems>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [sending, setSending] = useState(false);
  const set = (field: keyof PaymentForm) => (value: string) => setForm((current) => ({ ...current, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = paymentProblems(form, invoice.total.amount, localToday());
    setProblems(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      focusFirstProblem(found, fieldIds);
      return;
    }
    setSending(true);
    try {
      const paid = await call(
        api().POST("/finance/invoices/{invoice_number}/payments", {
          params: { path: { invoice_number: invoice.invoice_number } },
          body: {
            amount: normaliseAmount(form.amount) ?? form.amount,
            paid_on: form.paidOn,
            reference: form.reference.trim(),
          },
        }),
      );
      onPaid(paid);
    } catch (error) {
      setSending(false);
      if (error instanceof ApiError && error.status === 409) {
        onConflict();
        return;
      }
      const failed = failureOf(error);
      setFailure(failed);
      announce(t(failed.message));
      const refused: Partial<Record<keyof PaymentForm, string>> = {};
      for (const [field, message] of Object.entries(failed.fields)) {
        const mine = API_FIELDS[field];
        if (mine) refused[mine] = message;
      }
      focusFirstProblem(refused, fieldIds);
    }
  }

  const fieldError = (field: keyof PaymentForm) => {
    const problem = problems[field];
    if (problem) return t(problem, { amount: money(invoice.total) });
    const apiName = Object.keys(API_FIELDS).find((name) => API_FIELDS[name] === field);
    return apiName ? failure?.fields[apiName] : undefined;
  };
  return (
    <form id={id} noValidate onSubmit={submit} className="bo-payment" aria-label={t("backoffice.finance.formLabel", { number: invoice.invoice_number })}>
      <TextField
        id={fieldIds.amount}
        label={t("backoffice.finance.amount", { currency: invoice.total.currency })}
        hint={t("backoffice.finance.amountHint", { amount: money(invoice.total) })}
        value={form.amount}
        onChange={set("amount")}
        autoComplete="off"
        error={fieldError("amount")}
        required
      />
      <TextField
        id={fieldIds.paidOn}
        label={t("backoffice.finance.paidOnLabel")}
        hint={t("backoffice.finance.paidOnHint")}
        type="date"
        value={form.paidOn}
        onChange={set("paidOn")}
        error={fieldError("paidOn")}
        required
      />
      <TextField
        id={fieldIds.reference}
        label={t("backoffice.finance.reference")}
        hint={
          invoice.bank_details
            ? t("backoffice.finance.referenceHintExpected", { reference: invoice.bank_details.reference })
            : t("backoffice.finance.referenceHint")
        }
        value={form.reference}
        onChange={set("reference")}
        autoComplete="off"
        maxLength={REFERENCE_MAX}
        error={fieldError("reference")}
        required
      />
      {failure ? <FormMessage tone="error">{t(failure.message)}</FormMessage> : null}
      <div className="button-row">
        <button type="submit" className="button" disabled={sending}>
          {sending ? t("form.sending") : t("backoffice.finance.submit")}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel} disabled={sending}>
          {t("backoffice.finance.cancel")}
        </button>
      </div>
    </form>
  );
}
