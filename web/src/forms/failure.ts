import { ApiError } from "../api/errors";
import type { MessageKey } from "../i18n/en";

/**
 * What a form shows when its request failed: a message for the whole form, and the API's
 * `fields` messages to show beside their fields (keyed by the request's field names).
 */
export interface Failure {
  message: MessageKey;
  fields: Readonly<Record<string, string>>;
}

/**
 * `byStatus` names the message for the statuses the screen expects (401 on a login: the
 * password is wrong); a refusal naming fields asks to check them; otherwise a network or a
 * generic message.
 */
export function failureOf(
  error: unknown,
  byStatus: Readonly<Partial<Record<number, MessageKey>>> = {},
): Failure {
  if (!(error instanceof ApiError)) return { message: "error.generic", fields: {} };
  if (error.isNetworkError) return { message: "error.network", fields: {} };
  const expected = byStatus[error.status];
  if (expected) return { message: expected, fields: error.fields };
  if (Object.keys(error.fields).length > 0) return { message: "form.checkFields", fields: error.fields };
  return { message: "error.generic", fields: {} };
}
