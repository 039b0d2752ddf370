// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { apiError, fakeApi, json, type Reply } from "../test/fakeApi";
import { renderPage } from "../test/render";
import { ProductsPage } from "./ProductsPage";

afterEach(cleanup);

const product = (overrides: Record<string, unknown>) => ({
  product_id: "p1",
  sku: "EOS-R5-BODY",
  name: "Canon EOS R5",
  serial_number: "SN100",
  purchase_date: "2025-03-14",
  country_of_purchase: "NL",
  dealer: "Foto Amsterdam",
  complete: true,
  missing: [],
  points: 250,
  source: "REGISTERED",
  registered_at: "2026-01-02T10:00:00Z",
  ...overrides,
});

const INCOMPLETE = product({
  product_id: "p2",
  sku: "RF-28-70-F2L-USM",
  name: "Canon RF 28-70mm F2L USM",
  serial_number: "SN200",
  purchase_date: null,
  dealer: null,
  complete: false,
  missing: ["purchase_date", "dealer"],
  points: 0,
  source: "MIGRATED",
});

const NO_MIGRATION = { available: false, confirmation: "NONE", migrated: false, legacy_products: [] };
const ME = { points: 250 };

function api(overrides: Record<string, Reply> = {}) {
  return fakeApi({
    "GET /products": () => json(200, { items: [product({}), INCOMPLETE], next_cursor: null }),
    "GET /migration": () => json(200, NO_MIGRATION),
    "GET /me": () => json(200, ME),
    ...overrides,
  });
}

describe("MY PRODUCTS", () => {
  it("shows the green tick of a complete product and what an incomplete one misses", async () => {
    api();
    renderPage(<ProductsPage />, { path: "/products" });

    const complete = (await screen.findByRole("heading", { name: "Canon EOS R5" })).closest("li")!;
    expect(within(complete).getByText("Complete: 250 points allocated")).toBeTruthy();
    const incomplete = screen.getByRole("heading", { name: "Canon RF 28-70mm F2L USM" }).closest("li")!;
    expect(within(incomplete).getByText(/No green tick yet: purchase date, dealer missing/)).toBeTruthy();
    expect(within(incomplete).getByText("Migrated from your old CPS account")).toBeTruthy();
    expect(within(incomplete).getByRole("link", { name: /View product/ }).getAttribute("href")).toBe("/products/p2");
    expect(screen.getByText("Your company has 250 points.")).toBeTruthy();
    expect(screen.getByText(/No old CPS e-mail address was given/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "MIGRATE PRODUCTS" })).toBeNull();
  });

  it("says so when nothing is registered yet, in CPS's words", async () => {
    api({ "GET /products": () => json(200, { items: [], next_cursor: null }) });
    renderPage(<ProductsPage />, { path: "/products", language: "de" });
    expect(await screen.findByText("Du hast noch kein Produkt registriert.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "PRODUKT REGISTRIEREN" })).toBeTruthy();
  });

  it("offers MIGRATE PRODUCTS once the old address is confirmed, and the link again while it is not", async () => {
    api({
      "GET /migration": () =>
        json(200, {
          available: true,
          confirmation: "CONFIRMED",
          migrated: false,
          legacy_products: [{ ...product({}), name: "Canon EOS 5D Mark IV" }],
        }),
    });
    renderPage(<ProductsPage />, { path: "/products" });
    expect(await screen.findByRole("button", { name: "MIGRATE PRODUCTS" })).toBeTruthy();
    expect(screen.getByText(/Products that can be brought over once with MIGRATE PRODUCTS \(1\)/)).toBeTruthy();
    cleanup();

    api({ "GET /migration": () => json(200, { ...NO_MIGRATION, confirmation: "PENDING" }) });
    renderPage(<ProductsPage />, { path: "/products" });
    expect(await screen.findByRole("button", { name: "Send the link again" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "MIGRATE PRODUCTS" })).toBeNull();
  });

  it("registers from the catalogue search, and explains a serial registered already", async () => {
    const sent = api({
      "GET /catalog": () =>
        json(200, { items: [{ sku: "EOS-R3-BODY", name: "Canon EOS R3", category: "CAMERA_BODY", points: 450 }], next_cursor: null }),
      "POST /products": () => apiError(409, "CONFLICT", { serial_number: "already registered" }),
    });
    renderPage(<ProductsPage />, { path: "/products" });
    fireEvent.click(await screen.findByRole("button", { name: "REGISTER A PRODUCT" }));

    const search = screen.getByRole("combobox", { name: "Product" });
    fireEvent.change(search, { target: { value: "R3" } });
    await screen.findByRole("option", { name: /Canon EOS R3/ });
    expect(sent.find((request) => request.path === "/catalog")?.search).toContain("q=R3");
    fireEvent.keyDown(search, { key: "ArrowDown" });
    expect(search.getAttribute("aria-activedescendant")).toBe("register-product-results-EOS-R3-BODY");
    fireEvent.keyDown(search, { key: "Enter" });
    expect(screen.getByText("Chosen: Canon EOS R3 (EOS-R3-BODY), 450 points once complete.")).toBeTruthy();

    fireEvent.change(screen.getByLabelText(/^Serial number/), { target: { value: "sn300" } });
    fireEvent.click(screen.getByRole("button", { name: "Register product" }));

    await screen.findByText(/This product \(model and serial number\) is already registered/);
    const serial = screen.getByLabelText(/^Serial number/);
    expect(serial.getAttribute("aria-invalid")).toBe("true");
    await waitFor(() => expect(document.activeElement).toBe(serial));
    expect(sent.find((request) => request.method === "POST")?.body).toEqual({
      sku: "EOS-R3-BODY",
      serial_number: "sn300",
      purchase_date: null,
      country_of_purchase: null,
      dealer: null,
    });
  });
});
