// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";

import { onAnnouncement } from "../a11y/announcer";
import { ApiError } from "../api/errors";
import { EmailField, PasswordField } from "../components/forms/credentials";
import { FormFailure, SubmitButton } from "../components/forms/submit";
import { I18nProvider } from "../i18n/I18nProvider";
import { describedBy } from "../test/aria";
import { failureOf, type Failure } from "./failure";
import { useSubmit } from "./useSubmit";
import { emailProblem, problemsOf, requiredProblem } from "./validation";

afterEach(cleanup);

type Send = (email: string, password: string) => Promise<void>;

function LoginLikeForm({ send, failed }: { send: Send; failed?: (error: unknown) => Failure }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const form = useSubmit({
    fieldIds: { email: "email", password: "password" },
    check: () => problemsOf({ email: emailProblem(email), password: requiredProblem(password) }),
    send: () => send(email, password),
    failed,
  });
  return (
    <form noValidate onSubmit={form.onSubmit} aria-label="Log in">
      <EmailField id="email" autoComplete="username" value={email} onChange={setEmail} error={form.fieldError("email")} />
      <PasswordField
        id="password"
        name="password"
        label="Password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        error={form.fieldError("password")}
      />
      <FormFailure failure={form.failure} id="form-message">
        <a href="/reset-password">Forgot your password?</a>
      </FormFailure>
      <SubmitButton sending={form.sending}>Log in</SubmitButton>
    </form>
  );
}

function show(send: Send, failed?: (error: unknown) => Failure) {
  render(
    <I18nProvider language="en">
      <LoginLikeForm send={send} failed={failed} />
    </I18nProvider>,
  );
}

function fillIn(email: string, password: string) {
  fireEvent.change(screen.getByLabelText("E-mail address"), { target: { value: email } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: password } });
}

const submit = () => fireEvent.click(screen.getByRole("button", { name: "Log in" }));

/** What the live region is told during the test. */
function announcements() {
  const said: string[] = [];
  onTestFinished(onAnnouncement((message) => said.push(message)));
  return said;
}

describe("a form's submit (useSubmit)", () => {
  it("sends nothing while a field has a problem: each says it, and the first one takes the focus", () => {
    const send = vi.fn<Send>(async () => {});
    show(send);
    fillIn("", "");
    submit();

    expect(send).not.toHaveBeenCalled();
    const email = screen.getByLabelText("E-mail address");
    expect(document.activeElement).toBe(email);
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(describedBy(email)).toBe("Error: Fill in this field.");
    expect(describedBy(screen.getByLabelText("Password"))).toBe("Error: Fill in this field.");
    expect(document.querySelector(".form-message")).toBeNull();
  });

  it("says Sending… on a disabled button while the request is under way", async () => {
    let finish = () => {};
    const send = vi.fn<Send>(() => new Promise<void>((resolve) => (finish = resolve)));
    show(send);
    fillIn("anna@studio-lumen.example", "Secret123456");
    submit();

    expect(send).toHaveBeenCalledWith("anna@studio-lumen.example", "Secret123456");
    const button = await screen.findByRole("button", { name: "Sending…" });
    expect(button.hasAttribute("disabled")).toBe(true);
    await act(async () => finish());
    expect(screen.getByRole("button", { name: "Log in" }).hasAttribute("disabled")).toBe(false);
    expect(describedBy(screen.getByLabelText("E-mail address"))).toBe("");
  });

  it("shows and announces a refusal, with the API's message beside its field", async () => {
    const said = announcements();
    show(async () => {
      throw new ApiError(422, "VALIDATION_FAILED", "refused", { email: "This address has no account." });
    });
    fillIn("anna@studio-lumen.example", "Secret123456");
    submit();

    const message = await screen.findByText("Please check the fields marked with an error.");
    expect(message.closest(".form-message")?.id).toBe("form-message");
    expect(message.closest(".form-message")?.textContent).toBe(
      "Please check the fields marked with an error. Forgot your password?",
    );
    expect(describedBy(screen.getByLabelText("E-mail address"))).toBe("Error: This address has no account.");
    expect(said).toContain("Please check the fields marked with an error.");
  });

  it("takes the screen's own message for a failure, and clears it when sent again", async () => {
    const send = vi.fn<Send>(async () => {
      throw new ApiError(401, "INVALID_CREDENTIALS", "refused");
    });
    show(send, (error) => failureOf(error, { 401: "login.failed" }));
    fillIn("anna@studio-lumen.example", "Wrong1234567");
    submit();
    expect(await screen.findByText("The e-mail address or the password is not correct.")).toBeTruthy();

    send.mockImplementationOnce(async () => {});
    submit();
    await screen.findByRole("button", { name: "Log in" });
    expect(screen.queryByText("The e-mail address or the password is not correct.")).toBeNull();
    expect(send).toHaveBeenCalledTimes(2);
  });
});

describe("the e-mail and password inputs", () => {
  it("are required and named for the browser's password manager", () => {
    show(async () => {});
    const email = screen.getByLabelText("E-mail address");
    expect(email.getAttribute("type")).toBe("email");
    expect(email.getAttribute("name")).toBe("email");
    expect(email.getAttribute("autocomplete")).toBe("username");
    expect(email.getAttribute("inputmode")).toBe("email");
    expect(email.getAttribute("aria-required")).toBe("true");
    const password = screen.getByLabelText("Password");
    expect(password.getAttribute("type")).toBe("password");
    expect(password.getAttribute("autocomplete")).toBe("current-password");
    expect(password.hasAttribute("required")).toBe(true);
  });
});
