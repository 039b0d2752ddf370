import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import type { CheckOutcome, ReviewItem } from "./logic";

/** Each outcome as a word, with an icon and a colour that only repeat it. */
const OUTCOMES: Readonly<Record<CheckOutcome, { label: MessageKey; icon: string; tone: string }>> = {
  PASSED: { label: "backoffice.check.PASSED", icon: "✓", tone: "passed" },
  FAILED: { label: "backoffice.check.FAILED", icon: "✗", tone: "failed" },
  FLAGGED: { label: "backoffice.check.FLAGGED", icon: "!", tone: "flagged" },
  SKIPPED: { label: "backoffice.check.SKIPPED", icon: "–", tone: "skipped" },
  UNAVAILABLE: { label: "backoffice.check.UNAVAILABLE", icon: "?", tone: "skipped" },
};

/** The checks the API runs (chalicelib/services/applications.py); another name is shown as is. */
const CHECK_NAMES: Readonly<Record<string, MessageKey>> = {
  vat_number: "backoffice.check.name.vat_number",
  vies: "backoffice.check.name.vies",
  duplicate_vat: "backoffice.check.name.duplicate_vat",
  contact_email: "backoffice.check.name.contact_email",
};

/** The automated checks of an application: what was checked, its outcome, and the detail. */
export function CheckList({ checks }: { checks: ReviewItem["checks"] }) {
  const { t } = useI18n();
  if (checks.length === 0) return <p>{t("backoffice.check.none")}</p>;
  return (
    <ul className="bo-checks">
      {checks.map((check) => {
        const outcome = OUTCOMES[check.outcome];
        const name = CHECK_NAMES[check.name];
        return (
          <li key={check.name} className={`bo-check bo-check--${outcome.tone}`}>
            <span className="bo-check__outcome">
              <span className="bo-check__icon" aria-hidden="true">
                {outcome.icon}
              </span>{" "}
              {t(outcome.label)}
              <span className="visually-hidden">:</span>
            </span>
            <span className="bo-check__name">{name ? t(name) : check.name}</span>
            {check.detail ? <span className="bo-check__detail">{check.detail}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}
