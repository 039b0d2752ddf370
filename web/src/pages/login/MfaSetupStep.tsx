import { useEffect, useState } from "react";

import { announce } from "../../a11y/announcer";
import { startMfaSetup, verifyMfaSetup, type AuthenticatorSecret } from "../../auth/authFlows";
import { FormMessage } from "../../components/FormMessage";
import { failureOf } from "../../forms/failure";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { MfaCodeForm } from "./MfaCodeForm";

/** MFA_SETUP: the app's secret (as text and as an otpauth link), then one of its codes. */
export function MfaSetupStep({
  challengeSession,
  onDone,
  onStartOver,
}: {
  challengeSession: string;
  onDone: () => void;
  onStartOver: () => void;
}) {
  const { t } = useI18n();
  const [secret, setSecret] = useState<AuthenticatorSecret | null>(null);
  const [failed, setFailed] = useState<MessageKey | null>(null);

  useEffect(() => {
    let cancelled = false;
    startMfaSetup(challengeSession)
      .then((answer) => {
        if (!cancelled) setSecret(answer);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        const message = failureOf(error).message;
        setFailed(message);
        announce(t(message));
      });
    return () => {
      cancelled = true;
    };
    // t is left out on purpose: a language switch must not ask for a second secret.
  }, [challengeSession]);

  if (failed) {
    return (
      <>
        <FormMessage tone="error">{t(failed)}</FormMessage>
        <button type="button" className="button button--secondary" onClick={onStartOver}>
          {t("login.startOver")}
        </button>
      </>
    );
  }
  if (secret === null) return <p>{t("app.loading")}</p>;
  return (
    <>
      <p>{t("login.setupIntro")}</p>
      <dl className="secret-list">
        <dt>{t("login.setupSecret")}</dt>
        <dd>
          <code className="secret">{secret.secret}</code>
        </dd>
        <dt>{t("login.setupUri")}</dt>
        <dd>
          <a href={secret.otpauthUri} className="secret">
            {secret.otpauthUri}
          </a>
        </dd>
      </dl>
      <MfaCodeForm
        submitLabel={t("login.setupSubmit")}
        submitCode={(code) => verifyMfaSetup(challengeSession, code)}
        onDone={onDone}
        onStartOver={onStartOver}
      />
    </>
  );
}
