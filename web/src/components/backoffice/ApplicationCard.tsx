import { useRef, useState } from "react";

import { announce } from "../../a11y/announcer";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/errors";
import { FormMessage } from "../FormMessage";
import { failureOf, type Failure } from "../../forms/failure";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { CheckList } from "./CheckList";
import { TextAreaField } from "../forms/fields";
import { collapseBlanks, decisionUrgency, reasonProblem, REASON_MAX, type Decision, type ReviewItem } from "./logic";
import { countryName, languageName } from "./names";

const DOCUMENT_TYPES: Readonly<Record<ReviewItem["document_type"], MessageKey>> = {
  VAT_CERTIFICATE: "backoffice.review.documentType.VAT_CERTIFICATE",
  COMPANY_INVOICE: "backoffice.review.documentType.COMPANY_INVOICE",
  BUSINESS_LICENCE: "backoffice.review.documentType.BUSINESS_LICENCE",
  TRADE_REGISTER_EXTRACT: "backoffice.review.documentType.TRADE_REGISTER_EXTRACT",
};

export const APPLICATION_STATUS_LABELS: Readonly<Record<ReviewItem["status"], MessageKey>> = {
  AWAITING_DOCUMENT: "backoffice.review.status.AWAITING_DOCUMENT",
  VALIDATING: "backoffice.review.status.VALIDATING",
  PENDING_REVIEW: "backoffice.review.status.PENDING_REVIEW",
  APPROVED: "backoffice.review.status.APPROVED",
  REJECTED: "backoffice.review.status.REJECTED",
};

/**
 * One application of the review queue: the company and its contact, the automated checks, the
 * decision date (overdue and due today stand out), the escalation, the proof document's
 * short-lived link, and, while it waits for review, approve / reject with a reason.
 */
export function ApplicationCard({
  item,
  today,
  onDecided,
  onConflict,
}: {
  item: ReviewItem;
  /** Today in UTC, as the API judges a decision overdue. */
  today: string;
  onDecided: (item: ReviewItem, decision: Decision) => void;
  onConflict: (item: ReviewItem) => void;
}) {
  const { t, language, date, timestamp, number } = useI18n();
  const id = item.application_id;
  const headingId = `application-${id}`;
  const reasonId = `reason-${id}`;
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [sending, setSending] = useState<Decision | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const urgency = decisionUrgency(item.decision_due_by, today);
  const company = item.company;

  async function decide(decision: Decision) {
    const found = reasonProblem(decision, reason);
    setProblem(found);
    setFailure(null);
    if (found) {
      reasonRef.current?.focus();
      return;
    }
    setSending(decision);
    try {
      const cleaned = collapseBlanks(reason);
      await call(
        api().POST("/review/applications/{application_id}/decision", {
          params: { path: { application_id: id } },
          body: { decision, reason: cleaned === "" ? null : cleaned },
        }),
      );
      onDecided(item, decision);
    } catch (error) {
      setSending(null);
      if (error instanceof ApiError && error.status === 409) {
        onConflict(item);
        return;
      }
      const failed = failureOf(error);
      setFailure(failed);
      announce(t(failed.message));
      if (failed.fields.reason) reasonRef.current?.focus();
    }
  }

  const reasonError = problem ? t(problem) : failure?.fields.reason;
  const waiting = item.status === "PENDING_REVIEW";
  return (
    <article className="bo-card" aria-labelledby={headingId}>
      <header className="bo-card__header">
        <h3 id={headingId} className="bo-card__title">
          {company.name}
        </h3>
        <ul className="bo-badges" aria-label={t("backoffice.review.flags")}>
          <li className="bo-badge bo-badge--neutral">{t(APPLICATION_STATUS_LABELS[item.status])}</li>
          {urgency === "overdue" ? (
            <li className="bo-badge bo-badge--danger">{t("backoffice.review.overdue")}</li>
          ) : null}
          {urgency === "today" ? <li className="bo-badge bo-badge--warning">{t("backoffice.review.dueToday")}</li> : null}
          {item.escalated ? <li className="bo-badge bo-badge--danger">{t("backoffice.review.escalated")}</li> : null}
        </ul>
      </header>

      <dl className="bo-facts">
        <div>
          <dt>{t("backoffice.review.decisionDueBy")}</dt>
          <dd className={urgency === "overdue" ? "bo-urgent" : undefined}>
            {item.decision_due_by ? date(item.decision_due_by) : t("backoffice.review.noDueDate")}
          </dd>
        </div>
        <div>
          <dt>{t("backoffice.review.appliedAt")}</dt>
          <dd>{timestamp(item.created_at)}</dd>
        </div>
        <div>
          <dt>{t("backoffice.review.contact")}</dt>
          <dd>
            {item.contact.name}
            <br />
            <a href={`mailto:${item.contact.email}`}>{item.contact.email}</a>
            <br />
            {item.contact.phone}
          </dd>
        </div>
        <div>
          <dt>{t("backoffice.review.address")}</dt>
          <dd>
            {company.street}
            <br />
            {company.postcode} {company.city}
            <br />
            {countryName(company.country, language)}
          </dd>
        </div>
        <div>
          <dt>{t("backoffice.review.vatNumber")}</dt>
          <dd>{item.vat_number ?? t("backoffice.review.noVatNumber")}</dd>
        </div>
        <div>
          <dt>{t("backoffice.review.language")}</dt>
          <dd>{languageName(item.language, language)}</dd>
        </div>
        <div>
          <dt>{t("backoffice.review.legacyEmail")}</dt>
          <dd>{item.legacy_cps_email ?? t("backoffice.review.noLegacyEmail")}</dd>
        </div>
        <div>
          <dt>{t("backoffice.review.document")}</dt>
          <dd>
            {t(DOCUMENT_TYPES[item.document_type])}
            <br />
            {item.document_url ? (
              <>
                <a href={item.document_url} target="_blank" rel="noopener noreferrer">
                  {t("backoffice.review.openDocument")}
                  <span className="visually-hidden"> ({company.name})</span>
                </a>
                <span className="bo-note"> {t("backoffice.review.newTab")}</span>
              </>
            ) : (
              t("backoffice.review.noDocument")
            )}
          </dd>
        </div>
      </dl>

      <h4 className="bo-card__subtitle">{t("backoffice.review.checks")}</h4>
      <CheckList checks={item.checks} />

      {waiting ? (
        <section className="bo-decision" aria-labelledby={`decision-${id}`}>
          <h4 id={`decision-${id}`} className="bo-card__subtitle">
            {t("backoffice.review.decision")}
          </h4>
          <TextAreaField
            id={reasonId}
            label={t("backoffice.review.reason")}
            hint={t("backoffice.review.reasonHint", { max: number(REASON_MAX) })}
            value={reason}
            onChange={setReason}
            error={reasonError}
            textareaRef={reasonRef}
          />
          {failure && !failure.fields.reason ? <FormMessage tone="error">{t(failure.message)}</FormMessage> : null}
          <div className="button-row">
            <button type="button" className="button" disabled={sending !== null} onClick={() => void decide("APPROVE")}>
              {sending === "APPROVE" ? t("form.sending") : t("backoffice.review.approve")}
              <span className="visually-hidden"> {company.name}</span>
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={sending !== null}
              onClick={() => void decide("REJECT")}
            >
              {sending === "REJECT" ? t("form.sending") : t("backoffice.review.reject")}
              <span className="visually-hidden"> {company.name}</span>
            </button>
          </div>
        </section>
      ) : null}
    </article>
  );
}
