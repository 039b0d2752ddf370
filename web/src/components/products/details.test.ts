import { describe, expect, it } from "vitest";

import { changedDetails, checkDetails, detailsBody, EMPTY_DETAILS, missingIn, normaliseSerial, today } from "./details";

const TODAY = "2026-05-20";

describe("a registration's details", () => {
  it("may all be left out (kept without the green tick)", () => {
    expect(checkDetails(EMPTY_DETAILS, TODAY)).toEqual({});
    expect(missingIn(EMPTY_DETAILS)).toEqual(["serial_number", "purchase_date", "country_of_purchase", "dealer"]);
  });

  it("checks a serial number as the API does, folding case and spaces", () => {
    expect(normaliseSerial(" ab 12-3/4.5 ")).toBe("AB12-3/4.5");
    expect(checkDetails({ ...EMPTY_DETAILS, serial_number: "ab 123" }, TODAY)).toEqual({});
    expect(checkDetails({ ...EMPTY_DETAILS, serial_number: "#123" }, TODAY)).toEqual({
      serial_number: "products.serialInvalid",
    });
    expect(checkDetails({ ...EMPTY_DETAILS, serial_number: "A".repeat(41) }, TODAY)).toEqual({
      serial_number: "products.serialInvalid",
    });
  });

  it("wants a real purchase date, not in the future and not before 1987", () => {
    const dated = (purchase_date: string) => checkDetails({ ...EMPTY_DETAILS, purchase_date }, TODAY);
    expect(dated("2026-05-20")).toEqual({});
    expect(dated("2026-05-21")).toEqual({ purchase_date: "products.dateFuture" });
    expect(dated("1986-12-31")).toEqual({ purchase_date: "products.dateTooOld" });
    expect(dated("2025-02-30")).toEqual({ purchase_date: "products.dateInvalid" });
    expect(dated("2025-13-01")).toEqual({ purchase_date: "products.dateInvalid" });
  });

  it("limits the dealer to 120 characters", () => {
    expect(checkDetails({ ...EMPTY_DETAILS, dealer: "x".repeat(121) }, TODAY)).toEqual({
      dealer: "products.dealerTooLong",
    });
  });

  it("knows today in the browser's own calendar", () => {
    expect(today(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});

describe("the requests", () => {
  it("registers with the details given and null for the others", () => {
    expect(detailsBody({ ...EMPTY_DETAILS, serial_number: " SN1 ", dealer: "Foto" })).toEqual({
      serial_number: "SN1",
      purchase_date: null,
      country_of_purchase: null,
      dealer: "Foto",
    });
  });

  it("corrects only what changed, and never empties a detail", () => {
    const before = { serial_number: "SN1", purchase_date: "2025-01-01", country_of_purchase: "NL", dealer: "Foto" };
    expect(changedDetails(before, before)).toEqual({});
    expect(changedDetails(before, { ...before, serial_number: "sn 1" })).toEqual({});
    expect(changedDetails(before, { ...before, dealer: "" })).toEqual({});
    expect(changedDetails(before, { ...before, country_of_purchase: "DE", dealer: "Foto Köln" })).toEqual({
      country_of_purchase: "DE",
      dealer: "Foto Köln",
    });
  });
});
