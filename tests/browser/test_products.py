"""MY ACCOUNT, MY PRODUCTS, View product and the confirmation of the old CPS address in a real
browser, for customers approved by the seeded reviewer over the API (tests.support.journey).

One plain customer serves the account and product tests (each registers its own serial
numbers); the migration tests get customers who named an old CPS address, whose products the
reviewer imported from the old system's export first.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.axe import describe
from tests.browser.conftest import REVIEWER_EMAIL, REVIEWER_PASSWORD
from tests.support.http_api import HttpApi
from tests.support.journey import (
    STRONG_PASSWORD,
    Applicant,
    approve_to_login,
    bearer,
    login,
    token_from_link,
    wait_for_mail,
)
from tests.support.products_http import (
    complete_details,
    import_legacy_export,
    in_parallel,
    legacy_csv,
    me,
    registered,
    unique_serial,
)
from tests.support.runtime_process import RuntimeProcess

STATUS_REGION = "#status-region"  # the shell's aria-live="polite" region
Axe = Callable[[Page], list[dict[str, Any]]]


class Customer:
    """An approved customer: the login's e-mail address and an ID token for the API."""

    def __init__(self, applicant: Applicant, token: str) -> None:
        self.email = applicant.email
        self.token = token


@pytest.fixture(scope="module")
def api(web_runtime: RuntimeProcess) -> Iterator[HttpApi]:
    client = HttpApi(web_runtime.api_url)
    yield client
    client.close()


@pytest.fixture(scope="module")
def reviewer_token(api: HttpApi) -> str:
    return login(api, REVIEWER_EMAIL, REVIEWER_PASSWORD)


@pytest.fixture(scope="module")
def customer(api: HttpApi, reviewer_token: str) -> Customer:
    """An approved customer with a password, writing in English, without an old CPS address."""
    return Customer(*approve_to_login(api, reviewer_token, language="en"))


def old_address() -> str:
    return f"old.{uuid.uuid4().hex[:10]}@old-cps.example"


@pytest.fixture(scope="module")
def migrating(
    web_runtime: RuntimeProcess, reviewer_token: str, api: HttpApi
) -> dict[str, tuple[Customer, str]]:
    """Three customers who named an old CPS address (by role: "pending", "confirming",
    "migrating"), each with that address; the third's old address holds two products."""
    addresses = {role: old_address() for role in ("pending", "confirming", "migrating")}
    old = addresses["migrating"]
    import_legacy_export(
        api,
        reviewer_token,
        legacy_csv(
            [
                [old, "EOS-R6-BODY", unique_serial("OLD"), "2021-05-02", "NL", "Foto Old B.V."],
                [
                    old,
                    "RF-24-105-F4L-IS-USM",
                    unique_serial("OLD"),
                    "2020-01-15",
                    "NL",
                    "Foto Old B.V.",
                ],
            ]
        ),
    )

    def approved(address: str) -> Callable[[], tuple[Customer, str]]:
        def run() -> tuple[Customer, str]:
            client = HttpApi(web_runtime.api_url)
            try:
                applicant, token = approve_to_login(
                    client, reviewer_token, language="en", legacy_cps_email=address
                )
                return Customer(applicant, token), address
            finally:
                client.close()

        return run

    roles = list(addresses)
    results = in_parallel([approved(addresses[role]) for role in roles])
    return dict(zip(roles, results, strict=True))


def log_in(page: Page, customer: Customer) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(customer.email)
    page.get_by_label("Password").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/account$"))


def open_products(page: Page, customer: Customer) -> None:
    log_in(page, customer)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="MY PRODUCTS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My Products")
    expect(page.get_by_role("heading", name="Your registered products")).to_be_visible()


def product_card(page: Page, name: str, serial: str) -> Locator:
    return (
        page.get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=name, exact=True))
        .filter(has_text=serial)
    )


def assert_no_violations(page: Page, axe: Axe) -> None:
    violations = axe(page)
    assert violations == [], describe(violations)


# --- MY ACCOUNT ------------------------------------------------------------------------------


