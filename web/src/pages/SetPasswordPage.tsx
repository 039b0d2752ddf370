import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { ApiError } from "../api/errors";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { TextField } from "../components/TextField";
import { failureOf, type Failure } from "../forms/failure";
import { focusFirstProblem, passwordPolicyProblem, problemsOf, requiredProblem } from "../forms/validation";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";

const FIELD_IDS = { password: "new-password", confirmation: "confirm-password" } as const;

/**
 * /set-password?token=: the link of the approval e-mail (first password) and of the reset
 * e-mail. POST /auth/password {token, password}; a used or expired link is a 422
 * INVALID_TOKEN, answered with a way to ask for a new one.
 */
export function SetPasswordPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [problems, setProblems] = useState<ReturnType<typeof check>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [linkRefused, setLinkRefused] = useState(false);
  const [done, setDone] = useState(false);
  const [sending, setSending] = useState(false);

  function check() {
    return problemsOf({
      password: passwordPolicyProblem(password),
      confirmation:
        requiredProblem(confirmation) ??
        (confirmation !== password ? "validation.passwordMismatch" : null),
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = check();
    setProblems(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      focusFirstProblem(found, FIELD_IDS);
      return;
    }
    setSending(true);
    try {
      await call(api().POST("/auth/password", { body: { token, password } }));
      setDone(true);
      announce(t("setPassword.done"));
    } catch (error) {
      const failed = failureOf(error);
      const invalidLink = failed.fields.token !== undefined || isInvalidToken(error);
      setLinkRefused(invalidLink);
      const shown: Failure = invalidLink ? { message: "setPassword.invalidToken", fields: {} } : failed;
      setFailure(shown);
      announce(t(shown.message));
    } finally {
      setSending(false);
    }
  }

  if (done) {
    return (
      <Page title={t("setPassword.title")}>
        <FormMessage tone="success">{t("setPassword.done")}</FormMessage>
        <p>
          <Link to={paths.login} className="button">
            {t("setPassword.toLogin")}
          </Link>
        </p>
      </Page>
    );
  }

  if (token === "") {
    return (
      <Page title={t("setPassword.title")}>
        <FormMessage tone="error">{t("setPassword.missingToken")}</FormMessage>
        <p>
          <Link to={paths.resetPassword}>{t("setPassword.requestNew")}</Link>
        </p>
      </Page>
    );
  }

  const fieldError = (field: keyof typeof FIELD_IDS) => {
    const problem = problems[field];
    return problem ? t(problem) : failure?.fields[field];
  };
  return (
    <Page title={t("setPassword.title")}>
      <form noValidate onSubmit={submit}>
        <p>{t("setPassword.intro")}</p>
        <TextField
          id={FIELD_IDS.password}
          name="password"
          label={t("field.newPassword")}
          type="password"
          autoComplete="new-password"
          hint={t("setPassword.hint")}
          value={password}
          onChange={setPassword}
          error={fieldError("password")}
          required
        />
        <TextField
          id={FIELD_IDS.confirmation}
          name="confirmation"
          label={t("field.confirmPassword")}
          type="password"
          autoComplete="new-password"
          value={confirmation}
          onChange={setConfirmation}
          error={fieldError("confirmation")}
          required
        />
        {failure ? (
          <FormMessage tone="error">
            {t(failure.message)}{" "}
            {linkRefused ? <Link to={paths.resetPassword}>{t("setPassword.requestNew")}</Link> : null}
          </FormMessage>
        ) : null}
        <button type="submit" className="button" disabled={sending}>
          {sending ? t("form.sending") : t("setPassword.submit")}
        </button>
      </form>
    </Page>
  );
}

function isInvalidToken(error: unknown): boolean {
  return error instanceof ApiError && error.code === "INVALID_TOKEN";
}
