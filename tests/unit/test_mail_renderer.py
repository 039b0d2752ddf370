import datetime
import itertools
import re

import jinja2
import pytest

from chalicelib.mail import renderer as renderer_module
from chalicelib.mail.renderer import (
    DEFAULT_SUPPORT_EMAIL,
    SUPPORTED_LANGUAGES,
    TEMPLATE_CONTEXT,
    TEMPLATE_NAMES,
    MailRenderer,
    RenderedMail,
)

NO_REPLY = "donotreply@cps.example.com"
TOTAL = {"amount": "102.85", "currency": "EUR"}
BANK_DETAILS = {
    "iban": "NL91ABNA0417164300",
    "bic": "ABNANL2A",
    "beneficiary": "Canon Europa N.V.",
    "reference": "RF18CPS2025000123",
}

CONTEXTS = {
    "application_approved": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "set_password_url": "https://cps.example.com/set-password?token=abc123",
        "link_expires_hours": 72,
    },
    "application_rejected": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "reason": "The VAT number on the certificate does not match the one in the form.",
        "apply_again_url": "https://cps.example.com/apply",
    },
    "password_reset": {
        "contact_name": "Anna de Vries",
        "reset_url": "https://cps.example.com/set-password?token=def456",
        "link_expires_hours": 2,
    },
    "legacy_confirmation": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "old_email": "info@fotostudio-oud.example",
        "confirm_url": "https://cps.example.com/migration/confirm?token=jkl012",
        "link_expires_days": 7,
    },
    "account_exists": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "login_url": "https://cps.example.com/login",
        "reset_url": "https://cps.example.com/set-password?token=ghi789",
        "link_expires_hours": 2,
    },
    "review_escalation": {
        "application_id": "app-0001",
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "country": "NL",
        "decision_due_by": "2025-03-04T17:00:00+01:00",
        "review_url": "https://cps.example.com/review/applications/app-0001",
    },
    "cps_invitation": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "points": 580,
        "signup_url": "https://cps.example.com/cps/signup",
    },
    "invoice_issued": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "invoice_number": "CPS-2025-000123",
        "total": TOTAL,
        "due_on": "2026-12-30",
        "payment_method": "BANK_TRANSFER",
        "bank_details": BANK_DETAILS,
        "membership_number": "151335488",
        "tier_name": "CPS Silver",
        "purpose": "PURCHASE",
    },
    "renewal_notice": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "membership_number": "151335488",
        "tier_name": "CPS Gold",
        "renewal_tier_name": "CPS Silver",
        "renewal_fee": {"amount": "85.00", "currency": "EUR"},
        "renews_on": "2026-12-30",
        "manage_url": "https://cps.example.com/subscription",
    },
    "expiry_reminder": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "membership_number": "151335488",
        "tier_name": "CPS Gold",
        "expires_on": "2026-12-30",
        "days_left": 60,
        "last": False,
        "manage_url": "https://cps.example.com/subscription",
    },
    "payment_reminder": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "membership_number": "151335488",
        "invoice_number": "CPS-2026-000456",
        "total": TOTAL,
        "due_on": "2026-12-30",
        "overdue": False,
        "bank_details": BANK_DETAILS,
    },
    "payment_failed": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "membership_number": "151335488",
        "invoice_number": "CPS-2026-000456",
        "total": TOTAL,
        "due_on": "2026-12-30",
        "authentication_required": False,
        "next_attempt_on": "2027-01-02",
        "pay_url": "https://cps.example.com/subscription/pay?invoice=CPS-2026-000456",
    },
    "payment_received": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "membership_number": "151335488",
        "tier_name": "CPS Gold",
        "invoice_number": "CPS-2026-000456",
        "total": TOTAL,
        "paid_on": "2026-12-28",
    },
    "membership_suspended": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "membership_number": "151335488",
        "tier_name": "CPS Gold",
        "invoice_number": "CPS-2026-000456",
        "total": TOTAL,
        "due_on": "2026-12-30",
        "cancel_on": "2027-01-29",
        "pay_url": "https://cps.example.com/subscription/pay?invoice=CPS-2026-000456",
    },
    "membership_cancelled": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "membership_number": "151335488",
        "tier_name": "CPS Gold",
        "invoice_number": "CPS-2026-000456",
        "credit_note_number": "CPS-CN-2027-000012",
        "total": TOTAL,
        "signup_url": "https://cps.example.com/cps/signup",
    },
    "membership_expired": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "membership_number": "151335488",
        "tier_name": "CPS Gold",
        "expired_on": "2026-12-30",
        "signup_url": "https://cps.example.com/cps/signup",
    },
    "renewal_not_possible": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "membership_number": "151335488",
        "tier_name": "CPS Gold",
        "points": 320,
        "min_points": 500,
        "expires_on": "2026-12-30",
        "products_url": "https://cps.example.com/products",
    },
    "credit_note_issued": {
        "company_name": "Fotostudio Licht & Schaduw B.V.",
        "contact_name": "Anna de Vries",
        "membership_number": "151335488",
        "invoice_number": "CPS-2026-000456",
        "credit_note_number": "CPS-CN-2026-000011",
        "total": TOTAL,
        "expires_on": "2026-12-30",
    },
}

