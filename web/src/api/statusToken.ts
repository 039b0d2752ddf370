/**
 * An application's `status_token` (from POST /applications): the applicant's only key to
 * GET /applications/{id} and POST /applications/{id}/upload, sent as `X-Status-Token`. Kept in
 * this browser so the status page still opens after the tab was closed.
 */
const PREFIX = "cps.statusToken.";

export function rememberStatusToken(applicationId: string, statusToken: string): void {
  localStorage.setItem(PREFIX + applicationId, statusToken);
}

export function statusTokenFor(applicationId: string): string | null {
  return localStorage.getItem(PREFIX + applicationId);
}

/** The header to pass as `params.header` of an application call. */
export function statusTokenHeader(statusToken: string): { "X-Status-Token": string } {
  return { "X-Status-Token": statusToken };
}
