"""Browser tests: Debian's Chromium, driven by Playwright, against the real local runtime
serving the built frontend (`make browser` builds it first: `make web`).

No browser is downloaded: Playwright launches /usr/bin/chromium (`make chromium` installs the
Debian package when it is missing). One runtime and one browser per test session; each test
gets a fresh browser context (no cookies, storage or session of another test). A failed
test's page is kept as a screenshot under test-results/.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.browser.axe import axe_violations
from tests.support.runtime_process import (
    REPO_ROOT,
    RuntimeDidNotStart,
    RuntimeProcess,
    start_runtime_process,
)

CHROMIUM = Path("/usr/bin/chromium")
# How long an expectation waits for the page: the API works asynchronously (queues, pipelines)
# and `make test` runs the browser tests beside two other suites on 2 cores, where 5 s
# (Playwright's default) was seen to run out. A wait, not a timing assertion.
expect.set_options(timeout=20_000)
# As this machine's notes say: headless, no sandbox as root, and no background connections
# (the closed network refuses them, many at a time).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WEB_BUILD = Path(os.environ.get("CPS_WEB_DIST") or REPO_ROOT / "web" / "dist") / "index.html"
RESULTS = REPO_ROOT / "test-results"

REVIEWER_EMAIL = "reviewer@cps-browser.test"
REVIEWER_PASSWORD = "Reviewer-Browser-Pass-2026"
STARTUP_TIMEOUT = 90.0


def ensure_chromium() -> Path:
    """Debian's Chromium, installed when missing (as `make chromium` does)."""
    if not CHROMIUM.exists():
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=False)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "chromium"], check=False)
    if not CHROMIUM.exists():
        pytest.fail(
            f"Debian's Chromium is needed at {CHROMIUM}: `make chromium` (apt-get install -y "
            "chromium). Browser tests never download a browser.",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def web_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeProcess]:
    """`python -m local_runtime` serving the API and the built frontend on free ports."""
    if not WEB_BUILD.is_file():
        pytest.fail(f"{WEB_BUILD} is missing: run `make web` first", pytrace=False)
    log = tmp_path_factory.mktemp("browser-runtime") / "local_runtime.log"
    try:
        runtime = start_runtime_process(
            log, REVIEWER_EMAIL, REVIEWER_PASSWORD, startup_timeout=STARTUP_TIMEOUT
        )
    except RuntimeDidNotStart as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield runtime
    finally:
        runtime.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(
        executable_path=str(ensure_chromium()), args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keeps each phase's report on the test item, so `page` knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _screenshot_path(nodeid: str) -> Path:
    return RESULTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_") + ".png")


def page_on(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh context whose base URL is a frontend (`page.goto("/login")`).

    The browser's language is English unless a test changes it. An uncaught error in the
    app's JavaScript fails the test; a failed test leaves a full-page screenshot.
    """
    context = browser.new_context(
        base_url=base_url, locale="en-GB", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        path = _screenshot_path(request.node.nodeid)
        opened.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failed page: {path}")
    context.close()
    if errors:
        pytest.fail("uncaught errors in the page:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def page(
    browser: Browser, web_runtime: RuntimeProcess, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A page on the session's runtime (see `page_on`)."""
    yield from page_on(browser, web_runtime.web_url, request)


@pytest.fixture
def axe() -> Callable[[Page], list[dict[str, Any]]]:
    """`axe(page)`: the serious and critical accessibility violations (tests/browser/axe.py)."""
    return axe_violations
