import { Link, useSearchParams } from "react-router";

import { api, call } from "../api/client";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { BankDetails } from "../components/subscriptions/BankDetails";
import { InvoiceDetails } from "../components/subscriptions/InvoiceDetails";
import { INVOICE_KIND, isOpenInvoice } from "../components/subscriptions/labels";
import { LoadFailure } from "../components/subscriptions/LoadFailure";
import { NewCardForm } from "../components/subscriptions/NewCardForm";
import { PdfLink } from "../components/subscriptions/PdfLink";
import { useLoad } from "../components/subscriptions/useLoad";
import "../components/subscriptions/subscriptions.css";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";

/** Today as the API writes dates (YYYY-MM-DD), in the browser's calendar. */
function todayIso(): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * /membership/payment?invoice=N (the e-mail's "pay now"): the open invoice (GET /invoices/{n})
 * and how to pay it — a new card (PUT /membership/payment-method charges the membership's due
 * open invoices at once), or a bank transfer with the invoice's bank details.
 */
export function MembershipPaymentPage() {
  const { t, date } = useI18n();
  const [params] = useSearchParams();
  const number = params.get("invoice")?.trim() ?? "";
  const { result, reload } = useLoad(async () => {
    if (number === "") return null;
    return call(api().GET("/invoices/{invoice_number}", { params: { path: { invoice_number: number } } }));
  }, [number]);

  const back = (
    <p className="form-links">
      <Link to={paths.invoices}>{t("subscriptions.active.toInvoices")}</Link>
    </p>
  );
  if (number === "") {
    return (
      <Page title={t("membershipPayment.title")}>
        <FormMessage tone="error">{t("subscriptions.pay.missing")}</FormMessage>
        {back}
      </Page>
    );
  }
  if (result.state === "loading") {
    return (
      <Page title={t("membershipPayment.title")}>
        <p role="status">{t("app.loading")}</p>
      </Page>
    );
  }
  if (result.state === "failed" || result.data === null) {
    const notFound = result.state === "failed" && result.status === 404;
    return (
      <Page title={t("membershipPayment.title")}>
        <LoadFailure
          message={
            notFound
              ? t("subscriptions.pay.notFound", { number })
              : t(result.state === "failed" ? result.message : "error.generic")
          }
          onRetry={notFound ? undefined : () => reload()}
        />
        {back}
      </Page>
    );
  }

  const invoice = result.data;
  const open = isOpenInvoice(invoice);
  const due = invoice.due_on <= todayIso() || invoice.status === "OVERDUE";
  return (
    <Page title={t("membershipPayment.title")}>
      <p>{t("membershipPayment.intro")}</p>
      <section aria-labelledby="pay-invoice" className="sub-card">
        <h2 id="pay-invoice">
          {t("subscriptions.invoices.title", { kind: t(INVOICE_KIND[invoice.kind]), number: invoice.invoice_number })}
        </h2>
        <InvoiceDetails invoice={invoice} />
        <PdfLink invoice={invoice} />
      </section>
      {open ? (
        <>
          <section aria-labelledby="pay-by-card" className="sub-section">
            <h2 id="pay-by-card">{t("subscriptions.pay.cardHeading")}</h2>
            <p>
              {due
                ? t("subscriptions.pay.cardNow")
                : t("subscriptions.pay.cardOnDueDate", { date: date(invoice.due_on) })}
            </p>
            <NewCardForm
              id="pay-card"
              currency={invoice.total.currency}
              submitLabel={due ? t("subscriptions.pay.payWithCard") : t("subscriptions.card.save")}
              savedMessage={due ? t("subscriptions.pay.cardSaved") : t("subscriptions.card.saved")}
              // The charge happened in the same call: show the invoice as it is now.
              onSaved={() => reload(true)}
            />
          </section>
          {invoice.bank_details ? (
            <section aria-labelledby="pay-by-bank" className="sub-section">
              <h2 id="pay-by-bank">{t("subscriptions.pay.bankHeading")}</h2>
              <p>{t("subscriptions.pay.bankIntro", { date: date(invoice.due_on) })}</p>
              <BankDetails invoice={invoice} />
            </section>
          ) : null}
        </>
      ) : (
        <FormMessage tone={invoice.status === "PAID" ? "success" : "info"}>
          {invoice.status === "PAID"
            ? invoice.paid_on
              ? t("subscriptions.pay.paidOn", { date: date(invoice.paid_on) })
              : t("subscriptions.pay.paid")
            : t("subscriptions.pay.nothingDue")}
        </FormMessage>
      )}
      {back}
    </Page>
  );
}
