import { api, call } from "../api/client";
import { session } from "./session";

/**
 * The login conversation with the API. POST /auth/login answers tokens, or (reviewers) a
 * challenge: SOFTWARE_TOKEN_MFA (send the authenticator app's code to /auth/login/mfa) or
 * MFA_SETUP (add an app: /auth/mfa/setup shows its secret, /auth/mfa/verify checks a code;
 * then the reviewer logs in again).
 */
export type LoginOutcome =
  | { kind: "loggedIn" }
  | { kind: "mfaCode"; session: string }
  | { kind: "mfaSetup"; session: string };

export async function logIn(email: string, password: string): Promise<LoginOutcome> {
  const answer = await call(api().POST("/auth/login", { body: { email, password } }));
  if ("challenge" in answer) {
    const challengeSession = String(answer.session);
    return answer.challenge === "MFA_SETUP"
      ? { kind: "mfaSetup", session: challengeSession }
      : { kind: "mfaCode", session: challengeSession };
  }
  session.signIn(answer);
  return { kind: "loggedIn" };
}

export async function answerMfa(email: string, challengeSession: string, code: string): Promise<void> {
  const tokens = await call(
    api().POST("/auth/login/mfa", { body: { email, session: challengeSession, code } }),
  );
  session.signIn(tokens);
}

export interface AuthenticatorSecret {
  secret: string;
  otpauthUri: string;
}

export async function startMfaSetup(challengeSession: string): Promise<AuthenticatorSecret> {
  const answer = await call(api().POST("/auth/mfa/setup", { body: { session: challengeSession } }));
  return { secret: answer.secret, otpauthUri: answer.otpauth_uri };
}

export async function verifyMfaSetup(challengeSession: string, code: string): Promise<void> {
  await call(api().POST("/auth/mfa/verify", { body: { session: challengeSession, code } }));
}

export function logOut(): void {
  session.end("logout");
}
