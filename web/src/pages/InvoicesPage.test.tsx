// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, json } from "../components/subscriptions/testApi";
import { renderPage } from "../test/render";
import { InvoicesPage } from "./InvoicesPage";
import { MembershipPaymentPage } from "./MembershipPaymentPage";

vi.mock("../App", () => ({
  useRuntimeConfig: () => ({ apiUrl: "https://api.cps.test", stage: "local", stripePublishableKey: null }),
}));

afterEach(cleanup);

function invoice(number: string, overrides: Record<string, unknown> = {}) {
  return {
    invoice_number: number,
    kind: "INVOICE",
    purpose: "PURCHASE",
    issued_on: "2026-03-01",
    due_on: "2026-03-31",
    status: "ISSUED",
    days_overdue: 0,
    period: { from: "2026-03-01", to: "2027-02-28" },
    credit_note_for: null,
    cancelled_by: null,
    net: { amount: "85.00", currency: "EUR" },
    vat_rate: "0.21",
    vat: { amount: "17.85", currency: "EUR" },
    total: { amount: "102.85", currency: "EUR" },
    vat_note: null,
    purchase_order_number: "PO-2026-0417",
    payment_method: "CARD",
    payment_note: "",
    membership_number: "151335488",
    description: "CPS Silver membership",
    paid_on: null,
    bank_details: null,
    pdf_url: `https://s3.test/invoices/${number}.pdf?X-Amz-Expires=300`,
    ...overrides,
  };
}

describe("the invoices", () => {
  it("list each invoice with its facts, its PDF and, when open, Pay now", async () => {
    fakeApi({
      "GET /invoices": () =>
        json(200, {
          items: [
            invoice("2026-000002", { kind: "CREDIT_NOTE", purpose: "NON_PAYMENT", status: "ISSUED", credit_note_for: "2026-000001" }),
            invoice("2026-000001", { status: "OVERDUE", cancelled_by: "2026-000002" }),
          ],
          next_cursor: null,
        }),
    });
    renderPage(<InvoicesPage />);
    const first = await screen.findByRole("article", { name: "Invoice 2026-000001" });
    expect(within(first).getByText("Overdue")).toBeTruthy();
    expect(within(first).getByText("PO-2026-0417")).toBeTruthy();
    expect(within(first).getByText("1 March 2026 to 28 February 2027")).toBeTruthy();
    expect(within(first).getByRole("link", { name: "Download 2026-000001 (PDF)" }).getAttribute("href")).toBe(
      "https://s3.test/invoices/2026-000001.pdf?X-Amz-Expires=300",
    );
    expect(within(first).getByRole("link", { name: "Pay invoice 2026-000001 now" }).getAttribute("href")).toBe(
      "/membership/payment?invoice=2026-000001",
    );
    const credit = screen.getByRole("article", { name: "Credit note 2026-000002" });
    expect(within(credit).getByText("Cancels invoice")).toBeTruthy();
    expect(within(credit).queryByRole("link", { name: /Pay invoice/ })).toBeNull();
  });

  it("say when there is none yet", async () => {
    fakeApi({ "GET /invoices": () => json(200, { items: [], next_cursor: null }) });
    renderPage(<InvoicesPage />);
    expect(await screen.findByText(/You have no invoices yet/)).toBeTruthy();
  });

  it("load the next page with the cursor", async () => {
    const api = fakeApi({
      "GET /invoices": (request) =>
        request.query.get("cursor") === "c2"
          ? json(200, { items: [invoice("2026-000001")], next_cursor: null })
          : json(200, { items: [invoice("2026-000003")], next_cursor: "c2" }),
    });
    renderPage(<InvoicesPage />);
    fireEvent.click(await screen.findByRole("button", { name: "Show more invoices" }));
    expect(await screen.findByRole("article", { name: "Invoice 2026-000001" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Show more invoices" })).toBeNull();
    expect(api.to("GET /invoices").map((request) => request.query.get("limit"))).toEqual(["20", "20"]);
  });
});

describe("paying an invoice from the e-mail's link", () => {
  it("shows the invoice, the card payment and the bank details of a bank payer", async () => {
    fakeApi({
      "GET /invoices/2026-000001": () =>
        json(200, invoice("2026-000001", {
          payment_method: "BANK_TRANSFER",
          bank_details: { beneficiary: "Canon Europa N.V.", iban: "NL00BANK0123456789", bic: "BANKNL2A", reference: "RF18 2026 0000 01" },
        })),
    });
    renderPage(<MembershipPaymentPage />, { path: "/membership/payment", url: "/membership/payment?invoice=2026-000001" });
    expect(await screen.findByRole("heading", { name: "Invoice 2026-000001" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Pay by card" })).toBeTruthy();
    const bank = screen.getByRole("region", { name: "Bank transfer details" });
    expect(within(bank).getByText("NL00BANK0123456789")).toBeTruthy();
  });

  it("says a paid invoice needs nothing more", async () => {
    fakeApi({ "GET /invoices/2026-000001": () => json(200, invoice("2026-000001", { status: "PAID", paid_on: "2026-03-31" })) });
    renderPage(<MembershipPaymentPage />, { path: "/membership/payment", url: "/membership/payment?invoice=2026-000001" });
    expect(await screen.findByText("This invoice was paid on 31 March 2026. Nothing more to do.")).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Pay by card" })).toBeNull();
  });

  it("explains a link without an invoice", () => {
    fakeApi({});
    renderPage(<MembershipPaymentPage />, { path: "/membership/payment", url: "/membership/payment" });
    expect(screen.getByText(/This link names no invoice/)).toBeTruthy();
  });
});
