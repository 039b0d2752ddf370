import { describe, expect, it } from "vitest";

import { ApiError, NETWORK_ERROR, networkError, parseApiError } from "./errors";
import { call } from "./client";

describe("parseApiError", () => {
  it("reads the API's error shape, fields included", () => {
    const error = parseApiError(422, {
      error: {
        code: "VALIDATION_FAILED",
        message: "The password does not meet the policy.",
        fields: { password: "needs a digit" },
      },
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.message).toBe("The password does not meet the policy.");
    expect(error.fieldMessage("password")).toBe("needs a digit");
    expect(error.isNetworkError).toBe(false);
  });

  it("keeps only the string messages of fields", () => {
    const error = parseApiError(400, { error: { code: "MALFORMED_REQUEST", message: "x", fields: { a: 1, b: "bad" } } });
    expect(error.fields).toEqual({ b: "bad" });
  });

  it("names the status when the body is not the API's shape", () => {
    const error = parseApiError(502, "<html>Bad gateway</html>");
    expect(error.code).toBe("HTTP_502");
    expect(error.fields).toEqual({});
  });

  it("says when the API could not be reached", () => {
    const error = networkError(new TypeError("Failed to fetch"));
    expect(error.status).toBe(0);
    expect(error.code).toBe(NETWORK_ERROR);
    expect(error.isNetworkError).toBe(true);
  });
});

describe("call", () => {
  const answer = (status: number) => new Response(null, { status });

  it("gives the data of a successful answer", async () => {
    await expect(call(Promise.resolve({ data: { status: "ok" }, response: answer(200) }))).resolves.toEqual({
      status: "ok",
    });
  });

  it("throws the API's error as an ApiError", async () => {
    const refused = call(
      Promise.resolve({
        error: { error: { code: "INVALID_CREDENTIALS", message: "Wrong e-mail or password.", fields: {} } },
        response: answer(401),
      }),
    );
    await expect(refused).rejects.toMatchObject({ status: 401, code: "INVALID_CREDENTIALS" });
  });

  it("turns a failed fetch into a network ApiError", async () => {
    await expect(call(Promise.reject(new TypeError("Failed to fetch")))).rejects.toMatchObject({
      status: 0,
      code: NETWORK_ERROR,
    });
  });
});
