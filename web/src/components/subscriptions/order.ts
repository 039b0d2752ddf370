import type { IdempotencyKey } from "../../api/idempotency";
import type { MessageKey } from "../../i18n/en";
import type { CheckoutIn, TierId } from "./types";

/** The sign-up's steps, in order (the seed guide's screens). */
export const STEPS = ["tiers", "review", "payment", "active"] as const;
export type Step = (typeof STEPS)[number];

export function stepNumber(step: Step): number {
  return STEPS.indexOf(step) + 1;
}

/** What the customer chose on "Please review your information". */
export interface Order {
  tier: TierId;
  autoRenew: boolean;
  purchaseOrderNumber: string;
  acceptTerms: boolean;
}

export function newOrder(tier: TierId): Order {
  return { tier, autoRenew: true, purchaseOrderNumber: "", acceptTerms: false };
}

/** The API's limit on the purchase-order number (CheckoutIn: at most 35 printable characters). */
export const PO_NUMBER_MAX = 35;

// Printable: no control characters (the API uses Python's str.isprintable()).
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

export function purchaseOrderProblem(value: string): MessageKey | null {
  const cleaned = value.trim();
  if (cleaned === "") return null;
  if (cleaned.length > PO_NUMBER_MAX || CONTROL.test(cleaned)) return "subscriptions.review.poNumberInvalid";
  return null;
}

/** The review step's problems by field, in the order of the form. */
export function reviewProblems(order: Order): Partial<Record<"purchaseOrderNumber" | "acceptTerms", MessageKey>> {
  const problems: Partial<Record<"purchaseOrderNumber" | "acceptTerms", MessageKey>> = {};
  const po = purchaseOrderProblem(order.purchaseOrderNumber);
  if (po) problems.purchaseOrderNumber = po;
  if (!order.acceptTerms) problems.acceptTerms = "subscriptions.review.termsRequired";
  return problems;
}

export type PaymentChoice = { method: "CARD"; token: string } | { method: "BANK_TRANSFER" };

/** POST /checkout's body for the reviewed order, the quoted terms and the chosen payment. */
export function checkoutBody(order: Order, termsVersion: string, payment: PaymentChoice): CheckoutIn {
  const po = order.purchaseOrderNumber.trim();
  return {
    tier: order.tier,
    auto_renew: order.autoRenew,
    purchase_order_number: po === "" ? null : po,
    accept_terms: true,
    terms_version: termsVersion,
    payment:
      payment.method === "CARD"
        ? { method: "CARD", payment_method_token: payment.token }
        : { method: "BANK_TRANSFER" },
  };
}

/**
 * The Idempotency-Key of a purchase: the same key while the same request is sent again (a
 * retry after a network error or a double click), a new one as soon as the request changes
 * (another card, another tier): `forBody(body)` settles the old key when the body differs.
 */
export function orderKeys(key: IdempotencyKey) {
  let sent: string | null = null;
  return {
    forBody(body: unknown): string {
      const shape = JSON.stringify(body);
      if (sent !== null && sent !== shape) key.settle();
      sent = shape;
      return key.current();
    },
    /** The purchase went through (or was given up): the next one starts afresh. */
    settle(): void {
      sent = null;
      key.settle();
    },
  };
}