URL_KEYS = (
    "set_password_url",
    "apply_again_url",
    "reset_url",
    "confirm_url",
    "review_url",
    "signup_url",
    "manage_url",
    "pay_url",
    "products_url",
)
# Values the templates format with `|money` and `|date` (they never appear as given).
MONEY_KEYS = ("total", "renewal_fee")
DATE_KEYS = (
    "due_on",
    "renews_on",
    "expires_on",
    "next_attempt_on",
    "paid_on",
    "cancel_on",
    "expired_on",
)

ALL_MAILS = list(itertools.product(TEMPLATE_NAMES, SUPPORTED_LANGUAGES))
MAILS_WITH_LINKS = [
    (template, language)
    for template, language in ALL_MAILS
    if any(key in URL_KEYS for key in TEMPLATE_CONTEXT[template])
]


@pytest.fixture(scope="module")
def renderer():
    return MailRenderer(no_reply_address=f"Canon <{NO_REPLY}>")


def test_the_fixture_contexts_cover_exactly_the_declared_templates_and_keys():
    # GIVEN the declared templates and their context keys
    # WHEN compared with the contexts these tests render with
    # THEN they are the same (a new template or key cannot go untested)
    assert set(CONTEXTS) == set(TEMPLATE_NAMES)
    for name, keys in TEMPLATE_CONTEXT.items():
        assert set(CONTEXTS[name]) == set(keys)


def test_every_supported_language_of_the_domain_has_templates():
    # GIVEN the languages customers may choose
    # WHEN compared with the languages the mails exist in
    # THEN they are the same five
    assert SUPPORTED_LANGUAGES == ("en", "nl", "de", "da", "lv")


@pytest.mark.parametrize(("template", "language"), ALL_MAILS)
def test_every_template_renders_in_every_language(renderer, template, language):
    # GIVEN a full context
    context = CONTEXTS[template]

    # WHEN the mail is rendered
    mail = renderer.render(template, language, context)

    # THEN subject, text and HTML are there, the subject on one line
    assert isinstance(mail, RenderedMail)
    assert mail.subject.strip()
    assert "\n" not in mail.subject
    assert "\r" not in mail.subject
    assert len(mail.subject) < 120
    assert mail.text.strip()
    assert mail.html.lstrip().startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}">' in mail.html
    # AND nothing was left unrendered
    for part in (mail.subject, mail.text, mail.html):
        assert "{{" not in part
        assert "{%" not in part


@pytest.mark.parametrize(("template", "language"), MAILS_WITH_LINKS)
def test_links_are_plain_absolute_urls_in_the_text_part(renderer, template, language):
    # GIVEN a context with links
    context = CONTEXTS[template]
    links = [context[key] for key in URL_KEYS if key in context]

    # WHEN the mail is rendered
    mail = renderer.render(template, language, context)

    # THEN each link stands on its own in the text part and is a link in the HTML part
    assert links
    text_lines = [line.strip() for line in mail.text.splitlines()]
    for link in links:
        assert link in text_lines
        assert f'href="{link}"' in mail.html


@pytest.mark.parametrize(("template", "language"), ALL_MAILS)
def test_the_footer_says_it_is_an_unanswerable_automatic_message(renderer, template, language):
    # GIVEN a renderer configured with the no-reply address
    # WHEN any mail is rendered
    mail = renderer.render(template, language, CONTEXTS[template])

    # THEN both parts name the bare no-reply address in the footer
    assert NO_REPLY in mail.text
    assert NO_REPLY in mail.html
    assert f"<{NO_REPLY}>" not in mail.text


@pytest.mark.parametrize(("template", "language"), ALL_MAILS)
def test_every_context_value_appears_in_the_mail(renderer, template, language):
    # GIVEN a full context
    context = CONTEXTS[template]

    # WHEN the mail is rendered
    mail = renderer.render(template, language, context)

    # THEN every plain value the customer needs is in the text part (money and dates are
    # formatted, flags and choices pick wording: other tests cover those)
    for key, value in context.items():
        if key in ("link_expires_hours", "points", "payment_method", "bank_details", "purpose"):
            continue
        if key == "decision_due_by":  # a moment, formatted: tested on its own
            continue
        if key in MONEY_KEYS or key in DATE_KEYS or isinstance(value, bool):
            continue
        assert str(value) in mail.text, key
    for value in context.get("bank_details", {}).values():
        assert value in mail.text


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize(
    "template", [t for t, keys in TEMPLATE_CONTEXT.items() if "company_name" in keys]
)
def test_html_escapes_values_but_text_keeps_them(renderer, template, language):
    # GIVEN a company name with markup in it
    context = {**CONTEXTS[template], "company_name": "<script>alert('x')</script> & Co"}

    # WHEN the mail is rendered
    mail = renderer.render(template, language, context)

    # THEN the HTML part escapes it and the text part and subject keep it verbatim
    assert "<script>" not in mail.html
    assert "&lt;script&gt;" in mail.html
    assert "&amp; Co" in mail.html
    assert "<script>alert('x')</script> & Co" in mail.text


