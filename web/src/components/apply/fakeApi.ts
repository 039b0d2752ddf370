import { SessionStore } from "../../auth/session";
import { configureApi } from "../../api/client";

/**
 * For component tests: the app's API client over a fake API that answers by method and path
 * (`"GET /me"`, `"POST /products"`) and records what was sent. An unknown route is a 404.
 */
export interface SentRequest {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: unknown;
}

export type Reply = (sent: SentRequest) => Response | Promise<Response>;

export const json = (status: number, body: unknown): Response =>
  new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });

export const apiError = (status: number, code: string, fields: Record<string, string> = {}): Response =>
  json(status, { error: { code, message: code, fields } });

export function fakeApi(routes: Readonly<Record<string, Reply>>): SentRequest[] {
  const sent: SentRequest[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const record: SentRequest = {
      method: request.method,
      path: url.pathname,
      search: url.search,
      headers: request.headers,
      body: text === "" ? undefined : JSON.parse(text),
    };
    sent.push(record);
    const reply = routes[`${record.method} ${record.path}`];
    return reply ? reply(record) : apiError(404, "NOT_FOUND");
  }) as typeof fetch;
  configureApi("https://api.cps.test", new SessionStore(null), fetchFn);
  return sent;
}
