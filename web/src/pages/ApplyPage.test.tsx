// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { statusTokenFor } from "../api/statusToken";
import { apiError, fakeApi, json } from "../test/fakeApi";
import { describedBy } from "../test/aria";
import { renderPage } from "../test/render";
import { ApplyPage } from "./ApplyPage";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

const type = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

function fillIn() {
  type("Company name", "Studio Lumen B.V.");
  type("Street and number", "Keizersgracht 1");
  type("Postcode", "1015 CJ");
  type("City", "Amsterdam");
  type("Country", "NL");
  type("Full name", "Anna de Vries");
  type(/^E-mail address/, "anna@studio-lumen.example");
  type(/^Phone number/, "+31 20 123 4567");
  fireEvent.click(screen.getByLabelText("Company invoice"));
  const file = new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])], "invoice.pdf", { type: "application/pdf" });
  fireEvent.change(screen.getByLabelText(/^Document file/), { target: { files: [file] } });
  fireEvent.click(screen.getByLabelText(/I am authorised/));
}

const CREATED = {
  application_id: "app-1",
  status: "AWAITING_DOCUMENT",
  reason: null,
  decision_due_by: null,
  status_token: "secret-token",
  upload: {
    url: "https://documents.s3.test/",
    fields: { key: "applications/app-1/u1" },
    expires_at: new Date(Date.now() + 600_000).toISOString(),
    max_bytes: 10485760,
    accepted_types: ["application/pdf", "image/jpeg", "image/png"],
  },
};

describe("the application form", () => {
  it("offers the documents of the VAT status, and changes them with a VAT number", () => {
    renderPage(<ApplyPage />, { path: "/apply" });
    const choices = () => screen.getAllByRole("radio").map((radio) => radio.parentElement?.textContent);
    expect(choices()).toEqual([
      "Company invoice",
      "Business or professional licence",
      "Extract from the trade register (chamber of commerce)",
    ]);
    fireEvent.click(screen.getByLabelText("Business or professional licence"));

    type("VAT number (optional)", "NL123456789B01");

    expect(choices()).toEqual(["VAT registration certificate", "Company invoice"]);
    expect(describedBy(screen.getByLabelText("Company invoice"))).toContain("counts as VAT-registered");
    expect(screen.getAllByRole("radio").some((radio) => (radio as HTMLInputElement).checked)).toBe(false);
  });

  it("refuses an empty form beside each field, focusing the first, and sends nothing", () => {
    const sent = fakeApi({});
    renderPage(<ApplyPage />, { path: "/apply" });
    fireEvent.click(screen.getByRole("button", { name: "Send application" }));

    const name = screen.getByLabelText("Company name");
    expect(name.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(name)).toContain("Fill in this field.");
    expect(describedBy(screen.getByLabelText("Company invoice"))).toContain("Choose the type of your proof document.");
    expect(describedBy(screen.getByLabelText(/I am authorised/))).toContain("Confirm that you are authorised");
    expect(document.activeElement).toBe(name);
    expect(sent).toHaveLength(0);
  });

  it("shows the API's field messages beside the fields they name", async () => {
    fakeApi({ "POST /applications": () => apiError(422, "VALIDATION_FAILED", { "company.postcode": "is not a Dutch postcode" }) });
    renderPage(<ApplyPage />, { path: "/apply" });
    fillIn();
    fireEvent.click(screen.getByRole("button", { name: "Send application" }));

    await waitFor(() => expect(describedBy(screen.getByLabelText("Postcode"))).toContain("is not a Dutch postcode"));
    expect(document.activeElement).toBe(screen.getByLabelText("Postcode"));
    expect(screen.getByText("Please check the fields marked with an error.")).toBeTruthy();
  });

  it("sends the application, uploads the file to S3, keeps the status token and opens the status page", async () => {
    const sent = fakeApi({ "POST /applications": () => json(201, CREATED) });
    const s3 = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal("fetch", s3);
    renderPage(<ApplyPage />, { path: "/apply" });
    fillIn();
    fireEvent.click(screen.getByRole("button", { name: "Send application" }));

    await screen.findByText("elsewhere"); // the status page's route
    expect(sent[0]?.body).toMatchObject({
      company: { name: "Studio Lumen B.V.", country: "NL" },
      vat_number: null,
      language: "en",
      document_type: "COMPANY_INVOICE",
      authorised: true,
    });
    expect(s3).toHaveBeenCalledWith("https://documents.s3.test/", expect.objectContaining({ method: "POST" }));
    expect(statusTokenFor("app-1")).toBe("secret-token");
  });
});