def test_a_url_with_an_ampersand_is_escaped_in_html_only(renderer):
    # GIVEN a link with a query string
    url = "https://cps.example.com/set-password?token=abc&lang=nl"
    context = {**CONTEXTS["password_reset"], "reset_url": url}

    # WHEN the mail is rendered
    mail = renderer.render("password_reset", "nl", context)

    # THEN the text part keeps it as is, the HTML part escapes the ampersand in the attribute
    assert url in mail.text
    assert 'href="https://cps.example.com/set-password?token=abc&amp;lang=nl"' in mail.html


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_a_missing_variable_raises(renderer, template, language):
    # GIVEN a context that lacks any one of the template's variables
    for missing in TEMPLATE_CONTEXT[template]:
        context = {k: v for k, v in CONTEXTS[template].items() if k != missing}

        # WHEN the mail is rendered
        # THEN StrictUndefined refuses to render it
        with pytest.raises(jinja2.UndefinedError):
            renderer.render(template, language, context)


def test_a_card_payment_needs_no_bank_details(renderer):
    # GIVEN an invoice paid by card, without bank details
    context = {k: v for k, v in CONTEXTS["invoice_issued"].items() if k != "bank_details"}
    context["payment_method"] = "CARD"

    # WHEN the mail is rendered in every language
    for language in SUPPORTED_LANGUAGES:
        mail = renderer.render("invoice_issued", language, context)

        # THEN it renders, without any IBAN
        assert "IBAN" not in mail.text
        assert "IBAN" not in mail.html


@pytest.mark.parametrize(
    ("language", "card_words", "bank_words"),
    [
        ("en", "credit card", "additional bank charges"),
        ("nl", "creditcard", "extra bankkosten"),
        ("de", "Kreditkarte", "Bankgebühren"),
        ("da", "kortbetaling", "ekstra gebyrer"),
        ("lv", "ar karti", "papildu bankas komisijas"),
    ],
)
def test_the_invoice_mail_explains_the_chosen_payment_method(
    renderer, language, card_words, bank_words
):
    # GIVEN the same invoice paid by card and by bank transfer
    bank = CONTEXTS["invoice_issued"]
    card = {**bank, "payment_method": "CARD"}

    # WHEN both are rendered
    bank_mail = renderer.render("invoice_issued", language, bank)
    card_mail = renderer.render("invoice_issued", language, card)

    # THEN the card mail says the card is charged, the bank one warns of bank charges
    assert card_words in card_mail.text
    assert bank_words not in card_mail.text
    assert bank_words in bank_mail.text
    assert bank["bank_details"]["reference"] in bank_mail.text
    assert bank["bank_details"]["iban"] not in card_mail.text


def test_an_unknown_payment_method_is_refused(renderer):
    # GIVEN an invoice with a payment method the templates do not know
    context = {**CONTEXTS["invoice_issued"], "payment_method": "CHEQUE"}

    # WHEN / THEN rendering refuses it
    with pytest.raises(ValueError, match="payment_method"):
        renderer.render("invoice_issued", "en", context)


@pytest.mark.parametrize("language", ["fr", "EN", "nl-NL", "", "xx"])
def test_an_unsupported_language_raises_value_error(renderer, language):
    # GIVEN a language without templates
    # WHEN / THEN rendering raises ValueError (no fallback to English)
    with pytest.raises(ValueError, match="language"):
        renderer.render("password_reset", language, CONTEXTS["password_reset"])


@pytest.mark.parametrize("template", ["welcome", "", "../base", "en/password_reset", "_footer"])
def test_an_unknown_template_raises_value_error(renderer, template):
    # GIVEN a template name that is not one of the mails
    # WHEN / THEN rendering raises ValueError
    with pytest.raises(ValueError, match="template"):
        renderer.render(template, "en", CONTEXTS["password_reset"])


def test_reserved_context_keys_are_refused(renderer):
    # GIVEN a context that tries to override what the renderer sets
    context = {**CONTEXTS["password_reset"], "no_reply_address": "someone@example.com"}

    # WHEN / THEN rendering refuses it
    with pytest.raises(ValueError, match="reserved"):
        renderer.render("password_reset", "en", context)


def test_a_multiline_value_cannot_break_the_subject(renderer):
    # GIVEN a company name with line breaks (a header-injection attempt)
    context = {**CONTEXTS["review_escalation"], "company_name": "Evil\r\nBcc: x@example.com"}

    # WHEN the mail is rendered
    mail = renderer.render("review_escalation", "en", context)

    # THEN the subject stays on one line
    assert "\n" not in mail.subject
    assert "\r" not in mail.subject
    assert "Evil Bcc: x@example.com" in mail.subject


