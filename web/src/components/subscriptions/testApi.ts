/**
 * Test helper (Vitest only): the shared fake API (test/fakeApi) with a signed-in member, and
 * the subscription screens' answers.
 */
import { fakeApi as fakeApiAt, type Reply } from "../../test/fakeApi";

export { apiError, json, type Reply, type SentRequest } from "../../test/fakeApi";

/** Configures api() with `routes` ("POST /checkout": reply); anything else answers 404. */
export function fakeApi(routes: Record<string, Reply>) {
  const sent = fakeApiAt(routes, { signedIn: true });
  return { sent, to: (route: string) => sent.filter((r) => `${r.method} ${r.path}` === route) };
}

/** A chart of tiers as GET /tiers answers it. */
export function tiersChart(points: number, family: "individual" | "corporate" | null = "individual", currency = "EUR") {
  const all = [
    ["SILVER", "CPS Silver", "individual", 500, 999, "85.00"],
    ["GOLD", "CPS Gold", "individual", 1000, 1599, "170.00"],
    ["PLATINUM", "CPS Platinum", "individual", 1600, 2499, "300.00"],
    ["CORPORATE_C", "CPS Corporate C", "corporate", 2500, 4499, "1000.00"],
    ["CORPORATE_B", "CPS Corporate B", "corporate", 4500, 9999, "3000.00"],
    ["CORPORATE_A", "CPS Corporate A", "corporate", 10000, null, "5000.00"],
  ] as const;
  return {
    points,
    corporate_available: points >= 2500,
    currency,
    tiers: all
      .filter((row) => family === null || row[2] === family)
      .map(([tier, name, fam, min, max, fee]) => ({
        tier,
        name,
        family: fam,
        min_points: min,
        max_points: max,
        annual_fee: { amount: fee, currency },
        eligible: points >= min,
      })),
  };
}

export const QUOTE = {
  tier: "SILVER",
  name: "CPS Silver",
  price_excl_vat: { amount: "85.00", currency: "EUR" },
  vat_rate: "0.21",
  vat_amount: { amount: "17.85", currency: "EUR" },
  total: { amount: "102.85", currency: "EUR" },
  vat_treatment: "DOMESTIC",
  vat_note: null,
  subscription_type: "AUTO_RENEWAL",
  terms_version: "2026-01",
};

export function membershipOut(overrides: Record<string, unknown> = {}) {
  return {
    membership_number: "151335488",
    tier: "SILVER",
    name: "CPS Silver",
    status: "ACTIVE",
    starts_on: "2026-03-01",
    expires_on: "2027-03-01",
    term: 1,
    auto_renew: true,
    subscription_type: "AUTO_RENEWAL",
    payment_method: "CARD",
    renewal_tier: null,
    renewal: { on: "2027-03-01", tier: "SILVER", price_excl_vat: { amount: "85.00", currency: "EUR" }, invoiced: false },
    history: [
      { at: "2026-03-01T10:00:00Z", event: "PURCHASED", detail: "", by: "anna@example.com" },
      { at: "2026-03-02T09:00:00Z", event: "AUTO_RENEWAL_OFF", detail: "", by: "anna@example.com" },
    ],
    ...overrides,
  };
}
