/**
 * What the frontend reads from the Cognito ID token (never trusted for security: the API
 * verifies the token on every call; this only decides what the pages show).
 */
export type Role = "customer" | "reviewer";

/** The Cognito group of the back office (CPS_REVIEWERS_GROUP of the API). */
export const REVIEWERS_GROUP = "reviewers";

export interface IdTokenClaims {
  email: string | null;
  groups: readonly string[];
  /** Expiry, seconds since the epoch. */
  exp: number;
}

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

export function decodeIdToken(idToken: string): IdTokenClaims {
  const payload = idToken.split(".")[1];
  if (!payload) throw new Error("not a JWT");
  const claims = JSON.parse(base64UrlDecode(payload)) as Record<string, unknown>;
  const groups = claims["cognito:groups"];
  return {
    email: typeof claims.email === "string" ? claims.email : null,
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === "string") : [],
    exp: typeof claims.exp === "number" ? claims.exp : 0,
  };
}

export function roleOf(claims: IdTokenClaims): Role {
  return claims.groups.includes(REVIEWERS_GROUP) ? "reviewer" : "customer";
}
