import { Link } from "react-router";

import { Page } from "../components/Page";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";

/** Any path the app does not know. */
export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Page title={t("notFound.title")}>
      <p>{t("notFound.intro")}</p>
      <p>
        <Link to={paths.home}>{t("home.link")}</Link>
      </p>
    </Page>
  );
}
