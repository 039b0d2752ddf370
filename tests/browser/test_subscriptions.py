"""MY SUBSCRIPTIONS in a real browser: a customer with 500+ points signs up for CPS by clicking
through the seed guide's screens (the tier cards, "Please review your information", "Please
select payment option", SUBSCRIPTION ACTIVE) with the local stage's test cards or a bank
transfer, in English and in Dutch; then manages the subscription, and finds the invoice and
its PDF. axe-core finds no serious or critical violation on any page or step.

The customers get their points over HTTP (tests/support/membership_http.py: approved, then
complete product registrations), all of them side by side when the module starts.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.axe import describe
from tests.browser.conftest import REVIEWER_EMAIL, REVIEWER_PASSWORD
from tests.support.http_api import HttpApi
from tests.support.journey import STRONG_PASSWORD, login
from tests.support.membership_http import (
    BANK_TRANSFER,
    Customer,
    bought,
    customers_with_points,
    wait_for_invoice_mail,
)
from tests.support.runtime_process import RuntimeProcess

Axe = Callable[[Page], list[dict[str, Any]]]

STATUS_REGION = "#status-region"  # the shell's aria-live="polite" region
SILVER_POINTS = 500
MEMBERSHIP_NUMBER = re.compile(r"^\d{9}$")
INVOICE_MAIL_TIMEOUT = 90.0
ENGLISH = {"language": "en"}
DUTCH = {"language": "nl"}
# Who each test needs: (name, application overrides). One who only looks (never buys) serves
# the refusals; two members buy over HTTP before their tests.
PEOPLE = [
    ("looker", ENGLISH),
    ("card_buyer", ENGLISH),
    ("bank_buyer", ENGLISH),
    ("dutch_buyer", DUTCH),
    ("member", ENGLISH),
    ("bank_member", ENGLISH),
]


@pytest.fixture(scope="module")
def api(web_runtime: RuntimeProcess) -> Iterator[HttpApi]:
    client = HttpApi(web_runtime.api_url)
    yield client
    client.close()


@pytest.fixture(scope="module")
def people(web_runtime: RuntimeProcess, api: HttpApi) -> dict[str, Customer]:
    """Every customer of the module, each with at least 500 points, set up side by side."""
    reviewer_token = login(api, REVIEWER_EMAIL, REVIEWER_PASSWORD)
    customers = customers_with_points(
        web_runtime.api_url, reviewer_token, SILVER_POINTS, [overrides for _, overrides in PEOPLE]
    )
    return {name: customer for (name, _), customer in zip(PEOPLE, customers, strict=True)}


@pytest.fixture(scope="module")
def member(people: dict[str, Customer], api: HttpApi) -> Customer:
    """A customer who bought CPS Silver by card (over HTTP)."""
    customer = people["member"]
    bought(api, customer.token, str(uuid.uuid4()))
    return customer


@pytest.fixture(scope="module")
def bank_member(people: dict[str, Customer], api: HttpApi) -> Customer:
    """A customer who bought CPS Silver to pay by bank transfer (over HTTP)."""
    customer = people["bank_member"]
    bought(api, customer.token, str(uuid.uuid4()), payment=BANK_TRANSFER)
    return customer


def log_in(page: Page, customer: Customer, path: str) -> None:
    """Logs in on the login page and lands on `path` (the guard's ?next=)."""
    page.goto(f"/login?next={quote(path, safe='')}")
    page.get_by_label("E-mail address").fill(customer.email)
    page.get_by_label("Password").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def assert_accessible(page: Page, axe: Axe) -> None:
    violations = axe(page)
    assert violations == [], describe(violations)


def assert_fits_the_screen(page: Page, what: str) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{what}: {overflow}px wider than the screen"


def step_heading(page: Page, name: str | re.Pattern[str]) -> Locator:
    return page.get_by_role("main").get_by_role("heading", level=2, name=name)


def to_payment_step(page: Page) -> None:
    """From the tier cards to "Please select payment option" (English), terms accepted."""
    main = page.get_by_role("main")
    main.get_by_role("button", name="SIGNUP TO SILVER").click()
    expect(step_heading(page, "Please review your information")).to_be_focused()
    expect(main.get_by_text("excl. VAT per year")).to_be_visible()
    main.get_by_label("I accept the CPS Terms & Conditions").check()
    main.get_by_role("button", name="PURCHASE").click()
    expect(step_heading(page, "Please select payment option")).to_be_focused()


# --- signing up -------------------------------------------------------------------------------


def test_a_customer_signs_up_by_card_and_sees_the_subscription_active(
    page: Page, people: dict[str, Customer], axe: Axe
) -> None:
    # GIVEN a customer with 500+ points on SIGN UP FOR CPS
    log_in(page, people["card_buyer"], "/cps/sign-up")
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up for CPS")
    # THEN the tier cards show the point ranges and fees; Silver is open, Gold is not yet
    expect(step_heading(page, "CPS subscriptions available")).to_be_visible()
    silver = main.get_by_role("article", name="CPS Silver")
    expect(silver).to_contain_text("500–999 points")  # noqa: RUF001 - the page's en dash
    expect(silver).to_contain_text("€85.00 Annual Fee")
    expect(main.get_by_role("article", name="CPS Gold")).to_contain_text("more points for CPS Gold")
    expect(main.get_by_role("button", name="SIGNUP TO GOLD")).to_have_count(0)
    assert_accessible(page, axe)

    # WHEN they choose Silver: the review shows the price, the VAT and the total
    main.get_by_role("button", name="SIGNUP TO SILVER").click()
    expect(step_heading(page, "Please review your information")).to_be_focused()
    expect(page.locator(STATUS_REGION)).to_have_text("Step 2 of 4: Please review your information")
    expect(main.get_by_text("€85.00 excl. VAT per year")).to_be_visible()
    expect(main.get_by_label("Auto-Renewal")).to_be_checked()
    main.get_by_label("Purchase Order Number (optional)").fill("PO-2026-0417")
    main.get_by_label("I accept the CPS Terms & Conditions").check()
    assert_accessible(page, axe)
    main.get_by_role("button", name="PURCHASE").click()

    # AND pay by card with the local stage's test card that succeeds
    expect(step_heading(page, "Please select payment option")).to_be_focused()
    expect(main.get_by_label("Credit Card")).to_be_checked()
    expect(main.get_by_label("Credit Card")).to_have_accessible_description(
        re.compile("authorized with Zero amount today")
    )
    assert_accessible(page, axe)
    main.get_by_label(re.compile("pm_card_visa")).check()
    main.get_by_role("button", name="CHECKOUT").click()

    # THEN the subscription is active: tier, expiry date and a new 9-digit membership number
    active = step_heading(page, re.compile("SUBSCRIPTION ACTIVE"))
    expect(active).to_be_focused()
    expect(main.get_by_text("SILVER MEMBERSHIP")).to_be_visible()
    number = main.get_by_text(MEMBERSHIP_NUMBER)
    expect(number).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_have_text(
        f"SUBSCRIPTION ACTIVE: CPS Silver, membership number {number.inner_text()}."
    )
    expect(main.get_by_role("link", name="Manage subscription")).to_have_attribute(
        "href", "/membership"
    )
    expect(main.get_by_role("link", name="Invoices")).to_have_attribute("href", "/invoices")
    assert_accessible(page, axe)


def test_the_review_asks_for_the_terms_before_the_payment_step(
    page: Page, people: dict[str, Customer], axe: Axe
) -> None:
    # GIVEN the review of CPS Silver
    log_in(page, people["looker"], "/cps/sign-up")
    main = page.get_by_role("main")
    main.get_by_role("button", name="SIGNUP TO SILVER").click()
    expect(main.get_by_text("€85.00 excl. VAT per year")).to_be_visible()
    # WHEN PURCHASE is pressed without accepting the terms
    main.get_by_role("button", name="PURCHASE").click()
    # THEN the checkbox says why, is focused, and the customer stays on the review
    terms = main.get_by_label("I accept the CPS Terms & Conditions")
    expect(terms).to_have_attribute("aria-invalid", "true")
    expect(terms).to_have_accessible_description(
        re.compile("Please accept the CPS Terms & Conditions to continue.")
    )
    expect(terms).to_be_focused()
    expect(step_heading(page, "Please review your information")).to_be_visible()
    expect(step_heading(page, "Please select payment option")).to_have_count(0)
    assert_accessible(page, axe)


def test_a_declined_card_is_refused_and_keeps_the_customer_on_the_payment_step(
    page: Page, people: dict[str, Customer], axe: Axe
) -> None:
    # GIVEN the payment step
    log_in(page, people["looker"], "/cps/sign-up")
    to_payment_step(page)
    main = page.get_by_role("main")
    # WHEN the test card that declines is used
    declined = main.get_by_label(re.compile("pm_card_chargeDeclined"))
    declined.check()
    main.get_by_role("button", name="CHECKOUT").click()
    # THEN the refusal is shown and announced, with the reason beside the card
    refusal = "Your card was declined. Choose another card, or pay by bank transfer."
    expect(main.get_by_text(refusal)).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_contain_text(refusal)
    expect(declined).to_have_accessible_description(
        re.compile("The card issuer declined it without giving a reason.")
    )
    expect(declined).to_be_focused()
    # AND the customer is still on the payment step, free to choose another card
    expect(step_heading(page, "Please select payment option")).to_be_visible()
    expect(step_heading(page, re.compile("SUBSCRIPTION ACTIVE"))).to_have_count(0)
    expect(main.get_by_label(re.compile("pm_card_visa"))).to_be_enabled()
    assert_accessible(page, axe)


def test_a_bank_transfer_sign_up_shows_the_notes_and_the_bank_details(
    page: Page, people: dict[str, Customer], axe: Axe
) -> None:
    # GIVEN the payment step
    log_in(page, people["bank_buyer"], "/cps/sign-up")
    to_payment_step(page)
    main = page.get_by_role("main")
    # WHEN Bank Transfer is chosen: its note says additional bank charges may apply
    bank = main.get_by_label("Bank Transfer")
    bank.check()
    expect(bank).to_have_accessible_description(
        re.compile(r"\(ADDITIONAL BANK CHARGES MAY APPLY\)")
    )
    expect(
        main.get_by_text(re.compile("If you pay by bank transfer, please pay by the due date"))
    ).to_be_visible()
    expect(main.get_by_label(re.compile("pm_card_visa"))).to_have_count(0)
    main.get_by_role("button", name="CHECKOUT").click()
    # THEN the subscription is active, and the bank details follow once the invoice is issued
    expect(step_heading(page, re.compile("SUBSCRIPTION ACTIVE"))).to_be_focused()
    expect(
        main.get_by_text(re.compile("Please pay by bank transfer by the due date"))
    ).to_be_visible()
    details = main.get_by_role("region", name="Bank transfer details")
    expect(details).to_be_visible(timeout=INVOICE_MAIL_TIMEOUT * 1000)
    expect(details).to_contain_text("IBAN")
    expect(details).to_contain_text("Payment reference")
    expect(details).to_contain_text("€102.85")  # Silver with Dutch VAT, the amount to transfer
    assert_accessible(page, axe)


def test_the_sign_up_in_dutch_reaches_subscription_active(
    page: Page, people: dict[str, Customer], axe: Axe
) -> None:
    # GIVEN a customer whose account speaks Dutch: the pages follow the account's language
    log_in(page, people["dutch_buyer"], "/cps/sign-up")
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden bij CPS")
    expect(step_heading(page, "Beschikbare CPS-categorieën")).to_be_visible()
    expect(main.get_by_role("article", name="CPS Silver")).to_contain_text("€ 85,00 per jaar")
    assert_accessible(page, axe)
    # WHEN they sign up for Silver, accept the terms and pay with the test card that succeeds
    main.get_by_role("button", name="AANMELDEN VOOR SILVER").click()
    expect(step_heading(page, "Controleer je gegevens")).to_be_focused()
    expect(main.get_by_text("€ 85,00 excl. btw per jaar")).to_be_visible()
    main.get_by_label("Ik accepteer de algemene voorwaarden van CPS").check()
    assert_accessible(page, axe)
    main.get_by_role("button", name="AANKOPEN").click()
    expect(step_heading(page, "Selecteer een betaaloptie")).to_be_focused()
    expect(main.get_by_label("Creditcard")).to_be_checked()
    assert_accessible(page, axe)
    main.get_by_label(re.compile("pm_card_visa")).check()
    main.get_by_role("button", name="AFREKENEN").click()
    # THEN the subscription is active, in Dutch
    expect(step_heading(page, re.compile("ABONNEMENT ACTIEF"))).to_be_focused()
    expect(main.get_by_text("SILVER LIDMAATSCHAP")).to_be_visible()
    expect(main.get_by_text(MEMBERSHIP_NUMBER)).to_be_visible()
    expect(main.get_by_text("Lidmaatschapsnummer")).to_be_visible()
    assert_accessible(page, axe)


def test_the_sign_up_steps_fit_a_375_px_screen(page: Page, people: dict[str, Customer]) -> None:
    # GIVEN a phone-sized screen
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, people["looker"], "/cps/sign-up")
    main = page.get_by_role("main")
    # THEN no step needs a horizontal scroll: the tier cards, the review with its errors shown,
    # and the payment options with the test cards
    expect(main.get_by_role("button", name="SIGNUP TO SILVER")).to_be_visible()
    assert_fits_the_screen(page, "the tier cards")
    main.get_by_role("button", name="SIGNUP TO SILVER").click()
    expect(main.get_by_text("€85.00 excl. VAT per year")).to_be_visible()
    main.get_by_role("button", name="PURCHASE").click()
    expect(main.get_by_label("I accept the CPS Terms & Conditions")).to_be_focused()
    assert_fits_the_screen(page, "the review")
    main.get_by_label("I accept the CPS Terms & Conditions").check()
    main.get_by_role("button", name="PURCHASE").click()
    expect(main.get_by_label(re.compile("pm_card_chargeCustomerFail"))).to_be_visible()
    assert_fits_the_screen(page, "the payment options")


