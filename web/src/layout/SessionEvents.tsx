import { useEffect } from "react";
import { useLocation, useNavigate } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import { loginPathFor } from "../auth/guards";
import { session } from "../auth/session";
import { useSession } from "../auth/useSession";
import { useI18n } from "../i18n/I18nProvider";
import { languageOf } from "../i18n/languages";

/**
 * What the shell does when the session changes: after a login, the account's language (GET
 * /me) becomes the page's unless the user picked one; a session that could not be refreshed
 * sends the user to the login page, saying why.
 */
export function SessionEvents() {
  const navigate = useNavigate();
  const location = useLocation();
  const { t, offerLanguage } = useI18n();

  useEffect(
    () =>
      session.subscribe((current, reason) => {
        if (current === null && reason === "expired") {
          announce(t("session.expired"));
          navigate(loginPathFor(location.pathname + location.search), { replace: true });
        }
      }),
    [navigate, location, t],
  );

  const current = useSession();
  const accountKey = current?.claims.email ?? null;
  const role = current?.role ?? null;
  useEffect(() => {
    if (accountKey === null || role !== "customer") return;
    let cancelled = false;
    call(api().GET("/me"))
      .then((me) => {
        const language = languageOf(me.language);
        if (!cancelled && language) offerLanguage(language);
      })
      .catch(() => undefined); // the page's own calls report errors
    return () => {
      cancelled = true;
    };
  }, [accountKey, role, offerLanguage]);

  return null;
}