@pytest.mark.parametrize(
    ("language", "word"),
    [
        ("en", "password"),
        ("nl", "wachtwoord"),
        ("de", "Kennwort"),
        ("da", "adgangskode"),
        ("lv", "paroli"),
    ],
)
def test_the_approval_subject_is_really_translated(renderer, language, word):
    # GIVEN the approval mail
    context = CONTEXTS["application_approved"]

    # WHEN it is rendered in the language and in English
    mail = renderer.render("application_approved", language, context)
    english = renderer.render("application_approved", "en", context)

    # THEN the subject speaks of the password in that language
    assert word in mail.subject
    if language != "en":
        assert mail.subject != english.subject


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["zakelijke account", "wachtwoord", "Mijn producten", "serienummer"]),
        ("de", ["Business Account", "Kennwort", "Seriennummer", "Händler"]),
        ("da", ["virksomhedskonto", "adgangskode", "Mine produkter", "forhandler"]),
        ("lv", ["uzņēmuma", "paroli", "Mani produkti", "sērijas numurs"]),
    ],
)
def test_the_approval_text_uses_the_programmes_own_vocabulary(renderer, language, words):
    # GIVEN the approval mail
    # WHEN it is rendered
    mail = renderer.render("application_approved", language, CONTEXTS["application_approved"])

    # THEN its text uses the words of the programme's guides in that language
    for word in words:
        assert word.lower() in mail.text.lower(), word


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_no_language_is_a_copy_of_another(renderer, template):
    # GIVEN one template
    context = CONTEXTS[template]

    # WHEN it is rendered in all languages
    mails = {
        language: renderer.render(template, language, context) for language in SUPPORTED_LANGUAGES
    }

    # THEN subjects and texts are pairwise different
    assert len({mail.subject for mail in mails.values()}) == len(SUPPORTED_LANGUAGES)
    assert len({mail.text for mail in mails.values()}) == len(SUPPORTED_LANGUAGES)
    # AND no translated text reuses a sentence of the English one (apart from names and links)
    values = [str(v) for v in context.values()]
    english_lines = {
        line
        for line in mails["en"].text.splitlines()
        if len(line) > 30 and not any(value in line for value in values)
    }
    for language, mail in mails.items():
        if language != "en":
            assert not english_lines & set(mail.text.splitlines()), language


@pytest.mark.parametrize("template", TEMPLATE_NAMES)
def test_latvian_is_written_with_its_diacritics(renderer, template):
    # GIVEN a Latvian mail
    # WHEN it is rendered
    mail = renderer.render(template, "lv", CONTEXTS[template])

    # THEN it uses Latvian letters (long vowels, soft consonants)
    assert re.search("[āēīūčšžņļķģ]", mail.subject + mail.text)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_each_language_has_its_own_subjects(renderer, language):
    # GIVEN all templates in one language
    # WHEN rendered
    subjects = {t: renderer.render(t, language, CONTEXTS[t]).subject for t in TEMPLATE_NAMES}

    # THEN no two mails share a subject
    assert len(set(subjects.values())) == len(TEMPLATE_NAMES)


@pytest.mark.parametrize(
    ("language", "hours", "expected"),
    [
        ("en", 1, "1 hour "),
        ("en", 24, "24 hours"),
        ("de", 1, "1 Stunde "),
        ("de", 48, "48 Stunden"),
        ("da", 1, "1 time "),
        ("da", 24, "24 timer"),
        ("nl", 24, "24 uur"),
        ("lv", 21, "21 stundu"),
        ("lv", 11, "11 stundas"),
        ("lv", 72, "72 stundas"),
    ],
)
def test_hours_take_the_grammatical_number_of_the_language(renderer, language, hours, expected):
    # GIVEN a reset link valid for a number of hours
    context = {**CONTEXTS["password_reset"], "link_expires_hours": hours}

    # WHEN the mail is rendered
    mail = renderer.render("password_reset", language, context)

    # THEN the duration reads naturally
    assert expected in mail.text


@pytest.mark.parametrize(
    ("language", "points", "expected"),
    [
        ("en", 2500, "2,500 points"),
        ("nl", 2500, "2.500 punten"),
        ("de", 2500, "2.500 Punkte"),
        ("da", 2500, "2.500 point"),
        ("lv", 2500, "2500 punkti"),
        ("lv", 501, "501 punkts"),
        ("lv", 12000, "12\u00a0000 punkti"),
    ],
)
def test_points_are_written_the_way_the_language_writes_numbers(
    renderer, language, points, expected
):
    # GIVEN a company with a number of points
    context = {**CONTEXTS["cps_invitation"], "points": points}

    # WHEN the invitation is rendered
    mail = renderer.render("cps_invitation", language, context)

    # THEN the number and the noun read naturally
    assert expected in mail.text


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_invitation_lists_the_tier_thresholds(renderer, language):
    # GIVEN the CPS invitation
    # WHEN it is rendered
    mail = renderer.render("cps_invitation", language, CONTEXTS["cps_invitation"])

    # THEN it names the four families with their entry points
    for tier in ("CPS Silver", "CPS Gold", "CPS Platinum", "CPS Corporate"):
        assert tier in mail.text
    digits = re.sub(r"[^\d\n]", "", mail.text)
    for threshold in ("500", "1000", "1600", "2500"):
        assert threshold in digits


