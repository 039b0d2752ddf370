"""400 or 422 (API.md): a body that does not have the request's shape is malformed (400); what
people type — a country, a date, a serial number, a dealer, a purchase-order number — is checked
by the rules, and the same mistake is the same 422, saying what to send, wherever it is made."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from chalicelib.domain.applications import RawApplicationForm, validate_application
from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.membership import validate_po_number
from chalicelib.domain.products import validate_details
from chalicelib.handlers.errors import fields_from_validation_error, malformed_message
from chalicelib.handlers.invoices import _day as paid_on
from chalicelib.handlers.schemas.applications import ApplicationIn
from chalicelib.handlers.schemas.invoices import PaymentIn
from chalicelib.handlers.schemas.membership import CheckoutIn, QuoteIn
from chalicelib.handlers.schemas.products import ProductIn, ProductPatchIn
from chalicelib.handlers.schemas.review import DecisionIn

TODAY = date(2026, 3, 2)


def form(country: str) -> RawApplicationForm:
    return RawApplicationForm(
        company_name="Studio Lumen B.V.",
        street="Keizersgracht 1",
        postcode="1015 CJ",
        city="Amsterdam",
        country=country,
        contact_name="Anna de Vries",
        contact_email="anna@studio-lumen.nl",
        contact_phone="+31 20 123 4567",
        language="nl",
        document_type="COMPANY_INVOICE",
        authorised=True,
    )


def refusal(model: type[BaseModel], body: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(body)
    return fields_from_validation_error(refused.value, body)


def checkout(**changes: Any) -> dict[str, Any]:
    body = {
        "tier": "SILVER",
        "accept_terms": True,
        "terms_version": "2026-01",
        "payment": {"method": "BANK_TRANSFER"},
    }
    return {**body, **changes}


def product_details(**given: str) -> None:
    details = {
        "serial_number": None,
        "purchase_date": None,
        "country_of_purchase": None,
        "dealer": None,
    }
    validate_details(**{**details, **given}, today=TODAY)


def test_a_country_name_is_the_same_422_on_a_product_and_on_the_application_form() -> None:
    # GIVEN "Netherlands" where the two-letter code belongs, on both forms
    # WHEN the bodies are read THEN both have the right shape (no 400)
    ProductIn.model_validate({"sku": "EOS-R5-BODY", "country_of_purchase": "Netherlands"})
    ProductPatchIn.model_validate({"country_of_purchase": "Netherlands"})
    # AND the rules refuse both alike, saying what to send
    with pytest.raises(ValidationFailed) as product:
        product_details(country_of_purchase="Netherlands")
    with pytest.raises(ValidationFailed) as application:
        validate_application(form("Netherlands"))
    said = product.value.fields["country_of_purchase"]
    assert said == application.value.fields["company.country"]
    assert "two letters" in said and '"NL"' in said


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("serial_number", "SN-" + "1" * 60),  # over the rule's 40, under any bound
        ("purchase_date", "1 January 2024"),
        ("purchase_date", " 2024-01-31 "),  # accepted by the rule: blanks are dropped
        ("country_of_purchase", " nl "),  # accepted by the rule: the code is normalised
        ("dealer", "D" * 150),
    ],
)
def test_a_product_detail_is_never_refused_by_a_bound_standing_in_for_its_rule(
    field: str, value: str
) -> None:
    # GIVEN a detail a person typed WHEN the body is read THEN its shape is fine
    # (the rule decides: a 422 naming the field, or the detail as normalised)
    ProductIn.model_validate({"sku": "EOS-R5-BODY", field: value})
    ProductPatchIn.model_validate({field: value})


def test_the_rules_of_the_product_details_say_what_to_send() -> None:
    cases = {
        "serial_number": ("SN-" + "1" * 60, "1 to 40 letters"),
        "purchase_date": ("1 January 2024", "YYYY-MM-DD"),
        "dealer": ("D" * 150, "at most 120"),
    }
    for field, (value, hint) in cases.items():
        with pytest.raises(ValidationFailed) as refused:
            product_details(**{field: value})
        assert hint in refused.value.fields[field], field


def test_a_long_purchase_order_number_is_the_rule_s_422_not_a_bound_s_400() -> None:
    # GIVEN a purchase-order number of 36 to 2,000 characters
    body = checkout(purchase_order_number="P" * 200)
    # WHEN the checkout is read THEN its shape is fine AND the rule names the limit
    CheckoutIn.model_validate(body)
    with pytest.raises(ValidationFailed) as refused:
        validate_po_number("P" * 200)
    assert "at most 35" in refused.value.fields["purchase_order_number"]


@pytest.mark.parametrize("model", [QuoteIn, CheckoutIn])
@pytest.mark.parametrize("tier", ["BRONZE", "silver", "T" * 41])
def test_a_tier_that_does_not_exist_is_malformed_like_an_unknown_document_type(
    model: type[BaseModel], tier: str
) -> None:
    # GIVEN a tier that is not one of GET /tiers (a fixed list, as the document types are)
    fields = refusal(model, checkout(tier=tier))
    # THEN the body is malformed (400) naming the tier AND the answer lists the tiers
    assert "tier" in fields
    if len(tier) < 41:
        assert fields["tier"] == (
            "must be one of SILVER, GOLD, PLATINUM, CORPORATE_C, CORPORATE_B, CORPORATE_A"
        )
    unknown_document = refusal(ApplicationIn, {"document_type": "PASSPORT"})
    assert unknown_document["document_type"].startswith("must be one of VAT_CERTIFICATE")


def test_a_malformed_body_says_what_to_send() -> None:
    # GIVEN bodies of the wrong shape
    missing = refusal(DecisionIn, {})
    wrong_type = refusal(CheckoutIn, checkout(auto_renew="no"))
    unknown_kind = refusal(CheckoutIn, checkout(payment={"method": "CASH"}))
    # THEN each field's problem reads as the rules' messages do
    assert missing == {"decision": "is required"}
    assert wrong_type == {"auto_renew": "must be true or false"}
    assert unknown_kind == {"payment": "'method' must be one of CARD, BANK_TRANSFER"}
    # AND the message names the first problem
    assert malformed_message(wrong_type) == (
        "The request is malformed: auto_renew must be true or false."
    )


def test_a_payment_date_that_does_not_exist_is_read_by_the_rule_as_a_purchase_date_is() -> None:
    # GIVEN a payment dated 30 February or written out WHEN the body is read THEN its shape is
    # fine (the route answers 422 "must be a real date written YYYY-MM-DD", as for a product)
    for day in ("2026-02-30", "yesterday", "20260301"):
        PaymentIn.model_validate({"amount": "85.00", "paid_on": day, "reference": "R1"})
        with pytest.raises(ValidationFailed) as payment:
            paid_on(day)
        with pytest.raises(ValidationFailed) as product:
            product_details(purchase_date=day)
        assert payment.value.fields["paid_on"] == product.value.fields["purchase_date"]
    assert paid_on("2026-02-28") == date(2026, 2, 28)
