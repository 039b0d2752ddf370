import { ApiError } from "../../api/errors";
import type { MessageKey } from "../../i18n/en";

/** Where the API names the refused card in a 422 PAYMENT_DECLINED (checkout uses the nested name). */
const CARD_FIELDS = ["payment.payment_method_token", "payment_method_token"] as const;

// The payment providers' reasons (chalicelib/adapters: local_payments, stripe_payments), in the
// customer's language. An unknown reason reads as a plain decline.
const REASONS: ReadonlyArray<readonly [string, MessageKey]> = [
  ["no reason given by the card issuer", "subscriptions.decline.issuer"],
  ["insufficient funds", "subscriptions.decline.funds"],
  ["the card has expired", "subscriptions.decline.expired"],
  ["the security code is incorrect", "subscriptions.decline.cvc"],
  ["the card number is incorrect", "subscriptions.decline.number"],
  ["the expiry date is incorrect", "subscriptions.decline.expiry"],
  ["the card does not support this kind of payment", "subscriptions.decline.notSupported"],
  ["the card does not support this currency", "subscriptions.decline.currency"],
  ["the card's limit is exceeded", "subscriptions.decline.limit"],
  ["an error occurred while processing the card", "subscriptions.decline.processing"],
  ["the card needs authentication the customer must complete", "subscriptions.decline.authentication"],
  ["unknown test card", "subscriptions.decline.unknownTestCard"],
  ["the payment method is not valid", "subscriptions.decline.invalid"],
];

/** The reason of a declined card, as a message key; null when the error is not a decline. */
export function declineReason(error: unknown): MessageKey | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const field = CARD_FIELDS.find((name) => error.fields[name] !== undefined);
  if (error.code !== "PAYMENT_DECLINED" && field === undefined) return null;
  const reason = (field ? error.fields[field] : "")?.trim().toLowerCase() ?? "";
  return REASONS.find(([text]) => text === reason)?.[1] ?? "subscriptions.decline.issuer";
}

/** The payment provider could not answer now (503): the same request may be sent again. */
export function isUnavailable(error: unknown): boolean {
  return error instanceof ApiError && error.status === 503;
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

/** A 422 that names one of `fields` (the API's `fields` of a refused request). */
export function refusedField(error: unknown, ...fields: string[]): string | null {
  if (!(error instanceof ApiError)) return null;
  return fields.find((name) => error.fields[name] !== undefined) ?? null;
}
