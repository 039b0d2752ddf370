"""Makes moto's DynamoDB writes atomic, as DynamoDB's are.

DynamoDB evaluates a write's condition and applies it as one step, per item and per
transaction; moto's in-memory backend checks and then writes without a lock, so two
threads can both pass `attribute_not_exists` or `points = :expected`. The local runtime and
the moto-backed tests serve requests from many threads, so every write goes through one lock.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from moto.dynamodb.models import DynamoDBBackend

_LOCK = threading.RLock()
_WRITES = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")


def make_dynamodb_writes_atomic() -> None:
    for name in _WRITES:
        original = getattr(DynamoDBBackend, name)
        if getattr(original, "_cps_atomic", False):
            continue

        @functools.wraps(original)
        def locked(self: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with _LOCK:
                return __original(self, *args, **kwargs)

        locked._cps_atomic = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, locked)
