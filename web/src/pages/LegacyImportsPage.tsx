import { useEffect, useRef, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { FileField } from "../components/forms/fields";
import { ImportReportView } from "../components/backoffice/ImportReportView";
import { EXPORT_COLUMNS, exportFileProblem, importFinished, type ImportReport } from "../components/backoffice/logic";
import { postToS3, UploadFailed } from "../components/backoffice/presignedPost";
import "../components/backoffice/backoffice.css";
import { failureOf } from "../forms/failure";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";

const FILE_ID = "export-file";
const POLL_MS = 2000;
const SLOW_POLL_MS = 10_000;
const SLOW_AFTER = 30; // polls: after about a minute, ask less often

const COLUMN_TEXTS: Readonly<Record<(typeof EXPORT_COLUMNS)[number], MessageKey>> = {
  email: "backoffice.legacy.column.email",
  sku: "backoffice.legacy.column.sku",
  serial_number: "backoffice.legacy.column.serial_number",
  purchase_date: "backoffice.legacy.column.purchase_date",
  country_of_purchase: "backoffice.legacy.column.country_of_purchase",
  dealer: "backoffice.legacy.column.dealer",
};

const UPLOAD_PROBLEMS: Readonly<Record<UploadFailed["problem"], MessageKey>> = {
  network: "backoffice.legacy.uploadNetwork",
  expired: "backoffice.legacy.uploadExpired",
  refused: "backoffice.legacy.uploadRefused",
};

/**
 * /ops/legacy-imports (reviewers): an old-CPS export (CSV) for product migration. POST
 * /ops/legacy-imports gives a presigned POST; the browser sends the file straight to S3; the
 * upload starts the import in the background, and its report (GET /ops/legacy-imports/{id})
 * is read here until it is done. `?import=<id>` keeps the report on a reload.
 */
export function LegacyImportsPage() {
  const { t, number } = useI18n();
  const [params, setParams] = useSearchParams();
  const importId = params.get("import");
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [reportFailure, setReportFailure] = useState<MessageKey | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [uploadedId, setUploadedId] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  // The import this page uploaded: its end is announced even if the first read finds it done.
  const awaited = useRef<string | null>(null);

  // The report of the import in the address, read until it is finished.
  useEffect(() => {
    if (importId === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polls = 0;
    let wasRunning = false;
    setReport(null);
    setReportFailure(null);
    const read = async () => {
      try {
        const current = await call(api().GET("/ops/legacy-imports/{import_id}", { params: { path: { import_id: importId } } }));
        if (stopped) return;
        setReport(current);
        setReportFailure(null);
        if (importFinished(current)) {
          if (wasRunning || awaited.current === importId) {
            awaited.current = null;
            announce(
              current.status === "COMPLETED"
                ? t("backoffice.legacy.completed", { imported: number(current.imported), rejected: number(current.rejected) })
                : t("backoffice.legacy.failed"),
            );
          }
          return;
        }
        wasRunning = true;
      } catch (error) {
        if (stopped) return;
        const failed = failureOf(error, { 404: "backoffice.legacy.unknownImport" });
        setReportFailure(failed.message);
        if (failed.message === "backoffice.legacy.unknownImport") return;
      }
      polls += 1;
      timer = setTimeout(() => void read(), polls > SLOW_AFTER ? SLOW_POLL_MS : POLL_MS);
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [importId, t, number]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const found = exportFileProblem(file);
    setProblem(found ? t(found) : null);
    if (found || file === null) {
      fileRef.current?.focus();
      return;
    }
    setSending(true);
    try {
      const created = await call(api().POST("/ops/legacy-imports"));
      if (file.size > created.upload.max_bytes) {
        const megabytes = number(Math.floor(created.upload.max_bytes / (1024 * 1024)));
        setProblem(t("backoffice.legacy.fileTooLarge", { size: megabytes }));
        fileRef.current?.focus();
        return;
      }
      await postToS3(created.upload, file);
      announce(t("backoffice.legacy.uploaded"));
      setFile(null);
      setFormKey((key) => key + 1); // a fresh, empty file input
      setUploadedId(created.import_id);
      awaited.current = created.import_id;
      setParams({ import: created.import_id });
    } catch (error) {
      const message =
        error instanceof UploadFailed ? t(UPLOAD_PROBLEMS[error.problem]) : t(failureOf(error).message);
      setFailure(message);
      announce(message);
    } finally {
      setSending(false);
    }
  }

  return (
    <Page title={t("legacyImports.title")}>
      <p>{t("backoffice.legacy.intro")}</p>

      <section aria-labelledby="legacy-format">
        <h2 id="legacy-format">{t("backoffice.legacy.formatHeading")}</h2>
        <p>{t("backoffice.legacy.formatIntro")}</p>
        <p>
          <code className="bo-code bo-header-line">{EXPORT_COLUMNS.join(",")}</code>
        </p>
        <dl className="bo-columns">
          {EXPORT_COLUMNS.map((column) => (
            <div key={column}>
              <dt>
                <code className="bo-code">{column}</code>
              </dt>
              <dd>{t(COLUMN_TEXTS[column])}</dd>
            </div>
          ))}
        </dl>
        <p>{t("backoffice.legacy.formatRules")}</p>
        <p>
          {t("backoffice.legacy.example")}{" "}
          <code className="bo-code">anna@studio-lumen.example,EOS-R3-BODY,013021000123,2023-05-01,NL,Foto Koch</code>
        </p>
      </section>

      <section aria-labelledby="legacy-upload">
        <h2 id="legacy-upload">{t("backoffice.legacy.uploadHeading")}</h2>
        <form key={formKey} noValidate onSubmit={submit}>
          <FileField
            id={FILE_ID}
            label={t("backoffice.legacy.file")}
            hint={t("backoffice.legacy.fileHint")}
            accept=".csv,text/csv"
            onChange={(chosen) => {
              setFile(chosen);
              setProblem(null);
            }}
            error={problem ?? undefined}
            inputRef={fileRef}
            required
          />
          {failure ? <FormMessage tone="error">{failure}</FormMessage> : null}
          <button type="submit" className="button" disabled={sending}>
            {sending ? t("backoffice.legacy.uploading") : t("backoffice.legacy.submit")}
          </button>
        </form>
        <p className="bo-note">{t("backoffice.legacy.background")}</p>
      </section>

      {importId !== null ? (
        <section aria-labelledby="legacy-report">
          <h2 id="legacy-report">{t("backoffice.legacy.reportHeading")}</h2>
          {uploadedId === importId || (report && report.status !== "AWAITING_FILE") ? (
            <FormMessage tone="success">{t("backoffice.legacy.uploaded")}</FormMessage>
          ) : null}
          {reportFailure ? <FormMessage tone="error">{t(reportFailure)}</FormMessage> : null}
          {report ? <ImportReportView report={report} /> : reportFailure ? null : <p role="status">{t("app.loading")}</p>}
          {report?.status === "COMPLETED" ? <p>{t("backoffice.legacy.whereResultsGo")}</p> : null}
        </section>
      ) : null}
    </Page>
  );
}
