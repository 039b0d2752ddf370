"""One-time link tokens; `mark_used` is a conditional write, so a link works once even in a race."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import UpdateError

from chalicelib.adapters.dynamo.conditions import is_condition_failure
from chalicelib.adapters.dynamo.models import TokenModel
from chalicelib.domain.credentials import OneTimeToken, TokenPurpose


class DynamoTokenStore:
    def add(self, token: OneTimeToken) -> None:
        TokenModel(
            token_hash=token.token_hash,
            account_id=token.account_id,
            email=token.email,
            purpose=token.purpose.value,
            expires_at=token.expires_at,
            # Kept a week past expiry so a late click still gets "expired", then TTL removes it.
            expires_ttl=token.expires_at + timedelta(days=7),
        ).save(condition=TokenModel.token_hash.does_not_exist())

    def get(self, token_hash: str) -> OneTimeToken | None:
        try:
            item = TokenModel.get(token_hash, consistent_read=True)
        except TokenModel.DoesNotExist:
            return None
        return OneTimeToken(
            token_hash=item.token_hash,
            account_id=item.account_id,
            email=item.email,
            purpose=TokenPurpose(item.purpose),
            expires_at=item.expires_at,
            used_at=item.used_at,
        )

    def mark_used(self, token_hash: str, now: datetime) -> bool:
        item = TokenModel(token_hash=token_hash)
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
        TokenModel(token_hash=token_hash).update(actions=[TokenModel.used_at.remove()])
