import { useState } from "react";
import { Link, useSearchParams } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { ApiError } from "../api/errors";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import { failureOf } from "../forms/failure";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";

type Outcome = { kind: "confirmed" } | { kind: "invalid" } | { kind: "failed"; message: MessageKey };

/**
 * /migration/confirm?token= (public): the link mailed to the old CPS address. Its owner
 * confirms with a button (a mail scanner opening the link confirms nothing): POST
 * /migration/confirm {token}. A used, replaced or expired link says what to do instead.
 */
export function MigrationConfirmPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [sending, setSending] = useState(false);

  async function confirm() {
    setSending(true);
    try {
      await call(api().POST("/migration/confirm", { body: { token } }));
      setOutcome({ kind: "confirmed" });
      announce(t("products.confirm.done"));
    } catch (error) {
      if (error instanceof ApiError && (error.code === "INVALID_TOKEN" || error.status === 422 || error.status === 400)) {
        setOutcome({ kind: "invalid" });
        announce(t("products.confirm.invalid"));
      } else {
        const message = failureOf(error).message;
        setOutcome({ kind: "failed", message });
        announce(t(message));
      }
    } finally {
      setSending(false);
    }
  }

  if (token === "" || outcome?.kind === "invalid") {
    return (
      <Page title={t("migrationConfirm.title")}>
        <FormMessage tone="error">{t(token === "" ? "products.confirm.missing" : "products.confirm.invalid")}</FormMessage>
        <p>{t("products.confirm.whatToDo")}</p>
        <p>{t("products.confirm.notExpected")}</p>
      </Page>
    );
  }

  if (outcome?.kind === "confirmed") {
    return (
      <Page title={t("migrationConfirm.title")}>
        <FormMessage tone="success">{t("products.confirm.done")}</FormMessage>
        <p>{t("products.confirm.next")}</p>
        <p>
          <Link to={paths.products}>{t("products.confirm.toProducts")}</Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title={t("migrationConfirm.title")}>
      <p>{t("migrationConfirm.intro")}</p>
      <p>{t("products.confirm.explain")}</p>
      <p>{t("products.confirm.notExpected")}</p>
      {outcome?.kind === "failed" ? <FormMessage tone="error">{t(outcome.message)}</FormMessage> : null}
      <button type="button" className="button" onClick={() => void confirm()} disabled={sending}>
        {sending ? t("form.sending") : t("products.confirm.submit")}
      </button>
    </Page>
  );
}
