import { describe, expect, it } from "vitest";

import { ApiError } from "../../api/errors";
import { createIdempotencyKey } from "../../api/idempotency";
import { cardCollectorKind, cardProblemText, localCardResult } from "./cardCollector";
import { eventLabel, isOpenInvoice, newestFirst } from "./labels";
import { checkoutBody, newOrder, orderKeys, purchaseOrderProblem, reviewProblems, stepNumber } from "./order";
import { formatRate } from "./percent";
import { isStale, PDF_LINK_FRESH_MS } from "./PdfLink";
import { declineReason, refusedField } from "./refusals";
import { feeDifference, familyShown, pointsNeeded, renewalOptions, shortTierName, upgradeOptions } from "./tiers";
import { tiersChart } from "./testApi";
import type { InvoiceOut, TierOut } from "./types";
import { invoiceOfPurchase, nextPause } from "./useInvoiceOf";

const tiers = (points: number) => tiersChart(points, null).tiers as unknown as TierOut[];

describe("the tier cards", () => {
  it("name the tier as the seed's buttons and review do", () => {
    expect(shortTierName("CPS Silver")).toBe("Silver");
    expect(shortTierName("CPS Corporate C").toUpperCase()).toBe("CORPORATE C");
  });

  it("say how many points a closed tier still needs", () => {
    expect(pointsNeeded({ min_points: 1000 }, 580)).toBe(420);
    expect(pointsNeeded({ min_points: 500 }, 580)).toBe(0);
  });

  it("show the corporate family only when the switch is ON and 2,500 points open it", () => {
    expect(familyShown(true, true)).toBe("corporate");
    expect(familyShown(true, false)).toBe("individual");
    expect(familyShown(false, true)).toBe("individual");
  });
});

describe("upgrades and renewals", () => {
  it("offer the open tiers with a higher fee, of either family", () => {
    expect(upgradeOptions(tiers(2600), "GOLD").map((tier) => tier.tier)).toEqual(["PLATINUM", "CORPORATE_C"]);
    expect(upgradeOptions(tiers(700), "SILVER")).toEqual([]);
    expect(upgradeOptions(tiers(700), "UNKNOWN")).toEqual([]);
  });

  it("let the renewal take any open tier", () => {
    expect(renewalOptions(tiers(1200)).map((tier) => tier.tier)).toEqual(["SILVER", "GOLD"]);
  });

  it("compute the yearly fee difference in cents, without float noise", () => {
    expect(feeDifference({ amount: "170.00", currency: "EUR" }, { amount: "85.00", currency: "EUR" })).toEqual({
      amount: "85.00",
      currency: "EUR",
    });
    expect(feeDifference({ amount: "0.30", currency: "GBP" }, { amount: "0.10", currency: "GBP" }).amount).toBe("0.20");
  });
});

describe("the order", () => {
  it("needs the terms accepted, and a purchase-order number of at most 35 printable characters", () => {
    const order = newOrder("SILVER");
    expect(reviewProblems(order)).toEqual({ acceptTerms: "subscriptions.review.termsRequired" });
    expect(reviewProblems({ ...order, acceptTerms: true })).toEqual({});
    expect(purchaseOrderProblem("PO-2026-0417")).toBeNull();
    expect(purchaseOrderProblem("   ")).toBeNull();
    expect(purchaseOrderProblem("x".repeat(36))).toBe("subscriptions.review.poNumberInvalid");
    expect(purchaseOrderProblem("PO\n1")).toBe("subscriptions.review.poNumberInvalid");
  });

  it("is sent as POST /checkout's body: auto-renewal, trimmed order number or null, the quoted terms", () => {
    const order = { ...newOrder("GOLD"), autoRenew: false, purchaseOrderNumber: "  PO-7 ", acceptTerms: true };
    expect(checkoutBody(order, "2026-01", { method: "CARD", token: "pm_card_visa" })).toEqual({
      tier: "GOLD",
      auto_renew: false,
      purchase_order_number: "PO-7",
      accept_terms: true,
      terms_version: "2026-01",
      payment: { method: "CARD", payment_method_token: "pm_card_visa" },
    });
    expect(checkoutBody(newOrder("SILVER"), "v", { method: "BANK_TRANSFER" })).toMatchObject({
      purchase_order_number: null,
      payment: { method: "BANK_TRANSFER" },
    });
  });

  it("keeps its Idempotency-Key for a retry of the same request and takes a new one when it changes", () => {
    let made = 0;
    const keys = orderKeys(createIdempotencyKey(() => `key-${++made}`));
    const visa = { tier: "SILVER", token: "pm_card_visa" };
    expect(keys.forBody(visa)).toBe("key-1");
    expect(keys.forBody({ ...visa })).toBe("key-1"); // a retry, a double click
    expect(keys.forBody({ ...visa, token: "pm_card_chargeDeclined" })).toBe("key-2"); // another card
    keys.settle(); // bought
    expect(keys.forBody({ ...visa, token: "pm_card_chargeDeclined" })).toBe("key-3");
  });

  it("counts its steps from 1", () => {
    expect(stepNumber("tiers")).toBe(1);
    expect(stepNumber("active")).toBe(4);
  });
});

