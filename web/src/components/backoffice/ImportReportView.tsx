import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { importFinished, type ImportReport } from "./logic";

const IMPORT_STATUS: Readonly<Record<ImportReport["status"], MessageKey>> = {
  AWAITING_FILE: "backoffice.legacy.status.AWAITING_FILE",
  IMPORTING: "backoffice.legacy.status.IMPORTING",
  COMPLETED: "backoffice.legacy.status.COMPLETED",
  FAILED: "backoffice.legacy.status.FAILED",
};

const STATUS_TONES: Readonly<Record<ImportReport["status"], string>> = {
  AWAITING_FILE: "neutral",
  IMPORTING: "neutral",
  COMPLETED: "success",
  FAILED: "danger",
};

/** An import's report (GET /ops/legacy-imports/{id}): its status, counts and refused lines. */
export function ImportReportView({ report }: { report: ImportReport }) {
  const { t, number } = useI18n();
  const finished = importFinished(report);
  return (
    <div className="bo-report">
      <p>
        {t("backoffice.legacy.reportStatus")}{" "}
        <span className={`bo-badge bo-badge--${STATUS_TONES[report.status]}`}>{t(IMPORT_STATUS[report.status])}</span>
      </p>
      {!finished ? <p>{t("backoffice.legacy.running")}</p> : null}
      {report.status === "FAILED" && report.failure_reason ? (
        <p>
          {t("backoffice.legacy.failureReason")} <span className="bo-detail">{report.failure_reason}</span>
        </p>
      ) : null}
      {finished ? (
        <dl className="bo-facts bo-facts--counts">
          <div>
            <dt>{t("backoffice.legacy.rows")}</dt>
            <dd>{number(report.rows)}</dd>
          </div>
          <div>
            <dt>{t("backoffice.legacy.imported")}</dt>
            <dd>{number(report.imported)}</dd>
          </div>
          <div>
            <dt>{t("backoffice.legacy.rejected")}</dt>
            <dd>{number(report.rejected)}</dd>
          </div>
        </dl>
      ) : null}
      {report.rejections.length > 0 ? (
        <>
          <h3>{t("backoffice.legacy.rejectedLines")}</h3>
          {report.rejected > report.rejections.length ? (
            <p>{t("backoffice.legacy.firstRejections", { shown: number(report.rejections.length) })}</p>
          ) : null}
          <table className="bo-table">
            <caption className="visually-hidden">{t("backoffice.legacy.rejectedLines")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("backoffice.legacy.line")}</th>
                <th scope="col">{t("backoffice.legacy.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {report.rejections.map((rejection) => (
                <tr key={rejection.line}>
                  <td>{number(rejection.line)}</td>
                  <td className="bo-detail">{rejection.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {report.report_url ? (
        <p>
          <a href={report.report_url} target="_blank" rel="noopener noreferrer">
            {t("backoffice.legacy.download")}
          </a>
          <span className="bo-note"> {t("backoffice.legacy.downloadNote")}</span>
        </p>
      ) : null}
    </div>
  );
}
