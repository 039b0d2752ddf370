"""axe-core in the page under test: its serious and critical accessibility violations.

axe-core is an npm devDependency of the frontend (web/node_modules/axe-core/axe.min.js, put
there by `make web`). It is evaluated through the DevTools protocol, which the page's
Content-Security-Policy does not block, so pages are scanned with their real headers.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.support.runtime_process import REPO_ROOT

AXE_SCRIPT = REPO_ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


@cache
def _axe_source(path: Path = AXE_SCRIPT) -> str:
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `make web` (npm ci installs axe-core)")
    return path.read_text(encoding="utf-8")


def axe_violations(page: Page, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict[str, Any]]:
    """Runs axe on the page as it is now; the violations of the given impacts, each with the
    rule, its help text and the CSS targets of the offending nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    violations: list[dict[str, Any]] = page.evaluate(
        "async () => (await window.axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]],
        }
        for violation in violations
        if violation["impact"] in impacts
    ]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {v['targets']}" for v in violations
    )
