"""The whole customer journey by clicking, in English and in Dutch: a company applies on /apply
(in the language it switched the site to) and uploads its proof, the seeded reviewer approves it
in the back office (a second browser), the applicant sets a password from the approval e-mail,
logs in, registers a Canon EOS R1 (600 points, the invitation to CPS), signs up for CPS Silver
with the local stage's test card (SUBSCRIPTION ACTIVE) and downloads the invoice's PDF.

Only the approval e-mail is read over HTTP (the local runtime's /dev/mailbox); everything else
is done in the browser, and axe-core checks three pages on the way.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.axe import describe
from tests.browser.conftest import RESULTS, REVIEWER_EMAIL, REVIEWER_PASSWORD
from tests.support.http_api import HttpApi
from tests.support.journey import PDF, eventually, mails_to
from tests.support.runtime_process import RuntimeProcess

Axe = Callable[[Page], list[dict[str, Any]]]

STATUS_REGION = "#status-region"  # the shell's aria-live="polite" region
PASSWORD = "Journey-Lenses-2026"
MEMBERSHIP_NUMBER = re.compile(r"^\d{9}$")
CHECK_TIMEOUT_MS = 45_000  # the proof document's check (VALIDATING → PENDING_REVIEW)
MAIL_TIMEOUT_S = 30.0
INVOICE_TIMEOUT_S = 90.0  # the invoice is issued asynchronously after the purchase
INVOICE_RELOAD_EVERY_S = 3.0


@dataclass(frozen=True)
class Words:
    """What the screens say in one language (web/src/i18n): labels, buttons and messages."""

    code: str
    language_name: str  # as the language switcher names it, in itself
    language_label: str
    language_changed: str
    apply_title: str
    company_name: str
    street: str
    postcode: str
    city: str
    country: str
    vat_number: str
    contact_name: str
    email: str
    phone: str
    preferred_language: str
    document_type: str
    document_file: str
    authorised: str
    send_application: str
    status_title: str
    pending_review: str
    set_password_title: str
    new_password: str
    repeat_password: str
    set_password: str
    password_set: str
    log_in: str
    password: str
    navigation: str
    my_account: str
    my_account_title: str
    my_products: str
    my_products_title: str
    my_subscriptions: str
    manage_subscription_title: str
    register_a_product: str
    product: str
    serial_number: str
    purchase_date: str
    country_of_purchase: str
    dealer: str
    register_product: str
    registered_eos_r1: str
    complete_600: str
    points_600: str
    invitation: str
    sign_up_for_cps: str
    sign_up_title: str
    signup_to_silver: str
    review_heading: str
    accept_terms: str
    purchase: str
    payment_heading: str
    credit_card: str
    checkout: str
    subscription_active: str
    silver_membership: str
    expires: str
    membership_number: str
    invoices: str
    invoices_intro: str  # shown once the list is loaded
    invoice_kind: str
    silver_total: str  # € 85.00 with the Netherlands' 21 % VAT, in the language's format
    pdf_link: str  # "{number}" is the invoice number


ENGLISH = Words(
    code="en",
    language_name="English",
    language_label="Language",
    language_changed="The page is now in English.",
    apply_title="Apply for a business account",
    company_name="Company name",
    street="Street and number",
    postcode="Postcode",
    city="City",
    country="Country",
    vat_number="VAT number (optional)",
    contact_name="Full name",
    email="E-mail address",
    phone="Phone number",
    preferred_language="Preferred language",
    document_type="Type of proof document",
    document_file="Document file",
    authorised="I am authorised to provide this information",
    send_application="Send application",
    status_title="Your application",
    pending_review="Waiting for a reviewer's decision",
    set_password_title="Set your password",
    new_password="New password",
    repeat_password="Repeat the new password",
    set_password="Set password",
    password_set="Your password is set. You can log in now.",
    log_in="Log in",
    password="Password",
    navigation="Main",
    my_account="MY ACCOUNT",
    my_account_title="My Account",
    my_products="MY PRODUCTS",
    my_products_title="My Products",
    my_subscriptions="MY SUBSCRIPTIONS",
    manage_subscription_title="Manage subscription",
    register_a_product="REGISTER A PRODUCT",
    product="Product",
    serial_number="Serial number",
    purchase_date="Purchase date",
    country_of_purchase="Country of purchase",
    dealer="Dealer",
    register_product="Register product",
    registered_eos_r1="Canon EOS R1 is registered with the green tick: 600 points allocated.",
    complete_600="Complete: 600 points allocated",
    points_600="600 points",
    invitation="You are invited to join CPS",
    sign_up_for_cps="SIGN UP FOR CPS",
    sign_up_title="Sign up for CPS",
    signup_to_silver="SIGNUP TO SILVER",
    review_heading="Please review your information",
    accept_terms="I accept the CPS Terms & Conditions",
    purchase="PURCHASE",
    payment_heading="Please select payment option",
    credit_card="Credit Card",
    checkout="CHECKOUT",
    subscription_active="SUBSCRIPTION ACTIVE",
    silver_membership="SILVER MEMBERSHIP",
    expires="Expires",
    membership_number="Membership number",
    invoices="Invoices",
    invoices_intro="Your CPS invoices and credit notes.",
    invoice_kind="Invoice",
    silver_total="€102.85",
    pdf_link="Download {number} (PDF)",
)

DUTCH = Words(
    code="nl",
    language_name="Nederlands",
    language_label="Language",  # the switcher is still in English when it is used
    language_changed="De pagina is nu in het Nederlands.",
    apply_title="Zakelijke account aanvragen",
    company_name="Bedrijfsnaam",
    street="Straat en huisnummer",
    postcode="Postcode",
    city="Plaats",
    country="Land",
    vat_number="Btw-nummer (optioneel)",
    contact_name="Volledige naam",
    email="E-mailadres",
    phone="Telefoonnummer",
    preferred_language="Voorkeurstaal",
    document_type="Soort bewijsdocument",
    document_file="Bestand van het document",
    authorised="Ik ben bevoegd om deze gegevens namens het bedrijf te verstrekken",
    send_application="Aanvraag versturen",
    status_title="Je aanvraag",
    pending_review="Wacht op de beslissing van een beoordelaar",
    set_password_title="Stel je wachtwoord in",
    new_password="Nieuw wachtwoord",
    repeat_password="Herhaal het nieuwe wachtwoord",
    set_password="Wachtwoord instellen",
    password_set="Je wachtwoord is ingesteld. Je kunt nu inloggen.",
    log_in="Inloggen",
    password="Wachtwoord",
    navigation="Hoofdmenu",
    my_account="MIJN ACCOUNT",
    my_account_title="Mijn account",
    my_products="MIJN PRODUCTEN",
    my_products_title="Mijn producten",
    my_subscriptions="MIJN ABONNEMENTEN",
    manage_subscription_title="Abonnement beheren",
    register_a_product="PRODUCT REGISTREREN",
    product="Product",
    serial_number="Serienummer",
    purchase_date="Aankoopdatum",
    country_of_purchase="Land van aankoop",
    dealer="Dealer",
    register_product="Registratie opslaan",
    registered_eos_r1=(
        "Canon EOS R1 is geregistreerd met een groen vinkje: 600 punten toegewezen."
    ),
    complete_600="Compleet: 600 punten toegewezen",
    points_600="600 punten",
    invitation="Je bent uitgenodigd om lid te worden van CPS",
    sign_up_for_cps="AANMELDEN BIJ CPS",
    sign_up_title="Aanmelden bij CPS",
    signup_to_silver="AANMELDEN VOOR SILVER",
    review_heading="Controleer je gegevens",
    accept_terms="Ik accepteer de algemene voorwaarden van CPS",
    purchase="AANKOPEN",
    payment_heading="Selecteer een betaaloptie",
    credit_card="Creditcard",
    checkout="AFREKENEN",
    subscription_active="ABONNEMENT ACTIEF",
    silver_membership="SILVER LIDMAATSCHAP",
    expires="Verloopt op",
    membership_number="Lidmaatschapsnummer",
    invoices="Facturen",
    invoices_intro="Je CPS-facturen en creditnota's.",
    invoice_kind="Factuur",
    silver_total="€ 102,85",
    pdf_link="{number} downloaden (pdf)",
)


@dataclass(frozen=True)
class Company:
    """One run's applicant: its own company name, e-mail address, VAT status and serial."""

    name: str
    email: str
    vat_number: str  # "" for a company that is not VAT-registered
    document: str  # the proof document's label, one the VAT status allows
    serial: str