# --- Manage subscription ------------------------------------------------------------------------


def test_manage_subscription_shows_the_active_membership_and_its_history(
    page: Page, member: Customer, axe: Axe
) -> None:
    # GIVEN a member WHEN they open MY SUBSCRIPTIONS
    log_in(page, member, "/account")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="MY SUBSCRIPTIONS").click()
    expect(page).to_have_url(re.compile(r"/membership$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage subscription")
    # THEN the card shows the membership ACTIVE, in words, with its number and tier
    main = page.get_by_role("main")
    card = main.get_by_role("region", name=re.compile("SUBSCRIPTION ACTIVE"))
    expect(card).to_contain_text("Active")
    expect(card).to_contain_text("CPS Silver")
    expect(card.get_by_text(MEMBERSHIP_NUMBER)).to_be_visible()
    expect(
        main.get_by_text(
            re.compile(r"^Renews on .* as CPS Silver for €85\.00 excl\. VAT per year\.$")
        )
    ).to_be_visible()
    # AND the history lists the purchase
    history = main.get_by_role("region", name="History")
    expect(history.get_by_role("listitem").first).to_contain_text("Membership bought")
    assert_accessible(page, axe)


def test_auto_renewal_is_switched_off_and_on_again(page: Page, member: Customer, axe: Axe) -> None:
    # GIVEN a member on Manage subscription, auto-renewal ON
    log_in(page, member, "/membership")
    main = page.get_by_role("main")
    switch = main.get_by_role("switch", name="Auto-renewal")
    expect(switch).to_have_attribute("aria-checked", "true")
    # WHEN they switch it off
    switch.click()
    # THEN it is off, the end of the membership is said and announced, the history records it
    expect(switch).to_have_attribute("aria-checked", "false")
    off = main.get_by_text(re.compile(r"^Auto-renewal is off\. Your membership ends on "))
    expect(off).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_contain_text("Auto-renewal is off.")
    expect(
        main.get_by_role("region", name="History").get_by_role("listitem").first
    ).to_contain_text("Auto-renewal switched off")
    assert_accessible(page, axe)
    # WHEN they switch it on again THEN it is on and the renewal is back
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(
        main.get_by_text(re.compile(r"^Auto-renewal is on\. Your membership renews on "))
    ).to_be_visible()
    expect(main.get_by_text(re.compile(r"^Renews on .* as CPS Silver"))).to_be_visible()


def test_manage_subscription_fits_a_375_px_screen(page: Page, member: Customer) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, member, "/membership")
    expect(page.get_by_role("main").get_by_role("switch", name="Auto-renewal")).to_be_visible()
    assert_fits_the_screen(page, "Manage subscription")


