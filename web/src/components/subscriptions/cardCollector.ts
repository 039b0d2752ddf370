import type { Ref } from "react";

import type { RuntimeConfig } from "../../config";
import type { MessageKey } from "../../i18n/en";

/**
 * Card entry never touches our pages or API: what the API gets is the payment provider's
 * token (`payment_method_token`). Two implementations of one small interface:
 *
 * - `local` (the local stage, `stage === "local"`): the local provider's test cards, chosen
 *   from a list; the token is the test card's name (`pm_card_visa`...).
 * - `stripe` (deployed stages): Stripe's Payment Element (Stripe.js, loaded from Stripe with
 *   the stage's publishable key); the token is the id of the PaymentMethod Stripe.js creates.
 *
 * A deployed stage without a publishable key cannot take cards (`unavailable`).
 */
export type CardCollectorKind = "local" | "stripe" | "unavailable";

export function cardCollectorKind(config: Pick<RuntimeConfig, "stage" | "stripePublishableKey">): CardCollectorKind {
  if (config.stage === "local") return "local";
  return config.stripePublishableKey ? "stripe" : "unavailable";
}

/**
 * What a card entry answers when the customer confirms: the provider's token, or a problem
 * (a message key of ours, or a message the provider wrote in the customer's language).
 */
export type CardResult =
  | { ok: true; token: string }
  | { ok: false; problem: { key: MessageKey } | { text: string } };

/** A mounted card entry: asked for a token when the customer confirms. */
export interface CardEntryHandle {
  collect(): Promise<CardResult>;
}

export interface CardEntryProps {
  /** The entry's id: its error is `<id>-error`. */
  id: string;
  /** The handle the form asks for a token. */
  handle: Ref<CardEntryHandle | null>;
  /** The account's currency (Stripe shows the payment methods that support it). */
  currency: string | null;
  /** A message to show beside the entry: a declined card, or no card chosen. */
  error?: string | undefined;
  /** The customer changed the card (a shown error no longer applies). */
  onChange?: () => void;
}

/** The local provider's test cards (API.md), as Stripe's test cards behave. */
export const LOCAL_TEST_CARDS: ReadonlyArray<{ token: string; label: MessageKey }> = [
  { token: "pm_card_visa", label: "subscriptions.card.test.visa" },
  { token: "pm_card_chargeDeclined", label: "subscriptions.card.test.declined" },
  { token: "pm_card_chargeCustomerFail", label: "subscriptions.card.test.laterFails" },
];

/** The local entry's answer: the chosen test card, or "choose one". */
export function localCardResult(chosen: string | null): CardResult {
  if (chosen !== null && LOCAL_TEST_CARDS.some((card) => card.token === chosen)) return { ok: true, token: chosen };
  return { ok: false, problem: { key: "subscriptions.card.chooseTestCard" } };
}

/** A card entry's problem in the customer's language. */
export function cardProblemText(t: (key: MessageKey) => string, result: CardResult): string {
  if (result.ok) return "";
  return "key" in result.problem ? t(result.problem.key) : result.problem.text;
}

/** After a decline: focus on the refused card (the chosen test card, or Stripe's frame). */
export function focusCard(entryId: string): void {
  const entry = document.getElementById(entryId);
  const target = entry?.querySelector<HTMLElement>("input:checked") ?? entry?.querySelector<HTMLElement>("input, iframe");
  target?.focus();
}
