// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { apiError, fakeApi, json, membershipOut, tiersChart } from "../components/subscriptions/testApi";
import { describedBy } from "../test/aria";
import { renderPage } from "../test/render";
import { MembershipPage } from "./MembershipPage";

vi.mock("../App", () => ({
  useRuntimeConfig: () => ({ apiUrl: "https://api.cps.test", stage: "local", stripePublishableKey: null }),
}));

afterEach(cleanup);

describe("Manage subscription", () => {
  it("offers SIGN UP FOR CPS to a company without a membership", async () => {
    fakeApi({ "GET /tiers": () => json(200, tiersChart(600, null)) });
    renderPage(<MembershipPage />);
    const link = await screen.findByRole("link", { name: "SIGN UP FOR CPS" });
    expect(link.getAttribute("href")).toBe("/cps/sign-up");
  });

  it("shows the card, the renewal and the history newest first", async () => {
    fakeApi({ "GET /membership": () => json(200, membershipOut()), "GET /tiers": () => json(200, tiersChart(600, null)) });
    renderPage(<MembershipPage />);
    const card = await screen.findByRole("region", { name: /SUBSCRIPTION ACTIVE/ });
    expect(within(card).getByText("Active")).toBeTruthy();
    expect(within(card).getByText("151335488")).toBeTruthy();
    expect(within(card).getByText("Credit card")).toBeTruthy();
    expect(screen.getByText("Renews on 1 March 2027 as CPS Silver for €85.00 excl. VAT per year.")).toBeTruthy();
    const history = within(screen.getByRole("region", { name: "History" })).getAllByRole("listitem");
    expect(history.map((item) => item.textContent)).toEqual([
      expect.stringContaining("Auto-renewal switched off"),
      expect.stringContaining("Membership bought"),
    ]);
  });

  it("explains what to do when a payment is overdue", async () => {
    fakeApi({
      "GET /membership": () => json(200, membershipOut({ status: "PAST_DUE" })),
      "GET /tiers": () => json(200, tiersChart(600, null)),
    });
    renderPage(<MembershipPage />);
    expect(await screen.findByText("Payment overdue")).toBeTruthy();
    expect(screen.getByText(/An invoice is overdue. Please pay it now/)).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Upgrade" })).toBeNull(); // only ACTIVE members upgrade
  });

  it("switches auto-renewal off with PATCH and says when the membership ends", async () => {
    const api = fakeApi({
      "GET /membership": () => json(200, membershipOut()),
      "GET /tiers": () => json(200, tiersChart(600, null)),
      "PATCH /membership": () => json(200, membershipOut({ auto_renew: false, renewal: null })),
    });
    renderPage(<MembershipPage />);
    const toggle = await screen.findByRole("switch", { name: "Auto-renewal" });
    expect(toggle.getAttribute("aria-checked")).toBe("true");
    fireEvent.click(toggle);
    expect(await screen.findByText("Auto-renewal is off. Your membership ends on 1 March 2027.")).toBeTruthy();
    expect(screen.getByRole("switch", { name: "Auto-renewal" }).getAttribute("aria-checked")).toBe("false");
    expect(api.to("PATCH /membership")[0]?.body).toEqual({ auto_renew: false });
  });

  it("chooses the renewal tier among the open tiers", async () => {
    const api = fakeApi({
      "GET /membership": () => json(200, membershipOut()),
      "GET /tiers": () => json(200, tiersChart(1200, null)),
      "PATCH /membership": () => json(200, membershipOut({ renewal_tier: "GOLD" })),
    });
    renderPage(<MembershipPage />);
    const select = await screen.findByLabelText("Tier for the renewal");
    expect(within(select).getAllByRole("option").map((option) => option.getAttribute("value"))).toEqual(["SILVER", "GOLD"]);
    fireEvent.change(select, { target: { value: "GOLD" } });
    fireEvent.click(screen.getByRole("button", { name: "Save renewal tier" }));
    expect(await screen.findByText("CPS Gold is the tier for the renewal.")).toBeTruthy();
    expect(api.to("PATCH /membership")[0]?.body).toEqual({ renewal_tier: "GOLD" });
  });

  it("refuses a declined new card beside the card", async () => {
    fakeApi({
      "GET /membership": () => json(200, membershipOut()),
      "GET /tiers": () => json(200, tiersChart(600, null)),
      "PUT /membership/payment-method": () =>
        apiError(422, "PAYMENT_DECLINED", { "payment.payment_method_token": "no reason given by the card issuer" }),
    });
    renderPage(<MembershipPage />);
    fireEvent.click(await screen.findByLabelText(/pm_card_chargeDeclined/));
    fireEvent.click(screen.getByRole("button", { name: "Save new card" }));
    expect(await screen.findByText(/^The card was declined:/)).toBeTruthy();
    expect(describedBy(screen.getByLabelText(/pm_card_chargeDeclined/))).toContain("The card issuer declined it");
  });

  it("upgrades after a confirmation that explains the prorated price", async () => {
    const api = fakeApi({
      "GET /membership": () => json(200, membershipOut()),
      "GET /tiers": () => json(200, tiersChart(1200, null)),
      "POST /membership/upgrade": () =>
        json(201, {
          membership: membershipOut({ tier: "GOLD", name: "CPS Gold" }),
          invoice: { status: "PENDING", net: { amount: "42.27", currency: "EUR" } },
        }),
    });
    renderPage(<MembershipPage />);
    fireEvent.click(await screen.findByLabelText(/CPS Gold/));
    fireEvent.click(screen.getByRole("button", { name: "Upgrade" }));
    expect(screen.getByText(/the difference between the annual fees \(€85\.00 per year, excl\. VAT\)/)).toBeTruthy();
    expect(api.to("POST /membership/upgrade")).toHaveLength(0);
    fireEvent.click(screen.getByRole("button", { name: "Confirm upgrade to CPS Gold" }));
    expect(await screen.findByText("You are now a CPS Gold member. The prorated difference of €42.27 excl. VAT is invoiced.")).toBeTruthy();
    const [upgrade] = api.to("POST /membership/upgrade");
    expect(upgrade?.body).toEqual({ tier: "GOLD" });
    expect(upgrade?.idempotencyKey).toBeTruthy();
  });
});