# --- invoices -------------------------------------------------------------------------------------


def test_the_invoice_is_listed_and_its_pdf_link_answers_a_pdf(
    page: Page, member: Customer, api: HttpApi, axe: Axe
) -> None:
    # GIVEN a member whose invoice has been issued (its mail is the pipeline's last step)
    wait_for_invoice_mail(api, member.email, timeout=INVOICE_MAIL_TIMEOUT)
    # WHEN they open the invoices
    log_in(page, member, "/invoices")
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invoices")
    invoice = main.get_by_role("article", name=re.compile(r"^Invoice \d{4}-\d{6}$"))
    # THEN the invoice is there with its facts in words
    expect(invoice).to_have_count(1)
    expect(invoice).to_contain_text("CPS membership")
    expect(invoice).to_contain_text("Open")
    expect(invoice).to_contain_text("PO-2026-0417")
    expect(invoice).to_contain_text("€102.85")
    assert_accessible(page, axe)
    # AND its PDF link answers a PDF
    link = invoice.get_by_role("link", name=re.compile(r"^Download \d{4}-\d{6} \(PDF\)$"))
    href = link.get_attribute("href")
    assert href, "the PDF link has no address"
    pdf = page.request.get(href)
    assert pdf.ok, pdf.status
    assert pdf.body().startswith(b"%PDF-")