def test_the_rejection_without_a_reason_leaves_out_the_reason_block(renderer):
    # GIVEN a rejection whose reviewer gave no reason
    context = {**CONTEXTS["application_rejected"], "reason": ""}

    # WHEN it is rendered
    mail = renderer.render("application_rejected", "en", context)

    # THEN no empty "Reason:" heading appears
    assert "Reason:" not in mail.text
    assert "Reason:" not in mail.html


def test_the_environment_is_built_once_per_process():
    # GIVEN two renderers
    # WHEN each renders a mail
    MailRenderer().render("password_reset", "en", CONTEXTS["password_reset"])
    MailRenderer("other@example.com").render("password_reset", "da", CONTEXTS["password_reset"])

    # THEN they share one cached Jinja environment
    assert renderer_module._environment() is renderer_module._environment()
    assert renderer_module._environment.cache_info().currsize == 1


def test_every_template_file_exists_for_every_language():
    # GIVEN the template directory
    directory = renderer_module.TEMPLATES_DIR

    # WHEN looking for each part of each mail in each language
    # THEN every file is there (no fallback exists to hide a missing one)
    for template, language in ALL_MAILS:
        for suffix in (".subject.txt.j2", ".txt.j2", ".html.j2"):
            assert (directory / language / f"{template}{suffix}").is_file()
    assert (directory / "base.html.j2").is_file()


# --- Money, dates and the membership year ---------------------------------------------------

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "money", "date"),
    [
        ("en", "€102.85", "30 December 2026"),
        ("nl", f"€{NBSP}102,85", "30 december 2026"),
        ("de", f"102,85{NBSP}€", "30. Dezember 2026"),
        ("da", f"102,85{NBSP}€", "30. december 2026"),
        ("lv", f"102,85{NBSP}€", "2026. gada 30. decembris"),
    ],
)
def test_money_and_dates_are_written_the_way_the_language_writes_them(
    renderer, language, money, date
):
    # GIVEN an invoice of {"amount": "102.85", "currency": "EUR"} due on "2026-12-30"
    context = CONTEXTS["invoice_issued"]

    # WHEN the invoice mail is rendered
    mail = renderer.render("invoice_issued", language, context)

    # THEN amount and due date read the local way, in both parts, and never as sent
    assert money in mail.text
    assert money in mail.html
    assert date in mail.text
    assert date in mail.html
    assert "2026-12-30" not in mail.text
    assert "102.85" not in mail.text.replace("€102.85", "")


@pytest.mark.parametrize(
    ("language", "amount", "currency", "expected"),
    [
        ("en", "85", "GBP", "£85.00"),
        ("de", "1190.5", "EUR", f"1.190,50{NBSP}€"),
        ("da", "637.50", "DKK", f"637,50{NBSP}kr."),
        ("nl", "1234567.8", "EUR", f"€{NBSP}1.234.567,80"),
    ],
)
def test_money_takes_the_currency_of_the_value(renderer, language, amount, currency, expected):
    # GIVEN a payment confirmation in some currency
    context = {**CONTEXTS["payment_received"], "total": {"amount": amount, "currency": currency}}

    # WHEN it is rendered
    mail = renderer.render("payment_received", language, context)

    # THEN the amount shows with that currency's sign and two decimals
    assert expected in mail.text


@pytest.mark.parametrize("amount", [102.85, "abc", "NaN", None])
def test_a_money_amount_that_is_not_a_decimal_string_is_refused(renderer, amount):
    # GIVEN an amount that is a float (would lose cents) or no number at all
    context = {**CONTEXTS["payment_received"], "total": {"amount": amount, "currency": "EUR"}}

    # WHEN / THEN rendering refuses it
    with pytest.raises(ValueError, match="decimal"):
        renderer.render("payment_received", "en", context)


def test_a_preformatted_amount_is_refused(renderer):
    # GIVEN a total formatted by the sender, as the invoice mail used to receive it
    context = {**CONTEXTS["invoice_issued"], "total": "€ 102.85"}

    # WHEN / THEN rendering refuses it rather than mix two styles in one mail
    with pytest.raises(ValueError, match="mapping"):
        renderer.render("invoice_issued", "nl", context)


def test_a_date_may_also_be_given_as_a_date(renderer):
    # GIVEN a due date passed as a date object instead of an ISO string
    context = {**CONTEXTS["invoice_issued"], "due_on": datetime.date(2026, 12, 30)}

    # WHEN the mail is rendered
    mail = renderer.render("invoice_issued", "de", context)

    # THEN it reads the same as the ISO string would
    assert "30. Dezember 2026" in mail.text


