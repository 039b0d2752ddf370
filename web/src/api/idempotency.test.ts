import { describe, expect, it } from "vitest";

import { createIdempotencyKey } from "./idempotency";

describe("an idempotency key", () => {
  it("stays the same for the retries of one action, and changes for the next action", () => {
    let made = 0;
    const key = createIdempotencyKey(() => `key-${++made}`);
    expect(key.current()).toBe("key-1");
    expect(key.current()).toBe("key-1"); // a retry of the same purchase
    key.settle();
    expect(key.current()).toBe("key-2");
  });

  it("is a random UUID by default", () => {
    expect(createIdempotencyKey().current()).toMatch(/^[0-9a-f-]{36}$/);
  });
});
