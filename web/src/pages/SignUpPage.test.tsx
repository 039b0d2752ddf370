// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { apiError, fakeApi, json, membershipOut, QUOTE, tiersChart } from "../components/subscriptions/testApi";
import { describedBy } from "../test/aria";
import { renderPage } from "../test/render";
import { SignUpPage } from "./SignUpPage";

vi.mock("../App", () => ({
  useRuntimeConfig: () => ({ apiUrl: "https://api.cps.test", stage: "local", stripePublishableKey: null }),
}));

afterEach(cleanup);

const ME = { account_id: "a1", currency: "EUR", points: 580, invited: true, membership: null };
function customer(points: number, extra: Record<string, (request: never, count: number) => Response> = {}) {
  return fakeApi({
    "GET /me": () => json(200, { ...ME, points }),
    "GET /tiers": (request: { query: URLSearchParams }) =>
      json(200, tiersChart(points, (request.query.get("family") as "individual" | "corporate" | null) ?? null)),
    "POST /checkout/quote": () => json(200, QUOTE),
    ...extra,
  });
}

async function toPayment() {
  fireEvent.click(await screen.findByRole("button", { name: "SIGNUP TO SILVER" }));
  await screen.findByText("€102.85");
  fireEvent.click(screen.getByLabelText("I accept the CPS Terms & Conditions"));
  fireEvent.click(screen.getByRole("button", { name: "PURCHASE" }));
  await screen.findByRole("heading", { name: "Please select payment option" });
}

describe("the sign-up's tier cards", () => {
  it("offer SIGNUP TO on the tiers the points open and say what the others need", async () => {
    customer(580);
    renderPage(<SignUpPage />);
    expect(await screen.findByRole("button", { name: "SIGNUP TO SILVER" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "SIGNUP TO GOLD" })).toBeNull();
    expect(screen.getByText("You need 420 more points for CPS Gold.")).toBeTruthy();
    expect(screen.getByText("500–999 points")).toBeTruthy();
    expect(screen.queryByRole("switch")).toBeNull(); // under 2,500 points
  });

  it("show the fees in the account's currency, formatted in the UI language", async () => {
    customer(580);
    renderPage(<SignUpPage />, { language: "nl" });
    expect(await screen.findByRole("button", { name: "AANMELDEN VOOR SILVER" })).toBeTruthy();
    expect(screen.getByText(/€\s?85,00 per jaar/)).toBeTruthy();
  });

  it("switch to the corporate plans from 2,500 points, reloading the tiers with ?family=", async () => {
    const api = customer(2600);
    renderPage(<SignUpPage />);
    const toggle = await screen.findByRole("switch", { name: "View corporate plans" });
    expect(toggle.getAttribute("aria-checked")).toBe("false");
    fireEvent.click(toggle);
    expect(await screen.findByRole("button", { name: "SIGNUP TO CORPORATE C" })).toBeTruthy();
    expect(screen.getByRole("switch", { name: "View corporate plans" }).getAttribute("aria-checked")).toBe("true");
    expect(api.to("GET /tiers").map((request) => request.query.get("family"))).toEqual(["individual", "corporate"]);
  });
});

describe("the review", () => {
  it("refuses to go on without the terms, beside the checkbox, and focuses it", async () => {
    customer(580);
    renderPage(<SignUpPage />);
    fireEvent.click(await screen.findByRole("button", { name: "SIGNUP TO SILVER" }));
    expect(await screen.findByText("€85.00 excl. VAT per year")).toBeTruthy();
    expect(screen.getByText("VAT (21%)")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "PURCHASE" }));
    const terms = screen.getByLabelText("I accept the CPS Terms & Conditions");
    expect(terms.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(terms)).toContain("Please accept the CPS Terms & Conditions to continue.");
    expect(document.activeElement).toBe(terms);
    expect(screen.getByRole("heading", { name: "Please review your information" })).toBeTruthy();
  });

  it("goes back to the tier cards with Change Plan", async () => {
    customer(580);
    renderPage(<SignUpPage />);
    fireEvent.click(await screen.findByRole("button", { name: "SIGNUP TO SILVER" }));
    fireEvent.click(await screen.findByRole("button", { name: "Change Plan" }));
    expect(await screen.findByRole("heading", { name: "CPS subscriptions available" })).toBeTruthy();
  });
});