def test_a_timestamp_is_not_a_date(renderer):
    # GIVEN a due date that is a timestamp (the day would depend on a time zone)
    context = {**CONTEXTS["invoice_issued"], "due_on": "2026-12-30T10:00:00+01:00"}

    # WHEN / THEN rendering refuses it
    with pytest.raises(ValueError):
        renderer.render("invoice_issued", "en", context)


@pytest.mark.parametrize(("template", "language"), ALL_MAILS)
def test_every_money_and_date_value_is_formatted(renderer, template, language):
    # GIVEN a template with amounts and dates in its context
    context = CONTEXTS[template]
    from babel.dates import format_date
    from babel.numbers import format_currency

    locale = renderer_module.BABEL_LOCALES[language]

    # WHEN it is rendered
    mail = renderer.render(template, language, context)

    # THEN each one appears formatted for the language, in the text and the HTML part
    for key in MONEY_KEYS:
        if key in context:
            value = context[key]
            expected = format_currency(value["amount"], value["currency"], locale=locale)
            assert expected in mail.text, key
            assert expected in mail.html, key
    for key in DATE_KEYS:
        if context.get(key):
            expected = format_date(
                datetime.date.fromisoformat(context[key]), format="long", locale=locale
            )
            assert expected in mail.text, key
            assert expected in mail.html, key


@pytest.mark.parametrize(("template", "language"), ALL_MAILS)
def test_every_mail_names_the_cps_support_address(renderer, template, language):
    # GIVEN a renderer with the default support address
    # WHEN any mail is rendered
    mail = renderer.render(template, language, CONTEXTS[template])

    # THEN both parts tell the customer where to ask questions, the HTML part as a mail link
    assert DEFAULT_SUPPORT_EMAIL in mail.text
    assert f'href="mailto:{DEFAULT_SUPPORT_EMAIL}"' in mail.html
    assert NO_REPLY in mail.text


def test_the_support_address_is_configurable():
    # GIVEN a renderer configured with another support address, display name included
    renderer = MailRenderer(NO_REPLY, support_email="CPS Support <support@cps.example.com>")

    # WHEN a mail is rendered
    mail = renderer.render("password_reset", "nl", CONTEXTS["password_reset"])

    # THEN the footer names the bare address instead of the default one
    assert "support@cps.example.com" in mail.text
    assert "<support@cps.example.com>" not in mail.text
    assert DEFAULT_SUPPORT_EMAIL not in mail.text


def test_the_support_address_cannot_be_overridden_by_the_context(renderer):
    # GIVEN a context that tries to set the support address
    context = {**CONTEXTS["password_reset"], "support_email": "someone@example.com"}

    # WHEN / THEN rendering refuses it
    with pytest.raises(ValueError, match="reserved"):
        renderer.render("password_reset", "en", context)


# A sentence of each English mail that a translation must not carry over.
ENGLISH_PHRASES = {
    "application_approved": "Good news",
    "application_rejected": "You are welcome to apply again",
    "password_reset": "We received a request to reset the password",
    "legacy_confirmation": "nothing is taken over without your confirmation",
    "account_exists": "already exists for this address",
    "review_escalation": "passed the promised review time",
    "cps_invitation": "so you are invited to join",
    "invoice_issued": "Thank you for joining",
    "renewal_notice": "renews automatically on",
    "expiry_reminder": "Auto-renewal is switched off",
    "payment_reminder": "This is a friendly reminder",
    "payment_failed": "because the card was declined",
    "payment_received": "we have received your payment",
    "membership_suspended": "your CPS benefits are paused",
    "membership_cancelled": "is cancelled by credit note",
    "membership_expired": "without being renewed",
    "renewal_not_possible": "cannot be renewed",
    "credit_note_issued": "you have switched off auto-renewal",
}
ENGLISH_FOOTER = "Questions? Please contact CPS support"


def test_every_template_has_a_distinctive_english_phrase():
    # GIVEN the phrases below / WHEN compared with the templates / THEN none is missing
    assert set(ENGLISH_PHRASES) == set(TEMPLATE_NAMES)


@pytest.mark.parametrize(("template", "language"), ALL_MAILS)
def test_a_translated_mail_contains_no_english_sentence(renderer, template, language):
    # GIVEN a sentence that only the English mail has
    phrase = ENGLISH_PHRASES[template]

    # WHEN the mail is rendered in the language
    mail = renderer.render(template, language, CONTEXTS[template])

    # THEN it is there in English only, and so is the English support line
    for part in (mail.subject + mail.text, mail.html):
        if language == "en":
            assert phrase.lower() in part.lower()
            assert ENGLISH_FOOTER in part
        else:
            assert phrase.lower() not in part.lower()
            assert ENGLISH_FOOTER not in part


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize(
    "template", [t for t, keys in TEMPLATE_CONTEXT.items() if "company_name" in keys]
)
def test_a_company_name_ending_in_a_period_gets_no_second_one(renderer, template, language):
    # GIVEN a company whose name ends with a period
    context = {**CONTEXTS[template], "company_name": "Studio B.V."}

    # WHEN the mail is rendered
    mail = renderer.render(template, language, context)

    # THEN neither the subject nor any sentence ends in ".."
    assert not mail.subject.endswith("..")
    assert "B.V.." not in mail.text
    assert "B.V.</strong>." not in mail.html


