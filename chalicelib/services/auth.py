"""Passwords and logins over the identity provider (SPEC §1: set, reset, log in)."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.applications import is_valid_email, normalise_email
from chalicelib.domain.clock import Clock
from chalicelib.domain.credentials import (
    TOKEN_LIFETIME,
    TokenPurpose,
    check_password_policy,
    ensure_usable,
    hash_token,
    issue_token,
)
from chalicelib.domain.errors import DomainError, InvalidToken
from chalicelib.services.ports import (
    AccountRepository,
    AuthTokens,
    EmailRequest,
    IdentityProvider,
    Outbox,
    TokenStore,
)


@dataclass(frozen=True)
class AuthSettings:
    frontend_url: str


class AuthService:
    def __init__(
        self,
        *,
        accounts: AccountRepository,
        tokens: TokenStore,
        identity: IdentityProvider,
        outbox: Outbox,
        clock: Clock,
        settings: AuthSettings,
    ) -> None:
        self._accounts = accounts
        self._tokens = tokens
        self._identity = identity
        self._outbox = outbox
        self._clock = clock
        self._settings = settings

    def set_password(self, token: str, password: str) -> None:
        check_password_policy(password)  # before using the link, so a weak password keeps it
        now = self._clock.now()
        record = ensure_usable(self._tokens.get(hash_token(token)), now)
        if not self._tokens.mark_used(record.token_hash, now):
            raise InvalidToken("This link has already been used or has expired.")
        try:
            self._identity.set_password(record.email, password)
        except DomainError:
            self._tokens.release(record.token_hash)
            raise

    def request_reset(self, email: str) -> None:
        """Silent whether or not the account exists: no one learns who is a customer."""
        if not is_valid_email(email):
            return
        account = self._accounts.find_by_email(normalise_email(email))
        if account is None:
            return
        plain, record = issue_token(
            account.account_id, account.email, TokenPurpose.RESET_PASSWORD, self._clock.now()
        )
        self._tokens.add(record)
        self._outbox.send(
            EmailRequest(
                template="password_reset",
                language=account.language,
                to=account.email,
                dedupe_key=f"password-reset:{record.token_hash}",
                context={
                    "contact_name": account.contact_name,
                    "reset_url": f"{self._settings.frontend_url}/set-password?token={plain}",
                    "link_expires_hours": int(
                        TOKEN_LIFETIME[TokenPurpose.RESET_PASSWORD].total_seconds() // 3600
                    ),
                },
            )
        )

    def login(self, email: str, password: str) -> AuthTokens:
        return self._identity.login(normalise_email(email), password)

    def refresh(self, refresh_token: str) -> AuthTokens:
        return self._identity.refresh(refresh_token)
