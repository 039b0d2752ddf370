// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { describedBy } from "../test/aria";
import { renderPage } from "../test/render";
import { SetPasswordPage } from "./SetPasswordPage";

afterEach(cleanup);

describe("the set-password page", () => {
  it("explains the policy and the mismatch beside the fields, tied to them", () => {
    renderPage(<SetPasswordPage />, { path: "/set-password", url: "/set-password?token=abc" });
    fireEvent.change(screen.getByLabelText("New password"), { target: { value: "short" } });
    fireEvent.change(screen.getByLabelText("Repeat the new password"), { target: { value: "other" } });
    fireEvent.click(screen.getByRole("button", { name: "Set password" }));

    const password = screen.getByLabelText("New password");
    expect(password.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(password)).toContain("Use at least 12 characters");
    expect(describedBy(screen.getByLabelText("Repeat the new password"))).toContain("not the same");
    expect(document.activeElement).toBe(password);
  });

  it("asks for a new link when the link has no token", () => {
    renderPage(<SetPasswordPage />, { path: "/set-password", url: "/set-password", language: "nl" });
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Stel je wachtwoord in");
    expect(screen.getByRole("link", { name: "Nieuwe link aanvragen" }).getAttribute("href")).toBe("/reset-password");
  });
});