describe("the payment", () => {
  it("keeps the customer on the payment step when the card is declined, with the reason beside the card", async () => {
    const api = customer(580, {
      "POST /checkout": () =>
        apiError(422, "PAYMENT_DECLINED", { "payment.payment_method_token": "no reason given by the card issuer" }),
    });
    renderPage(<SignUpPage />);
    await toPayment();
    fireEvent.click(screen.getByLabelText(/pm_card_chargeDeclined/));
    fireEvent.click(screen.getByRole("button", { name: "CHECKOUT" }));
    const main = await screen.findByText("Your card was declined. Choose another card, or pay by bank transfer.");
    expect(main).toBeTruthy();
    const radio = screen.getByLabelText(/pm_card_chargeDeclined/);
    expect(describedBy(radio)).toContain("The card issuer declined it without giving a reason.");
    expect(screen.getByRole("heading", { name: "Please select payment option" })).toBeTruthy();
    expect(api.to("POST /checkout")[0]?.body).toMatchObject({
      tier: "SILVER",
      accept_terms: true,
      terms_version: "2026-01",
      payment: { method: "CARD", payment_method_token: "pm_card_chargeDeclined" },
    });
  });

  it("asks for a test card before sending anything", async () => {
    const api = customer(580);
    renderPage(<SignUpPage />);
    await toPayment();
    fireEvent.click(screen.getByRole("button", { name: "CHECKOUT" }));
    expect(await screen.findByText("Choose a test card.")).toBeTruthy();
    expect(api.to("POST /checkout")).toHaveLength(0);
  });

  it("retries a failed send with the same Idempotency-Key, and a new card gets a new one", async () => {
    const api = customer(580, {
      "POST /checkout": (_request, count) =>
        count === 1
          ? apiError(422, "PAYMENT_DECLINED", { "payment.payment_method_token": "insufficient funds" })
          : count === 2
            ? apiError(503, "SERVICE_UNAVAILABLE")
            : json(201, { membership: membershipOut(), invoice: { status: "PENDING" }, quote: QUOTE }),
    });
    renderPage(<SignUpPage />);
    await toPayment();
    fireEvent.click(screen.getByLabelText(/pm_card_chargeDeclined/));
    fireEvent.click(screen.getByRole("button", { name: "CHECKOUT" }));
    await screen.findByText("There are not enough funds on the card.");
    fireEvent.click(screen.getByLabelText(/pm_card_visa/));
    fireEvent.click(screen.getByRole("button", { name: "CHECKOUT" }));
    await screen.findByText(/The payment service cannot answer right now/);
    fireEvent.click(screen.getByRole("button", { name: "CHECKOUT" }));
    expect(await screen.findByRole("heading", { name: /SUBSCRIPTION ACTIVE/ })).toBeTruthy();
    const keys = api.to("POST /checkout").map((request) => request.idempotencyKey);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[1]).toBe(keys[2]);
  });

  it("ends on SUBSCRIPTION ACTIVE with the tier, expiry date and membership number", async () => {
    customer(580, {
      "POST /checkout": () => json(201, { membership: membershipOut(), invoice: { status: "PENDING" }, quote: QUOTE }),
    });
    renderPage(<SignUpPage />);
    await toPayment();
    fireEvent.click(screen.getByLabelText(/pm_card_visa/));
    fireEvent.click(screen.getByRole("button", { name: "CHECKOUT" }));
    const heading = await screen.findByRole("heading", { name: /SUBSCRIPTION ACTIVE/ });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByText("SILVER MEMBERSHIP")).toBeTruthy();
    expect(screen.getByText("151335488")).toBeTruthy();
    expect(screen.getByText("1 March 2027")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Manage subscription" }).getAttribute("href")).toBe("/membership");
  });

  it("shows a bank payer the bank details once the invoice is issued", async () => {
    customer(580, {
      "POST /checkout": () =>
        json(201, {
          membership: membershipOut({ payment_method: "BANK_TRANSFER" }),
          invoice: { status: "PENDING" },
          quote: QUOTE,
        }),
      "GET /invoices": () =>
        json(200, {
          items: [
            {
              invoice_number: "2026-000001",
              kind: "INVOICE",
              purpose: "PURCHASE",
              membership_number: "151335488",
              due_on: "2026-03-31",
              total: { amount: "102.85", currency: "EUR" },
              bank_details: { beneficiary: "Canon Europa N.V.", iban: "NL00BANK0123456789", bic: "BANKNL2A", reference: "RF18 2026 0000 01" },
            },
          ],
          next_cursor: null,
        }),
    });
    renderPage(<SignUpPage />);
    await toPayment();
    fireEvent.click(screen.getByLabelText("Bank Transfer"));
    expect(screen.queryByLabelText(/pm_card_visa/)).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "CHECKOUT" }));
    await screen.findByRole("heading", { name: /SUBSCRIPTION ACTIVE/ });
    const bank = await screen.findByRole("region", { name: "Bank transfer details" });
    expect(within(bank).getByText("NL00BANK0123456789")).toBeTruthy();
    expect(within(bank).getByText("RF18 2026 0000 01")).toBeTruthy();
  });

  it("sends a refused order number back to the review, beside its field", async () => {
    customer(580, {
      "POST /checkout": () =>
        apiError(422, "VALIDATION_FAILED", { purchase_order_number: "at most 35 printable characters" }),
    });
    renderPage(<SignUpPage />);
    await toPayment();
    fireEvent.click(screen.getByLabelText(/pm_card_visa/));
    fireEvent.click(screen.getByRole("button", { name: "CHECKOUT" }));
    await screen.findByRole("heading", { name: "Please review your information" });
    expect(describedBy(screen.getByLabelText("Purchase Order Number (optional)"))).toContain(
      "at most 35 printable characters",
    );
  });
});

describe("new terms and conditions", () => {
  it("send the customer back to the review to accept them again", async () => {
    customer(580, {
      "POST /checkout": () => apiError(422, "VALIDATION_FAILED", { terms_version: "the current version is 2026-02" }),
    });
    renderPage(<SignUpPage />);
    await toPayment();
    fireEvent.click(screen.getByLabelText(/pm_card_visa/));
    fireEvent.click(screen.getByRole("button", { name: "CHECKOUT" }));
    await screen.findByRole("heading", { name: "Please review your information" });
    const terms = screen.getByLabelText("I accept the CPS Terms & Conditions") as HTMLInputElement;
    expect(terms.checked).toBe(false);
    expect(describedBy(terms)).toContain("The CPS Terms & Conditions have changed since you accepted them");
  });
});

describe("a company that is a member already", () => {
  it("is sent to Manage subscription instead of the tier cards", async () => {
    fakeApi({ "GET /me": () => json(200, { ...ME, membership: membershipOut() }), "GET /tiers": () => json(200, tiersChart(580)) });
    renderPage(<SignUpPage />);
    expect(await screen.findByText("Your company already has a CPS membership.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "SIGNUP TO SILVER" })).toBeNull();
  });
});
