"""Route metadata for /openapi.json, attached to the view functions themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

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
    def attach(view: F) -> F:
        view.route_doc = RouteDoc(**kwargs)  # type: ignore[attr-defined]
        return view

    return attach
