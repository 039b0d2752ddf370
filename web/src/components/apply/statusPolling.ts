import type { components } from "../../api/schema";

export type ApplicationStatus = components["schemas"]["ApplicationStatus"];
export type ApplicationState = components["schemas"]["ApplicationStatusOut"];

/** The first wait between two reads of the status; each next one is longer, up to the cap. */
export const FIRST_DELAY_MS = 2_000;
export const MAX_DELAY_MS = 15_000;
/** How long to wait, after an upload, for its check to start before saying it takes long. */
export const UPLOAD_GRACE_MS = 120_000;

/** Polite polling: 2 s, 3 s, 4.5 s... never more often, and at most every 15 s. */
export function nextDelay(attempt: number): number {
  return Math.min(MAX_DELAY_MS, Math.round(FIRST_DELAY_MS * 1.5 ** Math.max(0, attempt)));
}

/**
 * Whether the status page keeps reading the status: while the document is checked
 * (VALIDATING), and right after an upload, until the check has started (the upload reaches
 * the API through S3's event, a moment later).
 */
export function shouldPoll(status: ApplicationStatus, justUploaded: boolean): boolean {
  return status === "VALIDATING" || (status === "AWAITING_DOCUMENT" && justUploaded);
}

/** The document can be (re)uploaded only while the application waits for one. */
export function canUpload(status: ApplicationStatus): boolean {
  return status === "AWAITING_DOCUMENT";
}

/** A decision is still to come (the promise "we decide by ..." holds). */
export function awaitsDecision(status: ApplicationStatus): boolean {
  return status === "VALIDATING" || status === "PENDING_REVIEW" || status === "AWAITING_DOCUMENT";
}

/**
 * The status the page shows. Right after an upload the API still says AWAITING_DOCUMENT until
 * S3's event reaches it: for the applicant the document is in and being checked already.
 */
export function displayedStatus(status: ApplicationStatus, justUploaded: boolean): ApplicationStatus {
  return status === "AWAITING_DOCUMENT" && justUploaded ? "VALIDATING" : status;
}
