import { useCallback, useRef } from "react";

/**
 * `Idempotency-Key` for purchase calls (POST /checkout, POST /membership/upgrade): one key per
 * user action, made when the action is first sent and reused when the same action is sent
 * again (a retry after a network error, a double click), so the API runs it once. Call
 * `settle()` once the action succeeded, or when the customer changes what the action buys:
 * the next send gets a new key.
 */
export interface IdempotencyKey {
  /** The key of the current action (made on first use). */
  current(): string;
  /** The action is over: the next `current()` starts a new one. */
  settle(): void;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export function createIdempotencyKey(make: () => string = newIdempotencyKey): IdempotencyKey {
  let key: string | null = null;
  return {
    current() {
      key ??= make();
      return key;
    },
    settle() {
      key = null;
    },
  };
}

/** The same, kept across renders of a screen. */
export function useIdempotencyKey(): IdempotencyKey {
  const key = useRef<IdempotencyKey | null>(null);
  key.current ??= createIdempotencyKey();
  const current = useCallback(() => key.current!.current(), []);
  const settle = useCallback(() => key.current!.settle(), []);
  return { current, settle };
}
