"""Powertools idempotency around a purchase: the first result is replayed for the same key.

The key is scoped to the account (one customer's key never meets another's), the request body
is validated (the same key with another body is refused), and a concurrent duplicate waits
for the first request to finish, then gets its result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from chalicelib.domain.errors import Conflict, ValidationFailed

WAIT_FOR_FIRST_S = 20.0


class IdempotentRunner:
    def __init__(self, table_name: str, expires_after_s: int = 24 * 3600) -> None:
        self._persistence = DynamoDBPersistenceLayer(table_name=table_name)
        self._config = IdempotencyConfig(
            event_key_jmespath="key",
            payload_validation_jmespath="body",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=expires_after_s,
        )

    def run(
        self,
        scope: str,
        key: str,
        body: dict[str, Any],
        action: Callable[[], dict[str, Any]],
        lambda_context: Any = None,
    ) -> dict[str, Any]:
        if lambda_context is not None:
            # The in-progress record then expires with the invocation, so a request that died
            # with its Lambda can be retried as soon as the Lambda's time is up.
            self._config.register_lambda_context(lambda_context)

        @idempotent_function(
            data_keyword_argument="request",
            persistence_store=self._persistence,
            config=self._config,
        )
        def once(request: dict[str, Any]) -> dict[str, Any]:
            return action()

        request = {"key": f"{scope}:{key}", "body": body}
        deadline = time.monotonic() + WAIT_FOR_FIRST_S
        while True:
            try:
                return once(request=request)
            except IdempotencyValidationError as exc:
                raise ValidationFailed(
                    "This Idempotency-Key was used with another request.",
                    fields={"Idempotency-Key": "already used for a different request"},
                ) from exc
            except IdempotencyAlreadyInProgressError as exc:
                if time.monotonic() > deadline:
                    raise Conflict("The same purchase is still being processed.") from exc
                time.sleep(0.25)
