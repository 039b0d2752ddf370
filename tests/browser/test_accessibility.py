"""axe-core finds no serious or critical accessibility violation on the public pages, and
the layout fits a 375 px wide phone screen without horizontal scrolling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import describe

PUBLIC_PAGES = ["/login", "/apply", "/reset-password", "/set-password?token=abc"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_no_serious_or_critical_violations(
    page: Page, axe: Callable[[Page], list[dict[str, Any]]], path: str
) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    violations = axe(page)
    assert violations == [], describe(violations)


def test_no_violations_when_a_form_shows_its_errors(
    page: Page, axe: Callable[[Page], list[dict[str, Any]]]
) -> None:
    page.goto("/login")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_label("E-mail address")).to_have_attribute("aria-invalid", "true")
    violations = axe(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/no-such-page"])
def test_a_375_px_screen_needs_no_horizontal_scroll(page: Page, path: str) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} is {overflow}px wider than a 375 px screen"


def test_the_skip_link_leads_to_the_main_content(page: Page) -> None:
    page.goto("/login")
    # the app renders once /config.json is read: keys pressed before would go nowhere
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