def test_the_pay_now_page_shows_the_open_invoice_and_the_bank_details(
    page: Page, bank_member: Customer, api: HttpApi, axe: Axe
) -> None:
    # GIVEN a bank payer whose invoice has been issued
    wait_for_invoice_mail(api, bank_member.email, timeout=INVOICE_MAIL_TIMEOUT)
    log_in(page, bank_member, "/invoices")
    main = page.get_by_role("main")
    # WHEN they follow "Pay … now" from the invoice
    main.get_by_role("link", name=re.compile(r"^Pay invoice \d{4}-\d{6} now$")).click()
    expect(page).to_have_url(re.compile(r"/membership/payment\?invoice=\d{4}-\d{6}$"))
    # THEN the page shows the invoice, how a card would pay it, and the bank details
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay your invoice")
    expect(main.get_by_role("heading", name=re.compile(r"^Invoice \d{4}-\d{6}$"))).to_be_visible()
    expect(main.get_by_role("heading", name="Pay by card")).to_be_visible()
    expect(
        main.get_by_text(re.compile("^Save a card: this invoice is charged to it on its due date"))
    ).to_be_visible()
    details = main.get_by_role("region", name="Bank transfer details")
    expect(details).to_contain_text("IBAN")
    expect(details).to_contain_text("€102.85")
    assert_accessible(page, axe)
