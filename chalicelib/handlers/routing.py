"""How every route is registered: `ApiBlueprint.route(path, access=..., methods=[...])`.

The registration, not the view, decides two things for every route alike:
- who may call it (`Access`): public, a customer (any logged-in caller; `jwt_auth`) or a reviewer
  (`jwt_auth` and the reviewer role with its authenticator app, checked before the view runs);
- the one error mapper (errors.map_exception) around the view. Chalice turns any exception a view
  raises into its own 500 before middleware sees it (only a `ChaliceUnhandledError` reaches the
  middleware), so the mapper has to sit around each view, and it is put there here.

`@doc` (docs.py) only documents; tests/unit/test_routes_contract.py checks every route has all
three: the mapper, an access class consistent with its authorizer, and a documented schema.

And when the routes are registered (`RoutedApp`): when the route table is read, not when app.py is
imported, and only as much of it as the read needs. Every Lambda function of the app imports
app.py (one module, one package): the API, the queue consumers, the schedules, the catalogue
loader. The route modules import what the API's views need (pydantic, their area's request and
response models and builders, their area's use cases), so app.py names them as
`module:blueprint` strings, each with the paths it serves, and the app imports and registers them
later:
- looking a path up (`app.routes[path]`) registers the blueprints that serve it. That is all the
  API function's request needs: Chalice dispatches on the event's `resourcePath`, so the first
  request imports only its own area's route module (GET /me: handlers/me.py, not the invoices'
  or the legacy import's), and a warm function adds the others as their paths are called;
- going over the table (iterating it, its size, its items) registers them all: `chalice package`
  and `chalice local` (and so the local runtime), the OpenAPI document, the tests.
The other functions never read the table, so they never import the route modules. This is the
one deferred import of the HTTP side; a route module itself imports as usual.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable, Iterator, Mapping
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


def _serves(prefixes: tuple[str, ...], path: str) -> bool:
    """Whether a resource path (`/products/{product_id}`) begins with one of the prefixes, whole
    segments only (`/membership` serves `/membership/upgrade`, not `/memberships`)."""
    return any(path == prefix or path.startswith(f"{prefix}/") for prefix in prefixes)


class RoutedApp(Chalice):
    """A Chalice app that registers the blueprints named by `register_blueprints_later` when its
    route table is read: those serving a path when that path is looked up, all of them when the
    table is gone over (see the module's docstring for why)."""

    def __init__(self, app_name: str) -> None:
        # "module:attribute" of each blueprint -> the path prefixes its routes begin with; the
        # declarations stay (they say who serves a path), `_later` lists those not registered.
        self._serving: dict[str, tuple[str, ...]] = {}
        self._later: list[str] = []
        # One thread registers, the others wait (the local runtime serves requests in threads);
        # re-entrant, because Chalice reads the table while it registers each route.
        self._registration = threading.RLock()
        self._registering = False
        super().__init__(app_name)  # assigns `self.routes`: the setter below

    def register_blueprints_later(self, blueprints: Mapping[str, tuple[str, ...]]) -> None:
        """`{"module:attribute": ("/prefix", ...)}`: each blueprint and the paths it serves."""
        for name, prefixes in blueprints.items():
            self._serving[name] = tuple(prefixes)
            self._later.append(name)

    def serving(self, path: str) -> list[str]:
        """The blueprints declared to serve a resource path, registered or not."""
        return [name for name, prefixes in self._serving.items() if _serves(prefixes, path)]

    @property  # type: ignore[override]  # an attribute in Chalice
    def routes(self) -> Mapping[str, dict[str, RouteEntry]]:
        if not self._later:  # all registered: the table itself (Chalice's defaultdict)
            return self._routes
        return _LazyRouteTable(self, self._routes)

    @routes.setter
    def routes(self, table: dict[str, dict[str, RouteEntry]]) -> None:
        self._routes = table

    def register_for(self, path: str | None) -> None:
        """Registers the blueprints not registered yet that serve `path`; with None, or a path no
        blueprint is declared to serve, all of them (the complete table answers it as Chalice
        would)."""
        if not self._later:
            return
        with self._registration:
            if self._registering:  # this thread, inside a registration: the table as it stands
                return
            declared = self.serving(path) if path is not None else []
            due = [name for name in self._later if name in declared] if declared else self._later
            self._registering = True
            try:
                for name in list(due):
                    module, _, attribute = name.partition(":")
                    self.register_blueprint(getattr(importlib.import_module(module), attribute))
                    self._later.remove(name)  # after: an empty list means a complete table
            finally:
                self._registering = False


class _LazyRouteTable(Mapping[str, dict[str, RouteEntry]]):
    """Chalice's route table (path -> method -> entry) while some blueprints wait: a path looked
    up registers the blueprints that serve it first; anything that goes over the table registers
    them all first."""

    def __init__(self, app: RoutedApp, table: dict[str, dict[str, RouteEntry]]) -> None:
        self._app = app
        self._table = table

    def __getitem__(self, path: str) -> dict[str, RouteEntry]:
        self._app.register_for(path)
        # Chalice's defaultdict: a path with no route is an empty dict (Chalice answers 405), and
        # Chalice's own registration adds a route to the dict it gets for the route's path.
        return self._table[path]

    def __contains__(self, path: object) -> bool:
        if isinstance(path, str):
            self._app.register_for(path)
        return path in self._table

    def get(self, path: str, default: Any = None) -> Any:  # type: ignore[override]
        self._app.register_for(path)
        return self._table.get(path, default)

    def __iter__(self) -> Iterator[str]:
        self._app.register_for(None)
        return iter(self._table)

    def __len__(self) -> int:
        self._app.register_for(None)
        return len(self._table)
