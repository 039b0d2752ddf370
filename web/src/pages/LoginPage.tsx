import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";

import { announce } from "../a11y/announcer";
import { answerMfa, type LoginOutcome } from "../auth/authFlows";
import { session } from "../auth/session";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";
import { CredentialsForm } from "./login/CredentialsForm";
import { MfaCodeForm } from "./login/MfaCodeForm";
import { MfaSetupStep } from "./login/MfaSetupStep";

type Step =
  | { name: "credentials"; setupDone: boolean }
  | { name: "mfaCode"; email: string; session: string }
  | { name: "mfaSetup"; email: string; session: string };

/** Only a path of this app (never "//host" or a full URL) is followed after the login. */
function safeNext(next: string | null): string | null {
  return next !== null && next.startsWith("/") && !next.startsWith("//") ? next : null;
}

/**
 * /login: e-mail and password; reviewers then give their authenticator app's code, or add an
 * app first (and log in again). Then back to where the guard sent the user from (?next=),
 * else to the start page of their role.
 */
export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [step, setStep] = useState<Step>({ name: "credentials", setupDone: false });
  const [email, setEmail] = useState("");

  function loggedIn() {
    announce(t("session.loggedIn"));
    const role = session.current?.role;
    const home = role === "reviewer" ? paths.reviewApplications : paths.account;
    navigate(safeNext(params.get("next")) ?? home, { replace: true });
  }

  function onOutcome(outcome: LoginOutcome, given: string) {
    setEmail(given);
    if (outcome.kind === "loggedIn") loggedIn();
    else if (outcome.kind === "mfaCode") setStep({ name: "mfaCode", email: given, session: outcome.session });
    else setStep({ name: "mfaSetup", email: given, session: outcome.session });
  }

  const startOver = () => setStep({ name: "credentials", setupDone: false });

  if (step.name === "mfaCode") {
    return (
      <Page title={t("login.mfaTitle")}>
        <p>{t("login.mfaIntro")}</p>
        <MfaCodeForm
          submitLabel={t("login.mfaSubmit")}
          submitCode={(code) => answerMfa(step.email, step.session, code)}
          onDone={loggedIn}
          onStartOver={startOver}
        />
      </Page>
    );
  }
  if (step.name === "mfaSetup") {
    return (
      <Page title={t("login.setupTitle")}>
        <MfaSetupStep
          challengeSession={step.session}
          onDone={() => {
            announce(t("login.setupDone"));
            setStep({ name: "credentials", setupDone: true });
          }}
          onStartOver={startOver}
        />
      </Page>
    );
  }
  return (
    <Page title={t("login.title")}>
      {step.setupDone ? <FormMessage tone="success">{t("login.setupDone")}</FormMessage> : null}
      <CredentialsForm onOutcome={onOutcome} initialEmail={email} />
    </Page>
  );
}
