import { useEffect, type ReactNode } from "react";

import { useI18n } from "../i18n/I18nProvider";

/**
 * Every screen is a Page: its h1 (focused after a navigation, so it has tabIndex -1) and the
 * document title "<title> – Canon Professional Services".
 */
export function Page({ title, children }: { title: string; children?: ReactNode }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} – ${t("app.name")}`;
  }, [title, t]);
  return (
    <div className="page">
      <h1 tabIndex={-1}>{title}</h1>
      {children}
    </div>
  );
}
