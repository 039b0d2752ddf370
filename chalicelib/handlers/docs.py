"""`@doc`: a route's metadata for /openapi.json — its request, its answers, its parameters.

Documentation only: who may call the route and the error mapping are the route's registration's
business (handlers/routing.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Param:
    """A query parameter or request header a route reads, with the JSON schema of the values
    its handler accepts (schemathesis generates from it, valid and invalid)."""

    name: str
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class RouteDoc:
    summary: str
    tag: str
    request: type[BaseModel] | None = None
    # A status with None: no body if below 400, the error shape otherwise.
    responses: dict[int, type[BaseModel] | None] = field(default_factory=dict)
    headers: tuple[tuple[str, bool] | Param, ...] = ()  # (name, required) or a Param
    query: tuple[str | Param, ...] = ()
    # Headers of the success answers beyond X-Correlation-Id: name -> JSON schema (required).
    response_headers: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Answers whose body is not JSON: status -> media type (e.g. 200: "application/xml").
    media: dict[int, str] = field(default_factory=dict)


# The parameters several routes share, each as strict as the handler that reads it.
LIMIT = Param(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": 999_999},
    description="Page size: 1 to 6 digits; more than 100 is taken as 100.",
)
CURSOR = Param(
    "cursor",
    {"type": "string", "pattern": "^[A-Za-z0-9_-]*$"},
    description=(
        "The `next_cursor` of the previous page of this list, with the same filters; empty or"
        " absent: the first page. A cursor this list did not hand out is a 400."
    ),
)
CATALOG_CURSOR = Param(
    "cursor",
    {"type": "string", "pattern": "^[0-9]{0,6}$"},
    description="The `next_cursor` of the previous page (a position); empty or absent: the first.",
)
STATUS_TOKEN = Param(
    "X-Status-Token",
    required=True,
    description="The `status_token` the application was answered with; without it, or with "
    "another application's, the application is absent (404).",
)
# 1 to 255 visible ASCII characters, spaces inside only (surrounding blanks are dropped).
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]([ -~]{0,253}[!-~])?$"
IDEMPOTENCY_KEY = Param(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_KEY_PATTERN},
    required=True,
    description="One key per purchase: a replay with the same key and body returns the first "
    "result.",
)


def doc(**kwargs: Any) -> Callable[[F], F]:
    route_doc = RouteDoc(**kwargs)

    def attach(view: F) -> F:
        view.route_doc = route_doc  # type: ignore[attr-defined]
        return view

    return attach
