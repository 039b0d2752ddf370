// @vitest-environment happy-dom
import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { onAnnouncement } from "../a11y/announcer";
import { rememberStatusToken } from "../api/statusToken";
import { fakeApi, json } from "../test/fakeApi";
import { renderPage } from "../test/render";
import { ApplicationStatusPage } from "./ApplicationStatusPage";

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const state = (status: string, extra: Record<string, unknown> = {}) => ({
  application_id: "app-1",
  status,
  reason: null,
  decision_due_by: "2026-06-02",
  ...extra,
});

describe("the application's status page", () => {
  it("reads the status with the remembered token and announces when the check is done", async () => {
    rememberStatusToken("app-1", "secret-token");
    const answers = [state("VALIDATING"), state("PENDING_REVIEW")];
    const sent = fakeApi({ "GET /applications/app-1": () => json(200, answers.length > 1 ? answers.shift() : answers[0]) });
    const said: string[] = [];
    const stop = onAnnouncement((message) => said.push(message));
    renderPage(<ApplicationStatusPage />, { path: "/applications/:id", url: "/applications/app-1" });

    expect(await screen.findByText("Checking your document")).toBeTruthy();
    expect(await screen.findByText("Waiting for a reviewer's decision")).toBeTruthy();
    expect(screen.getByText("We decide by 2 June 2026.")).toBeTruthy();
    expect(said).toContain("The status of your application is now: Waiting for a reviewer's decision.");
    expect(sent[0]?.headers.get("X-Status-Token")).toBe("secret-token");
    stop();
  });

  it("announces the wait for a reviewer when the check of the document just sent ended first", async () => {
    rememberStatusToken("app-1", "secret-token");
    fakeApi({ "GET /applications/app-1": () => json(200, state("PENDING_REVIEW")) });
    const said: string[] = [];
    const stop = onAnnouncement((message) => said.push(message));
    renderPage(<ApplicationStatusPage />, {
      path: "/applications/:id",
      url: "/applications/app-1",
      state: { uploaded: true },
    });

    expect(await screen.findByText("Waiting for a reviewer's decision")).toBeTruthy();
    expect(said).toContain("The status of your application is now: Waiting for a reviewer's decision.");
    stop();
  });

  it("shows why a document was refused and offers a new upload", async () => {
    rememberStatusToken("app-1", "secret-token");
    fakeApi({
      "GET /applications/app-1": () =>
        json(200, state("AWAITING_DOCUMENT", { reason: "The uploaded file is not a PDF, JPEG or PNG document." })),
    });
    renderPage(<ApplicationStatusPage />, { path: "/applications/:id", url: "/applications/app-1" });

    expect(await screen.findByText(/Your document could not be accepted: The uploaded file is not a PDF/)).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Upload your proof document" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Upload document" })).toBeTruthy();
  });

  it("shows the reason of a rejection and the way to apply again", async () => {
    rememberStatusToken("app-1", "secret-token");
    fakeApi({ "GET /applications/app-1": () => json(200, state("REJECTED", { reason: "The invoice is not the company's." })) });
    renderPage(<ApplicationStatusPage />, { path: "/applications/:id", url: "/applications/app-1", language: "nl" });

    expect(await screen.findByText("Niet goedgekeurd")).toBeTruthy();
    expect(screen.getByText("Reden: The invoice is not the company's.")).toBeTruthy();
    expect(screen.queryByText(/We beslissen uiterlijk/)).toBeNull();
    expect(screen.getByRole("link", { name: "Opnieuw aanvragen" }).getAttribute("href")).toBe("/apply");
  });
});
