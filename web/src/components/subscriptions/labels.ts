import type { MessageKey } from "../../i18n/en";
import type { InvoiceOut, InvoiceStatus, MembershipStatus, PaymentMethod } from "./types";

export const MEMBERSHIP_STATUS: { readonly [status in MembershipStatus]: MessageKey } = {
  ACTIVE: "subscriptions.status.ACTIVE",
  PAST_DUE: "subscriptions.status.PAST_DUE",
  SUSPENDED: "subscriptions.status.SUSPENDED",
  EXPIRED: "subscriptions.status.EXPIRED",
  CANCELLED: "subscriptions.status.CANCELLED",
};

/** What the member can do about the status (none for ACTIVE). */
export const MEMBERSHIP_STATUS_ADVICE: { readonly [status in MembershipStatus]: MessageKey | null } = {
  ACTIVE: null,
  PAST_DUE: "subscriptions.status.PAST_DUE.advice",
  SUSPENDED: "subscriptions.status.SUSPENDED.advice",
  EXPIRED: "subscriptions.status.EXPIRED.advice",
  CANCELLED: "subscriptions.status.CANCELLED.advice",
};

export function hasEnded(status: MembershipStatus): boolean {
  return status === "EXPIRED" || status === "CANCELLED";
}

export const PAYMENT_METHOD: { readonly [method in PaymentMethod]: MessageKey } = {
  CARD: "subscriptions.paymentMethod.CARD",
  BANK_TRANSFER: "subscriptions.paymentMethod.BANK_TRANSFER",
};

export const INVOICE_STATUS: { readonly [status in InvoiceStatus]: MessageKey } = {
  ISSUED: "subscriptions.invoiceStatus.ISSUED",
  PAID: "subscriptions.invoiceStatus.PAID",
  OVERDUE: "subscriptions.invoiceStatus.OVERDUE",
  CANCELLED: "subscriptions.invoiceStatus.CANCELLED",
};

export const INVOICE_KIND: { readonly [kind in InvoiceOut["kind"]]: MessageKey } = {
  INVOICE: "subscriptions.invoiceKind.INVOICE",
  CREDIT_NOTE: "subscriptions.invoiceKind.CREDIT_NOTE",
};

/** What an invoice is for (the API's `description` is English only: the purpose is shown in words). */
export const INVOICE_PURPOSE: { readonly [purpose in InvoiceOut["purpose"]]: MessageKey } = {
  PURCHASE: "subscriptions.invoicePurpose.PURCHASE",
  RENEWAL: "subscriptions.invoicePurpose.RENEWAL",
  UPGRADE: "subscriptions.invoicePurpose.UPGRADE",
  NON_PAYMENT: "subscriptions.invoicePurpose.NON_PAYMENT",
  RENEWAL_WITHDRAWN: "subscriptions.invoicePurpose.RENEWAL_WITHDRAWN",
};

/** An invoice that still asks for money: issued or overdue, not a credit note. */
export function isOpenInvoice(invoice: Pick<InvoiceOut, "kind" | "status">): boolean {
  return invoice.kind === "INVOICE" && (invoice.status === "ISSUED" || invoice.status === "OVERDUE");
}

// The history's events (chalicelib/domain/membership.py, services/renewals.py).
const EVENTS: Readonly<Record<string, MessageKey>> = {
  PURCHASED: "subscriptions.event.PURCHASED",
  ACTIVE: "subscriptions.event.ACTIVE",
  PAST_DUE: "subscriptions.event.PAST_DUE",
  SUSPENDED: "subscriptions.event.SUSPENDED",
  EXPIRED: "subscriptions.event.EXPIRED",
  CANCELLED: "subscriptions.event.CANCELLED",
  PAYMENT_RECEIVED: "subscriptions.event.PAYMENT_RECEIVED",
  RENEWAL_INVOICED: "subscriptions.event.RENEWAL_INVOICED",
  RENEWED: "subscriptions.event.RENEWED",
  RENEWAL_CANCELLED: "subscriptions.event.RENEWAL_CANCELLED",
  RENEWAL_NOT_POSSIBLE: "subscriptions.event.RENEWAL_NOT_POSSIBLE",
  RENEWAL_TIER_CHOSEN: "subscriptions.event.RENEWAL_TIER_CHOSEN",
  AUTO_RENEWAL_ON: "subscriptions.event.AUTO_RENEWAL_ON",
  AUTO_RENEWAL_OFF: "subscriptions.event.AUTO_RENEWAL_OFF",
  UPGRADED: "subscriptions.event.UPGRADED",
  PAYMENT_METHOD_CHANGED: "subscriptions.event.PAYMENT_METHOD_CHANGED",
};

/** The event's name in words; null for an event this version does not know (shown as sent). */
export function eventLabel(event: string): MessageKey | null {
  return EVENTS[event] ?? null;
}

/** The history, newest first (the API keeps it in the order it happened). */
export function newestFirst<T extends { at: string }>(entries: readonly T[]): T[] {
  // Reversed first: entries of the same instant keep "last happened, first listed".
  return [...entries].reverse().sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
