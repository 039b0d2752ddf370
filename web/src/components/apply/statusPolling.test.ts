import { describe, expect, it } from "vitest";

import { awaitsDecision, canUpload, displayedStatus, MAX_DELAY_MS, nextDelay, shouldPoll } from "./statusPolling";

describe("reading the application's status again", () => {
  it("waits longer each time, and never less than 2 s nor more than 15 s", () => {
    const delays = Array.from({ length: 10 }, (_, attempt) => nextDelay(attempt));
    expect(delays[0]).toBe(2_000);
    expect(delays[1]).toBe(3_000);
    expect(delays.every((delay, index) => index === 0 || delay >= delays[index - 1]!)).toBe(true);
    expect(Math.max(...delays)).toBe(MAX_DELAY_MS);
  });

  it("happens while the document is checked, and right after an upload", () => {
    expect(shouldPoll("VALIDATING", false)).toBe(true);
    expect(shouldPoll("AWAITING_DOCUMENT", true)).toBe(true);
    expect(shouldPoll("AWAITING_DOCUMENT", false)).toBe(false);
    expect(shouldPoll("PENDING_REVIEW", true)).toBe(false);
    expect(shouldPoll("APPROVED", false)).toBe(false);
  });
});

describe("what the status page offers", () => {
  it("shows a just uploaded document as being checked", () => {
    expect(displayedStatus("AWAITING_DOCUMENT", true)).toBe("VALIDATING");
    expect(displayedStatus("AWAITING_DOCUMENT", false)).toBe("AWAITING_DOCUMENT");
    expect(displayedStatus("PENDING_REVIEW", true)).toBe("PENDING_REVIEW");
  });

  it("offers an upload only while a document is awaited", () => {
    expect(canUpload("AWAITING_DOCUMENT")).toBe(true);
    expect(canUpload("VALIDATING")).toBe(false);
  });

  it("promises a decision date until the decision", () => {
    expect(awaitsDecision("PENDING_REVIEW")).toBe(true);
    expect(awaitsDecision("APPROVED")).toBe(false);
    expect(awaitsDecision("REJECTED")).toBe(false);
  });
});
