import { useEffect } from "react";
import { Link } from "react-router";

import { announce } from "../../a11y/announcer";
import { useI18n } from "../../i18n/I18nProvider";
import { paths } from "../../paths";
import { BankDetails } from "./BankDetails";
import { StepHeading } from "./StepHeading";
import { shortTierName } from "./tiers";
import type { CheckoutOut, PaymentMethod } from "./types";
import { useInvoiceOf } from "./useInvoiceOf";

/**
 * Step 4, SUBSCRIPTION ACTIVE: the tier, the expiry date and the membership number, with the
 * way on (My Account, Manage subscription, Invoices). A bank payer gets the bank details as
 * soon as the invoice is issued (it is also e-mailed).
 */
export function ActiveStep({ purchase, method }: { purchase: CheckoutOut; method: PaymentMethod }) {
  const { t, date, money } = useI18n();
  const { membership, quote } = purchase;
  return (
    <section aria-labelledby="sub-step-active" className="sub-step">
      <div className="sub-card sub-card--active">
        <StepHeading id="sub-step-active" focus>
          <span aria-hidden="true">✓ </span>
          {t("subscriptions.active.heading")}
        </StepHeading>
        <p className="sub-card__tier">
          {t("subscriptions.active.tier", { tier: shortTierName(membership.name).toUpperCase() })}
        </p>
        <dl className="sub-summary">
          <div>
            <dt>{t("subscriptions.active.expires")}</dt>
            <dd>{date(membership.expires_on)}</dd>
          </div>
          <div>
            <dt>{t("subscriptions.active.number")}</dt>
            <dd className="sub-code">{membership.membership_number}</dd>
          </div>
        </dl>
      </div>
      <p>{t("subscriptions.active.useNow")}</p>
      {method === "CARD" ? (
        <p>{t("subscriptions.active.cardNote", { total: money(quote.total) })}</p>
      ) : (
        <BankTransferNotes membershipNumber={membership.membership_number} />
      )}
      <p>{t("subscriptions.active.invoiceSoon")}</p>
      <ul className="sub-links">
        <li>
          <Link to={paths.account}>{t("subscriptions.active.toAccount")}</Link>
        </li>
        <li>
          <Link to={paths.membership}>{t("subscriptions.manageLink")}</Link>
        </li>
        <li>
          <Link to={paths.invoices}>{t("subscriptions.active.toInvoices")}</Link>
        </li>
      </ul>
    </section>
  );
}

function BankTransferNotes({ membershipNumber }: { membershipNumber: string }) {
  const { t } = useI18n();
  const lookup = useInvoiceOf(membershipNumber);
  useEffect(() => {
    if (lookup.state === "found") announce(t("subscriptions.active.bankReady"));
  }, [lookup.state]); // once, when found (not again on a language change)
  return (
    <div className="sub-bank-notes">
      <p>{t("subscriptions.active.bankNote")}</p>
      {lookup.state === "waiting" ? <p className="field__hint">{t("subscriptions.active.bankWaiting")}</p> : null}
      {lookup.state === "later" ? <p className="field__hint">{t("subscriptions.active.bankLater")}</p> : null}
      {lookup.state === "found" ? <BankDetails invoice={lookup.invoice} /> : null}
    </div>
  );
}
