import { useState, type FormEvent } from "react";

import { announce } from "../../a11y/announcer";
import { api, call } from "../../api/client";
import { FormMessage } from "../../components/FormMessage";
import { failureOf } from "../../forms/failure";
import { useI18n } from "../../i18n/I18nProvider";
import { FieldError } from "../forms/fields";
import { feeDifference, isTierId, upgradeOptions } from "./tiers";
import type { MembershipOut, TierOut } from "./types";
import { useOrderKey } from "./useOrderKey";

/**
 * Upgrade mid-term (SPEC §5): an ACTIVE member moves to a tier with a higher fee that the
 * points open, at once (number and expiry stay). The API has no price preview: the screen
 * explains the prorated difference before the customer confirms, and shows the invoiced
 * amount after (POST /membership/upgrade + Idempotency-Key → membership + invoice.net).
 */
export function UpgradeSection({
  membership,
  tiers,
  onUpgraded,
}: {
  membership: MembershipOut;
  tiers: readonly TierOut[];
  onUpgraded: (membership: MembershipOut) => void;
}) {
  const { t, money, date } = useI18n();
  const orderKey = useOrderKey();
  const [chosen, setChosen] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [choiceError, setChoiceError] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [sending, setSending] = useState(false);
  const options = upgradeOptions(tiers, membership.tier);
  const current = tiers.find((tier) => tier.tier === membership.tier);
  const target = options.find((tier) => tier.tier === chosen) ?? null;

  function ask(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    if (target === null) {
      const text = t("subscriptions.upgrade.choose");
      setChoiceError(text);
      document.querySelector<HTMLInputElement>("input[name='upgrade-tier']")?.focus();
      return;
    }
    setChoiceError(undefined);
    setConfirming(true);
    announce(t("subscriptions.upgrade.confirmHeading", { tier: target.name }));
  }

  async function confirm() {
    if (target === null || !isTierId(target.tier) || sending) return;
    const body = { tier: target.tier };
    setSending(true);
    try {
      const upgraded = await call(
        api().POST("/membership/upgrade", {
          body,
          params: { header: { "Idempotency-Key": orderKey.forBody(body) } },
        }),
      );
      orderKey.settle();
      const text = t("subscriptions.upgrade.done", {
        tier: upgraded.membership.name,
        amount: money(upgraded.invoice.net),
      });
      setConfirming(false);
      setChosen(null);
      setMessage({ tone: "success", text });
      announce(text);
      onUpgraded(upgraded.membership);
    } catch (error) {
      const text = t(
        failureOf(error, {
          409: "subscriptions.upgrade.notActive",
          422: "subscriptions.upgrade.refused",
          503: "subscriptions.payment.unavailable",
        }).message,
      );
      setMessage({ tone: "error", text });
      announce(text);
    } finally {
      setSending(false);
    }
  }

  return (
    <section aria-labelledby="upgrade-heading" className="sub-section">
      <h2 id="upgrade-heading">{t("subscriptions.upgrade.heading")}</h2>
      <p>{t("subscriptions.upgrade.intro")}</p>
      {options.length === 0 ? (
        <p>{t("subscriptions.upgrade.none")}</p>
      ) : (
        <form noValidate onSubmit={ask} className="sub-form">
          <fieldset
            className={choiceError ? "sub-choice sub-choice--invalid" : "sub-choice"}
            aria-describedby={choiceError ? "upgrade-tier-error" : undefined}
          >
            <legend>{t("subscriptions.upgrade.legend")}</legend>
            {options.map((tier) => (
              <div className="sub-choice__option" key={tier.tier}>
                <input
                  type="radio"
                  id={`upgrade-${tier.tier}`}
                  name="upgrade-tier"
                  value={tier.tier}
                  checked={chosen === tier.tier}
                  onChange={() => {
                    setChosen(tier.tier);
                    setConfirming(false);
                    setChoiceError(undefined);
                  }}
                  aria-describedby={choiceError ? "upgrade-tier-error" : undefined}
                />
                <label htmlFor={`upgrade-${tier.tier}`}>
                  {t("subscriptions.renewal.tierOption", { tier: tier.name, fee: money(tier.annual_fee) })}
                </label>
              </div>
            ))}
            <FieldError id="upgrade-tier" error={choiceError} />
          </fieldset>
          {!confirming ? (
            <button type="submit" className="button button--secondary">
              {t("subscriptions.upgrade.continue")}
            </button>
          ) : null}
        </form>
      )}
      {confirming && target ? (
        <div className="sub-confirm" role="group" aria-labelledby="upgrade-confirm-heading">
          <h3 id="upgrade-confirm-heading">{t("subscriptions.upgrade.confirmHeading", { tier: target.name })}</h3>
          <p>
            {t("subscriptions.upgrade.prorated", {
              difference: money(current ? feeDifference(target.annual_fee, current.annual_fee) : target.annual_fee),
              date: date(membership.expires_on),
            })}
          </p>
          <div className="button-row">
            <button type="button" className="button" onClick={() => void confirm()} disabled={sending}>
              {sending ? t("form.sending") : t("subscriptions.upgrade.confirm", { tier: target.name })}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              {t("subscriptions.upgrade.cancel")}
            </button>
          </div>
        </div>
      ) : null}
      {message ? <FormMessage tone={message.tone}>{message.text}</FormMessage> : null}
    </section>
  );
}
