"""The business-account application in a real browser: the form of SPEC §1 with its messages,
the document rules by VAT status, the proof document uploaded straight to S3 with the presigned
POST, and the status page that follows the check (VALIDATING, then PENDING_REVIEW)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.browser.axe import describe
from tests.support.journey import ELF, PDF, unique_email

STATUS_REGION = "#status-region"  # the shell's aria-live="polite" region
PDF_FILE = {"name": "chamber-extract.pdf", "mimeType": "application/pdf", "buffer": PDF}

Axe = Callable[[Page], list[dict[str, Any]]]


def open_form(page: Page) -> Locator:
    page.goto("/apply")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply for a business account")
    return page.get_by_role("main")


def fill_company_and_contact(page: Page, email: str) -> None:
    page.get_by_label("Company name").fill("Studio Lumen B.V.")
    page.get_by_label("Street and number").fill("Keizersgracht 1")
    page.get_by_label("Postcode").fill("1015 CJ")
    page.get_by_label("City").fill("Amsterdam")
    page.get_by_label("Country").select_option("NL")
    page.get_by_label("Full name").fill("Anna de Vries")
    page.get_by_label("E-mail address", exact=True).fill(email)
    page.get_by_label("Phone number").fill("+31 20 123 4567")


def test_an_application_with_a_pdf_is_checked_and_then_waits_for_review(
    page: Page, axe: Axe
) -> None:
    # GIVEN the filled-in form of a company without a VAT number and its chamber extract
    main = open_form(page)
    fill_company_and_contact(page, unique_email())
    page.get_by_role("radio", name="Extract from the trade register (chamber of commerce)").check()
    page.get_by_label("Document file").set_input_files(PDF_FILE)
    page.get_by_label("I am authorised to provide this information").check()
    # WHEN it is sent
    page.get_by_role("button", name="Send application").click()
    # THEN the status page follows the document until it waits for a reviewer (the check often
    # ends before the page's first reading, so "Checking your document" on the way is checked
    # where it can be held: ApplicationStatusPage.test.tsx)
    expect(page).to_have_url(re.compile(r"/applications/[^/]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application")
    expect(main.get_by_text("Waiting for a reviewer's decision")).to_be_visible(timeout=45_000)
    # AND the change was announced, with the promise of a decision date
    expect(page.locator(STATUS_REGION)).to_contain_text(
        "The status of your application is now: Waiting for a reviewer's decision."
    )
    expect(main.get_by_text(re.compile(r"^We decide by \d{1,2} \w+ \d{4}\.$"))).to_be_visible()
    violations = axe(page)
    assert violations == [], describe(violations)


def test_a_document_refused_by_the_check_can_be_uploaded_again(page: Page, axe: Axe) -> None:
    # GIVEN an application whose "PDF" is a program inside (the API checks the content)
    main = open_form(page)
    fill_company_and_contact(page, unique_email())
    page.get_by_role("radio", name="Company invoice").check()
    disguised = {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": ELF}
    page.get_by_label("Document file").set_input_files(disguised)
    page.get_by_label("I am authorised to provide this information").check()
    page.get_by_role("button", name="Send application").click()
    # THEN the status page says why the document was refused and asks for another
    refused = re.compile(
        r"Your document could not be accepted: The uploaded file is not a PDF, JPEG or PNG"
    )
    expect(main.get_by_text(refused)).to_be_visible(timeout=45_000)
    expect(page.locator(STATUS_REGION)).to_have_text(refused)
    expect(main.get_by_text("Waiting for your proof document", exact=True)).to_be_visible()
    violations = axe(page)
    assert violations == [], describe(violations)
    # WHEN a real PDF is uploaded with a fresh link
    page.get_by_label("Document file").set_input_files(PDF_FILE)
    page.get_by_role("button", name="Upload document").click()
    # THEN it is checked and the application waits for the reviewer
    expect(main.get_by_text("Waiting for a reviewer's decision")).to_be_visible(timeout=45_000)
    expect(page.get_by_role("button", name="Upload document")).to_have_count(0)


def test_an_empty_form_says_what_is_missing_beside_every_field(page: Page, axe: Axe) -> None:
    # GIVEN the empty form WHEN it is sent
    main = open_form(page)
    page.get_by_role("button", name="Send application").click()
    # THEN each required field says what is missing, read with the field
    for label in (
        "Company name",
        "Street and number",
        "Postcode",
        "City",
        "Full name",
        "Phone number",
    ):
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile("Fill in this field"))
    expect(page.get_by_label("Country")).to_have_accessible_description(
        re.compile("Choose a country")
    )
    expect(page.get_by_label("Document file")).to_have_accessible_description(
        re.compile("Choose the file of your proof document")
    )
    expect(main.get_by_text("Choose the type of your proof document.")).to_be_visible()
    # AND the first problem has the focus, the form's message is shown and announced
    expect(page.get_by_label("Company name")).to_be_focused()
    expect(main.get_by_text("Please check the fields marked with an error.")).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_have_text(
        "Please check the fields marked with an error."
    )
    violations = axe(page)
    assert violations == [], describe(violations)


def test_a_bad_email_no_document_type_and_no_declaration_are_refused(page: Page) -> None:
    # GIVEN a form filled in but for a mistyped e-mail, no document type and no declaration
    main = open_form(page)
    fill_company_and_contact(page, "anna@studio-lumen")
    page.get_by_label("Document file").set_input_files(PDF_FILE)
    # WHEN it is sent
    page.get_by_role("button", name="Send application").click()
    # THEN exactly those three are pointed out, the e-mail first (it has the focus)
    email = page.get_by_label("E-mail address", exact=True)
    expect(email).to_have_accessible_description(re.compile("Enter an e-mail address such as"))
    expect(email).to_be_focused()
    expect(page.get_by_role("radio", name="Company invoice")).to_have_accessible_description(
        re.compile("Choose the type of your proof document")
    )
    expect(
        page.get_by_label("I am authorised to provide this information")
    ).to_have_accessible_description(re.compile("Confirm that you are authorised"))
    expect(page.get_by_label("Company name")).not_to_have_attribute("aria-invalid", "true")
    expect(main.locator(".field__error")).to_have_count(3)
    # AND nothing was sent: the page is still the form
    expect(page).to_have_url(re.compile(r"/apply$"))


def test_a_vat_number_changes_the_accepted_documents(page: Page) -> None:
    # GIVEN the form of a company without a VAT number: an invoice, a licence or an extract
    main = open_form(page)
    documents = page.get_by_role("group", name="Type of proof document")
    expect(documents.get_by_role("radio")).to_have_count(3)
    expect(documents.get_by_role("radio", name="Business or professional licence")).to_be_visible()
    expect(
        main.get_by_text(
            re.compile("Without a VAT number, your company counts as not VAT-registered")
        )
    ).to_be_visible()
    documents.get_by_role("radio", name="Business or professional licence").check()
    # WHEN a VAT number is given
    page.get_by_label("VAT number (optional)").fill("NL123456789B01")
    # THEN only the VAT certificate or a company invoice are offered, the rule is shown and
    # announced, and the licence chosen before must be chosen again
    expect(documents.get_by_role("radio")).to_have_count(2)
    expect(documents.get_by_role("radio", name="VAT registration certificate")).to_be_visible()
    expect(documents.get_by_role("radio", name="Company invoice")).not_to_be_checked()
    rule = re.compile("With a VAT number, your company counts as VAT-registered")
    expect(main.get_by_text(rule)).to_be_visible()
    expect(page.locator(STATUS_REGION)).to_contain_text("Choose the type of document again.")


def test_the_apis_refusal_is_shown_beside_the_vat_number(page: Page) -> None:
    # GIVEN a complete form whose Dutch VAT number has wrong check digits
    main = open_form(page)
    fill_company_and_contact(page, unique_email())
    page.get_by_label("VAT number (optional)").fill("NL123456789B02")
    page.get_by_role("radio", name="VAT registration certificate").check()
    page.get_by_label("Document file").set_input_files(PDF_FILE)
    page.get_by_label("I am authorised to provide this information").check()
    # WHEN it is sent THEN the API's 422 message for vat_number is beside the VAT number
    page.get_by_role("button", name="Send application").click()
    vat = page.get_by_label("VAT number (optional)")
    expect(vat).to_have_attribute("aria-invalid", "true")
    expect(vat).to_have_accessible_description(re.compile("the check digit does not match"))
    expect(vat).to_be_focused()
    expect(main.get_by_text("Please check the fields marked with an error.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/apply$"))


def test_a_status_page_without_its_key_says_what_to_do(page: Page, axe: Axe) -> None:
    page.goto("/applications/not-from-this-browser")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application")
    expect(
        page.get_by_role("main").get_by_text(re.compile("This browser does not hold the key"))
    ).to_be_visible()
    violations = axe(page)
    assert violations == [], describe(violations)
