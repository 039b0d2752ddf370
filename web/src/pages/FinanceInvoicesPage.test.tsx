// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { localToday, type Receivable } from "../components/backoffice/logic";
import { apiError, fakeApi, json } from "../test/fakeApi";
import { describedBy } from "../test/aria";
import { renderPage } from "../test/render";
import { FinanceInvoicesPage } from "./FinanceInvoicesPage";

afterEach(cleanup);

function receivable(overrides: Partial<Receivable> = {}): Receivable {
  return {
    invoice_number: "2026-000017",
    kind: "INVOICE",
    purpose: "PURCHASE",
    issued_on: "2026-02-01",
    due_on: "2026-03-03",
    status: "OVERDUE",
    days_overdue: 4,
    period: { from: "2026-02-01", to: "2027-01-31" },
    credit_note_for: null,
    cancelled_by: null,
    net: { amount: "85.00", currency: "EUR" },
    vat_rate: "0.21",
    vat: { amount: "17.85", currency: "EUR" },
    total: { amount: "102.85", currency: "EUR" },
    vat_note: null,
    purchase_order_number: "PO-2026-0417",
    payment_method: "BANK_TRANSFER",
    payment_note: "Pay by the due date.",
    membership_number: "123456789",
    description: "CPS Silver",
    paid_on: null,
    bank_details: { beneficiary: "Canon Europa N.V.", iban: "NL00BANK0123456789", bic: "BANKNL2A", reference: "CPS2026000017" },
    pdf_url: null,
    account_id: "acc-42",
    company: "Studio Lumen B.V.",
    ...overrides,
  };
}

const page = (items: Receivable[]) => json(200, { items, next_cursor: null });

async function openForm() {
  const card = await screen.findByRole("article", { name: "Invoice 2026-000017" });
  fireEvent.click(within(card).getByRole("button", { name: "Record a bank transfer 2026-000017" }));
  return card;
}

describe("the receivables", () => {
  it("lists an invoice with its company, account, total, due date and days overdue", async () => {
    const sent = fakeApi({ "GET /finance/invoices": () => page([receivable()]) });
    renderPage(<FinanceInvoicesPage />, { path: "/finance/invoices", url: "/finance/invoices?status=OVERDUE" });
    const card = await screen.findByRole("article", { name: "Invoice 2026-000017" });

    expect(sent[0]?.query.get("status")).toBe("OVERDUE");
    expect(within(card).getByText("Studio Lumen B.V.")).toBeTruthy();
    expect(within(card).getByText("acc-42")).toBeTruthy();
    expect(within(card).getByText("€102.85")).toBeTruthy();
    expect(within(card).getByText("3 March 2026")).toBeTruthy();
    expect(within(card).getByText("4 days overdue")).toBeTruthy();
  });

  it("opens the transfer with the open amount and today filled in, and wants a reference", async () => {
    const sent = fakeApi({ "GET /finance/invoices": () => page([receivable()]) });
    renderPage(<FinanceInvoicesPage />, { path: "/finance/invoices" });
    const card = await openForm();

    expect((within(card).getByLabelText("Amount received (EUR)") as HTMLInputElement).value).toBe("102.85");
    expect((within(card).getByLabelText("Received on") as HTMLInputElement).value).toBe(localToday());
    fireEvent.click(within(card).getByRole("button", { name: "Record payment" }));

    const reference = within(card).getByLabelText("Bank reference");
    expect(reference.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(reference)).toContain("Enter the reference of the transfer");
    expect(document.activeElement).toBe(reference);
    expect(sent.filter((request) => request.method === "POST")).toHaveLength(0);
  });

  it("records the transfer: the invoice leaves the open list and the outcome is shown", async () => {
    const sent = fakeApi({
      "GET /finance/invoices": () => page([receivable({ status: "ISSUED", days_overdue: 0 })]),
      "POST /finance/invoices/2026-000017/payments": () =>
        json(200, { ...receivable(), status: "PAID", days_overdue: 0, paid_on: "2026-03-05" }),
    });
    renderPage(<FinanceInvoicesPage />, { path: "/finance/invoices" });
    const card = await openForm();

    fireEvent.change(within(card).getByLabelText("Amount received (EUR)"), { target: { value: "102,85" } });
    fireEvent.change(within(card).getByLabelText("Received on"), { target: { value: "2026-03-05" } });
    fireEvent.change(within(card).getByLabelText("Bank reference"), { target: { value: " CPS2026000017 " } });
    fireEvent.click(within(card).getByRole("button", { name: "Record payment" }));

    expect(await screen.findByText(/is recorded\. Status of invoice 2026-000017: Paid/)).toBeTruthy();
    expect(screen.queryByRole("article")).toBeNull();
    expect(sent.find((request) => request.method === "POST")?.body).toEqual({
      amount: "102.85",
      paid_on: "2026-03-05",
      reference: "CPS2026000017",
    });
  });

  it("shows the API's field errors beside the fields", async () => {
    fakeApi({
      "GET /finance/invoices": () => page([receivable()]),
      "POST /finance/invoices/2026-000017/payments": () =>
        apiError(422, "VALIDATION_FAILED", { paid_on: "in the future" }),
    });
    renderPage(<FinanceInvoicesPage />, { path: "/finance/invoices" });
    const card = await openForm();

    fireEvent.change(within(card).getByLabelText("Bank reference"), { target: { value: "CPS2026000017" } });
    fireEvent.click(within(card).getByRole("button", { name: "Record payment" }));

    const paidOn = within(card).getByLabelText("Received on");
    expect(await within(card).findByText("in the future")).toBeTruthy();
    expect(describedBy(paidOn)).toContain("in the future");
    expect(document.activeElement).toBe(paidOn);
  });

  it("explains a 409 (paid meanwhile) and reads the list again", async () => {
    let reads = 0;
    fakeApi({
      "GET /finance/invoices": () => (++reads === 1 ? page([receivable()]) : page([])),
      "POST /finance/invoices/2026-000017/payments": () => apiError(409, "CONFLICT"),
    });
    renderPage(<FinanceInvoicesPage />, { path: "/finance/invoices" });
    const card = await openForm();

    fireEvent.change(within(card).getByLabelText("Bank reference"), { target: { value: "CPS2026000017" } });
    fireEvent.click(within(card).getByRole("button", { name: "Record payment" }));

    expect(await screen.findByText(/was paid or cancelled meanwhile/)).toBeTruthy();
    expect(reads).toBe(2);
  });

  it("offers no transfer for a card invoice", async () => {
    fakeApi({ "GET /finance/invoices": () => page([receivable({ payment_method: "CARD", bank_details: null })]) });
    renderPage(<FinanceInvoicesPage />, { path: "/finance/invoices" });
    const card = await screen.findByRole("article", { name: "Invoice 2026-000017" });
    expect(within(card).queryByRole("button", { name: /Record a bank transfer/ })).toBeNull();
    expect(within(card).getByText(/Paid by credit card/)).toBeTruthy();
  });
});
