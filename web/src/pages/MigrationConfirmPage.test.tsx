// @vitest-environment happy-dom
import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { apiError, fakeApi, json } from "../test/fakeApi";
import { renderPage } from "../test/render";
import { MigrationConfirmPage } from "./MigrationConfirmPage";

afterEach(cleanup);

const open = (url: string) => renderPage(<MigrationConfirmPage />, { path: "/migration/confirm", url });

describe("the confirmation of the old CPS address", () => {
  it("confirms with the link's token only when its owner presses the button", async () => {
    const sent = fakeApi({ "POST /migration/confirm": () => json(200, { confirmation: "CONFIRMED" }) });
    open("/migration/confirm?token=abc");
    expect(sent).toHaveLength(0);
    fireEvent.click(screen.getByRole("button", { name: "Confirm the address" }));
    expect(await screen.findByText("Thank you: the address is confirmed.")).toBeTruthy();
    expect(sent[0]?.body).toEqual({ token: "abc" });
  });

  it("says a used or expired link is no longer valid, and how to get a new one", async () => {
    fakeApi({ "POST /migration/confirm": () => apiError(422, "INVALID_TOKEN") });
    open("/migration/confirm?token=used");
    fireEvent.click(screen.getByRole("button", { name: "Confirm the address" }));
    expect(await screen.findByText(/This link is no longer valid/)).toBeTruthy();
    expect(screen.getByText(/Send the link again/)).toBeTruthy();
  });
});
