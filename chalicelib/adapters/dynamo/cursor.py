"""Opaque list cursors: DynamoDB's LastEvaluatedKey, base64-encoded for the API."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from chalicelib.domain.errors import InvalidCursor

__all__ = ["InvalidCursor", "decode_cursor", "encode_cursor"]


def encode_cursor(last_evaluated_key: dict[str, Any] | None) -> str | None:
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


MAX_CURSOR = 2048  # characters: a real cursor is a few hundred
_TYPES = frozenset({"S", "N"})  # our keys are strings and numbers


def decode_cursor(
    cursor: str | None, partition: tuple[str, str] | None = None
) -> dict[str, Any] | None:
    """The LastEvaluatedKey a cursor carries, checked for shape: a small map of attribute
    names to `{"S"|"N": text}`; with `partition` (name, value), one of the query's own
    partition (a cursor is only valid for the list it came from). Anything else is a 400."""
    if not cursor:
        return None
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError("too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (binascii.Error, ValueError, UnicodeError, RecursionError) as exc:
        raise _invalid() from exc
    if not _is_key(value):
        raise _invalid()
    if partition is not None and value.get(partition[0]) != {"S": partition[1]}:
        raise _invalid()
    return value


def _is_key(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and 0 < len(value) <= 5
        and all(
            isinstance(name, str)
            and isinstance(typed, dict)
            and len(typed) == 1
            and set(typed) <= _TYPES
            and all(isinstance(v, str) and 0 < len(v) <= 1024 for v in typed.values())
            for name, typed in value.items()
        )
    )


def _invalid() -> InvalidCursor:
    return InvalidCursor("The cursor is not valid.", fields={"cursor": "invalid"})
