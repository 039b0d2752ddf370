import { describe, expect, it } from "vitest";

import { formatDate, formatMoney, formatNumber } from "./format";

// Intl separates the symbol with a no-break space (U+00A0) or a narrow one (U+202F).
const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("formatMoney", () => {
  const fee = { amount: "85.00", currency: "EUR" };

  it("writes euros the Dutch way in nl", () => {
    expect(plainSpaces(formatMoney(fee, "nl"))).toBe("€ 85,00");
  });

  it("writes euros the British way in en", () => {
    expect(formatMoney(fee, "en")).toBe("€85.00");
  });

  it("puts the symbol after the amount in de, da and lv", () => {
    expect(plainSpaces(formatMoney(fee, "de"))).toBe("85,00 €");
    expect(plainSpaces(formatMoney(fee, "da"))).toBe("85,00 €");
    expect(plainSpaces(formatMoney(fee, "lv"))).toBe("85,00 €");
  });

  it("shows pounds for a British account", () => {
    expect(formatMoney({ amount: "170.00", currency: "GBP" }, "en")).toBe("£170.00");
  });

  it("groups thousands and keeps every cent of the decimal string", () => {
    expect(plainSpaces(formatMoney({ amount: "5000.00", currency: "EUR" }, "nl"))).toBe("€ 5.000,00");
    expect(formatMoney({ amount: "1234567.89", currency: "EUR" }, "en")).toBe("€1,234,567.89");
  });
});

describe("formatDate", () => {
  it("shows an API date as that calendar day, whatever the time zone", () => {
    expect(formatDate("2026-01-31", "en")).toBe("31 January 2026");
    expect(formatDate("2026-01-31", "nl")).toBe("31 januari 2026");
    expect(formatDate("2026-01-31", "de")).toBe("31. Januar 2026");
  });

  it("leaves a value that is not a date as it is", () => {
    expect(formatDate("soon", "en")).toBe("soon");
  });
});

describe("formatNumber", () => {
  it("groups points per language", () => {
    expect(formatNumber(2500, "en")).toBe("2,500");
    expect(formatNumber(2500, "nl")).toBe("2.500");
  });
});
