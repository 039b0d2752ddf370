import { useState, type FormEvent } from "react";

import { announce } from "../../a11y/announcer";
import { api, call } from "../../api/client";
import { FormMessage } from "../../components/FormMessage";
import { failureOf } from "../../forms/failure";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { SelectField } from "../forms/fields";
import { Switch } from "./Switch";
import { isTierId, renewalOptions, tierName } from "./tiers";
import type { MembershipOut, TierOut } from "./types";

type Message = { tone: "success" | "error"; text: string } | null;

/**
 * Auto-renewal (an ON/OFF switch) and the tier of the renewal (PATCH /membership), with the
 * renewal as it stands: when, which tier, at what price excl. VAT.
 */
export function RenewalSection({
  membership,
  tiers,
  onChanged,
}: {
  membership: MembershipOut;
  tiers: readonly TierOut[] | null;
  onChanged: (membership: MembershipOut) => void;
}) {
  const { t, date, money } = useI18n();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const [tierError, setTierError] = useState<string | undefined>(undefined);
  const current = membership.renewal_tier ?? membership.renewal?.tier ?? membership.tier;
  const [chosen, setChosen] = useState(current);
  const renewal = membership.renewal;
  const names = tiers ?? [];
  const options = renewalOptions(names);
  const selected = options.some((tier) => tier.tier === chosen) ? chosen : (options[0]?.tier ?? chosen);

  function say(tone: "success" | "error", text: string) {
    setMessage({ tone, text });
    announce(text);
  }

  async function switchAutoRenew(on: boolean) {
    setBusy(true);
    setMessage(null);
    try {
      const changed = await call(api().PATCH("/membership", { body: { auto_renew: on } }));
      onChanged(changed);
      say(
        "success",
        on
          ? t("subscriptions.renewal.turnedOn", { date: date(changed.expires_on) })
          : t("subscriptions.renewal.turnedOff", { date: date(changed.expires_on) }),
      );
    } catch (error) {
      const expected: MessageKey = on ? "subscriptions.renewal.onRefused" : "subscriptions.renewal.offRefused";
      say("error", t(failureOf(error, { 409: expected }).message));
    } finally {
      setBusy(false);
    }
  }

  async function saveTier(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    setTierError(undefined);
    if (!isTierId(selected)) return;
    if (selected === current) {
      say("success", t("subscriptions.renewal.tierSaved", { tier: tierName(names, selected) }));
      return;
    }
    setBusy(true);
    try {
      const changed = await call(api().PATCH("/membership", { body: { renewal_tier: selected } }));
      onChanged(changed);
      say("success", t("subscriptions.renewal.tierSaved", { tier: tierName(names, selected) }));
    } catch (error) {
      const failure = failureOf(error, {
        409: "subscriptions.renewal.tierLocked",
        422: "subscriptions.renewal.tierNotEligible",
      });
      const text = t(failure.message);
      setTierError(text);
      say("error", text);
      document.getElementById("renewal-tier")?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="renewal-heading" className="sub-section">
      <h2 id="renewal-heading">{t("subscriptions.renewal.heading")}</h2>
      <Switch
        label={t("subscriptions.renewal.autoRenewal")}
        hint={
          renewal?.invoiced
            ? t("subscriptions.renewal.offAfterInvoice")
            : t("subscriptions.renewal.autoRenewalHint")
        }
        checked={membership.auto_renew}
        onChange={(on) => void switchAutoRenew(on)}
        busy={busy}
      />
      <p>
        {renewal
          ? t("subscriptions.renewal.plan", {
              date: date(renewal.on),
              tier: tierName(names, renewal.tier),
              price: money(renewal.price_excl_vat),
            })
          : membership.auto_renew
            ? t("subscriptions.renewal.notPossible", { date: date(membership.expires_on) })
            : t("subscriptions.renewal.ends", { date: date(membership.expires_on) })}
      </p>
      {renewal?.invoiced ? <p>{t("subscriptions.renewal.invoiced")}</p> : null}
      {membership.auto_renew && !renewal?.invoiced && options.length > 0 ? (
        <form noValidate onSubmit={saveTier} className="sub-form">
          <SelectField
            id="renewal-tier"
            label={t("subscriptions.renewal.tierLabel")}
            hint={t("subscriptions.renewal.tierHint")}
            value={selected}
            onChange={setChosen}
            options={options.map((tier) => ({
              value: tier.tier,
              label: t("subscriptions.renewal.tierOption", { tier: tier.name, fee: money(tier.annual_fee) }),
            }))}
            error={tierError}
          />
          <button type="submit" className="button button--secondary" disabled={busy}>
            {t("subscriptions.renewal.saveTier")}
          </button>
        </form>
      ) : null}
      {message ? <FormMessage tone={message.tone}>{message.text}</FormMessage> : null}
    </section>
  );
}
