import { useState } from "react";
import { Link } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { InvoiceDetails } from "../components/subscriptions/InvoiceDetails";
import { LoadFailure } from "../components/subscriptions/LoadFailure";
import { INVOICE_KIND, isOpenInvoice } from "../components/subscriptions/labels";
import { PdfLink } from "../components/subscriptions/PdfLink";
import type { InvoiceOut } from "../components/subscriptions/types";
import { useLoad } from "../components/subscriptions/useLoad";
import "../components/subscriptions/subscriptions.css";
import { failureOf } from "../forms/failure";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";

const PAGE_SIZE = 20;

/**
 * /invoices: the customer's invoices and credit notes, newest first (GET /invoices, a page at
 * a time), each with its facts in words, its PDF and, for an open invoice, "Pay now".
 */
export function InvoicesPage() {
  const { t } = useI18n();
  const { result, reload } = useLoad(
    () => call(api().GET("/invoices", { params: { query: { limit: PAGE_SIZE } } })),
    [],
  );
  const [more, setMore] = useState<{ items: InvoiceOut[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreFailed, setMoreFailed] = useState<string | null>(null);

  if (result.state === "loading") {
    return (
      <Page title={t("invoices.title")}>
        <p role="status">{t("app.loading")}</p>
      </Page>
    );
  }
  if (result.state === "failed") {
    return (
      <Page title={t("invoices.title")}>
        <LoadFailure message={t(result.message)} onRetry={() => reload()} />
      </Page>
    );
  }

  const items = [...result.data.items, ...(more?.items ?? [])];
  const cursor = more ? more.cursor : result.data.next_cursor;

  async function loadMore() {
    if (cursor === null) return;
    setLoadingMore(true);
    setMoreFailed(null);
    try {
      const page = await call(api().GET("/invoices", { params: { query: { limit: PAGE_SIZE, cursor } } }));
      setMore((current) => ({ items: [...(current?.items ?? []), ...page.items], cursor: page.next_cursor }));
      announce(t("subscriptions.invoices.moreLoaded", { count: page.items.length }));
    } catch (error) {
      const text = t(failureOf(error).message);
      setMoreFailed(text);
      announce(text);
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <Page title={t("invoices.title")}>
      <p>{t("invoices.intro")}</p>
      {items.length === 0 ? (
        <p>{t("subscriptions.invoices.empty")}</p>
      ) : (
        <ul className="sub-invoices">
          {items.map((invoice) => (
            <li key={invoice.invoice_number}>
              <InvoiceCard invoice={invoice} />
            </li>
          ))}
        </ul>
      )}
      {moreFailed ? <FormMessage tone="error">{moreFailed}</FormMessage> : null}
      {cursor !== null ? (
        <button type="button" className="button button--secondary" onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? t("app.loading") : t("subscriptions.invoices.more")}
        </button>
      ) : null}
    </Page>
  );
}

function InvoiceCard({ invoice }: { invoice: InvoiceOut }) {
  const { t } = useI18n();
  const headingId = `invoice-${invoice.invoice_number}`;
  return (
    <article className="sub-card sub-invoice" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t("subscriptions.invoices.title", { kind: t(INVOICE_KIND[invoice.kind]), number: invoice.invoice_number })}
      </h2>
      <InvoiceDetails invoice={invoice} />
      <ul className="sub-links">
        <li>
          <PdfLink invoice={invoice} />
        </li>
        {isOpenInvoice(invoice) ? (
          <li>
            <Link to={`${paths.membershipPayment}?invoice=${encodeURIComponent(invoice.invoice_number)}`}>
              {t("subscriptions.invoices.payNow", { number: invoice.invoice_number })}
            </Link>
          </li>
        ) : null}
      </ul>
    </article>
  );
}
