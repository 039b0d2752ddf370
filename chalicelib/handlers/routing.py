"""How every route is registered: `ApiBlueprint.route(path, access=..., methods=[...])`.

The registration, not the view, decides two things for every route alike:
- who may call it (`Access`): public, a customer (any logged-in caller; `jwt_auth`) or a reviewer
  (`jwt_auth` and the reviewer role with its authenticator app, checked before the view runs);
- the one error mapper (errors.map_exception) around the view. Chalice turns any exception a view
  raises into its own 500 before middleware sees it (only a `ChaliceUnhandledError` reaches the
  middleware), so the mapper has to sit around each view, and it is put there here.

`@doc` (docs.py) only documents; tests/unit/test_routes_contract.py checks every route has all
three: the mapper, an access class consistent with its authorizer, and a documented schema.

And when the routes are registered (`RoutedApp`): the first time anything reads `app.routes`, not
when app.py is imported. Every Lambda function of the app imports app.py (one module, one
package): the API, the queue consumers, the schedules, the catalogue loader. The route modules
import what the API's views need (pydantic and the request/response models, the views and,
through them, every use case), so app.py names them as `module:blueprint` strings and the app
imports and registers them on the first read of its route table: the API function's first
request (Chalice's handler reads it), `chalice package` and `chalice local`, the tests, the
OpenAPI document. The other functions never read it, so they never import the route modules.
This is the one deferred import of the HTTP side; a route module itself imports as usual.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from chalice import Blueprint, Chalice
from chalice.app import RouteEntry

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


class RoutedApp(Chalice):
    """A Chalice app that registers the blueprints named by `register_blueprints_later` when its
    route table is first read (see the module's docstring for why)."""

    def __init__(self, app_name: str) -> None:
        self._later: list[str] = []  # "module:attribute" of each blueprint, in order
        # One thread registers, the others wait (the local runtime serves requests in threads);
        # re-entrant, because Chalice reads the table while it registers each route.
        self._registration = threading.RLock()
        self._registering = False
        super().__init__(app_name)  # assigns `self.routes`: the setter below

    def register_blueprints_later(self, *blueprints: str) -> None:
        self._later.extend(blueprints)

    @property  # type: ignore[override]  # an attribute in Chalice
    def routes(self) -> dict[str, dict[str, RouteEntry]]:
        if self._later:
            with self._registration:
                if self._later and not self._registering:  # else: the registering thread
                    self._registering = True
                    try:
                        while self._later:
                            module, _, attribute = self._later[0].partition(":")
                            blueprint = getattr(importlib.import_module(module), attribute)
                            self.register_blueprint(blueprint)
                            self._later.pop(0)
                    finally:
                        self._registering = False
        return self._routes

    @routes.setter
    def routes(self, table: dict[str, dict[str, RouteEntry]]) -> None:
        self._routes = table
