/**
 * Every failure of an API call as one typed error. The API answers errors as
 * `{"error": {"code", "message", "fields"}}` (API.md); `fields` names the request's fields
 * that are wrong (e.g. `{"password": "needs a digit"}`), to show beside those fields.
 */
export class ApiError extends Error {
  override name = "ApiError";

  constructor(
    /** The HTTP status; 0 when the API could not be reached at all. */
    readonly status: number,
    /** The API's code: VALIDATION_FAILED, INVALID_CREDENTIALS, NOT_FOUND...; NETWORK_ERROR. */
    readonly code: string,
    message: string,
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /** The server's message for one field of the request, if it named that field. */
  fieldMessage(field: string): string | undefined {
    return this.fields[field];
  }
}

export const NETWORK_ERROR = "NETWORK_ERROR";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The ApiError for an answer with `status` and its (parsed JSON, or text) body. */
export function parseApiError(status: number, body: unknown): ApiError {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === "string") {
    const message = typeof error.message === "string" ? error.message : error.code;
    const fields: Record<string, string> = {};
    if (isRecord(error.fields)) {
      for (const [name, problem] of Object.entries(error.fields)) {
        if (typeof problem === "string") fields[name] = problem;
      }
    }
    return new ApiError(status, error.code, message, fields);
  }
  // Not the API's shape: a proxy's or gateway's own page, or an empty body.
  return new ApiError(status, `HTTP_${status}`, `The API answered ${status}.`);
}

export function networkError(cause: unknown): ApiError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(0, NETWORK_ERROR, `The API could not be reached: ${detail}`);
}