@pytest.mark.parametrize(
    ("rendered", "expected"),
    [
        ("Welcome, Studio B.V..", "Welcome, Studio B.V."),
        ("Welcome, Studio B.V...\n", "Welcome, Studio B.V."),
        ("Invoice for\n  Studio B.V.", "Invoice for Studio B.V."),
        ("Invoice 1", "Invoice 1"),
    ],
)
def test_a_subject_is_one_line_that_never_ends_in_two_periods(rendered, expected):
    # GIVEN a rendered subject template / WHEN made a header line / THEN it reads cleanly
    assert renderer_module._subject_line(rendered) == expected


@pytest.mark.parametrize(
    ("language", "purchase", "renewal", "upgrade"),
    [
        ("en", "Thank you for joining", "renewal invoice", "prorated for the rest"),
        ("nl", "lid bent geworden", "verlengingsfactuur", "naar rato berekend"),
        ("de", "geworden bist", "Verlängerung", "anteilig"),
        ("da", "er blevet medlem", "Fornyelsesfaktura", "forholdsmæssigt"),
        ("lv", "pievienojāties programmai", "atjaunošanas rēķins", "proporcionāli"),
    ],
)
def test_the_invoice_mail_says_what_the_invoice_is_for(
    renderer, language, purchase, renewal, upgrade
):
    # GIVEN the same invoice issued for a purchase, a renewal and an upgrade
    texts = {
        purpose: renderer.render(
            "invoice_issued", language, {**CONTEXTS["invoice_issued"], "purpose": purpose}
        ).text
        for purpose in ("PURCHASE", "RENEWAL", "UPGRADE")
    }

    # WHEN they are compared
    # THEN each opens with its own reason, and only that one
    assert len(set(texts.values())) == 3
    for purpose, words in (("PURCHASE", purchase), ("RENEWAL", renewal), ("UPGRADE", upgrade)):
        for other, text in texts.items():
            assert (words in text) == (other == purpose), (purpose, other)


def test_an_unknown_invoice_purpose_is_refused(renderer):
    # GIVEN an invoice for a purpose the templates do not know
    context = {**CONTEXTS["invoice_issued"], "purpose": "DONATION"}

    # WHEN / THEN rendering refuses it
    with pytest.raises(ValueError, match="purpose"):
        renderer.render("invoice_issued", "en", context)


@pytest.mark.parametrize(
    ("template", "flag"),
    [
        ("expiry_reminder", "last"),
        ("payment_reminder", "overdue"),
        ("payment_failed", "authentication_required"),
    ],
)
def test_a_flag_must_be_a_real_boolean(renderer, template, flag):
    # GIVEN a flag sent as the string "false" (which Jinja would treat as true)
    context = {**CONTEXTS[template], flag: "false"}

    # WHEN / THEN rendering refuses it
    with pytest.raises(ValueError, match=flag):
        renderer.render(template, "en", context)


@pytest.mark.parametrize(
    ("language", "last_words"),
    [
        ("en", "last reminder"),
        ("nl", "laatste herinnering"),
        ("de", "letzte Erinnerung"),
        ("da", "sidste påmindelse"),
        ("lv", "pēdējais atgādinājums"),
    ],
)
def test_the_last_expiry_reminder_says_it_is_the_last(renderer, language, last_words):
    # GIVEN the reminders sent 60 and 7 days before expiry
    first = {**CONTEXTS["expiry_reminder"], "days_left": 60, "last": False}
    last = {**CONTEXTS["expiry_reminder"], "days_left": 7, "last": True}

    # WHEN both are rendered
    first_mail = renderer.render("expiry_reminder", language, first)
    last_mail = renderer.render("expiry_reminder", language, last)

    # THEN only the last one says so, in the subject and the text
    assert last_words.lower() in last_mail.subject.lower()
    assert last_words.lower() in last_mail.text.lower()
    assert last_words.lower() not in (first_mail.subject + first_mail.text).lower()


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("en", 1, "in 1 day,"),
        ("en", 30, "in 30 days"),
        ("nl", 1, "over 1 dag,"),
        ("de", 7, "in 7 Tagen"),
        ("da", 7, "om 7 dage"),
        ("lv", 21, "pēc 21 dienas"),
        ("lv", 7, "pēc 7 dienām"),
    ],
)
def test_the_days_left_take_the_grammatical_number(renderer, language, days, expected):
    # GIVEN an expiry reminder a number of days before expiry
    context = {**CONTEXTS["expiry_reminder"], "days_left": days}

    # WHEN it is rendered
    mail = renderer.render("expiry_reminder", language, context)

    # THEN the number of days reads naturally
    assert expected in mail.text


