"""Rules of the application form, the proof document and the status flow (SPEC §1)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from chalicelib.domain.applications import (
    MAX_DOCUMENT_BYTES,
    Application,
    ApplicationStatus,
    Decision,
    RawApplicationForm,
    judge_document,
    validate_application,
)
from chalicelib.domain.errors import Conflict, ValidationFailed

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def raw(**overrides: object) -> RawApplicationForm:
    values: dict[str, object] = {
        "company_name": "Studio Lumen B.V.",
        "street": "Keizersgracht 1",
        "postcode": "1015 CJ",
        "city": "Amsterdam",
        "country": "nl",
        "contact_name": "Anna de Vries",
        "contact_email": "Anna@Studio-Lumen.nl",
        "contact_phone": "+31 20 123 4567",
        "language": "nl",
        "document_type": "VAT_CERTIFICATE",
        "authorised": True,
        "vat_number": "NL004495445B01",
    }
    values.update(overrides)
    return RawApplicationForm(**values)  # type: ignore[arg-type]


def test_a_complete_form_is_normalised():
    # GIVEN a Dutch company's form with a lower-case country and a mixed-case e-mail
    # WHEN it is validated
    form = validate_application(raw())
    # THEN country and e-mail are normalised and the VAT number kept in canonical form
    assert form.company.country == "NL"
    assert form.contact.email == "anna@studio-lumen.nl"
    assert form.vat_number == "NL004495445B01"


@pytest.mark.parametrize(
    ("country", "vat", "document"),
    [
        ("DE", "DE136695976", "COMPANY_INVOICE"),
        ("DK", "DK13585628", "VAT_CERTIFICATE"),
        ("LV", "LV40003521600", "VAT_CERTIFICATE"),
        ("GB", "GB980780684", "COMPANY_INVOICE"),
    ],
)
def test_vat_registered_companies_of_other_countries_are_accepted(country, vat, document):
    # GIVEN a VAT-registered company outside NL with a proof document allowed for it
    # WHEN validated THEN the form passes with the VAT number of that country
    form = validate_application(raw(country=country, vat_number=vat, document_type=document))
    assert form.vat_number is not None and form.company.country == country


@pytest.mark.parametrize("document", ["BUSINESS_LICENCE", "TRADE_REGISTER_EXTRACT"])
def test_a_vat_registered_company_cannot_prove_itself_with_a_licence_or_register_extract(document):
    # GIVEN a VAT number and a document meant for companies without one
    # WHEN validated THEN the document type is refused with the allowed alternatives
    with pytest.raises(ValidationFailed) as refused:
        validate_application(raw(document_type=document))
    assert "VAT_CERTIFICATE" in refused.value.fields["document_type"]


@pytest.mark.parametrize(
    "document", ["COMPANY_INVOICE", "BUSINESS_LICENCE", "TRADE_REGISTER_EXTRACT"]
)
def test_a_company_without_vat_number_may_send_one_of_three_documents(document):
    form = validate_application(raw(vat_number=None, document_type=document))
    assert form.vat_number is None


def test_a_vat_certificate_needs_a_vat_number():
    # GIVEN no VAT number WHEN a VAT certificate is announced THEN it is refused
    with pytest.raises(ValidationFailed) as refused:
        validate_application(raw(vat_number="  ", document_type="VAT_CERTIFICATE"))
    assert "document_type" in refused.value.fields


def test_every_broken_rule_is_reported_at_once():
    # GIVEN a form with many mistakes
    bad = raw(
        country="XX",
        contact_email="not-an-email",
        language="fr",
        authorised=False,
        company_name=" ",
        contact_phone="abc",
    )
    # WHEN validated THEN each field names its own problem
    with pytest.raises(ValidationFailed) as refused:
        validate_application(bad)
    assert set(refused.value.fields) >= {
        "company.country",
        "contact.email",
        "language",
        "authorised",
        "company.name",
        "contact.phone",
        "vat_number",
    }


def test_a_vat_number_of_another_country_is_refused():
    # GIVEN a German VAT number for a Dutch company WHEN validated THEN refused
    with pytest.raises(ValidationFailed) as refused:
        validate_application(raw(vat_number="DE136695976"))
    assert "vat_number" in refused.value.fields


def test_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        validate_application(raw(vat_number="NL004495446B01"))
    assert "vat_number" in refused.value.fields


def test_the_legacy_cps_email_must_be_an_email():
    with pytest.raises(ValidationFailed) as refused:
        validate_application(raw(legacy_cps_email="old address"))
    assert "legacy_cps_email" in refused.value.fields


@pytest.mark.parametrize("head", [PDF, PNG, JPEG])
def test_pdf_png_and_jpeg_are_accepted_by_content(head):
    assert judge_document(len(head) + 1000, head).accepted


@pytest.mark.parametrize("head", [ELF, EXE, b"just some text, renamed to .pdf"])
def test_anything_else_is_refused_whatever_its_name(head):
    # GIVEN an executable or text uploaded as "proof.pdf"
    verdict = judge_document(5000, head)
    # THEN it is refused, and the reason says the content was checked
    assert not verdict.accepted and "content" in (verdict.reason or "")


def test_empty_and_oversized_documents_are_refused():
    assert not judge_document(0, b"").accepted
    assert judge_document(MAX_DOCUMENT_BYTES, PDF).accepted
    assert not judge_document(MAX_DOCUMENT_BYTES + 1, PDF).accepted


def _application(**overrides: object) -> Application:
    base = Application(
        application_id="a1",
        form=validate_application(raw()),
        status=ApplicationStatus.AWAITING_DOCUMENT,
        status_token_hash="h",
        created_at=datetime(2026, 11, 20, 9, tzinfo=UTC),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def test_a_refused_document_returns_the_application_to_awaiting_document_with_the_reason():
    app = _application(upload_id="u1").document_rejected("not a PDF")
    assert app.status is ApplicationStatus.AWAITING_DOCUMENT
    assert app.reason == "not a PDF" and app.upload_id is None


def test_no_new_upload_once_validation_started():
    app = _application(status=ApplicationStatus.VALIDATING)
    with pytest.raises(Conflict):
        app.new_upload("u2")


def test_a_rejection_needs_a_reason():
    app = _application(status=ApplicationStatus.PENDING_REVIEW, review_task_token="t")
    with pytest.raises(ValidationFailed):
        app.decide(Decision.REJECT, "  ", "rev", datetime.now(UTC))


def test_an_application_is_decided_once():
    # GIVEN an application under review
    app = _application(status=ApplicationStatus.PENDING_REVIEW, review_task_token="t")
    decided = app.decide(Decision.APPROVE, None, "rev", datetime.now(UTC))
    # WHEN a second decision arrives THEN it conflicts
    with pytest.raises(Conflict):
        decided.decide(Decision.REJECT, "late", "rev2", datetime.now(UTC))


def test_no_decision_before_the_review_started():
    app = _application(status=ApplicationStatus.VALIDATING)
    with pytest.raises(Conflict):
        app.decide(Decision.APPROVE, None, "rev", datetime.now(UTC))
