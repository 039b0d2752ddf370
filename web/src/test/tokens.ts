/** An unsigned JWT-shaped ID token for tests (the frontend only reads its claims). */
export function fakeIdToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) =>
    btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${encode({ alg: "none" })}.${encode({ exp: 4_102_444_800, ...claims })}.signature`;
}

export function tokenAnswer(claims: Record<string, unknown> = {}, expiresIn = 3600) {
  return {
    id_token: fakeIdToken({ email: "buyer@example.com", ...claims }),
    access_token: "access",
    refresh_token: "refresh-1",
    expires_in: expiresIn,
  };
}
