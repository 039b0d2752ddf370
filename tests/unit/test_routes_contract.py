"""Every route in `app.routes` is registered the one way (handlers/routing.py): it has the error
mapper, an access class consistent with its authorizer, and a documented schema."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from chalice import Chalice, Response
from chalice.app import Request, RouteEntry

import chalicelib.container as composition
from bench.cold_import import rest_api_event
from chalicelib.container import Container, reset_container
from chalicelib.domain.errors import ValidationFailed
from chalicelib.handlers.dev import dev
from chalicelib.handlers.errors import map_exception
from chalicelib.handlers.gate import jwt_auth
from chalicelib.handlers.routing import Access, ApiBlueprint
from tests.support.settings_env import import_app, valid_settings

# API.md: the reviewer and finance routes are the reviewer role's; every other secured route
# is a logged-in caller's (GET /catalog is any logged-in caller's, reviewers too).
REVIEWER_PREFIXES = ("/review/", "/ops/", "/finance/")
BODY_METHODS = ("POST", "PUT", "PATCH")


@pytest.fixture(scope="module")
def app() -> Chalice:
    imported: Chalice = import_app().app
    return imported


def _routes(app: Chalice) -> list[tuple[str, RouteEntry]]:
    routes = {path: dict(methods) for path, methods in app.routes.items()}
    if not any(path.startswith("/dev/") for path in routes):
        # A deployed stage's app has no /dev routes: check them on an app of their own (the
        # blueprint is not registered anywhere else then, so nothing is taken from `app`).
        spare = Chalice(app_name="dev-routes")
        spare.register_blueprint(dev)
        routes.update({path: dict(methods) for path, methods in spare.routes.items()})
    return [
        (f"{method} {path}", entry)
        for path, methods in sorted(routes.items())
        for method, entry in sorted(methods.items())
    ]


@pytest.fixture(scope="module")
def routes(app: Chalice) -> list[tuple[str, RouteEntry]]:
    found = _routes(app)
    assert len(found) >= 40, [name for name, _ in found]
    return found


def _inner(view: Callable[..., Any]) -> Callable[..., Any]:
    return inspect.unwrap(view)


def test_every_route_has_the_error_mapper(routes: list[tuple[str, RouteEntry]]) -> None:
    # GIVEN every route of the app WHEN its registered view is looked at
    # THEN it is the guard that maps every exception with the one error mapper
    unmapped = [
        name
        for name, entry in routes
        if getattr(entry.view_function, "error_mapper", None) is not map_exception
    ]
    assert unmapped == []


def test_the_registration_maps_what_a_view_raises() -> None:
    # GIVEN a route registered the one way whose view fails unexpectedly, and one whose view
    # breaks a business rule
    blueprint = ApiBlueprint("contract-test")

    @blueprint.route("/boom", methods=["GET"], access=Access.PUBLIC)
    def boom() -> Response:
        raise RuntimeError("boom")

    @blueprint.route("/rule", methods=["GET"], access=Access.PUBLIC)
    def rule() -> Response:
        raise ValidationFailed("Use the two-letter ISO country code, e.g. NL.")

    spare = Chalice(app_name="mapper-test")
    spare.register_blueprint(blueprint)
    # WHEN they are called
    crashed = spare.routes["/boom"]["GET"].view_function()
    refused = spare.routes["/rule"]["GET"].view_function()
    # THEN the answers are the API's error shape (not Chalice's own 500)
    assert crashed.status_code == 500 and crashed.body["error"]["code"] == "INTERNAL_ERROR"
    assert refused.status_code == 422 and refused.body["error"]["code"] == "VALIDATION_FAILED"


def test_every_route_declares_an_access_class_consistent_with_its_authorizer(
    routes: list[tuple[str, RouteEntry]],
) -> None:
    for name, entry in routes:
        access = getattr(entry.view_function, "access", None)
        # THEN each has one of the three access classes
        assert isinstance(access, Access), name
        # AND public routes have no authorizer, the others the JWT authorizer
        if access is Access.PUBLIC:
            assert entry.authorizer is None, name
        else:
            assert entry.authorizer is jwt_auth, name
        # AND the reviewer's routes (API.md) are exactly the reviewer class
        path = name.split(" ", 1)[1]
        assert (access is Access.REVIEWER) == path.startswith(REVIEWER_PREFIXES), name


@pytest.fixture
def settings_container() -> Iterator[None]:
    """A container of valid settings for the role check, the process's own one put back after."""
    before = composition._container
    reset_container(Container(valid_settings()))
    try:
        yield
    finally:
        reset_container(before)


# A logged-in customer, as the authorizer describes one: no reviewer group.
CUSTOMER = {
    "principalId": "customer-sub",
    "email": "anna@studio-lumen.example",
    "account_id": "acc-1",
    "groups": "customers",
}


@pytest.mark.usefixtures("settings_container")
def test_every_reviewer_route_refuses_a_caller_without_the_reviewer_role(
    app: Chalice, routes: list[tuple[str, RouteEntry]]
) -> None:
    reviewer_routes = [
        (name, entry) for name, entry in routes if entry.view_function.access is Access.REVIEWER
    ]
    assert len(reviewer_routes) >= 5
    for name, entry in reviewer_routes:
        method, path = name.split(" ", 1)
        # GIVEN a logged-in customer (no reviewer group) on a reviewer route
        app.current_request = Request(rest_api_event(method, path, CUSTOMER))
        try:
            # WHEN the route is called
            response = entry.view_function(**dict.fromkeys(entry.view_args, "x"))
        finally:
            app.current_request = None  # type: ignore[assignment]
        # THEN it is refused with 403 before the view does anything
        assert isinstance(response, Response), name
        assert response.status_code == 403, (name, response.body)
        assert response.body["error"]["code"] == "FORBIDDEN", name


_PARSE_BODY = re.compile(r"parse_body\(\s*\w+\s*,\s*(\w+)\s*\)")


def test_every_route_documents_its_request_and_each_success_answer(
    routes: list[tuple[str, RouteEntry]],
) -> None:
    for name, entry in routes:
        meta = getattr(entry.view_function, "route_doc", None)
        # THEN every route is documented
        assert meta is not None, name
        # AND it documents a request model exactly when its view reads a body, that model
        read = _PARSE_BODY.findall(inspect.getsource(_inner(entry.view_function)))
        documented = meta.request.__name__ if meta.request is not None else None
        assert read == ([documented] if documented else []), name
        if documented:
            assert name.split(" ")[0] in BODY_METHODS, name
        # AND each success status has a response model (a 204 has no body, and a document of
        # another media type, an XML e-invoice, is described by that type)
        successes = {s: m for s, m in meta.responses.items() if s < 300}
        assert successes, name
        for status, model in successes.items():
            assert (model is None) == (status == 204 or status in meta.media), (name, status)
