import { useRef, type MouseEvent } from "react";

import { api, call } from "../../api/client";
import { useI18n } from "../../i18n/I18nProvider";
import type { InvoiceOut } from "./types";

/** The API's PDF links are presigned for 5 minutes: older than this, a fresh one is asked for first. */
export const PDF_LINK_FRESH_MS = 4 * 60 * 1000;

export function isStale(loadedAt: number, now: number): boolean {
  return now - loadedAt > PDF_LINK_FRESH_MS;
}

/**
 * The invoice's PDF (`pdf_url`): a plain link that opens or downloads it. A link older than
 * its lifetime is renewed on click (GET /invoices/{n}) before the browser follows it.
 */
export function PdfLink({ invoice }: { invoice: InvoiceOut }) {
  const { t } = useI18n();
  const loadedAt = useRef(Date.now());
  if (invoice.pdf_url === null) {
    return <span className="field__hint">{t("subscriptions.invoices.pdfPending")}</span>;
  }

  async function renew(event: MouseEvent<HTMLAnchorElement>) {
    if (!isStale(loadedAt.current, Date.now())) return;
    event.preventDefault();
    try {
      const fresh = await call(
        api().GET("/invoices/{invoice_number}", { params: { path: { invoice_number: invoice.invoice_number } } }),
      );
      if (fresh.pdf_url) window.location.assign(fresh.pdf_url);
    } catch {
      window.location.assign(invoice.pdf_url ?? "");
    }
  }

  return (
    <a href={invoice.pdf_url} type="application/pdf" onClick={(event) => void renew(event)}>
      {t("subscriptions.invoices.pdf", { number: invoice.invoice_number })}
    </a>
  );
}
