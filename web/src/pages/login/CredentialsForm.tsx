import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { announce } from "../../a11y/announcer";
import { logIn, type LoginOutcome } from "../../auth/authFlows";
import { FormMessage } from "../../components/FormMessage";
import { TextField } from "../../components/TextField";
import { failureOf, type Failure } from "../../forms/failure";
import { emailProblem, focusFirstProblem, problemsOf, requiredProblem } from "../../forms/validation";
import { useI18n } from "../../i18n/I18nProvider";
import { paths } from "../../paths";

const FIELD_IDS = { email: "login-email", password: "login-password" } as const;

/** E-mail and password → POST /auth/login. */
export function CredentialsForm({
  onOutcome,
  initialEmail = "",
}: {
  onOutcome: (outcome: LoginOutcome, email: string) => void;
  initialEmail?: string;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState("");
  const [problems, setProblems] = useState<ReturnType<typeof check>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [sending, setSending] = useState(false);

  function check() {
    return problemsOf({ email: emailProblem(email), password: requiredProblem(password) });
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
      onOutcome(await logIn(email.trim(), password), email.trim());
    } catch (error) {
      const failed = failureOf(error, { 401: "login.failed" });
      setFailure(failed);
      setPassword("");
      announce(t(failed.message));
    } finally {
      setSending(false);
    }
  }

  const fieldError = (field: keyof typeof FIELD_IDS) =>
    problems[field] ? t(problems[field]) : failure?.fields[field];

  return (
    <form noValidate onSubmit={submit} aria-describedby={failure ? "login-message" : undefined}>
      <p>{t("login.intro")}</p>
      <TextField
        id={FIELD_IDS.email}
        name="email"
        label={t("field.email")}
        type="email"
        autoComplete="username"
        inputMode="email"
        value={email}
        onChange={setEmail}
        error={fieldError("email")}
        required
      />
      <TextField
        id={FIELD_IDS.password}
        name="password"
        label={t("field.password")}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        error={fieldError("password")}
        required
      />
      {failure ? (
        <FormMessage tone="error" id="login-message">
          {t(failure.message)}
        </FormMessage>
      ) : null}
      <button type="submit" className="button" disabled={sending}>
        {sending ? t("form.sending") : t("login.submit")}
      </button>
      <p className="form-links">
        <Link to={paths.resetPassword}>{t("login.forgot")}</Link>
      </p>
      <p className="form-links">
        {t("login.noAccount")} <Link to={paths.apply}>{t("login.applyLink")}</Link>
      </p>
    </form>
  );
}
