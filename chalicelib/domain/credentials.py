"""One-time links and password rules.

Link tokens are random and only their SHA-256 is stored: a database reader cannot use them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from chalicelib.domain.errors import InvalidToken, ValidationFailed

MIN_PASSWORD_LENGTH = 12  # mirrors the Cognito pool's policy in infra/resources.yaml


class TokenPurpose(StrEnum):
    SET_PASSWORD = "SET_PASSWORD"  # noqa: S105 - a purpose, not a secret
    RESET_PASSWORD = "RESET_PASSWORD"  # noqa: S105 - a purpose, not a secret


TOKEN_LIFETIME = {
    TokenPurpose.SET_PASSWORD: timedelta(hours=72),
    TokenPurpose.RESET_PASSWORD: timedelta(hours=2),
}


def hash_token(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


@dataclass(frozen=True)
class OneTimeToken:
    token_hash: str
    account_id: str
    email: str
    purpose: TokenPurpose
    expires_at: datetime
    used_at: datetime | None = None

    def usable_at(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


def issue_token(
    account_id: str, email: str, purpose: TokenPurpose, now: datetime
) -> tuple[str, OneTimeToken]:
    plain = secrets.token_urlsafe(32)
    record = OneTimeToken(
        token_hash=hash_token(plain),
        account_id=account_id,
        email=email,
        purpose=purpose,
        expires_at=now + TOKEN_LIFETIME[purpose],
    )
    return plain, record


def ensure_usable(token: OneTimeToken | None, now: datetime) -> OneTimeToken:
    if token is None or not token.usable_at(now):
        raise InvalidToken(
            "This link is invalid, has already been used or has expired. "
            "Request a new one with 'Forgot password'."
        )
    return token


def check_password_policy(password: str) -> None:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 256:
        problems.append("at most 256 characters")
    if not any(c.islower() for c in password):
        problems.append("a lower-case letter")
    if not any(c.isupper() for c in password):
        problems.append("an upper-case letter")
    if not any(c.isdigit() for c in password):
        problems.append("a digit")
    if password != password.strip():
        problems.append("no leading or trailing spaces")
    if problems:
        raise ValidationFailed(
            "The password does not meet the policy.",
            fields={"password": "needs " + ", ".join(problems)},
        )
