"""The back office in a real browser: the review queue (checks, due date, document, approve and
reject with a reason), the receivables (recording a bank transfer) and the old-CPS export
upload, as the seeded reviewer; a customer's login is refused there. Applications, customers
and their bank-transfer invoices are set up over HTTP (tests/support); mail is read from the
local runtime's /dev/mailbox."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.axe import describe
from tests.browser.conftest import REVIEWER_EMAIL, REVIEWER_PASSWORD
from tests.support.http_api import HttpApi
from tests.support.journey import (
    PDF,
    STRONG_PASSWORD,
    Applicant,
    apply,
    approve_to_login,
    login,
    upload,
    wait_for_mail,
)
from tests.support.membership_http import (
    BANK_TRANSFER,
    bought,
    customers_with_points,
    the_invoice,
)
from tests.support.runtime_process import RuntimeProcess

Axe = Callable[[Page], list[dict[str, Any]]]
SILVER_POINTS = 500
STATUS_REGION = "#status-region"


@pytest.fixture(scope="module")
def api(web_runtime: RuntimeProcess) -> Iterator[HttpApi]:
    client = HttpApi(web_runtime.api_url)
    yield client


@pytest.fixture(scope="module")
def reviewer_token(api: HttpApi) -> str:
    return login(api, REVIEWER_EMAIL, REVIEWER_PASSWORD)


def waiting_application(api: HttpApi) -> Applicant:
    """An application with its proof uploaded and checked: PENDING_REVIEW, in the queue."""
    applicant = apply(api)
    assert upload(applicant.upload, PDF) in (200, 201, 204)
    applicant.wait_for(api, "PENDING_REVIEW")
    return applicant


def log_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def open_as_reviewer(page: Page, path: str) -> None:
    """The reviewer logs in and lands on `path` (the guard sends them back there)."""
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    log_in(page, REVIEWER_EMAIL, REVIEWER_PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(path.split("?")[0])))


def card_of(page: Page, text: str) -> Locator:
    """The card (article) of the list that mentions `text` (a contact e-mail, an invoice)."""
    return page.get_by_role("main").get_by_role("article").filter(has_text=text)


def assert_no_axe_violations(page: Page, axe: Axe) -> None:
    violations = axe(page)
    assert violations == [], describe(violations)


def assert_fits_375_px(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than a 375 px screen"


# --- the review queue -------------------------------------------------------------------------


def test_the_reviewer_lands_on_the_review_queue(page: Page) -> None:
    # GIVEN the login page WHEN the seeded reviewer logs in
    page.goto("/login")
    log_in(page, REVIEWER_EMAIL, REVIEWER_PASSWORD)
    # THEN the review queue is their start page
    expect(page).to_have_url(re.compile(r"/review/applications$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Applications to review")
    expect(page.get_by_role("heading", level=2)).to_have_text("Applications: Waiting for review")


def test_a_waiting_application_shows_its_checks_due_date_and_document(
    page: Page, api: HttpApi, axe: Axe
) -> None:
    # GIVEN an application whose proof is uploaded and checked
    applicant = waiting_application(api)
    due = applicant.status(api)["decision_due_by"]
    # WHEN the reviewer opens the queue
    open_as_reviewer(page, "/review/applications")
    card = card_of(page, applicant.email)
    # THEN it is listed with its company, contact and the checks' outcomes in words
    expect(card.get_by_role("heading", level=3)).to_have_text("Studio Lumen B.V.")
    checks = card.get_by_role("list").filter(has_text="VAT number format")
    expect(checks.get_by_text("Skipped").first).to_be_visible()
    expect(card.get_by_text("Contact e-mail address not in use")).to_be_visible()
    # AND the decision date, and the document as a short-lived link opening a new tab
    assert due, "the application has no decision date"
    expect(card.get_by_text("Decision due by")).to_be_visible()
    day = date.fromisoformat(due)
    expect(card.get_by_text(f"{day.day} {day:%B} {day.year}", exact=True)).to_be_visible()
    document = card.get_by_role("link", name=re.compile("Download the document"))
    expect(document).to_have_attribute("target", "_blank")
    expect(
        page.get_by_role("main").get_by_text(re.compile("Document links are short-lived"))
    ).to_be_visible()
    # AND the page has no serious accessibility violation, and fits a phone
    assert_no_axe_violations(page, axe)
    assert_fits_375_px(page)


def test_the_reviewer_approves_an_application_by_clicking(page: Page, api: HttpApi) -> None:
    # GIVEN an application waiting for review, in the queue
    applicant = waiting_application(api)
    open_as_reviewer(page, "/review/applications")
    card = card_of(page, applicant.email)
    expect(card).to_be_visible()
    # WHEN the reviewer approves it
    card.get_by_role("button", name=re.compile("^Approve")).click()
    # THEN it leaves the queue and the outcome is on the page and announced
    outcome = (
        f"Studio Lumen B.V. is approved. The business account is created and {applicant.email}"
    )
    expect(page.get_by_role("main").get_by_text(re.compile(re.escape(outcome)))).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_contain_text("is approved")
    expect(card_of(page, applicant.email)).to_have_count(0)
    # AND the applicant receives the e-mail to set a password
    mail = wait_for_mail(api, applicant.email)[0]
    assert any("/set-password?token=" in link for link in mail["links"]), mail
    applicant.wait_for(api, "APPROVED")
    # AND it stays out of the queue once the list is read again
    page.get_by_role("button", name="Refresh the list").click()
    expect(
        page.get_by_role("main").get_by_text(re.compile("The list is up to date|No application"))
    ).to_be_visible()
    expect(card_of(page, applicant.email)).to_have_count(0)


def test_a_rejection_without_a_reason_is_refused_beside_the_field(page: Page, api: HttpApi) -> None:
    # GIVEN an application waiting for review, in the queue
    applicant = waiting_application(api)
    open_as_reviewer(page, "/review/applications")
    card = card_of(page, applicant.email)
    # WHEN the reviewer rejects it without a reason
    card.get_by_role("button", name=re.compile("^Reject")).click()
    # THEN the reason field says so, is focused, and the application stays undecided
    reason = card.get_by_label("Reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description(
        re.compile("Give the applicant a reason for the rejection.")
    )
    expect(reason).to_be_focused()
    expect(card).to_be_visible()
    assert applicant.status(api)["status"] == "PENDING_REVIEW"


def test_the_reviewer_rejects_an_application_with_a_reason(page: Page, api: HttpApi) -> None:
    # GIVEN an application waiting for review, in the queue
    applicant = waiting_application(api)
    open_as_reviewer(page, "/review/applications")
    card = card_of(page, applicant.email)
    # WHEN the reviewer rejects it with a reason
    reason = "The invoice does not show the company's address."
    card.get_by_label("Reason").fill(reason)
    card.get_by_role("button", name=re.compile("^Reject")).click()
    # THEN it leaves the queue and the outcome is shown
    expect(
        page.get_by_role("main").get_by_text(re.compile("Studio Lumen B.V. is rejected"))
    ).to_be_visible()
    expect(card_of(page, applicant.email)).to_have_count(0)
    # AND the applicant is told why
    status = applicant.wait_for(api, "REJECTED")
    assert status["reason"] == reason, status
    mail = wait_for_mail(api, applicant.email)[0]
    assert reason in mail["text"], mail["text"]


def test_a_customer_cannot_open_the_review_queue(
    page: Page, api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN an approved customer with a password, whose account speaks English (the pages switch
    # to the account's language once it is read)
    applicant, _ = approve_to_login(api, reviewer_token, language="en")
    # WHEN they log in on their way to the review queue
    page.goto("/review/applications")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    log_in(page, applicant.email, STRONG_PASSWORD)
    # THEN they see the Forbidden page, not the queue
    expect(page).to_have_url(re.compile(r"/review/applications$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)


# --- the receivables ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bank_invoices(web_runtime: RuntimeProcess, api: HttpApi, reviewer_token: str) -> list[str]:
    """Two customers who bought CPS Silver by bank transfer: their invoice numbers (ISSUED)."""
    customers = customers_with_points(web_runtime.api_url, reviewer_token, SILVER_POINTS, [{}, {}])
    numbers = []
    for index, customer in enumerate(customers):
        bought(api, customer.token, f"backoffice-bank-{index}", payment=BANK_TRANSFER)
        issued = the_invoice(api, customer.token, customer.email)
        assert issued["status"] == "ISSUED" and issued["payment_method"] == "BANK_TRANSFER"
        numbers.append(issued["invoice_number"])
    return numbers


def test_a_missing_bank_reference_is_refused_beside_the_field(
    page: Page, bank_invoices: list[str], axe: Axe
) -> None:
    number = bank_invoices[0]
    # GIVEN an open bank-transfer invoice in the receivables
    open_as_reviewer(page, "/finance/invoices")
    card = card_of(page, number)
    expect(card.get_by_role("heading", level=3)).to_have_text(f"Invoice {number}")
    expect(card.get_by_text("Open", exact=True)).to_be_visible()
    # WHEN finance opens "Record a bank transfer" and sends it without a reference
    card.get_by_role("button", name=re.compile("^Record a bank transfer")).click()
    expect(card.get_by_label(re.compile(r"^Amount received"))).not_to_have_value("")
    card.get_by_role("button", name="Record payment").click()
    # THEN the reference field says what is missing, and has the focus
    reference = card.get_by_label("Bank reference")
    expect(reference).to_have_attribute("aria-invalid", "true")
    expect(reference).to_have_accessible_description(
        re.compile("Enter the reference of the transfer")
    )
    expect(reference).to_be_focused()
    # AND the page with its form and error has no serious accessibility violation
    assert_no_axe_violations(page, axe)
    assert_fits_375_px(page)


def test_finance_records_a_bank_transfer_and_the_invoice_is_paid(
    page: Page, bank_invoices: list[str]
) -> None:
    number = bank_invoices[1]
    # GIVEN an open bank-transfer invoice in the receivables
    open_as_reviewer(page, "/finance/invoices")
    card = card_of(page, number)
    expect(card).to_be_visible()
    # WHEN finance records its transfer (the open amount and today are filled in)
    card.get_by_role("button", name=re.compile("^Record a bank transfer")).click()
    card.get_by_label("Bank reference").fill("BANK-STATEMENT-0042")
    card.get_by_role("button", name="Record payment").click()
    # THEN the outcome is shown and announced, and the invoice leaves the open ones
    main = page.get_by_role("main")
    expect(main.get_by_text(re.compile(rf"Status of invoice {number}: Paid"))).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_contain_text(f"Status of invoice {number}: Paid")
    expect(card_of(page, number)).to_have_count(0)
    # AND it is listed among the paid invoices
    page.get_by_label("Invoices with status").select_option(label="Paid")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"status=PAID"))
    paid = card_of(page, number)
    expect(paid.get_by_text("Paid", exact=True)).to_be_visible()
    expect(paid.get_by_role("button", name=re.compile("Record a bank transfer"))).to_have_count(0)


# --- the old-CPS export ---------------------------------------------------------------------


def test_an_old_cps_export_is_uploaded_and_its_report_shown(
    page: Page, tmp_path: Path, axe: Axe
) -> None:
    # GIVEN an export with one good line and one with an unknown product
    export = tmp_path / "old-cps-export.csv"
    export.write_text(
        "email,sku,serial_number,purchase_date,country_of_purchase,dealer\n"
        "old.owner@studio-lumen.example,EOS-R3-BODY,BO0000123,2023-05-01,NL,Foto Koch\n"
        "old.owner@studio-lumen.example,NOT-A-CANON,BO0000124,2023-05-01,NL,Foto Koch\n",
        encoding="utf-8",
    )
    open_as_reviewer(page, "/ops/legacy-imports")
    main = page.get_by_role("main")
    expect(
        main.get_by_text("email,sku,serial_number,purchase_date,country_of_purchase,dealer")
    ).to_be_visible()
    assert_no_axe_violations(page, axe)
    # WHEN the reviewer uploads it
    page.get_by_label("Export file (CSV)").set_input_files(str(export))
    page.get_by_role("button", name="Upload and import").click()
    # THEN the upload is reported, and the import's report follows once it ran
    expect(main.get_by_text(re.compile("The file is uploaded"))).to_be_visible()
    expect(main.get_by_text("Completed", exact=True)).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(r"\?import="))
    counts = main.locator("dl").filter(has_text="Lines read")
    expect(counts).to_contain_text("2")
    expect(
        main.get_by_role("cell", name=re.compile("NOT-A-CANON is not an eligible product"))
    ).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_contain_text(
        "The import is completed: 1 imported, 1 left out."
    )
    assert_no_axe_violations(page, axe)
    assert_fits_375_px(page)


def test_a_file_that_is_not_a_csv_is_refused_beside_the_field(page: Page, tmp_path: Path) -> None:
    # GIVEN a spreadsheet instead of the CSV export
    wrong = tmp_path / "export.xlsx"
    wrong.write_bytes(b"PK\x03\x04 not a csv")
    open_as_reviewer(page, "/ops/legacy-imports")
    # WHEN the reviewer tries to upload it
    page.get_by_label("Export file (CSV)").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload and import").click()
    # THEN the field says a CSV file is needed, and nothing is uploaded
    field = page.get_by_label("Export file (CSV)")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("Choose a CSV file"))
    expect(page).not_to_have_url(re.compile(r"\?import="))
