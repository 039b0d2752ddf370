import { useState } from "react";

import { FormFailure, SubmitButton } from "../../components/forms/submit";
import { TextField } from "../../components/TextField";
import { failureOf } from "../../forms/failure";
import { useSubmit } from "../../forms/useSubmit";
import { mfaCodeProblem, problemsOf } from "../../forms/validation";
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
  const form = useSubmit({
    fieldIds: FIELD_IDS,
    check: () => problemsOf({ code: mfaCodeProblem(code) }),
    send: async () => {
      await submitCode(code.trim());
      onDone();
    },
    failed: (error) => {
      setCode("");
      return failureOf(error, { 401: "login.mfaFailed", 422: "login.mfaFailed" });
    },
  });

  return (
    <form noValidate onSubmit={form.onSubmit}>
      <TextField
        id={FIELD_IDS.code}
        name="code"
        label={t("field.mfaCode")}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        onChange={setCode}
        error={form.fieldError("code")}
        required
      />
      <FormFailure failure={form.failure} />
      <div className="button-row">
        <SubmitButton sending={form.sending}>{submitLabel}</SubmitButton>
        <button type="button" className="button button--secondary" onClick={onStartOver}>
          {t("login.startOver")}
        </button>
      </div>
    </form>
  );
}
