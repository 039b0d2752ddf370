import { useState } from "react";
import { Link } from "react-router";

import { announce } from "../../a11y/announcer";
import { api, call } from "../../api/client";
import { FormMessage } from "../../components/FormMessage";
import { useI18n } from "../../i18n/I18nProvider";
import { paths } from "../../paths";
import { LoadFailure } from "./LoadFailure";
import { StepHeading } from "./StepHeading";
import { Switch } from "./Switch";
import { familyShown, pointsNeeded, shortTierName } from "./tiers";
import type { TierOut, TiersOut } from "./types";
import { useLoad } from "./useLoad";

/**
 * Step 1: the tier cards (GET /tiers), each with its point range and annual fee in the
 * account's currency; "SIGNUP TO …" on the tiers the points open, the points still needed on
 * the others. From 2,500 points an ON/OFF switch shows the corporate plans instead.
 */
export function TierStep({
  focus,
  corporateOn,
  onCorporateOn,
  onChoose,
}: {
  focus: boolean;
  corporateOn: boolean;
  onCorporateOn: (on: boolean) => void;
  onChoose: (tier: TierOut, chart: TiersOut) => void;
}) {
  const { t } = useI18n();
  const [switched, setSwitched] = useState(false);
  const family = corporateOn ? "corporate" : "individual";
  const { result, reload } = useLoad(
    async () => {
      const chart = await call(api().GET("/tiers", { params: { query: { family } } }));
      if (switched) {
        announce(
          t(family === "corporate" ? "subscriptions.tiers.corporateShown" : "subscriptions.tiers.individualShown"),
        );
      }
      return chart;
    },
    [family],
  );

  return (
    <section aria-labelledby="sub-step-tiers" className="sub-step">
      <StepHeading id="sub-step-tiers" focus={focus}>
        {t("subscriptions.tiers.heading")}
      </StepHeading>
      <p>{t("subscriptions.tiers.intro")}</p>
      {result.state === "loading" ? <p role="status">{t("app.loading")}</p> : null}
      {result.state === "failed" ? (
        <LoadFailure message={t(result.message)} onRetry={() => reload()} />
      ) : null}
      {result.state === "loaded" ? (
        <TierChart
          chart={result.data}
          shown={familyShown(result.data.corporate_available, corporateOn)}
          corporateOn={corporateOn}
          onCorporateOn={(on) => {
            setSwitched(true);
            onCorporateOn(on);
          }}
          onChoose={(tier) => onChoose(tier, result.data)}
        />
      ) : null}
    </section>
  );
}

function TierChart({
  chart,
  shown,
  corporateOn,
  onCorporateOn,
  onChoose,
}: {
  chart: TiersOut;
  shown: "individual" | "corporate";
  corporateOn: boolean;
  onCorporateOn: (on: boolean) => void;
  onChoose: (tier: TierOut) => void;
}) {
  const { t, money, number } = useI18n();
  const tiers = chart.tiers.filter((tier) => tier.family === shown);
  const anyOpen = chart.tiers.some((tier) => tier.eligible);
  return (
    <>
      <p className="sub-points">{t("subscriptions.tiers.points", { points: number(chart.points) })}</p>
      {chart.corporate_available ? (
        <div className="sub-family">
          <Switch
            label={t("subscriptions.tiers.corporateSwitch")}
            hint={t("subscriptions.tiers.corporateSwitchHint")}
            checked={corporateOn}
            onChange={onCorporateOn}
          />
        </div>
      ) : (
        <p className="field__hint">{t("subscriptions.tiers.corporateFrom", { points: number(2500) })}</p>
      )}
      {!anyOpen ? (
        <FormMessage tone="info">
          {t("subscriptions.tiers.noneOpen", { points: number(500) })}{" "}
          <Link to={paths.products}>{t("subscriptions.tiers.registerProducts")}</Link>
        </FormMessage>
      ) : null}
      <ul className="sub-tiers">
        {tiers.map((tier) => {
          const headingId = `tier-${tier.tier}`;
          const range =
            tier.max_points === null
              ? t("subscriptions.tiers.rangeOpen", { min: number(tier.min_points) })
              : t("subscriptions.tiers.range", { min: number(tier.min_points), max: number(tier.max_points) });
          return (
            <li key={tier.tier} className={tier.eligible ? "sub-tier sub-tier--open" : "sub-tier"}>
              <article aria-labelledby={headingId}>
                <h3 id={headingId} className="sub-tier__name">
                  {tier.name}
                </h3>
                <p className="sub-tier__range">{range}</p>
                <p className="sub-tier__fee">
                  {t("subscriptions.tiers.fee", { fee: money(tier.annual_fee) })}
                  <span className="sub-tier__vat"> {t("subscriptions.tiers.exclVat")}</span>
                </p>
                {tier.eligible ? (
                  <button type="button" className="button" onClick={() => onChoose(tier)}>
                    {t("subscriptions.tiers.signUpTo", { tier: shortTierName(tier.name).toUpperCase() })}
                  </button>
                ) : (
                  <p className="sub-tier__closed">
                    {t("subscriptions.tiers.needMore", {
                      points: number(pointsNeeded(tier, chart.points)),
                      tier: tier.name,
                    })}
                  </p>
                )}
              </article>
            </li>
          );
        })}
      </ul>
    </>
  );
}
