import { describe, expect, it } from "vitest";

import { SessionStore } from "../auth/session";
import { tokenAnswer } from "../test/tokens";
import { call, configureApi } from "./client";

const BASE = "https://api.cps.test";

interface Sent {
  url: string;
  method: string;
  authorization: string | null;
  body: string;
}

/** A fake API: answers from `reply`, and records what was sent. */
function fakeFetch(reply: (sent: Sent, count: number) => Response) {
  const sent: Sent[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const record: Sent = {
      url: request.url,
      method: request.method,
      authorization: request.headers.get("Authorization"),
      body: await request.text(),
    };
    sent.push(record);
    return reply(record, sent.length);
  }) as typeof fetch;
  return { sent, fetchFn };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const ME = { account_id: "a1", company: {}, country: "NL", currency: "EUR", language: "nl", points: 0, invited: false, membership: null };

function loggedIn(): SessionStore {
  const store = new SessionStore(null);
  store.signIn(tokenAnswer({ "cognito:groups": [] }));
  return store;
}

describe("the API client", () => {
  it("sends the ID token as the bearer", async () => {
    const store = loggedIn();
    const { sent, fetchFn } = fakeFetch(() => json(200, ME));
    const client = configureApi(BASE, store, fetchFn);
    await call(client.GET("/me"));
    expect(sent[0]?.authorization).toBe(`Bearer ${store.current?.tokens.idToken}`);
  });

  it("sends no bearer to the login routes", async () => {
    const store = loggedIn();
    const { sent, fetchFn } = fakeFetch(() => json(401, { error: { code: "INVALID_CREDENTIALS", message: "no", fields: {} } }));
    const client = configureApi(BASE, store, fetchFn);
    await expect(call(client.POST("/auth/login", { body: { email: "a@b.c", password: "x" } }))).rejects.toMatchObject({
      status: 401,
    });
    expect(sent).toHaveLength(1); // a wrong password is not a reason to refresh
    expect(sent[0]?.authorization).toBeNull();
  });

  it("refreshes the tokens once on a 401 and repeats the call with the new ID token", async () => {
    const store = loggedIn();
    const fresh = tokenAnswer({ email: "buyer@example.com", marker: "fresh" });
    const { sent, fetchFn } = fakeFetch((request, count) => {
      if (request.url.endsWith("/auth/refresh")) return json(200, { ...fresh, refresh_token: null });
      return count === 1 ? json(401, { error: { code: "UNAUTHENTICATED", message: "expired", fields: {} } }) : json(200, ME);
    });
    const client = configureApi(BASE, store, fetchFn);
    await expect(call(client.GET("/me"))).resolves.toMatchObject({ account_id: "a1" });
    expect(sent.map((request) => new URL(request.url).pathname)).toEqual(["/me", "/auth/refresh", "/me"]);
    expect(JSON.parse(sent[1]!.body)).toEqual({ refresh_token: "refresh-1" });
    expect(sent[2]?.authorization).toBe(`Bearer ${fresh.id_token}`);
    expect(store.current?.tokens.refreshToken).toBe("refresh-1"); // kept: none came back
  });

  it("ends the session when the refresh is refused", async () => {
    const store = loggedIn();
    const ended: string[] = [];
    store.subscribe((current, reason) => {
      if (current === null && reason) ended.push(reason);
    });
    const { sent, fetchFn } = fakeFetch(() => json(401, { error: { code: "UNAUTHENTICATED", message: "no", fields: {} } }));
    const client = configureApi(BASE, store, fetchFn);
    await expect(call(client.GET("/me"))).rejects.toMatchObject({ status: 401 });
    expect(sent).toHaveLength(2); // the call and one refresh, no loop
    expect(store.current).toBeNull();
    expect(ended).toEqual(["expired"]);
  });

  it("repeats a POST with its body after a refresh", async () => {
    const store = loggedIn();
    const { sent, fetchFn } = fakeFetch((request, count) => {
      if (request.url.endsWith("/auth/refresh")) return json(200, tokenAnswer());
      return count === 1 ? json(401, { error: { code: "UNAUTHENTICATED", message: "", fields: {} } }) : json(201, { ok: true });
    });
    const client = configureApi(BASE, store, fetchFn);
    await call(client.POST("/checkout/quote", { body: { tier: "SILVER" } }));
    expect(sent[0]?.body).toBe(sent[2]?.body);
    expect(JSON.parse(sent[2]!.body)).toEqual({ tier: "SILVER" });
  });
});
