// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { fakeApi, json } from "../test/fakeApi";
import { renderPage } from "../test/render";
import { ProductPage } from "./ProductPage";

afterEach(cleanup);

const INCOMPLETE = {
  product_id: "p2",
  sku: "RF-28-70-F2L-USM",
  name: "Canon RF 28-70mm F2L USM",
  serial_number: "SN200",
  purchase_date: null,
  country_of_purchase: "NL",
  dealer: null,
  complete: false,
  missing: ["purchase_date", "dealer"],
  points: 0,
  source: "REGISTERED",
  registered_at: "2026-01-02T10:00:00Z",
};

const renderProduct = () => renderPage(<ProductPage />, { path: "/products/:id", url: "/products/p2" });

describe("View product", () => {
  it("sends only what changed and says the product now has the green tick", async () => {
    const sent = fakeApi({
      "GET /products/p2": () => json(200, INCOMPLETE),
      "PATCH /products/p2": () =>
        json(200, { ...INCOMPLETE, purchase_date: "2024-11-30", dealer: "Foto Köln", complete: true, missing: [], points: 250 }),
    });
    renderProduct();
    expect(await screen.findByRole("heading", { name: "Complete the details" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Purchase date/), { target: { value: "2024-11-30" } });
    fireEvent.change(screen.getByLabelText(/^Dealer/), { target: { value: "Foto Köln" } });
    fireEvent.click(screen.getByRole("button", { name: "Save details" }));

    expect(await screen.findByText("The details are saved. The product has the green tick: 250 points allocated.")).toBeTruthy();
    expect(sent.find((request) => request.method === "PATCH")?.body).toEqual({ purchase_date: "2024-11-30", dealer: "Foto Köln" });
  });

  it("asks before removing, saying the points are taken back", async () => {
    const sent = fakeApi({
      "GET /products/p2": () => json(200, { ...INCOMPLETE, complete: true, missing: [], points: 250 }),
      "DELETE /products/p2": () => json(204, null),
    });
    renderProduct();
    fireEvent.click(await screen.findByRole("button", { name: "Remove product" }));
    expect(
      screen.getByText("Remove Canon RF 28-70mm F2L USM from your products? Its 250 points are taken back from your company's balance."),
    ).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.className).toBe("confirm-box"));
    expect(sent.some((request) => request.method === "DELETE")).toBe(false);

    fireEvent.click(screen.getByRole("button", { name: "Yes, remove it" }));
    await screen.findByText("elsewhere"); // back on MY PRODUCTS
    expect(sent.some((request) => request.method === "DELETE")).toBe(true);
  });

  it("says when the product is not the customer's", async () => {
    fakeApi({});
    renderProduct();
    expect(await screen.findByText("This product is not among your registrations.")).toBeTruthy();
  });
});
