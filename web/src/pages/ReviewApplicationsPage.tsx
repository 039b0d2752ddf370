import { api, call } from "../api/client";
import { Page } from "../components/Page";
import { APPLICATION_STATUS_LABELS, ApplicationCard } from "../components/backoffice/ApplicationCard";
import { PagedListView } from "../components/backoffice/ListParts";
import { APPLICATION_STATUSES, utcToday, type Decision, type ReviewItem } from "../components/backoffice/logic";
import { PAGE_SIZE, useOutcome, usePagedList, useStatusFilter } from "../components/backoffice/pagedList";
import "../components/backoffice/backoffice.css";
import { useI18n } from "../i18n/I18nProvider";

/**
 * /review/applications (reviewers): the review queue. GET /review/applications?status= (the
 * queue's PENDING_REVIEW by default; the other statuses to look back), page by page; each
 * waiting application is approved or rejected with a reason (POST …/{id}/decision). A decided
 * application leaves the list and the outcome is said; a 409 (decided meanwhile by someone
 * else) is explained and the list read again.
 */
export function ReviewApplicationsPage() {
  const { t, timestamp } = useI18n();
  const [status, setStatus] = useStatusFilter(APPLICATION_STATUSES, "PENDING_REVIEW");
  // The button that was pressed is gone with its application: the outcome takes the focus.
  const outcome = useOutcome();
  const list = usePagedList<ReviewItem>({
    fetchPage: (cursor) =>
      call(api().GET("/review/applications", { params: { query: { status, limit: PAGE_SIZE, cursor } } })),
    keyOf: (item) => item.application_id,
    filter: status,
  });
  const { state } = list;

  function decided(item: ReviewItem, decision: Decision) {
    list.remove(item.application_id);
    const values = { company: item.company.name, email: item.contact.email };
    outcome.tell({
      tone: "success",
      text: t(decision === "APPROVE" ? "backoffice.review.approved" : "backoffice.review.rejected", values),
    });
  }

  async function conflicted(item: ReviewItem) {
    await list.reload();
    outcome.tell({ tone: "info", text: t("backoffice.review.conflict", { company: item.company.name }) });
  }

  const statusLabel = t(APPLICATION_STATUS_LABELS[status]);
  const today = utcToday();
  return (
    <Page title={t("review.title")}>
      <p>{t("backoffice.review.intro")}</p>
      <PagedListView
        list={list}
        outcome={outcome}
        filter={{
          id: "review-status",
          label: t("backoffice.review.filter"),
          value: status,
          options: APPLICATION_STATUSES.map((value) => ({ value, label: t(APPLICATION_STATUS_LABELS[value]) })),
          onApply: setStatus,
        }}
        headingId="review-list-heading"
        heading={t("backoffice.review.listHeading", { status: statusLabel })}
        note={
          state.phase === "ready" && state.loadedAt !== null ? (
            <p className="bo-note">
              {t("backoffice.review.linksNote", { time: timestamp(new Date(state.loadedAt).toISOString()) })}
            </p>
          ) : null
        }
        loadingText={t("backoffice.review.loading")}
        emptyText={
          status === "PENDING_REVIEW"
            ? t("backoffice.review.emptyQueue")
            : t("backoffice.review.empty", { status: statusLabel })
        }
        shownText={(count) => t("backoffice.review.shown", { count })}
        refreshedText={(count) => t("backoffice.review.refreshed", { count })}
        renderItem={(item) => (
          <ApplicationCard item={item} today={today} onDecided={decided} onConflict={(i) => void conflicted(i)} />
        )}
      />
    </Page>
  );
}
