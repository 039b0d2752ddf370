import { useState } from "react";
import { Link } from "react-router";

import { logIn, type LoginOutcome } from "../../auth/authFlows";
import { EmailField, PasswordField } from "../../components/forms/credentials";
import { FormFailure, SubmitButton } from "../../components/forms/submit";
import { failureOf } from "../../forms/failure";
import { useSubmit } from "../../forms/useSubmit";
import { emailProblem, problemsOf, requiredProblem } from "../../forms/validation";
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
  const form = useSubmit({
    fieldIds: FIELD_IDS,
    check: () => problemsOf({ email: emailProblem(email), password: requiredProblem(password) }),
    send: async () => onOutcome(await logIn(email.trim(), password), email.trim()),
    failed: (error) => {
      setPassword("");
      return failureOf(error, { 401: "login.failed" });
    },
  });

  return (
    <form noValidate onSubmit={form.onSubmit} aria-describedby={form.failure ? "login-message" : undefined}>
      <p>{t("login.intro")}</p>
      <EmailField
        id={FIELD_IDS.email}
        autoComplete="username"
        value={email}
        onChange={setEmail}
        error={form.fieldError("email")}
      />
      <PasswordField
        id={FIELD_IDS.password}
        name="password"
        label={t("field.password")}
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        error={form.fieldError("password")}
      />
      <FormFailure failure={form.failure} id="login-message" />
      <SubmitButton sending={form.sending}>{t("login.submit")}</SubmitButton>
      <p className="form-links">
        <Link to={paths.resetPassword}>{t("login.forgot")}</Link>
      </p>
      <p className="form-links">
        {t("login.noAccount")} <Link to={paths.apply}>{t("login.applyLink")}</Link>
      </p>
    </form>
  );
}
