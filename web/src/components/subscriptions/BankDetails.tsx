import { useI18n } from "../../i18n/I18nProvider";
import type { InvoiceOut } from "./types";

/** How to pay an invoice by bank transfer: beneficiary, IBAN, BIC, the reference, amount and due date. */
export function BankDetails({ invoice, headingLevel = 3 }: { invoice: InvoiceOut; headingLevel?: 2 | 3 }) {
  const { t, money, date } = useI18n();
  const bank = invoice.bank_details;
  if (bank === null) return null;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="sub-bank" aria-labelledby={`bank-${invoice.invoice_number}`}>
      <Heading id={`bank-${invoice.invoice_number}`}>{t("subscriptions.bank.heading")}</Heading>
      <dl className="sub-summary">
        <div>
          <dt>{t("subscriptions.bank.beneficiary")}</dt>
          <dd>{bank.beneficiary}</dd>
        </div>
        <div>
          <dt>{t("subscriptions.bank.iban")}</dt>
          <dd className="sub-code">{bank.iban}</dd>
        </div>
        <div>
          <dt>{t("subscriptions.bank.bic")}</dt>
          <dd className="sub-code">{bank.bic}</dd>
        </div>
        <div>
          <dt>{t("subscriptions.bank.reference")}</dt>
          <dd className="sub-code">{bank.reference}</dd>
        </div>
        <div>
          <dt>{t("subscriptions.bank.amount")}</dt>
          <dd>{money(invoice.total)}</dd>
        </div>
        <div>
          <dt>{t("subscriptions.bank.dueOn")}</dt>
          <dd>{date(invoice.due_on)}</dd>
        </div>
      </dl>
      <p className="field__hint">{t("subscriptions.bank.charges")}</p>
    </section>
  );
}
