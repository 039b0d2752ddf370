"""Reviewers with an authenticator app, as every deployed stage has them (CPS_REVIEWER_MFA=
required): the login page adds the app (its secret shown as text), then asks for its codes."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import WEB_BUILD, page_on
from tests.support.runtime_process import RuntimeProcess, start_runtime_process

REVIEWER = ("mfa-reviewer@cps-browser.test", "Reviewer-Mfa-Pass-2026")


@pytest.fixture(scope="module")
def mfa_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeProcess]:
    if not WEB_BUILD.is_file():
        pytest.fail(f"{WEB_BUILD} is missing: run `make web` first", pytrace=False)
    log = tmp_path_factory.mktemp("mfa-browser-runtime") / "local_runtime.log"
    runtime = start_runtime_process(
        log, *REVIEWER, startup_timeout=90.0, extra_env={"CPS_REVIEWER_MFA": "required"}
    )
    yield runtime
    runtime.stop()


@pytest.fixture
def mfa_page(
    browser: Browser, mfa_runtime: RuntimeProcess, request: pytest.FixtureRequest
) -> Iterator[Page]:
    yield from page_on(browser, mfa_runtime.web_url, request)


def code_for(secret: str) -> str:
    """The app's current code; waits out the last seconds of a 30 s step."""
    if 30 - time.time() % 30 < 4:
        time.sleep(4.5)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    return TOTP(key, 6, SHA1(), 30, enforce_key_length=False).generate(time.time()).decode()


def log_in(page: Page) -> None:
    page.get_by_label("E-mail address").fill(REVIEWER[0])
    page.get_by_label("Password").fill(REVIEWER[1])
    page.get_by_role("button", name="Log in").click()


def test_a_reviewer_adds_an_authenticator_app_then_logs_in_with_its_code(mfa_page: Page) -> None:
    page = mfa_page
    # GIVEN the seeded reviewer, who has no authenticator app yet
    page.goto("/login")
    # WHEN they log in with the password
    log_in(page)
    # THEN they are asked to add an app, with its secret as text
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an authenticator app")
    secret = page.locator("code.secret").inner_text()  # base32 (moto's is a fixed one)
    assert secret.strip(), "no secret shown"
    expect(page.locator("a.secret")).to_have_attribute("href", re.compile("^otpauth:"))
    # WHEN a wrong code is given THEN it is refused beside the form, nothing is added
    page.get_by_label("Six-digit code").fill("12345")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_label("Six-digit code")).to_have_accessible_description(
        re.compile("six digits")
    )
    # WHEN the app's code is given
    page.get_by_label("Six-digit code").fill(code_for(secret))
    page.get_by_role("button", name="Confirm").click()
    # THEN they are asked to log in again
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_role("main").get_by_text("Your authenticator app is added.")).to_be_visible()
    # AND the login now asks for a code, and opens the review queue with it
    log_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your authentication code")
    page.get_by_label("Six-digit code").fill(code_for(secret))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/review/applications$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Applications to review")
