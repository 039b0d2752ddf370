import { useState, type FormEvent } from "react";

import { announce } from "../../a11y/announcer";
import { FormMessage } from "../../components/FormMessage";
import { TextField } from "../../components/TextField";
import { failureOf, type Failure } from "../../forms/failure";
import { focusFirstProblem, mfaCodeProblem, problemsOf } from "../../forms/validation";
import { useI18n } from "../../i18n/I18nProvider";

const FIELD_IDS = { code: "mfa-code" } as const;

/** Six digits from the authenticator app; `submitCode` sends them (login or app set-up). */
export function MfaCodeForm({
  submitLabel,
  submitCode,
  onDone,
  onStartOver,
}: {
  submitLabel: string;
  submitCode: (code: string) => Promise<void>;
  onDone: () => void;
  onStartOver: () => void;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState("");
  const [problems, setProblems] = useState<Partial<Record<"code", ReturnType<typeof mfaCodeProblem>>>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = problemsOf({ code: mfaCodeProblem(code) });
    setProblems(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      focusFirstProblem(found, FIELD_IDS);
      return;
    }
    setSending(true);
    try {
      await submitCode(code.trim());
      onDone();
    } catch (error) {
      const failed = failureOf(error, { 401: "login.mfaFailed", 422: "login.mfaFailed" });
      setFailure(failed);
      setCode("");
      announce(t(failed.message));
    } finally {
      setSending(false);
    }
  }

  const problem = problems.code;
  return (
    <form noValidate onSubmit={submit}>
      <TextField
        id={FIELD_IDS.code}
        name="code"
        label={t("field.mfaCode")}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        onChange={setCode}
        error={problem ? t(problem) : failure?.fields.code}
        required
      />
      {failure ? <FormMessage tone="error">{t(failure.message)}</FormMessage> : null}
      <div className="button-row">
        <button type="submit" className="button" disabled={sending}>
          {sending ? t("form.sending") : submitLabel}
        </button>
        <button type="button" className="button button--secondary" onClick={onStartOver}>
          {t("login.startOver")}
        </button>
      </div>
    </form>
  );
}
