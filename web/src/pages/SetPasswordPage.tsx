import { useState } from "react";
import { Link, useSearchParams } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { ApiError } from "../api/errors";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { PasswordField } from "../components/forms/credentials";
import { FormFailure, SubmitButton } from "../components/forms/submit";
import { failureOf } from "../forms/failure";
import { useSubmit } from "../forms/useSubmit";
import { passwordPolicyProblem, problemsOf, requiredProblem } from "../forms/validation";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";

const FIELD_IDS = { password: "new-password", confirmation: "confirm-password" } as const;

/** The message of a used or expired link (shown with a way to ask for a new one). */
const INVALID_LINK = "setPassword.invalidToken";

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
  const [done, setDone] = useState(false);
  const form = useSubmit({
    fieldIds: FIELD_IDS,
    check: () =>
      problemsOf({
        password: passwordPolicyProblem(password),
        confirmation:
          requiredProblem(confirmation) ??
          (confirmation !== password ? "validation.passwordMismatch" : null),
      }),
    send: async () => {
      await call(api().POST("/auth/password", { body: { token, password } }));
      setDone(true);
      announce(t("setPassword.done"));
    },
    failed: (error) => {
      const failed = failureOf(error);
      const invalidLink = failed.fields.token !== undefined || isInvalidToken(error);
      return invalidLink ? { message: INVALID_LINK, fields: {} } : failed;
    },
  });
  const linkRefused = form.failure?.message === INVALID_LINK;

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

  return (
    <Page title={t("setPassword.title")}>
      <form noValidate onSubmit={form.onSubmit}>
        <p>{t("setPassword.intro")}</p>
        <PasswordField
          id={FIELD_IDS.password}
          name="password"
          label={t("field.newPassword")}
          autoComplete="new-password"
          hint={t("setPassword.hint")}
          value={password}
          onChange={setPassword}
          error={form.fieldError("password")}
        />
        <PasswordField
          id={FIELD_IDS.confirmation}
          name="confirmation"
          label={t("field.confirmPassword")}
          autoComplete="new-password"
          value={confirmation}
          onChange={setConfirmation}
          error={form.fieldError("confirmation")}
        />
        <FormFailure failure={form.failure}>
          {linkRefused ? <Link to={paths.resetPassword}>{t("setPassword.requestNew")}</Link> : null}
        </FormFailure>
        <SubmitButton sending={form.sending}>{t("setPassword.submit")}</SubmitButton>
      </form>
    </Page>
  );
}

function isInvalidToken(error: unknown): boolean {
  return error instanceof ApiError && error.code === "INVALID_TOKEN";
}
