import { useEffect, useState } from "react";
import { Link } from "react-router";

import { announce } from "../a11y/announcer";
import { api, call } from "../api/client";
import type { components } from "../api/schema";
import { countryName } from "../components/apply/countries";
import { FormMessage } from "../components/FormMessage";
import { Page } from "../components/Page";
import "../components/products/products.css";
import { failureOf } from "../forms/failure";
import type { MessageKey } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { isLanguage, LANGUAGE_NAMES, LOCALES } from "../i18n/languages";
import { paths } from "../paths";

type Me = components["schemas"]["MeOut"];
type Membership = components["schemas"]["MembershipOut"];

/** The points that bring the invitation to join CPS (SPEC §3). */
export const INVITATION_POINTS = 500;

/** The invitation is shown while there is no membership to use: none yet, or one that ended. */
export function showsInvitation(me: Pick<Me, "invited" | "membership">): boolean {
  return me.invited && (me.membership === null || ["EXPIRED", "CANCELLED"].includes(me.membership.status));
}

/**
 * /account (MY ACCOUNT): GET /me: the company, its country, currency and language, the
 * company's points; the invitation to join CPS from 500 points; the subscription card
 * (SUBSCRIPTION ACTIVE, tier, expiry, membership number) once there is a membership. The
 * shell makes the account's language the page's after the login (unless one was chosen).
 */
export function AccountPage() {
  const { t } = useI18n();
  const [me, setMe] = useState<Me | null>(null);
  const [failure, setFailure] = useState<MessageKey | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setFailure(null);
    call(api().GET("/me"))
      .then((answer) => {
        if (!cancelled) setMe(answer);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        const message = failureOf(error).message;
        setFailure(message);
        announce(t(message));
      });
    return () => {
      cancelled = true;
    };
    // t is left out on purpose: a language switch does not need the account again.
  }, [attempt]);

  return (
    <Page title={t("account.title")}>
      {me === null ? (
        failure ? (
          <>
            <FormMessage tone="error">{t(failure)}</FormMessage>
            <button type="button" className="button button--secondary" onClick={() => setAttempt((n) => n + 1)}>
              {t("account.retry")}
            </button>
          </>
        ) : (
          <p>{t("app.loading")}</p>
        )
      ) : (
        <AccountDetails me={me} />
      )}
    </Page>
  );
}

function AccountDetails({ me }: { me: Me }) {
  const { t, number, language } = useI18n();
  const currencyName = (() => {
    try {
      return new Intl.DisplayNames([LOCALES[language]], { type: "currency" }).of(me.currency) ?? me.currency;
    } catch {
      return me.currency;
    }
  })();
  const toGo = Math.max(0, INVITATION_POINTS - me.points);
  return (
    <>
      <p>{t("account.intro")}</p>
      <div className="account-grid">
        <section className="card" aria-labelledby="account-points-heading">
          <h2 id="account-points-heading">{t("account.pointsTitle")}</h2>
          <p className="points-total">{t("account.points", { points: number(me.points) })}</p>
          {showsInvitation(me) ? (
            <div className="invitation">
              <h3>{t("account.invitationTitle")}</h3>
              <p>{t("account.invitationText", { points: number(me.points) })}</p>
              <p>
                <Link to={paths.signUp} className="button">
                  {t("account.signUp")}
                </Link>
              </p>
            </div>
          ) : me.invited ? null : (
            <p>{t("account.pointsToGo", { points: number(toGo) })}</p>
          )}
          <p>
            <Link to={paths.products}>{t("account.toProducts")}</Link>
          </p>
        </section>

        {me.membership ? <SubscriptionCard membership={me.membership} /> : null}

        <section className="card" aria-labelledby="account-company-heading">
          <h2 id="account-company-heading">{t("account.companyTitle")}</h2>
          <dl className="product-facts">
            <dt>{t("account.companyName")}</dt>
            <dd>{me.company.name}</dd>
            <dt>{t("account.address")}</dt>
            <dd>
              {me.company.street}
              <br />
              {me.company.postcode} {me.company.city}
            </dd>
            <dt>{t("account.country")}</dt>
            <dd>{countryName(me.country, language)}</dd>
            {me.vat_number ? (
              <>
                <dt>{t("account.vatNumber")}</dt>
                <dd>{me.vat_number}</dd>
              </>
            ) : null}
            <dt>{t("account.currency")}</dt>
            <dd>
              {currencyName} ({me.currency})
            </dd>
            <dt>{t("account.language")}</dt>
            <dd>{isLanguage(me.language) ? LANGUAGE_NAMES[me.language] : me.language}</dd>
            <dt>{t("account.contact")}</dt>
            <dd>
              {me.contact.name}
              <br />
              {me.contact.email}
              <br />
              {me.contact.phone}
            </dd>
          </dl>
        </section>
      </div>
    </>
  );
}

/** The seeds' card: ✓ SUBSCRIPTION ACTIVE, SILVER MEMBERSHIP, Expires, Membership number, VIEW. */
function SubscriptionCard({ membership }: { membership: Membership }) {
  const { t, date } = useI18n();
  const active = membership.status === "ACTIVE";
  return (
    <section className="card subscription-card" aria-labelledby="account-subscription-heading">
      <h2 id="account-subscription-heading">{t("account.subscriptionTitle")}</h2>
      <p className={active ? "subscription-status subscription-status--active" : "subscription-status"}>
        {active ? <span aria-hidden="true">✓ </span> : null}
        {t(`account.subscription.${membership.status}`)}
      </p>
      <dl className="product-facts">
        <dt>{t("account.tier")}</dt>
        <dd>{membership.name}</dd>
        <dt>{t("account.expires")}</dt>
        <dd>{date(membership.expires_on)}</dd>
        <dt>{t("account.membershipNumber")}</dt>
        <dd>{membership.membership_number}</dd>
      </dl>
      <p>
        <Link to={paths.membership} className="button button--secondary">
          {t("account.view")}
          <span className="visually-hidden"> {t("account.viewSubscription")}</span>
        </Link>
      </p>
    </section>
  );
}
