import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { ApiError } from "../api/errors";
import { statusTokenFor, statusTokenHeader } from "../api/statusToken";
import "../components/apply/apply.css";
import { DocumentUpload } from "../components/apply/DocumentUpload";
import {
  awaitsDecision,
  canUpload,
  displayedStatus,
  nextDelay,
  shouldPoll,
  UPLOAD_GRACE_MS,
  type ApplicationState,
  type ApplicationStatus,
} from "../components/apply/statusPolling";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { failureOf } from "../forms/failure";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";
import type { AfterApplying } from "./ApplyPage";

/** A document was just sent: since when, and the refusal reason it may replace. */
interface Upload {
  at: number;
  reasonBefore: string | null;
}

/**
 * /applications/:id: the application's status, read with its X-Status-Token (kept in this
 * browser when applying). While the document is checked the page reads the status again,
 * less and less often, pausing while the tab is hidden and stopping when the page is left;
 * each change is shown and announced. While the application waits for a document (the
 * first upload failed, or the check refused the file) a new one can be uploaded.
 */
export function ApplicationStatusPage() {
  const { t, date } = useI18n();
  const { id = "" } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  // What the application form said (uploaded or not) counts for this visit only: a reload of
  // the page must not take an old upload for a new one.
  const [arrived] = useState(() => location.state as AfterApplying | null);
  useEffect(() => {
    if (location.state !== null) void navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);
  const statusCard = useRef<HTMLElement>(null);
  const [token] = useState(() => statusTokenFor(id));
  const [application, setApplication] = useState<ApplicationState | null>(null);
  const [loadFailure, setLoadFailure] = useState<MessageKey | null>(null);
  const [upload, setUpload] = useState<Upload | null>(() =>
    arrived?.uploaded ? { at: Date.now(), reasonBefore: null } : null,
  );
  const [slow, setSlow] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  // The status last shown: a document just sent is being checked, so a first reading that finds
  // the check done already is a change, and announced as one.
  const shown = useRef<ApplicationStatus | null>(arrived?.uploaded ? "VALIDATING" : null);
  const uploadRef = useRef(upload);
  uploadRef.current = upload;

  const load = useCallback(async (): Promise<void> => {
    if (token === null) return;
    try {
      const state = await call(
        api().GET("/applications/{application_id}", {
          params: { path: { application_id: id }, header: statusTokenHeader(token) },
        }),
      );
      setLoadFailure(null);
      setApplication(state);
      const sent = uploadRef.current;
      let stillWaiting = false;
      let refused = false;
      if (sent !== null) {
        refused = state.status === "AWAITING_DOCUMENT" && state.reason !== null && state.reason !== sent.reasonBefore;
        const overdue = state.status === "AWAITING_DOCUMENT" && Date.now() - sent.at > UPLOAD_GRACE_MS;
        stillWaiting = state.status === "AWAITING_DOCUMENT" && !refused && !overdue;
        if (!stillWaiting) setUpload(null);
        setSlow(overdue && !refused);
      }
      const status = displayedStatus(state.status, stillWaiting);
      // One announcement per change (a second would cut the first off): a refused document
      // says why, which is the change.
      if (refused) {
        announce(t("apply.status.documentRefused", { reason: state.reason ?? "" }));
      } else if (shown.current !== null && shown.current !== status) {
        announce(t("apply.status.changed", { status: t(`apply.status.${status}`) }));
      }
      shown.current = status;
    } catch (error) {
      const message: MessageKey =
        error instanceof ApiError && error.status === 404 ? "apply.status.notFound" : failureOf(error).message;
      setLoadFailure(message);
      announce(t(message));
    }
  }, [id, token, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const polling = application !== null && shouldPoll(application.status, upload !== null);
  useEffect(() => {
    if (!polling) return;
    let cancelled = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (cancelled) return;
      if (document.hidden) {
        document.addEventListener("visibilitychange", tick, { once: true });
        return;
      }
      await load();
      if (!cancelled) timer = setTimeout(tick, nextDelay(attempt++));
    };
    timer = setTimeout(tick, nextDelay(attempt++));
    return () => {
      cancelled = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [polling, load]);

  async function refresh() {
    setRefreshing(true);
    await load();
    setRefreshing(false);
  }

  if (token === null) {
    return (
      <Page title={t("applicationStatus.title")}>
        <FormMessage tone="info">{t("apply.status.noToken")}</FormMessage>
        <p>
          <Link to={paths.apply}>{t("apply.status.applyAgain")}</Link>
        </p>
      </Page>
    );
  }

  if (application === null) {
    return (
      <Page title={t("applicationStatus.title")}>
        {loadFailure ? (
          <>
            <FormMessage tone="error">{t(loadFailure)}</FormMessage>
            {loadFailure !== "apply.status.notFound" ? (
              <button type="button" className="button button--secondary" onClick={() => void refresh()}>
                {t("apply.status.retry")}
              </button>
            ) : null}
          </>
        ) : (
          <p>{t("app.loading")}</p>
        )}
      </Page>
    );
  }

  const { reason } = application;
  const waitingForCheck = application.status === "AWAITING_DOCUMENT" && upload !== null;
  const status = displayedStatus(application.status, waitingForCheck);
  return (
    <Page title={t("applicationStatus.title")}>
      <p>{t("applicationStatus.intro")}</p>
      <section className="status-card" aria-labelledby="application-status-heading" ref={statusCard} tabIndex={-1}>
        <h2 id="application-status-heading">{t("apply.status.label")}</h2>
        <p className={`status-badge status-badge--${status.toLowerCase()}`}>{t(`apply.status.${status}`)}</p>
        <p>{waitingForCheck ? t("apply.status.waitingForCheck") : t(`apply.status.explain.${status}`)}</p>
        {status === "REJECTED" && reason ? <p>{t("apply.status.reason", { reason })}</p> : null}
        {status === "AWAITING_DOCUMENT" && reason && !waitingForCheck ? (
          <FormMessage tone="error">{t("apply.status.documentRefused", { reason })}</FormMessage>
        ) : null}
        {status === "AWAITING_DOCUMENT" && !reason && arrived?.uploaded === false && upload === null ? (
          <FormMessage tone="error">{t("apply.uploadFailed")}</FormMessage>
        ) : null}
        {awaitsDecision(status) && application.decision_due_by ? (
          <p>{t("apply.status.decisionDue", { date: date(application.decision_due_by) })}</p>
        ) : null}
        {slow ? <FormMessage tone="info">{t("apply.status.slow")}</FormMessage> : null}
        {loadFailure ? <FormMessage tone="error">{t(loadFailure)}</FormMessage> : null}
        <dl className="facts">
          <dt>{t("apply.status.reference")}</dt>
          <dd>{application.application_id}</dd>
        </dl>
      </section>

      {canUpload(status) && !waitingForCheck ? (
        <section aria-labelledby="reupload-heading">
          <h2 id="reupload-heading">{t("apply.status.uploadTitle")}</h2>
          <p>{t(`apply.status.uploadIntro`)}</p>
          <DocumentUpload
            applicationId={application.application_id}
            statusToken={token}
            onUploaded={() => {
              setSlow(false);
              setUpload({ at: Date.now(), reasonBefore: reason });
              statusCard.current?.focus(); // the form that had the focus is gone
            }}
            onConflict={() => void load()}
          />
        </section>
      ) : null}

      {status === "APPROVED" ? (
        <p>
          <Link to={paths.login} className="button">
            {t("apply.status.toLogin")}
          </Link>
        </p>
      ) : null}
      {status === "REJECTED" ? (
        <p>
          <Link to={paths.apply} className="button">
            {t("apply.status.applyAgain")}
          </Link>
        </p>
      ) : null}
      {!polling && (status === "PENDING_REVIEW" || slow) ? (
        <button type="button" className="button button--secondary" onClick={() => void refresh()} disabled={refreshing}>
          {refreshing ? t("app.loading") : t("apply.status.refresh")}
        </button>
      ) : null}
    </Page>
  );
}