@pytest.mark.parametrize(
    ("language", "past_due"),
    [
        ("en", "past due"),
        ("nl", "betalingsachterstand"),
        ("de", "Zahlungsverzug"),
        ("da", "restance"),
        ("lv", "kavējums"),
    ],
)
def test_an_overdue_bank_transfer_reminder_says_the_membership_is_past_due(
    renderer, language, past_due
):
    # GIVEN the reminders before and after the due date of a bank-transfer invoice
    before = {**CONTEXTS["payment_reminder"], "overdue": False}
    after = {**CONTEXTS["payment_reminder"], "overdue": True}

    # WHEN both are rendered
    before_mail = renderer.render("payment_reminder", language, before)
    after_mail = renderer.render("payment_reminder", language, after)

    # THEN only the overdue one says the membership is past due, and the subjects differ
    assert past_due in after_mail.text
    assert past_due not in before_mail.text
    assert before_mail.subject != after_mail.subject
    # AND both give the bank details
    for mail in (before_mail, after_mail):
        for value in BANK_DETAILS.values():
            assert value in mail.text


@pytest.mark.parametrize(
    ("language", "update_card", "pay_now"),
    [
        ("en", "Update your card", "Pay now"),
        ("nl", "Creditcard bijwerken", "Nu betalen"),
        ("de", "Karte aktualisieren", "Jetzt bezahlen"),
        ("da", "Opdater kort", "Betal nu"),
        ("lv", "Atjaunināt karti", "Maksāt tagad"),
    ],
)
def test_a_payment_needing_confirmation_asks_to_pay_now(renderer, language, update_card, pay_now):
    # GIVEN a declined charge and one the bank wants the customer to confirm
    declined = {**CONTEXTS["payment_failed"], "authentication_required": False}
    confirm = {**CONTEXTS["payment_failed"], "authentication_required": True}

    # WHEN both are rendered
    declined_mail = renderer.render("payment_failed", language, declined)
    confirm_mail = renderer.render("payment_failed", language, confirm)

    # THEN the declined one asks for a new card, the other one to pay now, both with the link
    assert f">{update_card}</a>" in declined_mail.html
    assert f">{pay_now}</a>" in confirm_mail.html
    assert update_card not in confirm_mail.html
    assert declined_mail.subject != confirm_mail.subject
    assert confirm["pay_url"] in confirm_mail.text.splitlines()


@pytest.mark.parametrize(
    ("language", "next_date", "suspended"),
    [
        ("en", "2 January 2027", "will be suspended"),
        ("nl", "2 januari 2027", "opgeschort"),
        ("de", "2. Januar 2027", "ausgesetzt"),
        ("da", "2. januar 2027", "suspenderet"),
        ("lv", "2027. gada 2. janvāris", "apturēts"),
    ],
)
def test_a_failed_payment_names_the_next_attempt_or_the_suspension(
    renderer, language, next_date, suspended
):
    # GIVEN a declined charge with a retry planned, and the last one without
    retry = {**CONTEXTS["payment_failed"], "next_attempt_on": "2027-01-02"}
    final = {**CONTEXTS["payment_failed"], "next_attempt_on": None}

    # WHEN both are rendered
    retry_mail = renderer.render("payment_failed", language, retry)
    final_mail = renderer.render("payment_failed", language, final)

    # THEN the first names the date of the next attempt, the last one the suspension
    assert next_date in retry_mail.text
    assert suspended not in retry_mail.text
    assert suspended in final_mail.text
    assert next_date not in final_mail.text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "320 points"),
        ("nl", "320 punten"),
        ("de", "320 Punkte"),
        ("da", "320 point"),
        ("lv", "320 punkti"),
    ],
)
def test_a_renewal_below_the_threshold_gives_the_points_and_the_way_to_more(
    renderer, language, expected
):
    # GIVEN a company with 320 points at 30 days before expiry
    context = CONTEXTS["renewal_not_possible"]

    # WHEN the mail is rendered
    mail = renderer.render("renewal_not_possible", language, context)

    # THEN it gives the points held, the threshold and the link to register products
    assert expected in mail.text
    assert "500" in mail.text
    assert context["products_url"] in mail.text.splitlines()


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "4 Mar 2025, 17:00"), ("de", "04.03.2025, 17:00"), ("da", "4. mar. 2025, 17.00")],
)
def test_the_escalation_deadline_is_written_as_the_language_writes_a_moment(language, written):
    # GIVEN an escalation whose decision is due at 17:00 Dutch time
    context = {**CONTEXTS["review_escalation"], "decision_due_by": "2025-03-04T17:00:00+01:00"}
    # WHEN it is rendered
    mail = MailRenderer().render("review_escalation", language, context)
    # THEN the deadline reads as a date and time of the language, in its own time zone
    assert written in mail.text and written in mail.html
