// @vitest-environment happy-dom
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { fakeApi, json } from "../test/fakeApi";
import { renderPage } from "../test/render";
import { AccountPage, showsInvitation } from "./AccountPage";

afterEach(cleanup);

const ME = {
  account_id: "a1",
  company: { name: "Studio Lumen B.V.", street: "Keizersgracht 1", postcode: "1015 CJ", city: "Amsterdam", country: "NL" },
  country: "NL",
  currency: "EUR",
  language: "nl",
  vat_number: null,
  contact: { name: "Anna de Vries", email: "anna@studio-lumen.example", phone: "+31 20 123 4567" },
  points: 1250,
  invited: true,
  membership: null,
};

const MEMBERSHIP = {
  membership_number: "151335488",
  tier: "SILVER",
  name: "CPS Silver",
  status: "ACTIVE",
  starts_on: "2026-01-01",
  expires_on: "2026-12-31",
  term: 1,
  auto_renew: true,
  subscription_type: "AUTO_RENEWAL",
  payment_method: "CARD",
  renewal_tier: null,
  renewal: null,
  history: [],
};

describe("MY ACCOUNT", () => {
  it("invites to CPS from 500 points while there is no membership to use", () => {
    expect(showsInvitation({ invited: true, membership: null })).toBe(true);
    expect(showsInvitation({ invited: false, membership: null })).toBe(false);
    expect(showsInvitation({ invited: true, membership: { ...MEMBERSHIP, status: "ACTIVE" } as never })).toBe(false);
    expect(showsInvitation({ invited: true, membership: { ...MEMBERSHIP, status: "EXPIRED" } as never })).toBe(true);
  });

  it("shows the company, its points in the page's language and the invitation", async () => {
    fakeApi({ "GET /me": () => json(200, ME) });
    renderPage(<AccountPage />, { path: "/account", language: "nl" });
    expect(await screen.findByText("Studio Lumen B.V.")).toBeTruthy();
    expect(screen.getByText("1.250 punten")).toBeTruthy();
    expect(screen.getByText("Nederland")).toBeTruthy();
    expect(screen.getByRole("link", { name: "AANMELDEN BIJ CPS" }).getAttribute("href")).toBe("/cps/sign-up");
  });

  it("shows the subscription card of a member", async () => {
    fakeApi({ "GET /me": () => json(200, { ...ME, membership: MEMBERSHIP }) });
    renderPage(<AccountPage />, { path: "/account" });
    expect(await screen.findByText("SUBSCRIPTION ACTIVE")).toBeTruthy();
    expect(screen.getByText("CPS Silver")).toBeTruthy();
    expect(screen.getByText("31 December 2026")).toBeTruthy();
    expect(screen.getByText("151335488")).toBeTruthy();
    expect(screen.getByRole("link", { name: "VIEW your subscription" }).getAttribute("href")).toBe("/membership");
    expect(screen.queryByRole("link", { name: "SIGN UP FOR CPS" })).toBeNull();
  });
});
