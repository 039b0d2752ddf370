"""Small helpers every route uses: parse the body, read the caller, answer JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TypeVar

from chalice import Blueprint, Response

from chalicelib.container import container
from chalicelib.domain.credentials import Principal
from chalicelib.domain.errors import Forbidden, InvalidCredentials, NotFound
from chalicelib.handlers.errors import (
    MalformedRequest,
    fields_from_validation_error,
    malformed_message,
)

if TYPE_CHECKING:  # the route modules bring pydantic; app.py imports this one without it
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")

MAX_PAGE = 100
DEFAULT_PAGE = 20


def parse_body(blueprint: Blueprint, model: type[M]) -> M:
    raw = blueprint.current_request.raw_body
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise MalformedRequest("The body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise MalformedRequest("The body must be a JSON object.")
    from pydantic import ValidationError  # loaded already, with the model

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = fields_from_validation_error(exc, data)
        raise MalformedRequest(malformed_message(fields), fields=fields) from exc


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=body,
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def wire(model: BaseModel) -> Any:
    """A response model as JSON data: its fields in order, by their names on the wire."""
    return model.model_dump(mode="json", by_alias=True)


def respond(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Answers with a response model (handlers/schemas/), the route's documented shape for
    `status`."""
    return json_response(wire(model), status, headers)


def page_params(blueprint: Blueprint) -> tuple[int, str | None]:
    params = blueprint.current_request.query_params or {}
    raw_limit = params.get("limit")
    limit = DEFAULT_PAGE
    if raw_limit is not None:
        # At most 6 digits: int() of thousands of digits is slow, and refused past 4,300.
        well_formed = raw_limit.isascii() and raw_limit.isdigit() and len(raw_limit) <= 6
        if not well_formed or int(raw_limit) < 1:
            raise MalformedRequest(
                "limit must be a positive whole number.", fields={"limit": "invalid"}
            )
        limit = min(int(raw_limit), MAX_PAGE)
    return limit, params.get("cursor") or None


def principal(blueprint: Blueprint) -> Principal:
    """The caller the authorizer verified; it passes its findings in the request context."""
    context = (blueprint.current_request.context or {}).get("authorizer") or {}
    subject = context.get("principalId") or context.get("sub")
    if not subject:
        raise InvalidCredentials("Authentication is required.")
    groups = tuple(g for g in str(context.get("groups", "")).split(",") if g)
    return Principal(
        subject=str(subject),
        email=str(context.get("email", "")),
        account_id=context.get("account_id") or None,
        groups=groups,
    )


def account_id(blueprint: Blueprint) -> str:
    caller = principal(blueprint)
    if not caller.account_id:
        raise NotFound("There is no business account for this login.")
    return caller.account_id


_REVIEWER = "_cps_reviewer"  # the request's checked reviewer, once known


def reviewer(blueprint: Blueprint) -> str:
    """The calling reviewer's name for the records; anyone else gets 403. Checked once per
    request (the reviewer routes' guard checks first, the view then reads the name)."""
    request = blueprint.current_request
    known = getattr(request, _REVIEWER, None)
    if known is not None:
        return str(known)
    caller = principal(blueprint)
    if container().settings.reviewers_group not in caller.groups:
        raise Forbidden("This action needs the reviewer role.")
    container().auth_service.ensure_reviewer_mfa(caller.email)
    name = caller.email or caller.subject
    setattr(request, _REVIEWER, name)
    return name
