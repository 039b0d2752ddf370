import createClient, { type Client } from "openapi-fetch";

import { session as appSession, type SessionStore, type TokenAnswer } from "../auth/session";
import { ApiError, networkError, parseApiError } from "./errors";
import type { paths } from "./schema";

/**
 * The typed API client, generated from the contract (`src/api/schema.d.ts`):
 *
 *     const me = await call(api().GET("/me"));
 *     await call(api().POST("/auth/password", { body: { token, password } }));
 *
 * Paths, parameters, bodies and answers are checked by `tsc` against /openapi.json. Each call
 * carries the session's ID token (`Authorization: Bearer <id_token>`; never on /auth/*), which
 * is refreshed shortly before it expires and, on a 401, once more before the call is retried.
 * A session that cannot be refreshed ends ("expired"): the shell then sends the user to /login.
 */
export type ApiClient = Client<paths>;

let client: ApiClient | null = null;

export function configureApi(
  baseUrl: string,
  store: SessionStore = appSession,
  baseFetch: typeof fetch = (input, init) => fetch(input, init),
): ApiClient {
  client = createClient<paths>({ baseUrl, fetch: sessionFetch(baseUrl, store, baseFetch) });
  return client;
}

export function api(): ApiClient {
  if (client === null) throw new Error("configureApi() was not called");
  return client;
}

/** What every openapi-fetch call resolves to. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an ApiError (also when the API could not be reached). */
export async function call<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await pending;
  } catch (cause) {
    throw cause instanceof ApiError ? cause : networkError(cause);
  }
  if (result.error !== undefined || !result.response.ok) {
    throw parseApiError(result.response.status, result.error);
  }
  return result.data as T;
}

/** The login, refresh and password routes are public and answer 401 for a wrong password. */
function needsBearer(url: string): boolean {
  return !new URL(url).pathname.includes("/auth/");
}

function sessionFetch(
  baseUrl: string,
  store: SessionStore,
  baseFetch: typeof fetch,
): (request: Request) => Promise<Response> {
  const refresh = refresher(baseUrl, store, baseFetch);
  const withBearer = (request: Request): Request => {
    const current = store.current;
    if (current === null || request.headers.has("Authorization")) return request;
    const headers = new Headers(request.headers);
    headers.set("Authorization", `Bearer ${current.tokens.idToken}`);
    return new Request(request, { headers });
  };
  return async (request) => {
    if (store.current === null || !needsBearer(request.url)) {
      return baseFetch(request);
    }
    if (store.expiresSoon()) await refresh();
    const retry = request.clone();
    const response = await baseFetch(withBearer(request));
    if (response.status !== 401 || store.current === null) return response;
    if (!(await refresh())) return response;
    return baseFetch(withBearer(retry));
  };
}

/** POST /auth/refresh, one at a time however many calls need it; false when it failed. */
function refresher(
  baseUrl: string,
  store: SessionStore,
  baseFetch: typeof fetch,
): () => Promise<boolean> {
  let running: Promise<boolean> | null = null;
  const run = async (): Promise<boolean> => {
    const refreshToken = store.current?.tokens.refreshToken;
    if (!refreshToken) {
      store.end("expired");
      return false;
    }
    try {
      const response = await baseFetch(`${baseUrl}/auth/refresh`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
      if (!response.ok) {
        store.end("expired");
        return false;
      }
      store.signIn((await response.json()) as TokenAnswer);
      return true;
    } catch {
      return false; // offline: keep the session, the call fails as a network error
    }
  };
  return () => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };
}
