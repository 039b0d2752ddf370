"""The one error mapper: every failure leaves the API in the shape of API.md."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from chalice import Response

from chalicelib.domain import errors as domain

if TYPE_CHECKING:  # app.py's middleware imports this module: pydantic comes with the routes
    from pydantic import ValidationError

logger = Logger(service="cps", child=True)  # one service name: records reach its handler

_STATUS: dict[type[domain.DomainError], int] = {
    domain.InvalidCursor: 400,
    domain.ValidationFailed: 422,
    domain.InvalidToken: 422,
    domain.NotFound: 404,
    domain.Conflict: 409,
    domain.InvalidCredentials: 401,
    domain.Forbidden: 403,
    domain.RetryableFailure: 503,
}

_CODE_FOR_STATUS = {
    400: "MALFORMED_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_FAILED",
    429: "TOO_MANY_REQUESTS",
}


class MalformedRequest(domain.DomainError):
    code = "MALFORMED_REQUEST"


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> Response:
    return Response(
        body={"error": {"code": code, "message": message, "fields": fields or {}}},
        status_code=status,
        headers={"Content-Type": "application/json"},
    )


def fields_from_validation_error(exc: ValidationError, data: Any = None) -> dict[str, str]:
    """Names each problem by its path in the request body, as the client wrote it: the tags
    pydantic adds for a choice of shapes ("CARD", "MoneyIn", "constrained-str") are left out.
    Each says what to send instead."""
    fields: dict[str, str] = {}
    for err in exc.errors():
        fields.setdefault(_body_path(err["loc"], data) or "body", what_to_send(err))
    return fields


def malformed_message(fields: dict[str, str]) -> str:
    """The 400's message: what is wrong with the body, the first problem spelled out."""
    if not fields:
        return "The request is malformed."
    name, problem = next(iter(fields.items()))
    more = len(fields) - 1
    rest = f" (and {more} more: see fields)" if more else ""
    return f"The request is malformed: {name} {problem}{rest}."


_QUOTED = re.compile(r"'([^']*)'")


def _choices(expected: str) -> str:
    return ", ".join(_QUOTED.findall(expected)) or expected


def what_to_send(err: Any) -> str:
    """A pydantic error as the domain's messages read ("is required", "must be ...")."""
    kind, ctx = err["type"], err.get("ctx") or {}
    simple = {
        "missing": "is required",
        "string_type": "must be a string",
        "bool_type": "must be true or false",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "model_type": "must be an object",
        "model_attributes_type": "must be an object",
        "dict_type": "must be an object",
        "list_type": "must be a list",
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_short":
        minimum = ctx.get("min_length", 1)
        return "must not be empty" if minimum == 1 else f"must be at least {minimum} characters"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length', 0):,} characters"
    if kind in ("enum", "literal_error"):
        return f"must be one of {_choices(str(ctx.get('expected', '')))}"
    if kind == "union_tag_invalid":
        return f"{ctx.get('discriminator', 'the kind')} must be one of " + _choices(
            str(ctx.get("expected_tags", ""))
        )
    if kind == "union_tag_not_found":
        return f"needs {ctx.get('discriminator', 'its kind')}"
    if kind == "string_pattern_mismatch":
        return f"must match {ctx.get('pattern', 'the documented pattern')}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}"
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    return str(err["msg"])


def _body_path(loc: tuple[Any, ...], data: Any) -> str:
    path: list[str] = []
    current = data
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and part < len(current)
        if in_dict or in_list:
            path.append(str(part))
            current = current[part]
        elif last and isinstance(current, dict) and str(part).isidentifier():
            path.append(str(part))  # a required field the body left out
    return ".".join(path)


def map_exception(exc: Exception) -> Response:
    if isinstance(exc, MalformedRequest):
        return error_response(400, exc.code, exc.message, exc.fields)
    for kind, status in _STATUS.items():
        if isinstance(exc, kind):
            assert isinstance(exc, domain.DomainError)
            return error_response(status, exc.code, exc.message, exc.fields)
    if isinstance(exc, domain.DomainError):  # any other business rule: well-formed but refused
        return error_response(422, exc.code, exc.message, exc.fields)
    logger.exception("Unhandled error")
    return error_response(500, "INTERNAL_ERROR", "Something went wrong on our side.")


def normalise_error_response(response: Response) -> Response:
    """Chalice answers some client errors itself (415, 405, bad JSON) in its own shape."""
    if response.status_code < 400:
        return response
    body: Any = response.body
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body)
        except ValueError:
            body = {}
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return response
    if isinstance(body, dict) and body and not {"Code", "Message", "message"} & set(body):
        return response  # a route's own documented answer (GET /health's 503), not Chalice's
    message = ""
    if isinstance(body, dict):
        message = str(body.get("Message") or body.get("message") or "")
    status = response.status_code if response.status_code < 500 else 500
    code = _CODE_FOR_STATUS.get(status, "INTERNAL_ERROR" if status >= 500 else "CLIENT_ERROR")
    normalised = error_response(status, code, message or code.replace("_", " ").capitalize())
    # Chalice's own headers stay, e.g. the `Allow` its 405 must carry (RFC 9110 §15.5.6).
    for name, value in (response.headers or {}).items():
        if name.lower() not in ("content-type", "content-length"):
            normalised.headers.setdefault(name, value)
    return normalised
