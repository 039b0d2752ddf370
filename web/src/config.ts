/**
 * The runtime configuration, fetched from `/config.json` when the app starts (not baked into
 * the build: one build serves every stage). The local runtime generates it; deployed, the
 * deploy step uploads it beside the build.
 */
export interface RuntimeConfig {
  /** The API's base URL, without a trailing slash. */
  apiUrl: string;
  /** "local" in `make run` (the /dev routes and the local test cards exist only there). */
  stage: string;
  /** Stripe.js's publishable key in deployed stages; null in the local stage. */
  stripePublishableKey: string | null;
}

export class RuntimeConfigError extends Error {
  override name = "RuntimeConfigError";
}

export function parseRuntimeConfig(value: unknown): RuntimeConfig {
  if (typeof value !== "object" || value === null) {
    throw new RuntimeConfigError("config.json is not a JSON object");
  }
  const { apiUrl, stage, stripePublishableKey } = value as Record<string, unknown>;
  if (typeof apiUrl !== "string" || apiUrl === "") {
    throw new RuntimeConfigError("config.json: apiUrl must be a non-empty string");
  }
  if (typeof stage !== "string" || stage === "") {
    throw new RuntimeConfigError("config.json: stage must be a non-empty string");
  }
  if (stripePublishableKey !== null && stripePublishableKey !== undefined && typeof stripePublishableKey !== "string") {
    throw new RuntimeConfigError("config.json: stripePublishableKey must be a string or null");
  }
  return {
    apiUrl: apiUrl.replace(/\/+$/, ""),
    stage,
    stripePublishableKey: stripePublishableKey ?? null,
  };
}

export async function loadRuntimeConfig(fetchFn: typeof fetch = fetch): Promise<RuntimeConfig> {
  const response = await fetchFn("/config.json", { cache: "no-store" });
  if (!response.ok) {
    throw new RuntimeConfigError(`/config.json answered ${response.status}`);
  }
  return parseRuntimeConfig(await response.json());
}
