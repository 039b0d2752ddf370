// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { fakeApi, json } from "../test/fakeApi";
import { describedBy } from "../test/aria";
import { renderPage } from "../test/render";
import { LegacyImportsPage } from "./LegacyImportsPage";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

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

  it("uploads the file straight to the storage, then shows the import's report", async () => {
    fakeApi({
      "POST /ops/legacy-imports": () =>
        json(201, {
          import_id: "imp-2",
          upload: {
            url: "https://bucket.s3.test/",
            fields: { key: "legacy-imports/imp-2.csv", policy: "p" },
            expires_at: "2026-03-05T10:00:00Z",
            max_bytes: 1000,
            accepted_types: ["text/csv"],
          },
        }),
      "GET /ops/legacy-imports/imp-2": () =>
        json(200, {
          import_id: "imp-2",
          status: "COMPLETED",
          rows: 1,
          imported: 1,
          rejected: 0,
          rejections: [],
          failure_reason: null,
          report_url: null,
        }),
    });
    const uploads: FormData[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      expect(url).toBe("https://bucket.s3.test/");
      uploads.push(init.body as FormData);
      return new Response(null, { status: 204 });
    });
    renderPage(<LegacyImportsPage />, { path: "/ops/legacy-imports" });
    const file = new File(["email,sku,serial_number,purchase_date,country_of_purchase,dealer\n"], "export.csv", { type: "text/csv" });

    fireEvent.change(screen.getByLabelText("Export file (CSV)"), { target: { files: [file] } });
    fireEvent.click(screen.getByRole("button", { name: "Upload and import" }));

    expect(await screen.findByText("Completed")).toBeTruthy();
    expect(screen.getByText(/The file is uploaded/)).toBeTruthy();
    expect([...(uploads[0]?.keys() ?? [])]).toEqual(["key", "policy", "file"]);
  });
});
