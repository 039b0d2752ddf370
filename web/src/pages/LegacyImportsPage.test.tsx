// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { fakeApi, json } from "../components/backoffice/testing";
import { renderPage } from "../test/render";
import { LegacyImportsPage } from "./LegacyImportsPage";

afterEach(cleanup);

const describedBy = (element: HTMLElement) =>
  (element.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");

describe("the legacy import page", () => {
  it("says what the CSV must contain", () => {
    fakeApi({});
    renderPage(<LegacyImportsPage />, { path: "/ops/legacy-imports" });
    expect(screen.getByText("email,sku,serial_number,purchase_date,country_of_purchase,dealer")).toBeTruthy();
    expect(screen.getByText(/the purchase date, written YYYY-MM-DD/)).toBeTruthy();
  });

  it("refuses to upload without a CSV file, beside the field", () => {
    const sent = fakeApi({});
    renderPage(<LegacyImportsPage />, { path: "/ops/legacy-imports" });
    fireEvent.click(screen.getByRole("button", { name: "Upload and import" }));
    const input = screen.getByLabelText("Export file (CSV)");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(input)).toContain("Choose the export file.");
    expect(sent).toHaveLength(0);
  });

  it("shows the report of the import named in the address", async () => {
    fakeApi({
      "GET /ops/legacy-imports/imp-1": () =>
        json(200, {
          import_id: "imp-1",
          status: "COMPLETED",
          rows: 2,
          imported: 1,
          rejected: 1,
          rejections: [{ line: 3, reason: "sku: NOPE is not an eligible product" }],
          failure_reason: null,
          report_url: "https://documents.s3.test/report.json",
        }),
    });
    renderPage(<LegacyImportsPage />, { path: "/ops/legacy-imports", url: "/ops/legacy-imports?import=imp-1" });
    expect(await screen.findByText("Completed")).toBeTruthy();
    expect(screen.getByText("sku: NOPE is not an eligible product")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Download the full report (JSON)" }).getAttribute("href")).toBe(
      "https://documents.s3.test/report.json",
    );
  });
});
