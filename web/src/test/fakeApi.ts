/**
 * For component tests: the app's API client over a fake API that answers by method and path
 * (`"GET /me"`, `"POST /products"`) and records what was sent. An unknown route is a 404.
 */
import { configureApi } from "../api/client";
import { SessionStore } from "../auth/session";
import { tokenAnswer } from "./tokens";

export const BASE = "https://api.cps.test";

export interface SentRequest {
  method: string;
  path: string;
  /** The query string, "?q=R3" ("" without one). */
  search: string;
  query: URLSearchParams;
  headers: Headers;
  idempotencyKey: string | null;
  /** The JSON body; undefined without one. */
  body: unknown;
}

/** Answers a request; `count` is how many times its route has been asked, this one included. */
export type Reply = (sent: SentRequest, count: number) => Response | Promise<Response>;

export const json = (status: number, body: unknown): Response =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });

export const apiError = (status: number, code: string, fields: Record<string, string> = {}): Response =>
  json(status, { error: { code, message: `refused: ${code}`, fields } });

/** Points api() at `routes`; `signedIn` gives the client a member's session first. */
export function fakeApi(routes: Readonly<Record<string, Reply>>, { signedIn = false } = {}): SentRequest[] {
  const sent: SentRequest[] = [];
  const counts = new Map<string, number>();
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const record: SentRequest = {
      method: request.method,
      path: url.pathname,
      search: url.search,
      query: url.searchParams,
      headers: request.headers,
      idempotencyKey: request.headers.get("Idempotency-Key"),
      body: text === "" ? undefined : (JSON.parse(text) as unknown),
    };
    sent.push(record);
    const route = `${record.method} ${record.path}`;
    const count = (counts.get(route) ?? 0) + 1;
    counts.set(route, count);
    const reply = routes[route];
    return reply ? reply(record, count) : apiError(404, "NOT_FOUND");
  }) as typeof fetch;
  const store = new SessionStore(null);
  if (signedIn) store.signIn(tokenAnswer({ "cognito:groups": [] }));
  configureApi(BASE, store, fetchFn);
  return sent;
}
