import { Outlet } from "react-router";

import { LiveRegion } from "../a11y/LiveRegion";
import { useRouteFocus } from "../a11y/useRouteFocus";
import { useSession } from "../auth/useSession";
import { useI18n } from "../i18n/I18nProvider";
import { Header } from "./Header";
import { SessionEvents } from "./SessionEvents";

/** The frame of every page: skip link, header, the main landmark, the live region. */
export function Shell() {
  const { t } = useI18n();
  useRouteFocus();
  useSession(); // re-render the frame on login and logout
  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <Header />
      <main id="main" className="site-main" tabIndex={-1}>
        <Outlet />
      </main>
      <LiveRegion />
      <SessionEvents />
    </>
  );
}
