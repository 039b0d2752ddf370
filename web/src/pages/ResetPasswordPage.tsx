import { useState } from "react";
import { Link } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { EmailField } from "../components/forms/credentials";
import { FormFailure, SubmitButton } from "../components/forms/submit";
import { useSubmit } from "../forms/useSubmit";
import { emailProblem, problemsOf } from "../forms/validation";
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
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useSubmit({
    fieldIds: FIELD_IDS,
    check: () => problemsOf({ email: emailProblem(email) }),
    send: async () => {
      const address = email.trim();
      await call(api().POST("/auth/password-reset", { body: { email: address } }));
      setSentTo(address);
      announce(t("resetPassword.sent", { email: address }));
    },
  });

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

  return (
    <Page title={t("resetPassword.title")}>
      <form noValidate onSubmit={form.onSubmit}>
        <p>{t("resetPassword.intro")}</p>
        <EmailField
          id={FIELD_IDS.email}
          autoComplete="email"
          value={email}
          onChange={setEmail}
          error={form.fieldError("email")}
        />
        <FormFailure failure={form.failure} />
        <SubmitButton sending={form.sending}>{t("resetPassword.submit")}</SubmitButton>
        <p className="form-links">
          <Link to={paths.login}>{t("resetPassword.backToLogin")}</Link>
        </p>
      </form>
    </Page>
  );
}