def dutch_vat_number() -> str:
    """A fresh, valid Dutch VAT number (the eleven-test on its nine digits), so that no other
    account holds it."""
    while True:
        digits = [random.randint(1, 9)] + [random.randint(0, 9) for _ in range(7)]
        check = sum((9 - position) * digit for position, digit in enumerate(digits)) % 11
        if check < 10:
            return "NL" + "".join(map(str, digits)) + str(check) + "B01"


def company_for(words: Words) -> Company:
    tag = uuid.uuid4().hex[:8]
    serial = f"R1J{tag.upper()}"
    if words.code == "en":  # not VAT-registered: a chamber of commerce extract
        return Company(
            name=f"Studio Lumen {tag} B.V.",
            email=f"anna.{tag}@studio-lumen.example",
            vat_number="",
            document="Extract from the trade register (chamber of commerce)",
            serial=serial,
        )
    return Company(  # VAT-registered: the VAT registration certificate
        name=f"Fotostudio Licht {tag} B.V.",
        email=f"joost.{tag}@fotostudio-licht.example",
        vat_number=dutch_vat_number(),
        document="Btw-registratiebewijs",
        serial=serial,
    )


@pytest.fixture(scope="module")
def api(web_runtime: RuntimeProcess) -> Iterator[HttpApi]:
    client = HttpApi(web_runtime.api_url)
    yield client
    client.close()


