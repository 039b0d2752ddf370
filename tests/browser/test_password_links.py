"""The links of the e-mails open the frontend: a customer approved by the reviewer asks for a
reset link, sets a new password on the page the link opens, and logs in to MY ACCOUNT (in the
account's language)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import REVIEWER_EMAIL, REVIEWER_PASSWORD
from tests.support.http_api import HttpApi
from tests.support.journey import approve_to_login, login, wait_for_mail
from tests.support.runtime_process import RuntimeProcess

NEW_PASSWORD = "Brand-New-Lenses-2027"


@pytest.fixture(scope="module")
def api(web_runtime: RuntimeProcess) -> Iterator[HttpApi]:
    client = HttpApi(web_runtime.api_url)
    yield client
    client.close()


def test_the_reset_link_opens_the_set_password_page_of_the_frontend(
    page: Page, api: HttpApi, web_runtime: RuntimeProcess
) -> None:
    # GIVEN an approved customer whose account speaks Dutch
    applicant, _ = approve_to_login(api, login(api, REVIEWER_EMAIL, REVIEWER_PASSWORD))
    # WHEN they ask for a reset link on the frontend
    page.goto("/reset-password")
    page.get_by_label("E-mail address").fill(applicant.email)
    page.get_by_role("button", name="Send the link").click()
    main = page.get_by_role("main")
    expect(main.get_by_text(f"If {applicant.email} belongs to a business account")).to_be_visible()
    # THEN the mail's link opens the frontend's set-password page
    reset_mail = wait_for_mail(api, applicant.email, count=2)[-1]
    link = next(link for link in reset_mail["links"] if "token=" in link)
    assert link.startswith(f"{web_runtime.web_url}/set-password?token="), link
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    # AND a weak password is refused beside the field, a good one is set
    page.get_by_label("New password", exact=True).fill("weak")
    page.get_by_label("Repeat the new password").fill("weak")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_label("New password", exact=True)).to_have_accessible_description(
        re.compile("Use at least 12 characters")
    )
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(main.get_by_text("Your password is set. You can log in now.")).to_be_visible()
    # AND they log in with it and land on MY ACCOUNT, now in the account's language (nl)
    page.get_by_role("link", name="Log in").last.click()
    page.get_by_label("E-mail address").fill(applicant.email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    expect(
        page.get_by_role("navigation").get_by_role("link", name="MIJN PRODUCTEN")
    ).to_be_visible()


def test_a_used_link_asks_for_a_new_one(page: Page) -> None:
    page.goto("/set-password?token=not-a-real-token")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(
        page.get_by_role("main").get_by_text(
            "This link is invalid, has already been used or has expired."
        )
    ).to_be_visible()
    expect(page.get_by_role("link", name="Ask for a new link")).to_have_attribute(
        "href", "/reset-password"
    )
