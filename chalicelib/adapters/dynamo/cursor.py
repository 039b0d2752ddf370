"""Opaque list cursors: DynamoDB's LastEvaluatedKey, base64-encoded for the API."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from chalicelib.domain.errors import DomainError


class InvalidCursor(DomainError):
    code = "INVALID_CURSOR"


def encode_cursor(last_evaluated_key: dict[str, Any] | None) -> str | None:
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("The cursor is not valid.", fields={"cursor": "invalid"}) from exc
    if not isinstance(value, dict):
        raise InvalidCursor("The cursor is not valid.", fields={"cursor": "invalid"})
    return value