describe("the card collector", () => {
  it("is the local test-card list in the local stage, Stripe where a publishable key is deployed", () => {
    expect(cardCollectorKind({ stage: "local", stripePublishableKey: null })).toBe("local");
    expect(cardCollectorKind({ stage: "local", stripePublishableKey: "pk_test_1" })).toBe("local");
    expect(cardCollectorKind({ stage: "prod", stripePublishableKey: "pk_live_1" })).toBe("stripe");
    expect(cardCollectorKind({ stage: "prod", stripePublishableKey: null })).toBe("unavailable");
  });

  it("answers the chosen test card's token, or asks for one", () => {
    expect(localCardResult("pm_card_visa")).toEqual({ ok: true, token: "pm_card_visa" });
    const none = localCardResult(null);
    expect(none).toEqual({ ok: false, problem: { key: "subscriptions.card.chooseTestCard" } });
    expect(localCardResult("4242424242424242").ok).toBe(false);
    expect(cardProblemText((key) => `t:${key}`, none)).toBe("t:subscriptions.card.chooseTestCard");
    expect(cardProblemText((key) => key, { ok: false, problem: { text: "Your card number is incomplete." } })).toBe(
      "Your card number is incomplete.",
    );
  });
});

describe("a refused payment", () => {
  const declined = (reason: string) =>
    new ApiError(422, "PAYMENT_DECLINED", `The card was declined (${reason}).`, {
      "payment.payment_method_token": reason,
    });

  it("is read as a decline with the provider's reason in words", () => {
    expect(declineReason(declined("no reason given by the card issuer"))).toBe("subscriptions.decline.issuer");
    expect(declineReason(declined("insufficient funds"))).toBe("subscriptions.decline.funds");
    expect(declineReason(declined("something new"))).toBe("subscriptions.decline.issuer");
    expect(
      declineReason(new ApiError(422, "PAYMENT_DECLINED", "x", { payment_method_token: "the card has expired" })),
    ).toBe("subscriptions.decline.expired");
  });

  it("is not a decline when another rule was broken", () => {
    const terms = new ApiError(422, "VALIDATION_FAILED", "x", { terms_version: "the current version is 2026-02" });
    expect(declineReason(terms)).toBeNull();
    expect(declineReason(new ApiError(503, "SERVICE_UNAVAILABLE", "x"))).toBeNull();
    expect(refusedField(terms, "accept_terms", "terms_version")).toBe("terms_version");
  });
});

describe("labels and lists", () => {
  it("lists the history newest first, the last of the same instant first", () => {
    const entries = [
      { at: "2026-03-01T10:00:00Z", event: "PURCHASED" },
      { at: "2026-03-05T10:00:00Z", event: "AUTO_RENEWAL_OFF" },
      { at: "2026-03-05T10:00:00Z", event: "AUTO_RENEWAL_ON" },
    ];
    expect(newestFirst(entries).map((entry) => entry.event)).toEqual(["AUTO_RENEWAL_ON", "AUTO_RENEWAL_OFF", "PURCHASED"]);
  });

  it("names known events and leaves unknown ones as sent", () => {
    expect(eventLabel("PAST_DUE")).toBe("subscriptions.event.PAST_DUE");
    expect(eventLabel("SOMETHING_NEW")).toBeNull();
  });

  it("treats issued and overdue invoices as open, never a credit note", () => {
    expect(isOpenInvoice({ kind: "INVOICE", status: "OVERDUE" })).toBe(true);
    expect(isOpenInvoice({ kind: "INVOICE", status: "PAID" })).toBe(false);
    expect(isOpenInvoice({ kind: "CREDIT_NOTE", status: "ISSUED" })).toBe(false);
  });

  it("writes the VAT rate as a percentage of the language", () => {
    expect(formatRate("0.21", "en")).toBe("21%");
    expect(formatRate("0.21", "de")).toBe("21\u00a0%"); // a no-break space, as German writes it
    expect(formatRate("0", "nl")).toBe("0%");
  });
});

describe("after a purchase", () => {
  const invoice = (overrides: Partial<InvoiceOut>) =>
    ({ kind: "INVOICE", purpose: "PURCHASE", membership_number: "151335488", ...overrides }) as InvoiceOut;

  it("finds the purchase's invoice among the customer's invoices", () => {
    const ours = invoice({ invoice_number: "2026-000002" });
    const list = [invoice({ invoice_number: "2026-000003", purpose: "UPGRADE" }), ours];
    expect(invoiceOfPurchase(list, "151335488")).toBe(ours);
    expect(invoiceOfPurchase(list, "999999999")).toBeNull();
  });

  it("looks for the invoice again after 1 s, then doubling up to 8 s", () => {
    expect([nextPause(null), nextPause(1000), nextPause(4000), nextPause(8000)]).toEqual([1000, 2000, 8000, 8000]);
  });

  it("renews a PDF link older than its presigned lifetime before following it", () => {
    expect(isStale(0, PDF_LINK_FRESH_MS - 1)).toBe(false);
    expect(isStale(0, PDF_LINK_FRESH_MS + 1)).toBe(true);
  });
});
