"""A cold start imports only what its function uses: `import app` (every function but the
authorizer) and the authorizer's module load none of the heavy libraries, and the HTTP routes
are registered when the route table is first read (handlers/routing.py, RoutedApp).

Module counts, not times: bench/cold_import.py measures the times (never asserted)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest
from chalice import Blueprint, Chalice

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


def test_the_routes_are_registered_at_the_first_read_of_the_route_table() -> None:
    # GIVEN a fresh interpreter that imported the app: no route module is loaded yet
    # WHEN it reads the route table, as the API function's first request does
    loaded = _loaded_after("import app; routes = app.app.routes")
    # THEN the route modules and what their views need are loaded (not the invoice PDF code)
    assert "chalicelib.handlers.schemas" in loaded
    assert "chalicelib.handlers.membership" in loaded
    assert not [m for m in loaded if m.startswith(("chalicelib.invoice_pdf", "stripe", "fpdf"))]


def test_every_route_module_is_named_in_the_route_table() -> None:
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
    app.register_blueprints_later("routes_under_test:blueprint")
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
