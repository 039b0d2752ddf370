import { Link } from "react-router";

import { api, call } from "../api/client";
import { Page } from "../components/Page";
import { HistorySection } from "../components/subscriptions/HistorySection";
import { hasEnded, PAYMENT_METHOD } from "../components/subscriptions/labels";
import { LoadFailure } from "../components/subscriptions/LoadFailure";
import { MembershipCard } from "../components/subscriptions/MembershipCard";
import { NewCardForm } from "../components/subscriptions/NewCardForm";
import { RenewalSection } from "../components/subscriptions/RenewalSection";
import { UpgradeSection } from "../components/subscriptions/UpgradeSection";
import { useLoad } from "../components/subscriptions/useLoad";
import "../components/subscriptions/subscriptions.css";
import { useI18n } from "../i18n/I18nProvider";
import { paths } from "../paths";

/**
 * /membership (MY SUBSCRIPTIONS, "Manage subscription", SPEC §5): the subscription card with
 * its status in words, auto-renewal and the renewal tier, a new card, an upgrade, and the
 * history. Without a membership: the way to SIGN UP FOR CPS.
 */
export function MembershipPage() {
  const { t } = useI18n();
  const { result, reload, set } = useLoad(() => call(api().GET("/membership")), []);
  const { result: chart } = useLoad(() => call(api().GET("/tiers")), []);
  const tiers = chart.state === "loaded" ? chart.data.tiers : null;
  const currency = chart.state === "loaded" ? chart.data.currency : null;

  if (result.state === "loading") {
    return (
      <Page title={t("membership.title")}>
        <p role="status">{t("app.loading")}</p>
      </Page>
    );
  }
  if (result.state === "failed") {
    if (result.status === 404) {
      return (
        <Page title={t("membership.title")}>
          <p>{t("subscriptions.membership.none")}</p>
          <p>
            <Link to={paths.signUp} className="button">
              {t("subscriptions.signUpForCps")}
            </Link>
          </p>
        </Page>
      );
    }
    return (
      <Page title={t("membership.title")}>
        <LoadFailure message={t(result.message)} onRetry={() => reload()} />
      </Page>
    );
  }

  const membership = result.data;
  const ended = hasEnded(membership.status);
  return (
    <Page title={t("membership.title")}>
      <p>{t("membership.intro")}</p>
      <MembershipCard membership={membership} />
      {ended ? (
        <p>
          <Link to={paths.signUp} className="button">
            {t("subscriptions.signUpForCps")}
          </Link>
        </p>
      ) : (
        <>
          <RenewalSection membership={membership} tiers={tiers} onChanged={set} />
          <section aria-labelledby="card-heading" className="sub-section">
            <h2 id="card-heading">{t("subscriptions.card.heading")}</h2>
            <p>
              {t("subscriptions.card.current", { method: t(PAYMENT_METHOD[membership.payment_method]) })}
            </p>
            <p>{t("subscriptions.card.intro")}</p>
            <NewCardForm
              id="new-card"
              currency={currency}
              submitLabel={t("subscriptions.card.save")}
              savedMessage={t("subscriptions.card.saved")}
              onSaved={set}
            />
          </section>
          {membership.status === "ACTIVE" && tiers ? (
            <UpgradeSection membership={membership} tiers={tiers} onUpgraded={set} />
          ) : null}
        </>
      )}
      <HistorySection history={membership.history} />
      <p className="form-links">
        <Link to={paths.invoices}>{t("subscriptions.active.toInvoices")}</Link>
      </p>
    </Page>
  );
}
