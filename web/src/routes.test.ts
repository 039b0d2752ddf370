import { matchRoutes } from "react-router";
import { describe, expect, it } from "vitest";

import { routes } from "./routes";

// The paths the API's e-mails link to (chalicelib/services: frontend_url + path).
const EMAILED = [
  "/login",
  "/apply",
  "/set-password?token=t",
  "/migration/confirm?token=t",
  "/products",
  "/cps/sign-up",
  "/membership",
  "/membership/payment?invoice=2026-000001",
  "/review/applications",
];

describe("the routes", () => {
  it.each(EMAILED)("open a page of the app for the e-mailed link %s", (url) => {
    const matched = matchRoutes(routes, url) ?? [];
    const last = matched[matched.length - 1];
    expect(last?.route.path).not.toBe("*");
    expect(last?.route.path).toBe(url.split("?")[0]);
  });
});
