"""How every route is registered: `ApiBlueprint.route(path, access=..., methods=[...])`.

The registration, not the view, decides two things for every route alike:
- who may call it (`Access`): public, a customer (any logged-in caller; `jwt_auth`) or a reviewer
  (`jwt_auth` and the reviewer role with its authenticator app, checked before the view runs);
- the one error mapper (errors.map_exception) around the view. Chalice turns any exception a view
  raises into its own 500 before middleware sees it (only a `ChaliceUnhandledError` reaches the
  middleware), so the mapper has to sit around each view, and it is put there here.

`@doc` (docs.py) only documents; tests/unit/test_routes_contract.py checks every route has all
three: the mapper, an access class consistent with its authorizer, and a documented schema.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from chalice import Blueprint

from chalicelib.handlers.errors import map_exception
from chalicelib.handlers.gate import jwt_auth
from chalicelib.handlers.http import principal, reviewer


class Access(StrEnum):
    PUBLIC = "public"  # no token
    CUSTOMER = "customer"  # a logged-in caller; the route reads the caller's own account
    REVIEWER = "reviewer"  # a logged-in caller with the reviewer role (API.md)


class ApiBlueprint(Blueprint):
    """A Chalice blueprint whose routes each declare their `Access` and get the error mapper."""

    def route(self, path: str, **kwargs: Any) -> Callable[..., Any]:
        access = kwargs.pop("access", None)
        if not isinstance(access, Access):
            raise TypeError(f"route {path!r}: declare access=Access.PUBLIC/CUSTOMER/REVIEWER")
        if "authorizer" in kwargs:
            raise TypeError(f"route {path!r}: the access class sets the authorizer")
        if access is not Access.PUBLIC:
            kwargs["authorizer"] = jwt_auth
        register = super().route(path, **kwargs)

        def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
            return register(self._guarded(view, access))

        return decorate

    def _guarded(self, view: Callable[..., Any], access: Access) -> Callable[..., Any]:
        @functools.wraps(view)  # keeps the name Chalice registers and the `@doc` metadata
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                if access is Access.REVIEWER:
                    reviewer(self)
                elif access is Access.CUSTOMER:
                    principal(self)
                return view(*args, **kwargs)
            except Exception as exc:
                return map_exception(exc)

        guarded.access = access  # type: ignore[attr-defined]
        guarded.error_mapper = map_exception  # type: ignore[attr-defined]
        return guarded
