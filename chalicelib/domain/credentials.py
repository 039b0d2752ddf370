"""One-time links and password rules.

Link tokens are random and only their SHA-256 is stored: a database reader cannot use them.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from chalicelib.domain.errors import InvalidToken, ValidationFailed

MIN_PASSWORD_LENGTH = 12  # mirrors the Cognito pool's policy in infra/resources.yaml


class TokenPurpose(StrEnum):
    SET_PASSWORD = "SET_PASSWORD"  # noqa: S105 - a purpose, not a secret
    RESET_PASSWORD = "RESET_PASSWORD"  # noqa: S105 - a purpose, not a secret
    LEGACY_CONFIRMATION = "LEGACY_CONFIRMATION"  # the old CPS address confirms a migration


class ChallengeKind(StrEnum):
    """What a login asks for before it gives tokens (reviewers: SPEC §1, MFA required)."""

    SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA"  # noqa: S105 - a code from the authenticator app
    MFA_SETUP = "MFA_SETUP"  # a reviewer without an authenticator app must add one first


TOKEN_LIFETIME = {
    TokenPurpose.SET_PASSWORD: timedelta(hours=72),
    TokenPurpose.RESET_PASSWORD: timedelta(hours=2),
    TokenPurpose.LEGACY_CONFIRMATION: timedelta(days=7),
}
# The links that set a password: a new password voids every such link issued before it.
PASSWORD_PURPOSES = frozenset({TokenPurpose.SET_PASSWORD, TokenPurpose.RESET_PASSWORD})
# The context field of the mail that carries each link, rendered when the mail is sent.
LINK_URL_FIELD = {
    TokenPurpose.SET_PASSWORD: "set_password_url",
    TokenPurpose.RESET_PASSWORD: "reset_url",
}


@dataclass(frozen=True)
class Principal:
    """The caller a verified ID token names: the authorizer verifies the token and passes these
    on to the routes, which read them from the request (handlers/http.py)."""

    subject: str
    email: str
    account_id: str | None
    groups: tuple[str, ...]


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
    issued_at: datetime | None = None  # None on links stored before it was recorded

    @property
    def issued(self) -> datetime:
        if self.issued_at is not None:
            return self.issued_at
        return self.expires_at - TOKEN_LIFETIME.get(self.purpose, timedelta())

    def usable_at(self, now: datetime, void_before: datetime | None = None) -> bool:
        if void_before is not None and self.issued < void_before:
            return False  # a newer password has voided the links issued before it
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
        issued_at=now,
    )
    return plain, record


@dataclass(frozen=True)
class LinkRequest:
    """A one-time link a queued mail asks for: the token is issued when the mail is sent, so
    neither the token nor the URL ever travels through the queue."""

    purpose: TokenPurpose
    account_id: str
    requested_at: datetime  # its life, and whether a newer password voids it, count from here

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.purpose.value.lower(),
            "account_id": self.account_id,
            "requested_at": self.requested_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinkRequest:
        return cls(
            purpose=TokenPurpose(str(data["kind"]).upper()),
            account_id=str(data["account_id"]),
            requested_at=datetime.fromisoformat(str(data["requested_at"])),
        )

    @property
    def url_field(self) -> str:
        return LINK_URL_FIELD[self.purpose]


def ensure_usable(
    token: OneTimeToken | None,
    now: datetime,
    *,
    purposes: frozenset[TokenPurpose] | None = None,
    void_before: datetime | None = None,
) -> OneTimeToken:
    if (
        token is None
        or (purposes is not None and token.purpose not in purposes)
        or not token.usable_at(now, void_before)
    ):
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
