// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import type { ReviewItem } from "../components/backoffice/logic";
import { apiError, fakeApi, json } from "../test/fakeApi";
import { describedBy } from "../test/aria";
import { renderPage } from "../test/render";
import { ReviewApplicationsPage } from "./ReviewApplicationsPage";

afterEach(cleanup);

function application(overrides: Partial<ReviewItem> = {}): ReviewItem {
  return {
    application_id: "app-1",
    status: "PENDING_REVIEW",
    created_at: "2026-03-02T09:15:00Z",
    company: { name: "Studio Lumen B.V.", street: "Keizersgracht 1", postcode: "1015 CJ", city: "Amsterdam", country: "NL" },
    contact: { name: "Anna de Vries", email: "anna@studio-lumen.example", phone: "+31 20 123 4567" },
    language: "nl",
    vat_number: "NL123456789B01",
    legacy_cps_email: null,
    document_type: "COMPANY_INVOICE",
    checks: [
      { name: "vat_number", outcome: "PASSED", detail: "Format and check digits are valid." },
      { name: "vies", outcome: "FAILED", detail: "VIES does not know this VAT number." },
      { name: "duplicate_vat", outcome: "SKIPPED", detail: "No VAT number given." },
    ],
    decision_due_by: "2020-01-06",
    escalated: true,
    document_url: "https://documents.s3.test/app-1?X-Amz-Expires=300",
    ...overrides,
  };
}

const page = (items: ReviewItem[]) => json(200, { items, next_cursor: null });

describe("the review queue", () => {
  it("shows each application's checks as words, its urgency and the document link", async () => {
    fakeApi({ "GET /review/applications": () => page([application()]) });
    renderPage(<ReviewApplicationsPage />, { path: "/review/applications" });

    const card = await screen.findByRole("article", { name: "Studio Lumen B.V." });
    expect(within(card).getByText("Passed")).toBeTruthy();
    expect(within(card).getByText("Failed")).toBeTruthy();
    expect(within(card).getByText("Skipped")).toBeTruthy();
    expect(within(card).getByText("VIES does not know this VAT number.")).toBeTruthy();
    expect(within(card).getByText("Overdue")).toBeTruthy();
    expect(within(card).getByText("Escalated")).toBeTruthy();
    expect(within(card).getByText("6 January 2020")).toBeTruthy();
    const link = within(card).getByRole("link", { name: /Download the document/ });
    expect(link.getAttribute("target")).toBe("_blank");
    expect(link.getAttribute("href")).toContain("X-Amz-Expires");
  });

  it("asks for a reason before a rejection is sent, beside the field", async () => {
    const sent = fakeApi({ "GET /review/applications": () => page([application()]) });
    renderPage(<ReviewApplicationsPage />, { path: "/review/applications" });
    const card = await screen.findByRole("article", { name: "Studio Lumen B.V." });

    fireEvent.click(within(card).getByRole("button", { name: /^Reject/ }));

    const reason = within(card).getByLabelText("Reason");
    expect(reason.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(reason)).toContain("Give the applicant a reason for the rejection.");
    expect(document.activeElement).toBe(reason);
    expect(sent.filter((request) => request.method === "POST")).toHaveLength(0);
  });

  it("approves: the application leaves the list and the outcome is shown", async () => {
    const sent = fakeApi({
      "GET /review/applications": () => page([application()]),
      "POST /review/applications/app-1/decision": () =>
        json(200, { application_id: "app-1", decision: "APPROVE", status: "PENDING_REVIEW" }),
    });
    renderPage(<ReviewApplicationsPage />, { path: "/review/applications" });
    const card = await screen.findByRole("article", { name: "Studio Lumen B.V." });

    fireEvent.click(within(card).getByRole("button", { name: "Approve Studio Lumen B.V." }));

    expect(await screen.findByText(/Studio Lumen B.V. is approved/)).toBeTruthy();
    expect(screen.queryByRole("article")).toBeNull();
    expect(sent.find((request) => request.method === "POST")?.body).toEqual({ decision: "APPROVE", reason: null });
  });

  it("sends a rejection's reason with its blanks collapsed", async () => {
    const sent = fakeApi({
      "GET /review/applications": () => page([application()]),
      "POST /review/applications/app-1/decision": () =>
        json(200, { application_id: "app-1", decision: "REJECT", status: "PENDING_REVIEW" }),
    });
    renderPage(<ReviewApplicationsPage />, { path: "/review/applications" });
    const card = await screen.findByRole("article", { name: "Studio Lumen B.V." });

    fireEvent.change(within(card).getByLabelText("Reason"), { target: { value: "  The invoice\n shows no VAT number. " } });
    fireEvent.click(within(card).getByRole("button", { name: /^Reject/ }));

    expect(await screen.findByText(/Studio Lumen B.V. is rejected/)).toBeTruthy();
    expect(sent.find((request) => request.method === "POST")?.body).toEqual({
      decision: "REJECT",
      reason: "The invoice shows no VAT number.",
    });
  });

  it("explains a 409 (decided meanwhile) and reads the list again", async () => {
    let reads = 0;
    fakeApi({
      "GET /review/applications": () => (++reads === 1 ? page([application()]) : page([])),
      "POST /review/applications/app-1/decision": () => apiError(409, "CONFLICT"),
    });
    renderPage(<ReviewApplicationsPage />, { path: "/review/applications" });
    const card = await screen.findByRole("article", { name: "Studio Lumen B.V." });

    fireEvent.click(within(card).getByRole("button", { name: "Approve Studio Lumen B.V." }));

    expect(await screen.findByText(/another reviewer has decided it meanwhile/)).toBeTruthy();
    await waitFor(() => expect(screen.getByText("No application is waiting for review.")).toBeTruthy());
    expect(reads).toBe(2);
  });

  it("reads another status from the address, without decision buttons", async () => {
    const sent = fakeApi({
      "GET /review/applications": () => page([application({ status: "APPROVED", decision_due_by: null, escalated: false })]),
    });
    renderPage(<ReviewApplicationsPage />, { path: "/review/applications", url: "/review/applications?status=APPROVED" });
    const card = await screen.findByRole("article", { name: "Studio Lumen B.V." });

    expect(sent[0]?.query.get("status")).toBe("APPROVED");
    expect(within(card).queryByRole("button", { name: /Approve/ })).toBeNull();
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Applications: Approved");
  });
});
