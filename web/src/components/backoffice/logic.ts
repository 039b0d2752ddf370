/**
 * The back office's rules that need no React: how urgent a review is, what a decision or a
 * recorded bank transfer needs before it is sent, and what an old-CPS export must look like.
 * Each check answers a message key (or null), as `forms/validation.ts` does.
 */
import type { components } from "../../api/schema";
import type { MessageKey } from "../../i18n/en";

export type ReviewItem = components["schemas"]["ReviewItemOut"];
export type ApplicationStatus = components["schemas"]["ApplicationStatus"];
export type CheckOutcome = components["schemas"]["CheckOutcome"];
export type Receivable = components["schemas"]["ReceivableOut"];
export type InvoiceStatus = components["schemas"]["InvoiceStatus"];
export type ImportReport = components["schemas"]["LegacyImportOut"];

/** The statuses GET /review/applications accepts, the queue's own first. */
export const APPLICATION_STATUSES: readonly ApplicationStatus[] = [
  "PENDING_REVIEW",
  "VALIDATING",
  "AWAITING_DOCUMENT",
  "APPROVED",
  "REJECTED",
];

/** The statuses GET /finance/invoices accepts; open invoices first. */
export const INVOICE_STATUSES: readonly InvoiceStatus[] = ["ISSUED", "OVERDUE", "PAID", "CANCELLED"];

/** A status from the address bar (`?status=`), or the screen's default when absent or unknown. */
export function statusParam<S extends string>(raw: string | null, allowed: readonly S[], fallback: S): S {
  return raw !== null && (allowed as readonly string[]).includes(raw) ? (raw as S) : fallback;
}

// --- dates ------------------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, "0");

/** Today in the browser's own calendar, `YYYY-MM-DD`: the default "paid on" of a transfer. */
export function localToday(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Today in UTC, `YYYY-MM-DD`: the API counts a decision as overdue after its due date in UTC. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A real calendar date written `YYYY-MM-DD` (what `<input type="date">` gives). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year, month, day] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export type Urgency = "overdue" | "today" | "upcoming" | "none";

/**
 * How urgent a decision is: past its `decision_due_by` (the 2-business-day promise is broken),
 * due today, or later. ISO dates compare as strings.
 */
export function decisionUrgency(dueBy: string | null, today: string): Urgency {
  if (dueBy === null) return "none";
  if (dueBy < today) return "overdue";
  if (dueBy === today) return "today";
  return "upcoming";
}

// --- the reviewer's decision -------------------------------------------------------------------

export type Decision = components["schemas"]["Decision"];

/** The API's limit: 1,000 characters once runs of blanks are collapsed. */
export const REASON_MAX = 1000;

export function collapseBlanks(text: string): string {
  return text.split(/\s+/).filter(Boolean).join(" ");
}

/** A rejection needs a reason for the applicant (more than blanks); an approval may have one. */
export function reasonProblem(decision: Decision, reason: string): MessageKey | null {
  const cleaned = collapseBlanks(reason);
  if (decision === "REJECT" && cleaned === "") return "backoffice.review.reasonRequired";
  if (cleaned.length > REASON_MAX) return "backoffice.review.reasonTooLong";
  return null;
}

// --- recording a bank transfer ------------------------------------------------------------------

/** The API's amount: digits, at most two decimals (handlers/invoices.py AMOUNT). */
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;

/**
 * The amount as the API wants it: blanks removed and a decimal comma ("85,00", as typed in nl,
 * de, da, lv) made a point; null when it is not an amount.
 */
export function normaliseAmount(raw: string): string | null {
  let text = raw.replace(/[\s\u00a0]/g, "");
  if (text.includes(",") && !text.includes(".")) text = text.replace(",", ".");
  return AMOUNT.test(text) ? text : null;
}

/** An amount in cents, for comparing "85" with "85.00" without floating point. */
export function cents(amount: string): number {
  const [whole = "0", fraction = ""] = amount.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
}

export interface PaymentForm {
  amount: string;
  paidOn: string;
  reference: string;
}

export const REFERENCE_MAX = 100;

/**
 * The client's checks of a bank transfer, as the API has them: the amount is the invoice's open
 * amount (its total; no part payments), the day is a real date not after today, a reference.
 */
export function paymentProblems(
  form: PaymentForm,
  openAmount: string,
  today: string,
): Partial<Record<keyof PaymentForm, MessageKey>> {
  const problems: Partial<Record<keyof PaymentForm, MessageKey>> = {};
  const amount = normaliseAmount(form.amount);
  if (form.amount.trim() === "") problems.amount = "validation.required";
  else if (amount === null) problems.amount = "backoffice.finance.amountInvalid";
  else if (cents(amount) !== cents(openAmount)) problems.amount = "backoffice.finance.amountMismatch";
  if (form.paidOn.trim() === "") problems.paidOn = "validation.required";
  else if (!isIsoDate(form.paidOn)) problems.paidOn = "backoffice.finance.paidOnInvalid";
  else if (form.paidOn > today) problems.paidOn = "backoffice.finance.paidOnFuture";
  if (form.reference.trim() === "") problems.reference = "backoffice.finance.referenceRequired";
  else if (form.reference.trim().length > REFERENCE_MAX) problems.reference = "backoffice.finance.referenceTooLong";
  return problems;
}

/** A bank transfer can be recorded for an open bank-transfer invoice only (else the API's 409). */
export function takesBankTransfer(invoice: Receivable): boolean {
  return (
    invoice.kind === "INVOICE" &&
    invoice.payment_method === "BANK_TRANSFER" &&
    (invoice.status === "ISSUED" || invoice.status === "OVERDUE")
  );
}

// --- old-CPS exports ------------------------------------------------------------------------------

/** The header line of an old-CPS export, in this order (chalicelib/domain/legacy.py HEADER). */
export const EXPORT_COLUMNS = [
  "email",
  "sku",
  "serial_number",
  "purchase_date",
  "country_of_purchase",
  "dealer",
] as const;

/** Checks of the chosen file before anything is asked of the API. */
export function exportFileProblem(file: Pick<File, "name" | "size"> | null): MessageKey | null {
  if (file === null) return "backoffice.legacy.fileRequired";
  if (!file.name.toLowerCase().endsWith(".csv")) return "backoffice.legacy.fileNotCsv";
  if (file.size === 0) return "backoffice.legacy.fileEmpty";
  return null;
}

/** An import is finished once its report is COMPLETED or FAILED; until then it is polled. */
export function importFinished(report: Pick<ImportReport, "status">): boolean {
  return report.status === "COMPLETED" || report.status === "FAILED";
}
