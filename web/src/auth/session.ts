import { decodeIdToken, roleOf, type IdTokenClaims, type Role } from "./idToken";

/**
 * The logged-in session: the tokens of POST /auth/login, in memory and in sessionStorage (so a
 * reload keeps the login, a closed tab ends it). The ID token is the API's bearer.
 */
export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string | null;
  /** When the ID token expires, milliseconds since the epoch. */
  expiresAt: number;
}

export interface Session {
  tokens: Tokens;
  claims: IdTokenClaims;
  role: Role;
}

/** Why a session ended: the user logged out, or it could not be refreshed. */
export type EndReason = "logout" | "expired";

/** The API's token answer (TokensOut). */
export interface TokenAnswer {
  id_token: string;
  access_token: string;
  refresh_token: string | null;
  expires_in: number;
}

const STORAGE_KEY = "cps.session";

type Listener = (session: Session | null, reason?: EndReason) => void;

function sessionOf(tokens: Tokens): Session | null {
  try {
    const claims = decodeIdToken(tokens.idToken);
    return { tokens, claims, role: roleOf(claims) };
  } catch {
    return null;
  }
}

export class SessionStore {
  private session: Session | null = null;
  private lastEnd: EndReason | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null,
    private readonly now: () => number = Date.now,
  ) {
    const saved = storage?.getItem(STORAGE_KEY);
    if (saved) {
      try {
        this.session = sessionOf(JSON.parse(saved) as Tokens);
      } catch {
        this.session = null;
      }
    }
  }

  get current(): Session | null {
    return this.session;
  }

  /** How the last session ended (null while logged in or before any login in this tab). */
  get endedBy(): EndReason | null {
    return this.session === null ? this.lastEnd : null;
  }

  /** Stores the tokens of a login or a refresh (a refresh may not send a new refresh token). */
  signIn(answer: TokenAnswer): Session {
    const tokens: Tokens = {
      idToken: answer.id_token,
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token ?? this.session?.tokens.refreshToken ?? null,
      expiresAt: this.now() + answer.expires_in * 1000,
    };
    const session = sessionOf(tokens);
    if (!session) throw new Error("The ID token could not be read.");
    this.session = session;
    this.lastEnd = null;
    this.storage?.setItem(STORAGE_KEY, JSON.stringify(tokens));
    this.emit(session);
    return session;
  }

  end(reason: EndReason): void {
    if (this.session === null) return;
    this.session = null;
    this.lastEnd = reason;
    this.storage?.removeItem(STORAGE_KEY);
    this.emit(null, reason);
  }

  /** True when the ID token expires within `marginMs`. */
  expiresSoon(marginMs = 30_000): boolean {
    return this.session !== null && this.session.tokens.expiresAt - this.now() < marginMs;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(session: Session | null, reason?: EndReason): void {
    for (const listener of this.listeners) listener(session, reason);
  }
}

function browserStorage(): Storage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null; // storage disabled: the session lives in memory only
  }
}

/** The app's one session. */
export const session = new SessionStore(browserStorage());
