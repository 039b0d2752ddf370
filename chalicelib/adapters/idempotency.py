"""Powertools idempotency, built one way: `idempotent(function, use, table_name)`.

A use (`IdempotencyUse`) says what it keys on, what must match for the same key, how long a
record stays, and the stored keys' prefix, so every use is spelled out where it is declared.
The uses: a purchase (`PURCHASE`, through `IdempotentRunner`: checkout and upgrade) and an
e-mail's delivery (`handlers/events.py`).

Powertools is imported on first build: importing this module costs a cold start nothing.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from chalicelib.domain.errors import Conflict, ValidationFailed

R = TypeVar("R")

WAIT_FOR_FIRST_S = 20.0


@dataclass(frozen=True)
class IdempotencyUse:
    """One use of the idempotency table.

    `prefix` is what stored keys start with after the Lambda function's name
    (`<function name>.<prefix>#<hash of key>`). Powertools derives it from the decorated
    function's module and name unless told; naming it keeps the keys stable when code moves,
    so a record written before a deployment still answers a redelivery after it.
    """

    prefix: str
    key: str  # JMESPath into the request: what makes two requests the same
    expires_after_s: int  # how long a completed record answers for its key
    validate: str = ""  # JMESPath: what must also match for the same key ("" = nothing)


class Idempotent(Generic[R]):
    """`function(request=...)` run once per key of the request; a repeat gets the first result.

    Built by `idempotent()`. A concurrent repeat raises Powertools'
    `IdempotencyAlreadyInProgressError`; the same key with another payload (when the use
    validates one) raises `IdempotencyValidationError`.
    """

    def __init__(self, call: Callable[..., R], config: Any) -> None:
        self._call = call
        self._config = config

    def register_lambda_context(self, lambda_context: Any) -> None:
        """An in-progress record then expires with the invocation, so a request that died with
        its Lambda can be retried as soon as the Lambda's time is up (and Powertools does not
        warn that it "couldn't determine the remaining time left")."""
        self._config.register_lambda_context(lambda_context)

    def __call__(self, request: Any, **kwargs: Any) -> R:
        return self._call(request=request, **kwargs)


def idempotent(
    function: Callable[..., R], use: IdempotencyUse, table_name: str, client: Any = None
) -> Idempotent[R]:
    """The one factory of idempotency configurations: `function` takes its payload as the
    keyword argument `request` (a dict or a dataclass) and returns JSON-serialisable data.
    `client`: the function's DynamoDB client (else Powertools makes a boto3 session and client
    of its own, about 0.1 s)."""
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    config = IdempotencyConfig(
        event_key_jmespath=use.key,
        payload_validation_jmespath=use.validate,
        raise_on_no_idempotency_key=True,
        expires_after_seconds=use.expires_after_s,
    )
    # A persistence layer per use: Powertools configures one from the first config it meets.
    persistence = DynamoDBPersistenceLayer(table_name=table_name, boto3_client=client)
    # The same function name Powertools would put before the prefix it derives itself.
    function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "test-func")
    call = idempotent_function(
        function,
        data_keyword_argument="request",
        persistence_store=persistence,
        config=config,
        key_prefix=f"{function_name}.{use.prefix}",
    )
    return Idempotent(call, config)


# --- a purchase: the first result is replayed for the same Idempotency-Key ---------------------

# The key is scoped to the account (one customer's key never meets another's), the request body
# is validated (the same key with another body is refused), and a record answers for a day.
PURCHASE = IdempotencyUse(
    prefix="chalicelib.adapters.idempotency.IdempotentRunner.run.<locals>.once",  # as derived
    key="key",
    validate="body",
    expires_after_s=24 * 3600,
)


def _perform(request: dict[str, Any], action: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    return action()


class IdempotentRunner:
    """Runs a purchase once per (account, Idempotency-Key); a concurrent duplicate waits for the
    first request to finish, then gets its result."""

    def __init__(
        self,
        table_name: str,
        expires_after_s: int = PURCHASE.expires_after_s,
        client: Any = None,
    ) -> None:
        use = dataclasses.replace(PURCHASE, expires_after_s=expires_after_s)
        self._once: Idempotent[dict[str, Any]] = idempotent(_perform, use, table_name, client)

    def run(
        self,
        scope: str,
        key: str,
        body: dict[str, Any],
        action: Callable[[], dict[str, Any]],
        lambda_context: Any = None,
    ) -> dict[str, Any]:
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
            IdempotencyValidationError,
        )

        if lambda_context is not None:
            self._once.register_lambda_context(lambda_context)
        request = {"key": f"{scope}:{key}", "body": body}
        deadline = time.monotonic() + WAIT_FOR_FIRST_S
        while True:
            try:
                return self._once(request, action=action)
            except IdempotencyValidationError as exc:
                raise ValidationFailed(
                    "This Idempotency-Key was used with another request.",
                    fields={"Idempotency-Key": "already used for a different request"},
                ) from exc
            except IdempotencyAlreadyInProgressError as exc:
                if time.monotonic() > deadline:
                    raise Conflict("The same purchase is still being processed.") from exc
                time.sleep(0.25)
