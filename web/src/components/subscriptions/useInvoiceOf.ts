import { useEffect, useState } from "react";

import { api, call } from "../../api/client";
import type { InvoiceOut } from "./types";

/** How long to look for a new purchase's invoice: it is numbered and rendered in the background. */
export const INVOICE_WAIT_MS = 120_000;
const FIRST_LOOK_MS = 1_000;
const LONGEST_PAUSE_MS = 8_000;

/** The pauses between looks: 1 s, doubling up to 8 s. */
export function nextPause(previous: number | null): number {
  return previous === null ? FIRST_LOOK_MS : Math.min(previous * 2, LONGEST_PAUSE_MS);
}

/** The newest purchase invoice of the membership among the customer's invoices (newest first). */
export function invoiceOfPurchase(invoices: readonly InvoiceOut[], membershipNumber: string): InvoiceOut | null {
  return (
    invoices.find(
      (invoice) =>
        invoice.kind === "INVOICE" && invoice.purpose === "PURCHASE" && invoice.membership_number === membershipNumber,
    ) ?? null
  );
}

export type InvoiceLookup = { state: "waiting" } | { state: "found"; invoice: InvoiceOut } | { state: "later" };

/**
 * The invoice of a purchase that was just made (POST /checkout answers it as PENDING): looks
 * for it in GET /invoices until it is there, or until INVOICE_WAIT_MS ("later": by e-mail).
 */
export function useInvoiceOf(membershipNumber: string | null): InvoiceLookup {
  const [lookup, setLookup] = useState<InvoiceLookup>({ state: "waiting" });
  useEffect(() => {
    if (membershipNumber === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = Date.now() + INVOICE_WAIT_MS;
    const look = async (pause: number | null) => {
      try {
        const page = await call(api().GET("/invoices", { params: { query: { limit: 10 } } }));
        const found = invoiceOfPurchase(page.items, membershipNumber);
        if (stopped) return;
        if (found !== null) {
          setLookup({ state: "found", invoice: found });
          return;
        }
      } catch {
        // a failed look is tried again, as a missing invoice is
      }
      if (stopped) return;
      const next = nextPause(pause);
      if (Date.now() + next > deadline) {
        setLookup({ state: "later" });
        return;
      }
      timer = setTimeout(() => void look(next), next);
    };
    void look(null);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [membershipNumber]);
  return lookup;
}
