"""One-time link tokens; `mark_used` is a conditional write, so a link works once even in a race."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import DeleteError, PutError, UpdateError

from chalicelib.adapters.dynamo.conditions import is_condition_failure
from chalicelib.adapters.dynamo.models import GuardModel, TokenModel, bind
from chalicelib.domain.credentials import TOKEN_LIFETIME, OneTimeToken, TokenPurpose


class DynamoTokenStore:
    def __init__(self, region: str, *, tokens: str) -> None:
        self._tokens = bind(TokenModel, tokens, region)

    def add(self, token: OneTimeToken) -> None:
        self._tokens(
            token_hash=token.token_hash,
            account_id=token.account_id,
            email=token.email,
            purpose=token.purpose.value,
            expires_at=token.expires_at,
            issued_at=token.issued_at,
            # Kept a week past expiry so a late click still gets "expired", then TTL removes it.
            expires_ttl=token.expires_at + timedelta(days=7),
        ).save(condition=TokenModel.token_hash.does_not_exist())

    def get(self, token_hash: str) -> OneTimeToken | None:
        try:
            item = self._tokens.get(token_hash, consistent_read=True)
        except TokenModel.DoesNotExist:
            return None
        return OneTimeToken(
            token_hash=item.token_hash,
            account_id=item.account_id,
            email=item.email,
            purpose=TokenPurpose(item.purpose),
            expires_at=item.expires_at,
            used_at=item.used_at,
            issued_at=item.issued_at,
        )

    def mark_used(self, token_hash: str, now: datetime) -> bool:
        item = self._tokens(token_hash=token_hash)
        try:
            item.update(
                actions=[TokenModel.used_at.set(now)],
                condition=(
                    TokenModel.token_hash.exists()
                    & TokenModel.used_at.does_not_exist()
                    & (TokenModel.expires_at > now)
                ),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def release(self, token_hash: str) -> None:
        self._tokens(token_hash=token_hash).update(actions=[TokenModel.used_at.remove()])


class DynamoThrottle:
    """At most one action per key and window, decided by a conditional write (no read first), so
    two requests at the same moment cannot both pass."""

    def __init__(self, region: str, *, tokens: str) -> None:
        self._guards = bind(GuardModel, tokens, region)

    def acquire(self, key: str, now: datetime, window: timedelta) -> bool:
        until = now + window
        try:
            self._guards(
                token_hash=f"throttle#{key}", until=until, expires_ttl=until + timedelta(hours=1)
            ).save(
                # TTL deletes late (up to days): an expired window is judged by `until`, not by
                # whether the item is still there.
                condition=GuardModel.token_hash.does_not_exist() | (GuardModel.until <= now)
            )
        except PutError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def release(self, key: str, until: datetime) -> None:
        """Gives the window back (the action failed), unless another request took it since."""
        try:
            self._guards(token_hash=f"throttle#{key}").delete(condition=GuardModel.until == until)
        except DeleteError as exc:
            if not is_condition_failure(exc):
                raise


class DynamoLinkRevocations:
    """The moment an account's earlier one-time links were voided (by a new password)."""

    def __init__(self, region: str, *, tokens: str) -> None:
        self._guards = bind(GuardModel, tokens, region)

    def void_links_before(self, account_id: str, at: datetime) -> None:
        # Kept while any link issued before `at` could still be within its life.
        self._guards(
            token_hash=f"links-void#{account_id}",
            until=at,
            expires_ttl=at + max(TOKEN_LIFETIME.values()) + timedelta(days=7),
        ).save()

    def links_void_before(self, account_id: str) -> datetime | None:
        try:
            return self._guards.get(f"links-void#{account_id}", consistent_read=True).until
        except GuardModel.DoesNotExist:
            return None
