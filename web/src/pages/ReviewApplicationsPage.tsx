import { useCallback, useRef, useState } from "react";
import { useSearchParams } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { APPLICATION_STATUS_LABELS, ApplicationCard } from "../components/backoffice/ApplicationCard";
import { ListState, MoreButton, StatusFilter } from "../components/backoffice/ListParts";
import {
  APPLICATION_STATUSES,
  statusParam,
  utcToday,
  type ApplicationStatus,
  type Decision,
  type ReviewItem,
} from "../components/backoffice/logic";
import { usePagedList } from "../components/backoffice/pagedList";
import "../components/backoffice/backoffice.css";
import { useI18n } from "../i18n/I18nProvider";

const PAGE_SIZE = 20;

interface Outcome {
  tone: "success" | "info";
  text: string;
}

/**
 * /review/applications (reviewers): the review queue. GET /review/applications?status= (the
 * queue's PENDING_REVIEW by default; the other statuses to look back), page by page; each
 * waiting application is approved or rejected with a reason (POST …/{id}/decision). A decided
 * application leaves the list and the outcome is said; a 409 (decided meanwhile by someone
 * else) is explained and the list read again.
 */
export function ReviewApplicationsPage() {
  const { t, timestamp } = useI18n();
  const [params, setParams] = useSearchParams();
  const status = statusParam<ApplicationStatus>(params.get("status"), APPLICATION_STATUSES, "PENDING_REVIEW");
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  const fetchPage = useCallback(
    (cursor: string | undefined) =>
      call(api().GET("/review/applications", { params: { query: { status, limit: PAGE_SIZE, cursor } } })),
    [status],
  );
  const list = usePagedList<ReviewItem>(fetchPage, (item) => item.application_id, status);
  const { state } = list;

  function tell(next: Outcome, moveFocus = true) {
    setOutcome(next);
    announce(next.text);
    if (!moveFocus) return;
    // The button that was pressed is gone with its application: the message takes the focus.
    requestAnimationFrame(() => outcomeRef.current?.focus());
  }

  function decided(item: ReviewItem, decision: Decision) {
    list.remove(item.application_id);
    const values = { company: item.company.name, email: item.contact.email };
    tell({
      tone: "success",
      text: t(decision === "APPROVE" ? "backoffice.review.approved" : "backoffice.review.rejected", values),
    });
  }

  async function conflicted(item: ReviewItem) {
    await list.reload();
    tell({ tone: "info", text: t("backoffice.review.conflict", { company: item.company.name }) });
  }

  async function refresh() {
    setOutcome(null);
    const items = await list.reload();
    if (items) tell({ tone: "info", text: t("backoffice.review.refreshed", { count: items.length }) }, false);
  }

  async function more() {
    const added = await list.loadMore();
    if (added > 0) announce(t("backoffice.list.moreLoaded", { count: added }));
  }

  const statusLabel = t(APPLICATION_STATUS_LABELS[status]);
  const today = utcToday();
  return (
    <Page title={t("review.title")}>
      <p>{t("backoffice.review.intro")}</p>
      <div className="bo-toolbar">
        <StatusFilter
          id="review-status"
          label={t("backoffice.review.filter")}
          value={status}
          options={APPLICATION_STATUSES.map((value) => ({ value, label: t(APPLICATION_STATUS_LABELS[value]) }))}
          onApply={(value) => {
            setOutcome(null);
            setParams(value === "PENDING_REVIEW" ? {} : { status: value });
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
      <section aria-labelledby="review-list-heading" aria-busy={state.phase === "loading"}>
        <h2 id="review-list-heading">{t("backoffice.review.listHeading", { status: statusLabel })}</h2>
        {state.phase === "ready" && state.loadedAt !== null ? (
          <p className="bo-note">
            {t("backoffice.review.linksNote", { time: timestamp(new Date(state.loadedAt).toISOString()) })}
          </p>
        ) : null}
        <ListState state={state} loadingText={t("backoffice.review.loading")} onRetry={() => void list.reload()} />
        {state.phase === "ready" && state.items.length === 0 ? (
          <p>{status === "PENDING_REVIEW" ? t("backoffice.review.emptyQueue") : t("backoffice.review.empty", { status: statusLabel })}</p>
        ) : null}
        {state.items.length > 0 ? (
          <ul className="bo-list">
            {state.items.map((item) => (
              <li key={item.application_id}>
                <ApplicationCard item={item} today={today} onDecided={decided} onConflict={(i) => void conflicted(i)} />
              </li>
            ))}
          </ul>
        ) : null}
        <MoreButton
          state={state}
          shownText={t("backoffice.review.shown", { count: state.items.length })}
          onMore={() => void more()}
        />
      </section>
    </Page>
  );
}
