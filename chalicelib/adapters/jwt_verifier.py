"""Verifies Cognito ID tokens against the pool's JWKS (URL from configuration)."""

from __future__ import annotations

import jwt

from chalicelib.domain.credentials import Principal
from chalicelib.domain.errors import InvalidCredentials


class JwtVerifier:
    def __init__(self, jwks_url: str, issuer: str, audience: str) -> None:
        # PyJWKClient caches the key set for the life of the warm Lambda container.
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=3600, timeout=5)
        self._issuer = issuer
        self._audience = audience

    def verify(self, token: str) -> Principal:
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iat", "sub", "token_use"]},
            )
        except (jwt.PyJWTError, jwt.PyJWKClientError) as exc:
            raise InvalidCredentials("The token is missing, invalid or expired.") from exc
        if claims.get("token_use") != "id":
            raise InvalidCredentials("An ID token is required.")
        groups = claims.get("cognito:groups") or []
        return Principal(
            subject=str(claims["sub"]),
            email=str(claims.get("email", "")),
            account_id=claims.get("custom:account_id"),
            groups=tuple(str(g) for g in groups),
        )

    def groups_of(self, id_token: str) -> tuple[str, ...]:
        return self.verify(id_token).groups