@pytest.fixture
def reviewer_page(
    browser: Browser, web_runtime: RuntimeProcess, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """The reviewer's own browser context (no session shared with the applicant's), set up as
    conftest's `page_on` does; a failed test keeps its screenshot beside the applicant's."""
    context = browser.new_context(
        base_url=web_runtime.web_url, locale="en-GB", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(15_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid).strip("_")
        path = RESULTS / f"{name}-reviewer.png"
        opened.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the reviewer's page: {path}")
    context.close()
    if errors:
        pytest.fail("uncaught errors in the reviewer's page:\n" + "\n".join(errors), pytrace=False)


# --- the stages of the journey ------------------------------------------------------------------


def assert_accessible(page: Page, axe: Axe) -> None:
    violations = axe(page)
    assert violations == [], describe(violations)


def apply_for_a_business_account(
    page: Page, words: Words, company: Company, proof: Path
) -> Locator:
    """On /apply: the site switched to the language, the whole form filled in, the proof
    attached, sent; returns the main landmark of the status page it lands on."""
    page.goto("/apply")
    expect(page.get_by_role("heading", level=1)).to_have_text(ENGLISH.apply_title)
    page.get_by_label(words.language_label, exact=True).select_option(label=words.language_name)
    expect(page.get_by_role("heading", level=1)).to_have_text(words.apply_title)
    expect(page.locator(STATUS_REGION)).to_have_text(words.language_changed)
    main = page.get_by_role("main")
    main.get_by_label(words.company_name, exact=True).fill(company.name)
    main.get_by_label(words.street, exact=True).fill("Keizersgracht 1")
    main.get_by_label(words.postcode, exact=True).fill("1015 CJ")
    main.get_by_label(words.city, exact=True).fill("Amsterdam")
    main.get_by_label(words.country, exact=True).select_option("NL")
    if company.vat_number:
        main.get_by_label(words.vat_number, exact=True).fill(company.vat_number)
    main.get_by_label(words.contact_name, exact=True).fill("Anna de Vries")
    main.get_by_label(words.email, exact=True).fill(company.email)
    main.get_by_label(words.phone, exact=True).fill("+31 20 123 4567")
    main.get_by_label(words.preferred_language, exact=True).select_option(words.code)
    documents = main.get_by_role("group", name=words.document_type)
    documents.get_by_role("radio", name=company.document, exact=True).check()
    main.get_by_label(words.document_file, exact=True).set_input_files(str(proof))
    main.get_by_label(words.authorised).check()
    main.get_by_role("button", name=words.send_application).click()
    expect(page).to_have_url(re.compile(r"/applications/[^/]+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words.status_title)
    return main


def approve_in_the_review_queue(page: Page, company: Company) -> None:
    """The reviewer logs in, finds the application by its company's name and approves it."""
    page.goto("/login")
    page.get_by_label("E-mail address").fill(REVIEWER_EMAIL)
    page.get_by_label("Password").fill(REVIEWER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/review/applications$"))
    main = page.get_by_role("main")
    card = main.get_by_role("article", name=company.name)
    expect(card).to_be_visible()
    expect(card.get_by_text(company.email)).to_be_visible()
    card.get_by_role("button", name=f"Approve {company.name}").click()
    expect(main.get_by_text(f"{company.name} is approved.", exact=False)).to_be_visible()
    expect(main.get_by_role("article", name=company.name)).to_have_count(0)


def set_password_link_from_the_mail(api: HttpApi, email: str) -> str:
    """The set-password link of the approval e-mail (the local runtime's mailbox)."""

    def link() -> str | None:
        for mail in mails_to(api, email):
            for candidate in mail["links"]:
                if "/set-password?token=" in candidate:
                    return str(candidate)
        return None

    found: str = eventually(link, timeout=MAIL_TIMEOUT_S)
    return found


def set_password_and_log_in(page: Page, words: Words, link: str, email: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(words.set_password_title)
    main = page.get_by_role("main")
    main.get_by_label(words.new_password, exact=True).fill(PASSWORD)
    main.get_by_label(words.repeat_password, exact=True).fill(PASSWORD)
    main.get_by_role("button", name=words.set_password).click()
    expect(main.get_by_text(words.password_set)).to_be_visible()
    main.get_by_role("link", name=words.log_in).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words.log_in)
    main.get_by_label(words.email, exact=True).fill(email)
    main.get_by_label(words.password, exact=True).fill(PASSWORD)
    main.get_by_role("button", name=words.log_in).click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words.my_account_title)


def go_to(page: Page, words: Words, tab: str, title: str) -> Locator:
    """A tab of the customer's navigation (MY ACCOUNT, MY PRODUCTS...); returns its main."""
    page.get_by_role("navigation", name=words.navigation).get_by_role("link", name=tab).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return page.get_by_role("main")


def register_the_eos_r1(page: Page, words: Words, serial: str) -> None:
    """MY PRODUCTS → REGISTER A PRODUCT: the EOS R1 from the catalogue, its four details."""
    main = go_to(page, words, words.my_products, words.my_products_title)
    main.get_by_role("button", name=words.register_a_product, exact=True).click()
    main.get_by_role("combobox", name=words.product).fill("EOS R1")
    main.get_by_role("option", name=re.compile(r"^Canon EOS R1 EOS-R1-BODY")).click()
    main.get_by_label(words.serial_number, exact=True).fill(serial)
    main.get_by_label(words.purchase_date, exact=True).fill("2025-03-14")
    main.get_by_label(words.country_of_purchase, exact=True).select_option("NL")
    main.get_by_label(words.dealer, exact=True).fill("Foto Amsterdam B.V.")
    main.get_by_role("button", name=words.register_product, exact=True).click()
    expect(main.get_by_text(words.registered_eos_r1)).to_be_visible()
    card = main.get_by_role("listitem").filter(has_text=serial)
    expect(card.get_by_text(words.complete_600)).to_be_visible()


def sign_up_for_silver_by_card(page: Page, words: Words) -> Locator:
    """MY SUBSCRIPTIONS → SIGN UP FOR CPS → SIGNUP TO SILVER, the terms accepted, the local
    test card that succeeds; returns the SUBSCRIPTION ACTIVE card."""
    main = go_to(page, words, words.my_subscriptions, words.manage_subscription_title)
    main.get_by_role("link", name=words.sign_up_for_cps).click()
    expect(page).to_have_url(re.compile(r"/cps/sign-up$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words.sign_up_title)
    main.get_by_role("button", name=words.signup_to_silver).click()
    expect(main.get_by_role("heading", level=2, name=words.review_heading)).to_be_focused()
    main.get_by_label(words.accept_terms).check()
    main.get_by_role("button", name=words.purchase).click()
    expect(main.get_by_role("heading", level=2, name=words.payment_heading)).to_be_focused()
    expect(main.get_by_label(words.credit_card, exact=True)).to_be_checked()
    main.get_by_label(re.compile("pm_card_visa")).check()
    main.get_by_role("button", name=words.checkout).click()
    active = main.get_by_role("region", name=re.compile(words.subscription_active))
    expect(active.get_by_role("heading", level=2)).to_be_focused()
    return active


def wait_for_the_invoice(page: Page, words: Words) -> Locator:
    """Invoices, reloaded every few seconds until the purchase's invoice (issued asynchronously)
    is listed with its PDF; returns its card."""
    main = page.get_by_role("main")
    invoice = main.get_by_role("article", name=re.compile(rf"^{words.invoice_kind} \d{{4}}-\d+$"))
    pdf = invoice.get_by_role("link", name=re.compile(r"\(pdf\)$", re.IGNORECASE))
    deadline = time.monotonic() + INVOICE_TIMEOUT_S
    while True:
        expect(page.get_by_role("heading", level=1)).to_have_text(words.invoices)
        expect(main.get_by_text(words.invoices_intro, exact=True)).to_be_visible()
        if pdf.count() == 1:
            return invoice
        assert time.monotonic() < deadline, f"no invoice with a PDF within {INVOICE_TIMEOUT_S}s"
        page.wait_for_timeout(INVOICE_RELOAD_EVERY_S * 1000)
        page.reload()


# --- the journey ----------------------------------------------------------------------------------


@pytest.mark.parametrize("words", [ENGLISH, DUTCH], ids=["en", "nl"])
def test_a_company_goes_from_its_application_to_an_active_subscription_and_its_invoice(
    page: Page,
    reviewer_page: Page,
    api: HttpApi,
    web_runtime: RuntimeProcess,
    tmp_path: Path,
    axe: Axe,
    words: Words,
) -> None:
    company = company_for(words)
    proof = tmp_path / "proof-of-business.pdf"
    proof.write_bytes(PDF)

    # GIVEN a company that switches the site to its language and applies with a PDF proof
    main = apply_for_a_business_account(page, words, company, proof)
    # THEN its status page follows the check until the application waits for a reviewer
    expect(main.get_by_text(words.pending_review, exact=True)).to_be_visible(
        timeout=CHECK_TIMEOUT_MS
    )
    assert_accessible(page, axe)  # axe 1 of 3: the application's status page

    # WHEN the reviewer approves it from the review queue, in another browser
    approve_in_the_review_queue(reviewer_page, company)
    # THEN the approval e-mail links to the frontend's set-password page
    link = set_password_link_from_the_mail(api, company.email)
    assert link.startswith(f"{web_runtime.web_url}/set-password?token="), link

    # WHEN the applicant sets a password with that link and logs in
    set_password_and_log_in(page, words, link, company.email)
    # AND registers a Canon EOS R1 with its four details under MY PRODUCTS
    register_the_eos_r1(page, words, company.serial)
    # THEN MY ACCOUNT shows the company's 600 points and the invitation to join CPS
    main = go_to(page, words, words.my_account, words.my_account_title)
    expect(main.get_by_text(company.name, exact=True)).to_be_visible()
    expect(main.get_by_text(words.points_600, exact=True)).to_be_visible()
    expect(main.get_by_role("heading", name=words.invitation)).to_be_visible()
    assert_accessible(page, axe)  # axe 2 of 3: MY ACCOUNT with the invitation

    # WHEN the company signs up for CPS Silver and pays with the test card that succeeds
    active = sign_up_for_silver_by_card(page, words)
    # THEN the subscription is active: the tier, the expiry a year on, a 9-digit number
    expect(active.get_by_text(words.silver_membership, exact=True)).to_be_visible()
    terms = active.get_by_role("term")
    details = active.get_by_role("definition")
    expect(terms.first).to_have_text(words.expires)
    next_year = datetime.now(UTC).year + 1
    expect(details.first).to_have_text(re.compile(rf"^\d{{1,2}} \w+ {next_year}$"))
    expect(terms.nth(1)).to_have_text(words.membership_number)
    expect(details.nth(1)).to_have_text(MEMBERSHIP_NUMBER)

    # WHEN the company opens its invoices, once the purchase's invoice is issued
    page.get_by_role("main").get_by_role("link", name=words.invoices, exact=True).click()
    invoice = wait_for_the_invoice(page, words)
    # THEN the invoice is listed with Silver's fee and the Dutch VAT, and its PDF is a PDF
    expect(invoice).to_contain_text(words.silver_total)
    number = re.sub(r"^\S+ ", "", invoice.get_by_role("heading", level=2).inner_text())
    pdf_link = invoice.get_by_role("link", name=words.pdf_link.format(number=number))
    href = pdf_link.get_attribute("href")
    assert href, "the PDF link has no address"
    pdf = page.request.get(href)
    assert pdf.ok, pdf.status
    assert pdf.body().startswith(b"%PDF-")
    assert_accessible(page, axe)  # axe 3 of 3: the invoices