def test_my_account_shows_the_company_its_points_and_the_invitation(
    page: Page, api: HttpApi, customer: Customer, axe: Axe
) -> None:
    # GIVEN the customer's company reached 500 points with a Canon EOS R1
    registered(api, customer.token, "EOS-R1-BODY", **complete_details(unique_serial("R1")))
    points = me(api, customer.token)["points"]
    assert points >= 500
    # WHEN they log in (MY ACCOUNT is their start page)
    log_in(page, customer)
    # THEN the page shows the company, its country and currency, its points and the invitation
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("My Account")
    expect(main.get_by_text("Studio Lumen B.V.")).to_be_visible()
    expect(main.get_by_text("Netherlands")).to_be_visible()
    expect(main.get_by_text("Euro (EUR)")).to_be_visible()
    expect(main.get_by_text(f"{points:,} points", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="You are invited to join CPS")).to_be_visible()
    expect(main.get_by_role("link", name="SIGN UP FOR CPS")).to_have_attribute(
        "href", "/cps/sign-up"
    )
    assert_no_violations(page, axe)


# --- MY PRODUCTS -----------------------------------------------------------------------------


def test_a_product_from_the_catalogue_search_is_registered_with_the_green_tick(
    page: Page, customer: Customer, axe: Axe
) -> None:
    # GIVEN MY PRODUCTS and the registration form
    open_products(page, customer)
    page.get_by_role("button", name="REGISTER A PRODUCT").click()
    # WHEN the product is found in the catalogue and chosen with the keyboard
    search = page.get_by_role("combobox", name="Product")
    search.fill("EOS R5 Mark II")
    expect(page.get_by_role("option", name=re.compile("Canon EOS R5 Mark II"))).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_have_text(re.compile(r"Products found: \d+\."))
    search.press("ArrowDown")
    expect(
        page.get_by_role("option", name=re.compile("Canon EOS R5 Mark II")).first
    ).to_have_attribute("aria-selected", "true")
    search.press("Enter")
    expect(
        page.get_by_text(re.compile(r"Chosen: Canon EOS R5 Mark II \(EOS-R5-MARK-II-BODY\)"))
    ).to_be_visible()
    assert_no_violations(page, axe)
    # AND its four details are given
    serial = unique_serial("R5M2")
    page.get_by_label("Serial number").fill(serial)
    page.get_by_label("Purchase date").fill("2025-03-14")
    page.get_by_label("Country of purchase").select_option("NL")
    page.get_by_label("Dealer").fill("Foto Amsterdam B.V.")
    page.get_by_role("button", name="Register product").click()
    # THEN it is registered with the green tick, and the new points are said and shown
    main = page.get_by_role("main")
    expect(
        main.get_by_text(
            re.compile(
                r"Canon EOS R5 Mark II is registered with the green tick: [\d,]+ points allocated\."
            )
        )
    ).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_contain_text("Your company now has")
    card = product_card(page, "Canon EOS R5 Mark II", serial)
    expect(card.get_by_text(re.compile(r"Complete: [\d,]+ points allocated"))).to_be_visible()
    expect(card.get_by_text("Foto Amsterdam B.V.")).to_be_visible()
    expect(card.get_by_text("Registered here")).to_be_visible()
    assert_no_violations(page, axe)


