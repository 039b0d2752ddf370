import { useState, type FormEvent } from "react";

import { announce } from "../../a11y/announcer";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/errors";
import { statusTokenHeader } from "../../api/statusToken";
import { failureOf } from "../../forms/failure";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { FormMessage } from "../FormMessage";
import { DOCUMENT_ACCEPT, documentProblem } from "./applicationForm";
import { FileField } from "../forms/fields";
import { UploadFailed, uploadDocument } from "./upload";

const FILE_ID = "reupload-document";

/**
 * The proof document again (the first upload failed, its link expired, or the check refused
 * the file): POST /applications/{id}/upload gives a fresh presigned POST, the file goes
 * straight to S3. `onConflict`: the application moved on meanwhile (409), reload it.
 */
export function DocumentUpload({
  applicationId,
  statusToken,
  onUploaded,
  onConflict,
}: {
  applicationId: string;
  statusToken: string;
  onUploaded: () => void;
  onConflict: () => void;
}) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const [failure, setFailure] = useState<MessageKey | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const found = documentProblem(file);
    setProblem(found);
    if (found !== null || file === null) {
      document.getElementById(FILE_ID)?.focus();
      return;
    }
    setSending(true);
    try {
      const upload = await call(
        api().POST("/applications/{application_id}/upload", {
          params: { path: { application_id: applicationId }, header: statusTokenHeader(statusToken) },
        }),
      );
      const refused = documentProblem(file, upload.max_bytes, upload.accepted_types);
      if (refused !== null) {
        setProblem(refused);
        document.getElementById(FILE_ID)?.focus();
        return;
      }
      await uploadDocument(upload, file);
      announce(t("apply.status.uploaded"));
      onUploaded();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        announce(t("apply.status.conflict"));
        onConflict();
        return;
      }
      const message: MessageKey =
        error instanceof UploadFailed
          ? error.kind === "network"
            ? "error.network"
            : "apply.status.uploadFailed"
          : failureOf(error).message;
      setFailure(message);
      announce(t(message));
    } finally {
      setSending(false);
    }
  }

  return (
    <form noValidate onSubmit={submit} className="document-upload">
      <FileField
        id={FILE_ID}
        label={t("apply.field.document")}
        hint={t("apply.documentHint")}
        accept={DOCUMENT_ACCEPT}
        onChange={(chosen) => {
          setFile(chosen);
          setProblem(null);
        }}
        error={problem ? t(problem) : undefined}
        required
      />
      {failure ? <FormMessage tone="error">{t(failure)}</FormMessage> : null}
      <button type="submit" className="button" disabled={sending}>
        {sending ? t("apply.uploading") : t("apply.status.uploadSubmit")}
      </button>
    </form>
  );
}
