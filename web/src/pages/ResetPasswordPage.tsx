import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { TextField } from "../components/TextField";
import { failureOf, type Failure } from "../forms/failure";
import { emailProblem, focusFirstProblem, problemsOf } from "../forms/validation";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";

const FIELD_IDS = { email: "reset-email" } as const;

/**
 * /reset-password: asks for a reset link (POST /auth/password-reset, always 202: the answer
 * never tells whether the address has an account). The link opens /set-password?token=.
 */
export function ResetPasswordPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [problems, setProblems] = useState<ReturnType<typeof check>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  function check() {
    return problemsOf({ email: emailProblem(email) });
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
      const address = email.trim();
      await call(api().POST("/auth/password-reset", { body: { email: address } }));
      setSentTo(address);
      announce(t("resetPassword.sent", { email: address }));
    } catch (error) {
      const failed = failureOf(error);
      setFailure(failed);
      announce(t(failed.message));
    } finally {
      setSending(false);
    }
  }

  if (sentTo !== null) {
    return (
      <Page title={t("resetPassword.title")}>
        <FormMessage tone="success">{t("resetPassword.sent", { email: sentTo })}</FormMessage>
        <p>
          <Link to={paths.login}>{t("resetPassword.backToLogin")}</Link>
        </p>
      </Page>
    );
  }

  const problem = problems.email;
  return (
    <Page title={t("resetPassword.title")}>
      <form noValidate onSubmit={submit}>
        <p>{t("resetPassword.intro")}</p>
        <TextField
          id={FIELD_IDS.email}
          name="email"
          label={t("field.email")}
          type="email"
          autoComplete="email"
          inputMode="email"
          value={email}
          onChange={setEmail}
          error={problem ? t(problem) : failure?.fields.email}
          required
        />
        {failure ? <FormMessage tone="error">{t(failure.message)}</FormMessage> : null}
        <button type="submit" className="button" disabled={sending}>
          {sending ? t("form.sending") : t("resetPassword.submit")}
        </button>
        <p className="form-links">
          <Link to={paths.login}>{t("resetPassword.backToLogin")}</Link>
        </p>
      </form>
    </Page>
  );
}
