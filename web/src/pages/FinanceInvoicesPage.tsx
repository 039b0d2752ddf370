import { api, call } from "../api/client";
import { Page } from "../components/Page";
import { PagedListView } from "../components/backoffice/ListParts";
import { INVOICE_STATUSES, type Receivable } from "../components/backoffice/logic";
import { PAGE_SIZE, useOutcome, usePagedList, useStatusFilter } from "../components/backoffice/pagedList";
import { INVOICE_STATUS_LABELS, ReceivableCard, type PaidInvoice } from "../components/backoffice/ReceivableCard";
import "../components/backoffice/backoffice.css";
import { useI18n } from "../i18n/I18nProvider";

/**
 * /finance/invoices (reviewers, as finance): the receivables. GET /finance/invoices?status=
 * (open ones by default; overdue, paid, cancelled to look at), page by page, each with its
 * company, account, total, due date and days overdue; an open bank-transfer invoice takes a
 * recorded transfer (POST /finance/invoices/{invoice_number}/payments) and is then paid.
 */
export function FinanceInvoicesPage() {
  const { t, money, date } = useI18n();
  const [status, setStatus] = useStatusFilter(INVOICE_STATUSES, "ISSUED");
  const outcome = useOutcome();
  const list = usePagedList<Receivable>({
    fetchPage: (cursor) =>
      call(api().GET("/finance/invoices", { params: { query: { status, limit: PAGE_SIZE, cursor } } })),
    keyOf: (invoice) => invoice.invoice_number,
    filter: status,
  });

  function paid(invoice: Receivable, result: PaidInvoice) {
    // Paid now: it leaves a list of open or overdue invoices (and shows under "Paid").
    if (result.status !== status) list.remove(invoice.invoice_number);
    outcome.tell({
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
    outcome.tell({ tone: "info", text: t("backoffice.finance.conflict", { number: invoice.invoice_number }) });
  }

  const statusLabel = t(INVOICE_STATUS_LABELS[status]);
  return (
    <Page title={t("finance.title")}>
      <p>{t("backoffice.finance.intro")}</p>
      <PagedListView
        list={list}
        outcome={outcome}
        filter={{
          id: "invoice-status",
          label: t("backoffice.finance.filter"),
          value: status,
          options: INVOICE_STATUSES.map((value) => ({ value, label: t(INVOICE_STATUS_LABELS[value]) })),
          onApply: setStatus,
        }}
        headingId="invoice-list-heading"
        heading={t("backoffice.finance.listHeading", { status: statusLabel })}
        loadingText={t("backoffice.finance.loading")}
        emptyText={t("backoffice.finance.empty", { status: statusLabel })}
        shownText={(count) => t("backoffice.finance.shown", { count })}
        refreshedText={(count) => t("backoffice.finance.refreshed", { count })}
        renderItem={(invoice) => (
          <ReceivableCard invoice={invoice} onPaid={paid} onConflict={(i) => void conflicted(i)} />
        )}
      />
    </Page>
  );
}
