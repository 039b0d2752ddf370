import { describe, expect, it } from "vitest";

import {
  cents,
  decisionUrgency,
  exportFileProblem,
  importFinished,
  isIsoDate,
  localToday,
  normaliseAmount,
  paymentProblems,
  reasonProblem,
  statusParam,
  takesBankTransfer,
  utcToday,
  type Receivable,
} from "./logic";

describe("the urgency of a decision", () => {
  it("is overdue after its due date, due today on it, upcoming before", () => {
    expect(decisionUrgency("2026-03-02", "2026-03-03")).toBe("overdue");
    expect(decisionUrgency("2026-03-03", "2026-03-03")).toBe("today");
    expect(decisionUrgency("2026-03-04", "2026-03-03")).toBe("upcoming");
    expect(decisionUrgency(null, "2026-03-03")).toBe("none");
  });

  it("compares with today's date in UTC, as the API does", () => {
    expect(utcToday(new Date("2026-03-03T23:30:00Z"))).toBe("2026-03-03");
    expect(localToday(new Date(2026, 0, 5, 10))).toBe("2026-01-05");
  });
});

describe("a reviewer's reason", () => {
  it("is required to reject, and more than blanks", () => {
    expect(reasonProblem("REJECT", "")).toBe("backoffice.review.reasonRequired");
    expect(reasonProblem("REJECT", "  \n\t ")).toBe("backoffice.review.reasonRequired");
    expect(reasonProblem("REJECT", "The invoice does not show the VAT number.")).toBeNull();
  });

  it("is optional to approve", () => {
    expect(reasonProblem("APPROVE", "")).toBeNull();
  });

  it("is at most 1,000 characters once blanks are collapsed", () => {
    expect(reasonProblem("REJECT", "a".repeat(1000))).toBeNull();
    expect(reasonProblem("REJECT", `${"a ".repeat(500)}     `)).toBeNull(); // 999 once collapsed
    expect(reasonProblem("APPROVE", "a".repeat(1001))).toBe("backoffice.review.reasonTooLong");
  });
});

describe("a recorded bank transfer", () => {
  const today = "2026-03-10";
  const valid = { amount: "102.85", paidOn: "2026-03-09", reference: "CPS2026000017" };

  it("takes amounts with a decimal point or comma, and compares them in cents", () => {
    expect(normaliseAmount("102,85")).toBe("102.85");
    expect(normaliseAmount(" 1 020.5 ")).toBe("1020.5");
    expect(normaliseAmount("1.020,50")).toBeNull();
    expect(normaliseAmount("-5")).toBeNull();
    expect(normaliseAmount("10.999")).toBeNull();
    expect(cents("85")).toBe(8500);
    expect(cents("85.5")).toBe(8550);
    expect(cents("85.05")).toBe(8505);
  });

  it("is accepted when complete and right", () => {
    expect(paymentProblems(valid, "102.85", today)).toEqual({});
    expect(paymentProblems({ ...valid, amount: "102,85", paidOn: today }, "102.85", today)).toEqual({});
  });

  it("needs a reference", () => {
    expect(paymentProblems({ ...valid, reference: "   " }, "102.85", today)).toEqual({
      reference: "backoffice.finance.referenceRequired",
    });
    expect(paymentProblems({ ...valid, reference: "x".repeat(101) }, "102.85", today).reference).toBe(
      "backoffice.finance.referenceTooLong",
    );
  });

  it("needs the whole open amount", () => {
    expect(paymentProblems({ ...valid, amount: "" }, "102.85", today).amount).toBe("validation.required");
    expect(paymentProblems({ ...valid, amount: "abc" }, "102.85", today).amount).toBe("backoffice.finance.amountInvalid");
    expect(paymentProblems({ ...valid, amount: "100" }, "102.85", today).amount).toBe("backoffice.finance.amountMismatch");
  });

  it("needs a real day that is not in the future", () => {
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("2028-02-29")).toBe(true);
    expect(paymentProblems({ ...valid, paidOn: "" }, "102.85", today).paidOn).toBe("validation.required");
    expect(paymentProblems({ ...valid, paidOn: "2026-02-30" }, "102.85", today).paidOn).toBe("backoffice.finance.paidOnInvalid");
    expect(paymentProblems({ ...valid, paidOn: "2026-03-11" }, "102.85", today).paidOn).toBe("backoffice.finance.paidOnFuture");
  });

  it("is offered for open bank-transfer invoices only", () => {
    const invoice = { kind: "INVOICE", payment_method: "BANK_TRANSFER", status: "ISSUED" } as Receivable;
    expect(takesBankTransfer(invoice)).toBe(true);
    expect(takesBankTransfer({ ...invoice, status: "OVERDUE" })).toBe(true);
    expect(takesBankTransfer({ ...invoice, status: "PAID" })).toBe(false);
    expect(takesBankTransfer({ ...invoice, payment_method: "CARD" })).toBe(false);
    expect(takesBankTransfer({ ...invoice, kind: "CREDIT_NOTE" })).toBe(false);
  });
});

describe("an old-CPS export", () => {
  it("is a non-empty .csv file", () => {
    expect(exportFileProblem(null)).toBe("backoffice.legacy.fileRequired");
    expect(exportFileProblem({ name: "export.xlsx", size: 10 })).toBe("backoffice.legacy.fileNotCsv");
    expect(exportFileProblem({ name: "export.CSV", size: 0 })).toBe("backoffice.legacy.fileEmpty");
    expect(exportFileProblem({ name: "export.CSV", size: 10 })).toBeNull();
  });

  it("is imported until its report is completed or failed", () => {
    expect(importFinished({ status: "IMPORTING" })).toBe(false);
    expect(importFinished({ status: "AWAITING_FILE" })).toBe(false);
    expect(importFinished({ status: "COMPLETED" })).toBe(true);
    expect(importFinished({ status: "FAILED" })).toBe(true);
  });
});

describe("a status in the address", () => {
  it("is taken when the API knows it, else the screen's default", () => {
    const allowed = ["ISSUED", "OVERDUE"] as const;
    expect(statusParam("OVERDUE", allowed, "ISSUED")).toBe("OVERDUE");
    expect(statusParam("overdue", allowed, "ISSUED")).toBe("ISSUED");
    expect(statusParam(null, allowed, "ISSUED")).toBe("ISSUED");
  });
});
