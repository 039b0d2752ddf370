"""The login page in a real browser: refusals are shown and announced, reviewers reach the
back office, the language can be switched, and the guards send visitors to the login."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import REVIEWER_EMAIL, REVIEWER_PASSWORD

STATUS_REGION = "#status-region"  # the shell's aria-live="polite" region


def test_a_wrong_password_is_refused_with_a_visible_and_announced_message(page: Page) -> None:
    # GIVEN the login page
    page.goto("/login")
    # WHEN the reviewer's address is given with a wrong password
    page.get_by_label("E-mail address").fill(REVIEWER_EMAIL)
    page.get_by_label("Password").fill("Not-The-Password-1")
    page.get_by_role("button", name="Log in").click()
    # THEN the refusal is on the page and in the live region, and the user stays logged out
    message = "The e-mail address or the password is not correct."
    expect(page.get_by_role("main").get_by_text(message, exact=True)).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_have_text(message)
    expect(page.locator(STATUS_REGION)).to_have_attribute("aria-live", "polite")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_empty_fields_get_messages_tied_to_them(page: Page) -> None:
    # GIVEN the login page WHEN it is sent empty
    page.goto("/login")
    page.get_by_role("button", name="Log in").click()
    # THEN each field says what is missing, read with the field (aria-describedby)
    email = page.get_by_label("E-mail address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description(re.compile("Fill in this field"))
    expect(page.get_by_label("Password")).to_have_accessible_description(
        re.compile("Fill in this field")
    )
    expect(email).to_be_focused()


def test_the_reviewer_logs_in_and_lands_on_the_review_page(page: Page) -> None:
    # GIVEN the reviewer seeded by the runtime (no authenticator app asked for locally)
    page.goto("/login")
    # WHEN they log in
    page.get_by_label("E-mail address").fill(REVIEWER_EMAIL)
    page.get_by_label("Password").fill(REVIEWER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # THEN they are on the review queue, focus on its heading, the back office's tabs shown
    expect(page).to_have_url(re.compile(r"/review/applications$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Applications to review")
    expect(heading).to_be_focused()
    navigation = page.get_by_role("navigation", name="Main")
    for tab in ("Review", "Finance", "Legacy import"):
        expect(navigation.get_by_role("link", name=tab)).to_be_visible()
    expect(navigation.get_by_role("link", name="MY PRODUCTS")).to_have_count(0)
    expect(page.locator(STATUS_REGION)).to_have_text("You are logged in.")


def test_logging_out_ends_the_session(page: Page) -> None:
    # GIVEN a logged-in reviewer
    page.goto("/login")
    page.get_by_label("E-mail address").fill(REVIEWER_EMAIL)
    page.get_by_label("Password").fill(REVIEWER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/review/applications$"))
    # WHEN they log out
    page.get_by_role("button", name="Log out").click()
    # THEN they are on the login page, and the back office asks for a login again
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/review/applications")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Freview%2Fapplications$"))


def test_a_customer_page_sends_a_visitor_to_the_login(page: Page) -> None:
    page.goto("/products")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fproducts$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_the_language_switch_turns_the_login_page_dutch(page: Page) -> None:
    # GIVEN the login page in English
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    # WHEN Nederlands is chosen in the header's language switch
    page.get_by_label("Language").select_option("nl")
    # THEN the page is Dutch, <html lang> says so, and the change is announced
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_label("E-mailadres")).to_be_visible()
    expect(page.get_by_role("button", name="Inloggen")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator(STATUS_REGION)).to_have_text("De pagina is nu in het Nederlands.")
    # AND the choice stays after a reload
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
