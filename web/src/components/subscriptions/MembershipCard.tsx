import { Link } from "react-router";

import { useI18n } from "../../i18n/I18nProvider";
import { paths } from "../../paths";
import { hasEnded, MEMBERSHIP_STATUS, MEMBERSHIP_STATUS_ADVICE, PAYMENT_METHOD } from "./labels";
import { shortTierName } from "./tiers";
import type { MembershipOut } from "./types";

/** The subscription card of Manage subscription: number, tier, status in words (and what to do), dates, payment. */
export function MembershipCard({ membership }: { membership: MembershipOut }) {
  const { t, date } = useI18n();
  const { status } = membership;
  const advice = MEMBERSHIP_STATUS_ADVICE[status];
  const ended = hasEnded(status);
  return (
    <section
      aria-labelledby="membership-card"
      className={status === "ACTIVE" ? "sub-card sub-card--active" : "sub-card sub-card--warning"}
    >
      <h2 id="membership-card">
        {status === "ACTIVE" ? <span aria-hidden="true">✓ </span> : null}
        {status === "ACTIVE" ? t("subscriptions.active.heading") : t("subscriptions.membership.cardHeading")}
      </h2>
      <p className="sub-card__tier">
        {t("subscriptions.active.tier", { tier: shortTierName(membership.name).toUpperCase() })}
      </p>
      <dl className="sub-summary">
        <div>
          <dt>{t("subscriptions.active.number")}</dt>
          <dd className="sub-code">{membership.membership_number}</dd>
        </div>
        <div>
          <dt>{t("subscriptions.membership.tier")}</dt>
          <dd>{membership.name}</dd>
        </div>
        <div>
          <dt>{t("subscriptions.membership.status")}</dt>
          <dd>
            <strong>{t(MEMBERSHIP_STATUS[status])}</strong>
          </dd>
        </div>
        <div>
          <dt>{t("subscriptions.membership.startsOn")}</dt>
          <dd>{date(membership.starts_on)}</dd>
        </div>
        <div>
          <dt>{t("subscriptions.active.expires")}</dt>
          <dd>{date(membership.expires_on)}</dd>
        </div>
        <div>
          <dt>{t("subscriptions.membership.paymentMethod")}</dt>
          <dd>{t(PAYMENT_METHOD[membership.payment_method])}</dd>
        </div>
      </dl>
      {advice ? (
        <p>
          {t(advice)}{" "}
          {ended ? (
            <Link to={paths.signUp}>{t("subscriptions.membership.signUpAgain")}</Link>
          ) : (
            <Link to={paths.invoices}>{t("subscriptions.membership.seeInvoices")}</Link>
          )}
        </p>
      ) : null}
    </section>
  );
}
