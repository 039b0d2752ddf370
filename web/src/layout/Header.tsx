import { Link, NavLink, useNavigate } from "react-router";

import { announce } from "../a11y/announcer";
import { logOut } from "../auth/authFlows";
import { useSession } from "../auth/useSession";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";
import { LanguageSwitcher } from "./LanguageSwitcher";

const CUSTOMER_TABS: ReadonlyArray<readonly [string, MessageKey]> = [
  [paths.account, "nav.account"],
  [paths.products, "nav.products"],
  [paths.membership, "nav.subscriptions"],
];

const BACK_OFFICE_TABS: ReadonlyArray<readonly [string, MessageKey]> = [
  [paths.reviewApplications, "nav.review"],
  [paths.financeInvoices, "nav.finance"],
  [paths.legacyImports, "nav.legacyImport"],
];

const VISITOR_TABS: ReadonlyArray<readonly [string, MessageKey]> = [[paths.apply, "nav.apply"]];

/** The top black bar: brand, the tabs of the user's role, language, log in / log out. */
export function Header() {
  const { t } = useI18n();
  const current = useSession();
  const navigate = useNavigate();
  const tabs =
    current === null ? VISITOR_TABS : current.role === "reviewer" ? BACK_OFFICE_TABS : CUSTOMER_TABS;

  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to={paths.home} className="brand">
          <span className="brand__mark" aria-hidden="true">
            CPS
          </span>
          <span className="brand__name">{t("app.name")}</span>
        </Link>
        <nav aria-label={t("nav.label")} className="site-nav">
          <ul>
            {tabs.map(([to, label]) => (
              <li key={to}>
                <NavLink to={to}>{t(label)}</NavLink>
              </li>
            ))}
            <li>
              {current === null ? (
                <NavLink to={paths.login}>{t("nav.login")}</NavLink>
              ) : (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    logOut();
                    announce(t("session.loggedOut"));
                    void navigate(paths.login);
                  }}
                >
                  {t("nav.logout")}
                </button>
              )}
            </li>
          </ul>
        </nav>
        <LanguageSwitcher />
      </div>
    </header>
  );
}