def test_an_incomplete_product_says_what_is_missing_and_is_completed_on_view_product(
    page: Page, customer: Customer, axe: Axe
) -> None:
    # GIVEN a lens registered with its serial number only
    open_products(page, customer)
    page.get_by_role("button", name="REGISTER A PRODUCT").click()
    page.get_by_role("combobox", name="Product").fill("RF 28-70mm")
    page.get_by_role("option", name=re.compile("Canon RF 28-70mm F2L USM")).click()
    serial = unique_serial("RF2870")
    page.get_by_label("Serial number").fill(serial)
    expect(
        page.get_by_text(re.compile("Still missing: purchase date, country of purchase, dealer"))
    ).to_be_visible()
    page.get_by_role("button", name="Register product").click()
    # THEN its card has no green tick and says what is missing
    card = product_card(page, "Canon RF 28-70mm F2L USM", serial)
    expect(
        card.get_by_text(
            "No green tick yet: purchase date, country of purchase, dealer missing.", exact=False
        )
    ).to_be_visible()
    # WHEN the rest is filled in on View product
    card.get_by_role("link", name=re.compile("View product")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Product details")
    expect(page.get_by_role("heading", name="Complete the details")).to_be_visible()
    assert_no_violations(page, axe)
    page.get_by_label("Purchase date").fill("2024-11-30")
    page.get_by_label("Country of purchase").select_option("DE")
    page.get_by_label("Dealer").fill("Foto Köln GmbH")
    page.get_by_role("button", name="Save details").click()
    # THEN the product has the green tick, said on the page and announced
    saved = re.compile(
        r"The details are saved\. The product has the green tick: [\d,]+ points allocated\."
    )
    expect(page.get_by_role("main").get_by_text(saved)).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_have_text(saved)
    expect(
        page.get_by_role("main").get_by_text(re.compile(r"Complete: [\d,]+ points allocated"))
    ).to_be_visible()


def test_a_removed_product_takes_its_points_back_after_a_confirmation(
    page: Page, api: HttpApi, customer: Customer, axe: Axe
) -> None:
    # GIVEN a complete registration with its points
    serial = unique_serial("R6")
    product = registered(api, customer.token, "EOS-R6-BODY", **complete_details(serial))
    points = product["points"]
    assert points > 0
    open_products(page, customer)
    product_card(page, "Canon EOS R6", serial).get_by_role(
        "link", name=re.compile("View product")
    ).click()
    # WHEN "Remove product" is chosen, a confirmation says the points are taken back
    page.get_by_role("button", name="Remove product").click()
    question = f"Remove Canon EOS R6 from your products? Its {points:,} points are taken back"
    expect(page.get_by_text(question)).to_be_visible()
    assert_no_violations(page, axe)
    page.get_by_role("button", name="Yes, remove it").click()
    # THEN MY PRODUCTS says it is gone with its points, and the product is no longer listed
    expect(page).to_have_url(re.compile(r"/products$"))
    message = f"Canon EOS R6 has been removed and its {points:,} points have been taken back."
    expect(page.get_by_role("main").get_by_text(message)).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_have_text(message)
    expect(product_card(page, "Canon EOS R6", serial)).to_have_count(0)


def test_a_serial_number_registered_already_is_refused_with_a_clear_message(
    page: Page, api: HttpApi, customer: Customer
) -> None:
    # GIVEN a Canon EOS R3 whose serial number is registered already
    serial = unique_serial("R3")
    registered(api, customer.token, "EOS-R3-BODY", **complete_details(serial))
    open_products(page, customer)
    # WHEN it is registered again
    page.get_by_role("button", name="REGISTER A PRODUCT").click()
    page.get_by_role("combobox", name="Product").fill("EOS R3")
    page.get_by_role("option", name=re.compile("Canon EOS R3")).first.click()
    page.get_by_label("Serial number").fill(serial.lower())
    page.get_by_role("button", name="Register product").click()
    # THEN the 409 is explained, beside the serial number too
    main = page.get_by_role("main")
    expect(
        main.get_by_text(
            re.compile(r"This product \(model and serial number\) is already registered")
        )
    ).to_be_visible()
    serial_field = page.get_by_label("Serial number")
    expect(serial_field).to_have_accessible_description(
        re.compile("This serial number is already registered for this model")
    )
    expect(serial_field).to_be_focused()


def test_a_future_purchase_date_is_refused_beside_the_field(page: Page, customer: Customer) -> None:
    open_products(page, customer)
    page.get_by_role("button", name="REGISTER A PRODUCT").click()
    page.get_by_role("button", name="Register product").click()
    expect(page.get_by_role("combobox", name="Product")).to_have_accessible_description(
        re.compile("Search the catalogue and choose your product")
    )
    page.get_by_label("Purchase date").fill("2999-01-01")
    page.get_by_role("button", name="Register product").click()
    expect(page.get_by_label("Purchase date")).to_have_accessible_description(
        re.compile("The purchase date cannot be in the future")
    )


# --- MIGRATE PRODUCTS ------------------------------------------------------------------------


def test_without_an_old_address_no_migration_is_offered(page: Page, customer: Customer) -> None:
    open_products(page, customer)
    expect(page.get_by_role("button", name="MIGRATE PRODUCTS")).to_have_count(0)
    expect(
        page.get_by_role("main").get_by_text(
            re.compile("No old CPS e-mail address was given with your application")
        )
    ).to_be_visible()


def test_an_unconfirmed_old_address_can_be_sent_its_link_again(
    page: Page, migrating: dict[str, tuple[Customer, str]], axe: Axe
) -> None:
    # GIVEN a customer whose old CPS address has not confirmed yet
    customer, _ = migrating["pending"]
    open_products(page, customer)
    main = page.get_by_role("main")
    expect(
        main.get_by_text(re.compile("We sent a confirmation link to your old CPS e-mail address"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="MIGRATE PRODUCTS")).to_have_count(0)
    # WHEN they ask for the link again THEN a new one is on its way, said and announced
    page.get_by_role("button", name="Send the link again").click()
    sent = re.compile("A new confirmation link is on its way to your old CPS e-mail address")
    expect(main.get_by_text(sent)).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_have_text(sent)
    assert_no_violations(page, axe)


def test_the_confirmation_link_confirms_once_and_then_is_no_longer_valid(
    page: Page, api: HttpApi, migrating: dict[str, tuple[Customer, str]], axe: Axe
) -> None:
    # GIVEN the link mailed to the old CPS address at approval
    _, address = migrating["confirming"]
    link = next(link for link in wait_for_mail(api, address)[0]["links"] if "token=" in link)
    # WHEN its owner opens it and confirms
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your old CPS e-mail address")
    assert_no_violations(page, axe)
    page.get_by_role("button", name="Confirm the address").click()
    # THEN it is confirmed
    expect(
        page.get_by_role("main").get_by_text("Thank you: the address is confirmed.")
    ).to_be_visible()
    # AND opened again, the link is no longer valid and says what to do
    page.goto(link)
    page.get_by_role("button", name="Confirm the address").click()
    main = page.get_by_role("main")
    expect(main.get_by_text(re.compile("This link is no longer valid"))).to_be_visible()
    expect(
        main.get_by_text(re.compile("choose “Send the link again” under MY PRODUCTS"))
    ).to_be_visible()


def test_migrate_products_brings_the_old_products_over_once(
    page: Page, api: HttpApi, migrating: dict[str, tuple[Customer, str]], axe: Axe
) -> None:
    # GIVEN a customer whose old address was confirmed and holds two products
    customer, address = migrating["migrating"]
    link = next(link for link in wait_for_mail(api, address)[0]["links"] if "token=" in link)
    confirmed = api.request("POST", "/migration/confirm", json={"token": token_from_link(link)})
    assert confirmed.status_code == 200, confirmed.text
    open_products(page, customer)
    main = page.get_by_role("main")
    expect(
        main.get_by_text(re.compile(r"can be brought over once with MIGRATE PRODUCTS \(2\)"))
    ).to_be_visible()
    assert_no_violations(page, axe)
    # WHEN MIGRATE PRODUCTS is pressed
    page.get_by_role("button", name="MIGRATE PRODUCTS").click()
    # THEN both are brought over with their points, listed as migrated, and the button is gone
    result = re.compile(
        r"Products migrated: 2\. Points added: [\d,]+\. Your company now has [\d,]+ points\."
    )
    expect(main.get_by_text(result)).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_have_text(result)
    expect(main.get_by_text("Migrated from your old CPS account")).to_have_count(2)
    expect(page.get_by_role("button", name="MIGRATE PRODUCTS")).to_have_count(0)
    expect(
        main.get_by_text(re.compile("The products of your old CPS account have been migrated"))
    ).to_be_visible()
    balance = api.request("GET", "/points", headers=bearer(customer.token)).json()["balance"]
    assert balance > 0


def test_a_confirmation_link_without_its_token_says_what_to_do(page: Page) -> None:
    page.goto("/migration/confirm")
    main = page.get_by_role("main")
    expect(
        main.get_by_text("This link is incomplete. Open the link in the e-mail again.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Confirm the address")).to_have_count(0)


@pytest.mark.parametrize("path", ["/account", "/products"])
def test_a_375_px_screen_needs_no_horizontal_scroll(
    page: Page, customer: Customer, path: str
) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, customer)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("main").get_by_text("Loading…")).to_have_count(0)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} is {overflow}px wider than a 375 px screen"
