import { useState } from "react";

import { announce } from "../../a11y/announcer";
import { api, call } from "../../api/client";
import type { components } from "../../api/schema";
import { failureOf } from "../../forms/failure";
import type { MessageKey } from "../../i18n/en";
import { useI18n } from "../../i18n/I18nProvider";
import { FormMessage } from "../FormMessage";

export type Migration = components["schemas"]["MigrationStatusOut"];

/**
 * The products of the old CPS account (SPEC §2): without an old address given, what to do
 * instead; until its owner confirms it, that a link went there (and "send it again": POST
 * /migration/confirmation, at most one mail per 15 minutes); once confirmed, the old
 * products (the MIGRATE PRODUCTS button is in the page's button row, as in CPS's guide).
 */
export function MigrationSection({ migration, onChanged }: { migration: Migration; onChanged: () => void }) {
  const { t, date, number } = useI18n();
  const [sent, setSent] = useState<{ tone: "success" | "error"; key: MessageKey } | null>(null);
  const [sending, setSending] = useState(false);

  async function resend() {
    setSending(true);
    setSent(null);
    try {
      await call(api().POST("/migration/confirmation"));
      setSent({ tone: "success", key: "products.migration.resent" });
      announce(t("products.migration.resent"));
    } catch (error) {
      const failed = failureOf(error, { 409: "products.migration.resendConflict" });
      setSent({ tone: "error", key: failed.message });
      announce(t(failed.message));
      if (failed.message === "products.migration.resendConflict") onChanged();
    } finally {
      setSending(false);
    }
  }

  return (
    <section className="migration" aria-labelledby="migration-heading">
      <h2 id="migration-heading">{t("products.migration.title")}</h2>
      {migration.confirmation === "NONE" ? <p>{t("products.migration.none")}</p> : null}
      {migration.confirmation === "PENDING" ? (
        <>
          <p>{t("products.migration.pending")}</p>
          {sent ? <FormMessage tone={sent.tone}>{t(sent.key)}</FormMessage> : null}
          <button type="button" className="button button--secondary" onClick={() => void resend()} disabled={sending}>
            {sending ? t("form.sending") : t("products.migration.resend")}
          </button>
        </>
      ) : null}
      {migration.confirmation === "CONFIRMED" ? (
        migration.migrated ? (
          <p>{t("products.migration.done")}</p>
        ) : migration.legacy_products.length === 0 ? (
          <p>{t("products.migration.nothing")}</p>
        ) : (
          <>
            <p>{t("products.migration.available", { count: number(migration.legacy_products.length) })}</p>
            <ul className="legacy-list">
              {migration.legacy_products.map((product, index) => (
                <li key={`${product.sku}-${product.serial_number ?? index}`}>
                  <strong>{product.name}</strong>
                  {product.serial_number ? ` · ${product.serial_number}` : ""}
                  {product.purchase_date ? ` · ${date(product.purchase_date)}` : ""}
                  {product.complete ? null : ` · ${t("products.migration.legacyIncomplete")}`}
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
    </section>
  );
}
