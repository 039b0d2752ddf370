"""Passwords and logins over the identity provider (SPEC §1: set, reset, log in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from chalicelib.domain.applications import is_valid_email, normalise_email
from chalicelib.domain.clock import Clock
from chalicelib.domain.credentials import (
    PASSWORD_PURPOSES,
    TOKEN_LIFETIME,
    ChallengeKind,
    LinkRequest,
    TokenPurpose,
    check_password_policy,
    ensure_usable,
    hash_token,
)
from chalicelib.domain.errors import DomainError, InvalidToken, MfaRequired
from chalicelib.services.ports import (
    AccountRepository,
    AuthTokens,
    EmailRequest,
    IdentityProvider,
    LinkRevocations,
    MfaChallenge,
    Outbox,
    Throttle,
    TokenStore,
    TokenVerifier,
)

# At most one reset mail per address in this window, however often a reset is asked for.
RESET_MAIL_WINDOW = timedelta(minutes=15)


def reset_throttle_key(address: str) -> str:
    """Keyed by a hash: the throttle item does not hold the address itself."""
    return f"password-reset#{hash_token(normalise_email(address))}"


@dataclass(frozen=True)
class AuthSettings:
    frontend_url: str
    reviewers_group: str = "reviewers"
    reviewer_mfa_required: bool = True


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
        throttle: Throttle,
        revocations: LinkRevocations,
        verifier: TokenVerifier,
    ) -> None:
        self._accounts = accounts
        self._tokens = tokens
        self._identity = identity
        self._outbox = outbox
        self._clock = clock
        self._settings = settings
        self._throttle = throttle
        self._revocations = revocations
        self._verifier = verifier

    def set_password(self, token: str, password: str) -> None:
        check_password_policy(password)  # before using the link, so a weak password keeps it
        now = self._clock.now()
        record = self._tokens.get(hash_token(token))
        void_before = self._revocations.links_void_before(record.account_id) if record else None
        record = ensure_usable(record, now, purposes=PASSWORD_PURPOSES, void_before=void_before)
        if not self._tokens.mark_used(record.token_hash, now):
            raise InvalidToken("This link has already been used or has expired.")
        try:
            self._identity.set_password(record.email, password)
        except DomainError:
            self._tokens.release(record.token_hash)
            raise
        # A new password voids every other link issued before it and ends every session.
        self._revocations.void_links_before(record.account_id, now)
        self._identity.sign_out_everywhere(record.email)

    def request_reset(self, email: str) -> None:
        """The same work for a known and an unknown address (one lookup, one conditional write),
        so neither the answer nor its timing tells a stranger who is a customer."""
        if not is_valid_email(email):
            return  # no account has an invalid address
        address = normalise_email(email)
        account = self._accounts.find_by_email(address)
        now = self._clock.now()
        key = reset_throttle_key(address)
        if not self._throttle.acquire(key, now, RESET_MAIL_WINDOW) or account is None:
            return
        try:
            self._outbox.send(
                EmailRequest(
                    template="password_reset",
                    language=account.language,
                    to=account.email,
                    # One mail per throttle window: the window's start names the cause.
                    dedupe_key=f"password-reset:{account.account_id}:{now.isoformat()}",
                    context={
                        "contact_name": account.contact_name,
                        "link_expires_hours": int(
                            TOKEN_LIFETIME[TokenPurpose.RESET_PASSWORD].total_seconds() // 3600
                        ),
                    },
                    link=LinkRequest(
                        TokenPurpose.RESET_PASSWORD, account.account_id, now
                    ).to_json(),
                )
            )
        except Exception:
            self._throttle.release(key, now + RESET_MAIL_WINDOW)  # the mail did not leave
            raise

    def login(self, email: str, password: str) -> AuthTokens | MfaChallenge:
        """A reviewer with an authenticator app is asked for its code (Cognito asks); one
        without gets no tokens, only a session to add the app with (`start_mfa_setup`)."""
        outcome = self._identity.login(normalise_email(email), password)
        if isinstance(outcome, MfaChallenge) or not self._needs_mfa_setup(outcome):
            return outcome
        return MfaChallenge(ChallengeKind.MFA_SETUP, outcome.access_token)

    def answer_mfa(self, email: str, session: str, code: str) -> AuthTokens:
        return self._identity.answer_mfa(normalise_email(email), session, code)

    def start_mfa_setup(self, session: str) -> str:
        return self._identity.start_mfa_setup(session)

    def finish_mfa_setup(self, session: str, code: str) -> None:
        self._identity.finish_mfa_setup(session, code)

    def _needs_mfa_setup(self, tokens: AuthTokens) -> bool:
        # Tokens without a challenge mean no second factor is set up for this login.
        return self._settings.reviewer_mfa_required and (
            self._settings.reviewers_group in self._verifier.groups_of(tokens.id_token)
        )

    def ensure_reviewer_mfa(self, email: str) -> None:
        """Reviewer routes also refuse a reviewer without a second factor who got a token
        straight from Cognito, around our login."""
        if self._settings.reviewer_mfa_required and not self._identity.has_mfa(email):
            raise MfaRequired(
                "Reviewer routes need an authenticator app: log in again to set one up."
            )

    def refresh(self, refresh_token: str) -> AuthTokens:
        return self._identity.refresh(refresh_token)
