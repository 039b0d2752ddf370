import { Page } from "../components/Page";
import { useI18n } from "../i18n/I18nProvider";

/** Shown instead of a back-office page to a user without the reviewer role. */
export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <Page title={t("forbidden.title")}>
      <p>{t("forbidden.intro")}</p>
    </Page>
  );
}
