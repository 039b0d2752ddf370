/**
 * For the back office's component tests: the API client pointed at a fake that answers by
 * method and path, and records what was sent.
 */
import { configureApi } from "../../api/client";
import { SessionStore } from "../../auth/session";

export interface Sent {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export type Handler = (sent: Sent) => Response | Promise<Response>;

export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

export const apiError = (status: number, code: string, fields: Record<string, string> = {}) =>
  json(status, { error: { code, message: "refused", fields } });

/** `routes` maps "METHOD /path" to a handler; anything else is a 404. */
export function fakeApi(routes: Record<string, Handler>): Sent[] {
  const sent: Sent[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const record: Sent = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
    sent.push(record);
    const handler = routes[`${record.method} ${record.path}`];
    return handler ? handler(record) : apiError(404, "NOT_FOUND");
  }) as typeof fetch;
  configureApi("https://api.cps.test", new SessionStore(null), fetchFn);
  return sent;
}
