import { describe, expect, it } from "vitest";

import { emailProblem, mfaCodeProblem, passwordPolicyProblem, problemsOf } from "./validation";

describe("client-side validation", () => {
  it("follows the API's password policy", () => {
    expect(passwordPolicyProblem("Correct-Horse-9")).toBeNull();
    expect(passwordPolicyProblem("")).toBe("validation.required");
    expect(passwordPolicyProblem("Short-9a")).toBe("validation.passwordPolicy");
    expect(passwordPolicyProblem("no-upper-case-9")).toBe("validation.passwordPolicy");
    expect(passwordPolicyProblem("NO-LOWER-CASE-9")).toBe("validation.passwordPolicy");
    expect(passwordPolicyProblem("No-Digit-At-All")).toBe("validation.passwordPolicy");
    expect(passwordPolicyProblem(" Spaced-Out-99 ")).toBe("validation.passwordPolicy");
  });

  it("checks the shape of an e-mail address", () => {
    expect(emailProblem("buyer@example.com")).toBeNull();
    expect(emailProblem("buyer@example")).toBe("validation.email");
    expect(emailProblem("  ")).toBe("validation.required");
  });

  it("wants six digits from an authenticator app", () => {
    expect(mfaCodeProblem("123456")).toBeNull();
    expect(mfaCodeProblem("12345")).toBe("validation.mfaCode");
  });

  it("collects only the fields with a problem", () => {
    expect(problemsOf({ email: emailProblem("x"), password: null })).toEqual({ email: "validation.email" });
  });
});
