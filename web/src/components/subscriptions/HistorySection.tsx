import { useI18n } from "../../i18n/I18nProvider";
import { eventLabel, newestFirst } from "./labels";
import type { MembershipOut } from "./types";

/**
 * The membership's history (SPEC §5: every status change, what, when, why), newest first.
 * The API writes each entry's detail in English: it is marked as such for screen readers.
 */
export function HistorySection({ history }: { history: MembershipOut["history"] }) {
  const { t, timestamp, language } = useI18n();
  const entries = newestFirst(history);
  return (
    <section aria-labelledby="history-heading" className="sub-section">
      <h2 id="history-heading">{t("subscriptions.history.heading")}</h2>
      {entries.length === 0 ? (
        <p>{t("subscriptions.history.empty")}</p>
      ) : (
        <ol className="sub-history">
          {entries.map((entry, index) => {
            const label = eventLabel(entry.event);
            return (
              <li key={`${entry.at}-${entry.event}-${index}`}>
                <time className="sub-history__when" dateTime={entry.at}>
                  {timestamp(entry.at)}
                </time>
                <span className="sub-history__event">{label ? t(label) : entry.event}</span>
                {entry.detail ? (
                  <>
                    {" – "}
                    <span lang={language === "en" ? undefined : "en"}>{entry.detail}</span>
                  </>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
