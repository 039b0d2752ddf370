import { useRef } from "react";

import { useIdempotencyKey } from "../../api/idempotency";
import { orderKeys } from "./order";

/** `orderKeys()` kept across renders of a screen (one purchase at a time). */
export function useOrderKey(): ReturnType<typeof orderKeys> {
  const key = useIdempotencyKey();
  const keys = useRef<ReturnType<typeof orderKeys> | null>(null);
  keys.current ??= orderKeys(key);
  return keys.current;
}
