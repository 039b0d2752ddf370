"""`@doc`: a route's metadata for /openapi.json, and its errors mapped to the API's shape.

Chalice turns any exception a view raises into its own 500 before middleware sees it, so the
one error mapper is applied here, around every documented view.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from chalicelib.handlers.errors import map_exception

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class RouteDoc:
    summary: str
    tag: str
    request: type[BaseModel] | None = None
    responses: dict[int, type[BaseModel] | None] = field(default_factory=dict)
    headers: tuple[tuple[str, bool], ...] = ()  # (name, required)
    query: tuple[str, ...] = ()
    security: bool = True


def doc(**kwargs: Any) -> Callable[[F], F]:
    route_doc = RouteDoc(**kwargs)

    def attach(view: F) -> F:
        @functools.wraps(view)
        def mapped(*args: Any, **kw: Any) -> Any:
            try:
                return view(*args, **kw)
            except Exception as exc:
                return map_exception(exc)

        mapped.route_doc = route_doc  # type: ignore[attr-defined]
        return mapped  # type: ignore[return-value]

    return attach
