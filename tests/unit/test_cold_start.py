"""A cold start imports only what its function uses: `import app` (every function but the
authorizer) and the authorizer's module load none of the heavy libraries, the HTTP routes are
registered when the route table is read (handlers/routing.py, RoutedApp), and the API's first
request registers only the routes of its own path's area, with only that area's models.

Module counts, not times: bench/cold_import.py measures the times (never asserted)."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest
from chalice import Blueprint, Chalice

from bench.cold_import import rest_api_event
from chalicelib.handlers.routing import ApiBlueprint, RoutedApp
from tests.support.settings_env import complete_env, import_app

ROOT = Path(__file__).resolve().parents[2]

# What only some functions use: the API's models and views (pydantic), mail templates (Jinja2),
# the invoice PDF and e-invoice libraries, Stripe, token verification, the domain's reference
# data, and the AWS SDK with PynamoDB (each function's first call builds the clients it needs).
HEAVY = {
    "pydantic",
    "pydantic_core",
    "jinja2",
    "fpdf",
    "fontTools",
    "PIL",
    "lxml",
    "saxonche",
    "facturx",
    "stripe",
    "jwt",
    "cryptography",
    "requests",
    "holidays",
    "pycountry",
    "stdnum",
    "babel",
    "boto3",
    "pynamodb",
}
# The app's own modules that a function's first call imports.
DEFERRED = (
    "chalicelib.handlers.schemas",
    "chalicelib.handlers.views",
    "chalicelib.handlers.openapi",
    "chalicelib.services",
    "chalicelib.adapters.dynamo",
    "chalicelib.invoice_pdf",
    "chalicelib.mail",
)


def _loaded_after(statement: str) -> list[str]:
    """The modules a fresh interpreter has loaded after `statement`, in a deployed stage's
    environment (no /dev routes) that cannot reach AWS."""
    code = f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"
    env = complete_env(
        CPS_STAGE="prod",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_ENDPOINT_URL="http://127.0.0.1:9",
        AWS_EC2_METADATA_DISABLED="true",
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    loaded: list[str] = json.loads(completed.stdout.strip().splitlines()[-1])
    return loaded


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in HEAVY or m.startswith(DEFERRED)]


def _request(method: str, path: str, authorizer: dict[str, str]) -> str:
    """A statement that calls the API function (`app.app`) once, as API Gateway does."""
    event = rest_api_event(method, path, authorizer)
    return f"import app; app.app(json.loads({json.dumps(json.dumps(event))}), None)"


@pytest.mark.parametrize(
    "statement",
    ["import app", "from chalicelib.handlers.gate import jwt_auth"],
    ids=["app", "authorizer"],
)
def test_a_cold_start_loads_none_of_the_heavy_modules(statement: str) -> None:
    # GIVEN a fresh interpreter, as a Lambda function's cold start
    # WHEN it imports its handler's module: app.py, or the authorizer's
    loaded = _loaded_after(statement)
    # THEN none of the libraries or app modules that only some first calls need is loaded
    assert _heavy(loaded) == []


def test_every_route_is_registered_when_the_route_table_is_gone_over() -> None:
    # GIVEN a fresh interpreter that imported the app: no route module is loaded yet
    # WHEN it goes over the route table, as `chalice package`, the local runtime and the
    # OpenAPI document do
    loaded = _loaded_after("import app; paths = list(app.app.routes)")
    # THEN every area's route module and models are loaded (not the invoice PDF code)
    assert {
        "chalicelib.handlers.membership",
        "chalicelib.handlers.invoices",
        "chalicelib.handlers.schemas.membership",
        "chalicelib.handlers.schemas.legacy",
    } <= set(loaded)
    assert not [m for m in loaded if m.startswith(("chalicelib.invoice_pdf", "stripe", "fpdf"))]


# What GET /me does not serve: the other areas' route modules, request and response models and
# response builders, and the use cases that every route module used to bring along.
OTHER_AREAS = (
    *(
        f"chalicelib.handlers.{area}"
        for area in ("public", "openapi", "applications", "auth", "products", "legacy")
    ),
    *(f"chalicelib.handlers.{area}" for area in ("membership", "invoices", "review", "dev")),
    *(
        f"chalicelib.handlers.schemas.{area}"
        for area in ("public", "applications", "auth", "products", "legacy", "membership")
    ),
    *(f"chalicelib.handlers.schemas.{area}" for area in ("invoices", "review", "dev")),
    *(
        f"chalicelib.handlers.views.{area}"
        for area in ("applications", "products", "legacy", "membership", "invoices", "review")
    ),
    "chalicelib.services.invoicing",
    "chalicelib.services.legacy",
    "chalicelib.services.applications",
)


def test_the_first_request_loads_only_its_own_area() -> None:
    # GIVEN a fresh interpreter that imported the app, as the API function's cold start
    # WHEN its first request is a GET /me (a caller with no account yet: a 404, no AWS call)
    caller = {"principalId": "sub-1", "email": "anna@studio-lumen.example", "groups": ""}
    loaded = _loaded_after(_request("GET", "/me", caller))
    every_route = _loaded_after("import app; paths = list(app.app.routes)")
    # THEN the account's route module, models and builders are loaded
    assert {
        "chalicelib.handlers.me",
        "chalicelib.handlers.schemas.me",
        "chalicelib.handlers.views.me",
    } <= set(loaded)
    # AND none of another area's: no route module, model, builder or use case of theirs
    assert [m for m in loaded if m in OTHER_AREAS] == []
    assert all(importlib.util.find_spec(m) for m in OTHER_AREAS)  # names of real modules
    # AND fewer of the app's modules than registering every route loads
    app_modules = [m for m in loaded if m.startswith("chalicelib.")]
    assert len(app_modules) < len([m for m in every_route if m.startswith("chalicelib.")])


def test_every_route_module_is_named_in_the_route_table_with_the_paths_it_serves() -> None:
    # GIVEN the app (local stage: the /dev routes too), its route table read
    app = import_app().app
    assert app.routes
    # WHEN each module of chalicelib/handlers that declares an ApiBlueprint is looked at
    declaring = sorted(
        f"chalicelib.handlers.{path.stem}"
        for path in (ROOT / "chalicelib" / "handlers").glob("*.py")
        if "ApiBlueprint(__name__)" in path.read_text(encoding="utf-8")
    )
    assert len(declaring) >= 10
    # THEN its blueprint is registered to the app (named in app.py's register_blueprints_later)
    for name in declaring:
        blueprints = [
            value
            for value in vars(importlib.import_module(name)).values()
            if isinstance(value, ApiBlueprint)
        ]
        assert [b.current_app for b in blueprints] == [app], name
    # AND each route's path is declared as served by its own module, and by no other
    for path, methods in app.routes.items():
        for entry in methods.values():
            owners = [declared.partition(":")[0] for declared in app.serving(path)]
            assert owners == [entry.view_function.__module__], path


def _routes_module(monkeypatch: pytest.MonkeyPatch, name: str, *paths: str) -> None:
    """A route module in sys.modules whose `blueprint` has a GET route on each path."""
    blueprint = Blueprint(name)
    for path in paths:
        blueprint.route(path, methods=["GET"], name=f"{name}{path.replace('/', '_')}")(
            lambda: {"ok": True}
        )
    module = ModuleType(name)
    module.blueprint = blueprint  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, name, module)


@pytest.fixture
def two_areas(monkeypatch: pytest.MonkeyPatch) -> RoutedApp:
    _routes_module(monkeypatch, "area_shop", "/shop", "/shop/{item}", "/basket")
    _routes_module(monkeypatch, "area_bills", "/bills", "/bills/{number}")
    app = RoutedApp("lazy-routes-test")
    app.register_blueprints_later(
        {"area_shop:blueprint": ("/shop", "/basket"), "area_bills:blueprint": ("/bills",)}
    )
    return app


def _registered(app: RoutedApp) -> list[str]:
    return sorted(app._routes)  # the table as it stands, without registering anything


def test_looking_a_path_up_registers_only_the_blueprint_serving_it(two_areas: RoutedApp) -> None:
    # GIVEN an app with two areas declared, neither registered
    assert _registered(two_areas) == []
    # WHEN a request's dispatch looks its path up
    entry = two_areas.routes["/shop/{item}"]["GET"]
    # THEN only the area serving it is registered, all of its routes
    assert entry.view_name == "area_shop_shop_{item}"
    assert _registered(two_areas) == ["/basket", "/shop", "/shop/{item}"]
    # AND looking up another of its paths registers nothing more
    assert list(two_areas.routes["/basket"]) == ["GET"]
    assert _registered(two_areas) == ["/basket", "/shop", "/shop/{item}"]


def test_going_over_the_table_or_an_undeclared_path_registers_every_blueprint(
    two_areas: RoutedApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the same app, twice over
    _routes_module(monkeypatch, "area_shop_again", "/shop")
    # WHEN one is gone over and the other asked for a path no area declares
    paths = sorted(two_areas.routes)
    other = RoutedApp("lazy-routes-test-2")
    other.register_blueprints_later(
        {"area_shop_again:blueprint": ("/shop",), "area_bills:blueprint": ("/bills",)}
    )
    unknown = other.routes["/nowhere"]
    # THEN both have every route registered (the unknown path has none, as in Chalice)
    assert paths == ["/basket", "/bills", "/bills/{number}", "/shop", "/shop/{item}"]
    assert unknown == {}
    assert _registered(other) == ["/bills", "/bills/{number}", "/nowhere", "/shop"]


class _SlowBlueprint(Blueprint):
    """A blueprint whose registration waits until the test lets it go on."""

    def __init__(self) -> None:
        super().__init__("slow")
        self.entered = threading.Event()
        self.go_on = threading.Event()

        @self.route("/slow", methods=["GET"])
        def slow() -> dict[str, bool]:
            return {"ok": True}

    def register(self, app: Chalice, options: dict[str, object]) -> None:
        self.entered.set()
        assert self.go_on.wait(timeout=60)
        super().register(app, options)


@pytest.fixture
def slow_module(monkeypatch: pytest.MonkeyPatch) -> _SlowBlueprint:
    module = ModuleType("routes_under_test")
    module.blueprint = _SlowBlueprint()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "routes_under_test", module)
    return module.blueprint  # type: ignore[attr-defined, no-any-return]


def test_a_reader_waits_while_another_thread_registers_the_routes(
    slow_module: _SlowBlueprint,
) -> None:
    # GIVEN an app whose one route module is being registered by a first reader
    app = RoutedApp("cold-start-test")
    app.register_blueprints_later({"routes_under_test:blueprint": ("/slow",)})
    seen: dict[str, list[str]] = {}
    first = threading.Thread(target=lambda: seen.setdefault("first", list(app.routes)))
    first.start()
    assert slow_module.entered.wait(timeout=60)
    # WHEN a second thread reads the route table meanwhile
    second = threading.Thread(target=lambda: seen.setdefault("second", list(app.routes)))
    second.start()
    second.join(timeout=0.5)  # a reader that did not wait would have returned by now
    slow_module.go_on.set()
    first.join(timeout=60)
    second.join(timeout=60)
    # THEN both readers got the complete table, the route registered once
    assert seen == {"first": ["/slow"], "second": ["/slow"]}
    assert list(app.routes["/slow"]) == ["GET"]
