import { useCallback, useRef, useState } from "react";
import { useSearchParams } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { ListState, MoreButton, StatusFilter } from "../components/backoffice/ListParts";
import { INVOICE_STATUSES, statusParam, type InvoiceStatus, type Receivable } from "../components/backoffice/logic";
import { usePagedList } from "../components/backoffice/pagedList";
import { INVOICE_STATUS_LABELS, ReceivableCard, type PaidInvoice } from "../components/backoffice/ReceivableCard";
import "../components/backoffice/backoffice.css";
import { useI18n } from "../i18n/I18nProvider";

const PAGE_SIZE = 20;

interface Outcome {
  tone: "success" | "info";
  text: string;
}

/**
 * /finance/invoices (reviewers, as finance): the receivables. GET /finance/invoices?status=
 * (open ones by default; overdue, paid, cancelled to look at), page by page, each with its
 * company, account, total, due date and days overdue; an open bank-transfer invoice takes a
 * recorded transfer (POST /finance/invoices/{invoice_number}/payments) and is then paid.
 */
export function FinanceInvoicesPage() {
  const { t, money, date } = useI18n();
  const [params, setParams] = useSearchParams();
  const status = statusParam<InvoiceStatus>(params.get("status"), INVOICE_STATUSES, "ISSUED");
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      call(api().GET("/finance/invoices", { params: { query: { status, limit: PAGE_SIZE, cursor } } })),
    [status],
  );
  const list = usePagedList<Receivable>(fetchPage, (invoice) => invoice.invoice_number, status);
  const { state } = list;

  function tell(next: Outcome, moveFocus = true) {
    setOutcome(next);
    announce(next.text);
    if (!moveFocus) return;
    requestAnimationFrame(() => outcomeRef.current?.focus());
  }

  function paid(invoice: Receivable, result: PaidInvoice) {
    // Paid now: it leaves a list of open or overdue invoices (and shows under "Paid").
    if (result.status !== status) list.remove(invoice.invoice_number);
    tell({
      tone: "success",
      text: t("backoffice.finance.recorded", {
        number: invoice.invoice_number,
        amount: money(result.total),
        date: date(result.paid_on ?? invoice.due_on),
        status: t(INVOICE_STATUS_LABELS[result.status]),
      }),
    });
  }

  async function conflicted(invoice: Receivable) {
    await list.reload();
    tell({ tone: "info", text: t("backoffice.finance.conflict", { number: invoice.invoice_number }) });
  }

  async function refresh() {
    setOutcome(null);
    const items = await list.reload();
    if (items) tell({ tone: "info", text: t("backoffice.finance.refreshed", { count: items.length }) }, false);
  }

  async function more() {
    const added = await list.loadMore();
    if (added > 0) announce(t("backoffice.list.moreLoaded", { count: added }));
  }

  const statusLabel = t(INVOICE_STATUS_LABELS[status]);
  return (
    <Page title={t("finance.title")}>
      <p>{t("backoffice.finance.intro")}</p>
      <div className="bo-toolbar">
        <StatusFilter
          id="invoice-status"
          label={t("backoffice.finance.filter")}
          value={status}
          options={INVOICE_STATUSES.map((value) => ({ value, label: t(INVOICE_STATUS_LABELS[value]) }))}
          onApply={(value) => {
            setOutcome(null);
            setParams(value === "ISSUED" ? {} : { status: value });
          }}
        />
        <button type="button" className="button button--secondary" onClick={() => void refresh()}>
          {t("backoffice.list.refresh")}
        </button>
      </div>
      {outcome ? (
        <div ref={outcomeRef} tabIndex={-1} className="bo-outcome">
          <FormMessage tone={outcome.tone}>{outcome.text}</FormMessage>
        </div>
      ) : null}
      <section aria-labelledby="invoice-list-heading" aria-busy={state.phase === "loading"}>
        <h2 id="invoice-list-heading">{t("backoffice.finance.listHeading", { status: statusLabel })}</h2>
        <ListState state={state} loadingText={t("backoffice.finance.loading")} onRetry={() => void list.reload()} />
        {state.phase === "ready" && state.items.length === 0 ? (
          <p>{t("backoffice.finance.empty", { status: statusLabel })}</p>
        ) : null}
        {state.items.length > 0 ? (
          <ul className="bo-list">
            {state.items.map((invoice) => (
              <li key={invoice.invoice_number}>
                <ReceivableCard invoice={invoice} onPaid={paid} onConflict={(i) => void conflicted(i)} />
              </li>
            ))}
          </ul>
        ) : null}
        <MoreButton
          state={state}
          shownText={t("backoffice.finance.shown", { count: state.items.length })}
          onMore={() => void more()}
        />
      </section>
    </Page>
  );
}
