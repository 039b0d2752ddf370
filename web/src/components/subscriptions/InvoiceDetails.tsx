import { useI18n } from "../../i18n/I18nProvider";
import { INVOICE_PURPOSE, INVOICE_STATUS, PAYMENT_METHOD } from "./labels";
import { formatRate } from "./percent";
import type { InvoiceOut } from "./types";

/** An invoice's or credit note's facts as a description list. */
export function InvoiceDetails({ invoice }: { invoice: InvoiceOut }) {
  const { t, money, date, language } = useI18n();
  const rows: Array<[string, string]> = [
    [t("subscriptions.invoice.purpose"), t(INVOICE_PURPOSE[invoice.purpose])],
    [t("subscriptions.invoice.issuedOn"), date(invoice.issued_on)],
  ];
  if (invoice.kind === "INVOICE") rows.push([t("subscriptions.invoice.dueOn"), date(invoice.due_on)]);
  rows.push([t("subscriptions.invoice.status"), t(INVOICE_STATUS[invoice.status])]);
  if (invoice.period) {
    rows.push([
      t("subscriptions.invoice.period"),
      t("subscriptions.invoice.periodRange", { from: date(invoice.period.from), to: date(invoice.period.to) }),
    ]);
  }
  rows.push(
    [t("subscriptions.invoice.net"), money(invoice.net)],
    [t("subscriptions.review.vat", { rate: formatRate(invoice.vat_rate, language) }), money(invoice.vat)],
    [t("subscriptions.invoice.total"), money(invoice.total)],
  );
  if (invoice.purchase_order_number) rows.push([t("subscriptions.invoice.poNumber"), invoice.purchase_order_number]);
  if (invoice.kind === "INVOICE") rows.push([t("subscriptions.membership.paymentMethod"), t(PAYMENT_METHOD[invoice.payment_method])]);
  if (invoice.paid_on) rows.push([t("subscriptions.invoice.paidOn"), date(invoice.paid_on)]);
  if (invoice.credit_note_for) rows.push([t("subscriptions.invoice.creditNoteFor"), invoice.credit_note_for]);
  if (invoice.cancelled_by) rows.push([t("subscriptions.invoice.cancelledBy"), invoice.cancelled_by]);
  rows.push([t("subscriptions.active.number"), invoice.membership_number]);
  return (
    <dl className="sub-summary">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
