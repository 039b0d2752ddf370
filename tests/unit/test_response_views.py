"""The response models the handlers build (handlers/views/): closed, with the domain's enums,
and on the wire byte for byte what the API answered when the use cases returned dicts (the
`*_before` functions are those dicts, as the services and domain objects used to build them)."""

from __future__ import annotations

import importlib
import json
import pkgutil
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from chalicelib.domain.accounts import Account
from chalicelib.domain.applications import (
    Application,
    ApplicationStatus,
    CheckOutcome,
    CheckResult,
    RawApplicationForm,
    validate_application,
)
from chalicelib.domain.invoices import Invoice
from chalicelib.domain.membership import Membership
from chalicelib.domain.money import Money
from chalicelib.domain.products import ProductDetails, Registration, Source
from chalicelib.domain.tiers import tier
from chalicelib.handlers import schemas
from chalicelib.handlers.http import wire
from chalicelib.handlers.schemas.common import MoneyOut, Response
from chalicelib.handlers.schemas.public import DegradedOut
from chalicelib.handlers.views.applications import application_created_out, application_status_out
from chalicelib.handlers.views.card import membership_out
from chalicelib.handlers.views.common import upload_out
from chalicelib.handlers.views.invoices import invoice_out, receivable_out
from chalicelib.handlers.views.me import me_out
from chalicelib.handlers.views.membership import checkout_out, quote_out, tiers_out, upgrade_out
from chalicelib.handlers.views.products import product_out
from chalicelib.handlers.views.review import review_item_out
from chalicelib.services.applications import NewApplication, ReviewItem
from chalicelib.services.ports import UploadTicket
from tests.unit.services import TERMS, World, checkout_command

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def same_bytes(model: BaseModel, before: dict[str, Any]) -> None:
    """The same JSON text: the same fields, in the same order, with the same values."""
    assert json.dumps(wire(model)) == json.dumps(before)


# --- what the API answered before (copied from the code the builders replace) ----------------


def money_before(m: Money) -> dict[str, str]:
    return {"amount": f"{m.amount:.2f}", "currency": m.currency}


def card_before(m: Membership, account: Account, today: date) -> dict[str, Any]:
    renewal = m.renewal_view(account.points, today, account.currency)
    return {
        "membership_number": m.membership_number,
        "tier": m.tier,
        "name": tier(m.tier).name,
        "status": m.status.value,
        "starts_on": m.starts_on.isoformat(),
        "expires_on": m.expires_on.isoformat(),
        "term": m.term,
        "auto_renew": m.auto_renew,
        "subscription_type": "AUTO_RENEWAL" if m.auto_renew else "ONE_OFF",
        "payment_method": m.payment_method.value,
        "renewal_tier": m.renewal_tier,
        "renewal": (
            {
                "on": m.expires_on.isoformat(),
                "tier": renewal[0].tier,
                "price_excl_vat": money_before(renewal[1]),
                "invoiced": m.renewal is not None,
            }
            if renewal
            else None
        ),
        "history": [
            {"at": e.at.isoformat(), "event": e.event, "detail": e.detail, "by": e.by}
            for e in m.history
        ],
    }


def quote_before(tier_id: str, net: str, vat: str, total: str) -> dict[str, Any]:
    return {
        "tier": tier_id,
        "name": tier(tier_id).name,
        "price_excl_vat": {"amount": net, "currency": "EUR"},
        "vat_rate": "0.21",
        "vat_amount": {"amount": vat, "currency": "EUR"},
        "total": {"amount": total, "currency": "EUR"},
        "vat_treatment": "DOMESTIC",
        "vat_note": None,
        "subscription_type": "AUTO_RENEWAL",
        "terms_version": TERMS,
    }


def invoice_before(i: Invoice, today: date, pdf_url: str | None) -> dict[str, Any]:
    return {
        "invoice_number": i.invoice_number,
        "kind": i.kind.value,
        "purpose": i.purpose.value,
        "issued_on": i.issued_on.isoformat(),
        "due_on": i.due_on.isoformat(),
        "status": i.status_on(today).value,
        "days_overdue": i.days_overdue(today),
        "period": (
            {"from": i.period_from.isoformat(), "to": i.period_to.isoformat()}
            if i.period_from and i.period_to
            else None
        ),
        "credit_note_for": i.credit_note_for,
        "cancelled_by": i.cancelled_by,
        "net": money_before(i.net),
        "vat_rate": f"{i.vat_rate:.2f}",
        "vat": money_before(i.vat),
        "total": money_before(i.total),
        "vat_note": i.vat_note,
        "purchase_order_number": i.purchase_order_number,
        "payment_method": i.payment_method.value,
        "payment_note": i.payment_note,
        "membership_number": i.membership_number,
        "description": i.description,
        "paid_on": i.paid_on.isoformat() if i.paid_on else None,
        "bank_details": (
            {
                "beneficiary": i.bank_details.beneficiary,
                "iban": i.bank_details.iban,
                "bic": i.bank_details.bic,
                "reference": i.bank_details.reference,
            }
            if i.bank_details
            else None
        ),
        "pdf_url": pdf_url,
    }


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def world() -> World:
    return World()


def an_application(**changes: Any) -> Application:
    form = validate_application(
        RawApplicationForm(
            company_name="Studio Lumen B.V.",
            street="Keizersgracht 1",
            postcode="1015 CJ",
            city="Amsterdam",
            country="nl",
            contact_name="Anna de Vries",
            contact_email="anna@studio-lumen.nl",
            contact_phone="+31 20 123 4567",
            language="nl",
            document_type="VAT_CERTIFICATE",
            authorised=True,
            vat_number="NL004495445B01",
        )
    )
    values: dict[str, Any] = {
        "application_id": "a1",
        "form": form,
        "status": ApplicationStatus.AWAITING_DOCUMENT,
        "status_token_hash": "h",
        "created_at": NOW,
        **changes,
    }
    return Application(**values)


TICKET = UploadTicket("https://bucket.test/", {"key": "applications/a1/u1"}, NOW)


# --- the answers --------------------------------------------------------------------------------


def test_an_application_s_status_and_creation_answer_as_before() -> None:
    application = an_application(decision_due_by=date(2026, 11, 24), reason="r")
    status_before = {
        "application_id": "a1",
        "status": "AWAITING_DOCUMENT",
        "reason": "r",
        "decision_due_by": "2026-11-24",
    }
    same_bytes(application_status_out(application), status_before)
    upload = upload_out(TICKET, 10, ["application/pdf"])
    same_bytes(
        application_created_out(NewApplication(application, "tok", TICKET), upload),
        {
            **status_before,
            "status_token": "tok",
            "upload": {
                "url": "https://bucket.test/",
                "fields": {"key": "applications/a1/u1"},
                "expires_at": "2026-03-02T09:00:00+00:00",
                "max_bytes": 10,
                "accepted_types": ["application/pdf"],
            },
        },
    )


def test_a_review_item_answers_as_before() -> None:
    check = CheckResult("vat_number", CheckOutcome.PASSED, "Format and check digits are valid.")
    application = an_application(checks=(check,), decision_due_by=date(2026, 3, 16))
    form = application.form
    same_bytes(
        review_item_out(ReviewItem(application, None)),
        {
            "application_id": "a1",
            "status": "AWAITING_DOCUMENT",
            "created_at": NOW.isoformat(),
            "company": {
                "name": form.company.name,
                "street": form.company.street,
                "postcode": form.company.postcode,
                "city": form.company.city,
                "country": "NL",
            },
            "contact": {
                "name": form.contact.name,
                "email": form.contact.email,
                "phone": form.contact.phone,
            },
            "language": "nl",
            "vat_number": "NL004495445B01",
            "legacy_cps_email": None,
            "document_type": "VAT_CERTIFICATE",
            "checks": [{"name": check.name, "outcome": "PASSED", "detail": check.detail}],
            "decision_due_by": "2026-03-16",
            "escalated": False,
            "document_url": None,
        },
    )


def test_a_product_answers_as_before() -> None:
    registration = Registration(
        account_id="acc-1",
        product_id="p1",
        sku="EOS-R5-BODY",
        name="EOS R5",
        details=ProductDetails("SN1", date(2025, 5, 1), "NL", None),
        source=Source.REGISTERED,
        registered_at=NOW,
    )
    same_bytes(
        product_out(registration),
        {
            "product_id": "p1",
            "sku": "EOS-R5-BODY",
            "name": "EOS R5",
            "serial_number": "SN1",
            "purchase_date": "2025-05-01",
            "country_of_purchase": "NL",
            "dealer": None,
            "complete": False,
            "missing": ["dealer"],
            "points": 0,
            "source": "REGISTERED",
            "registered_at": NOW.isoformat(),
        },
    )


def test_the_tiers_quote_and_checkout_answer_as_before(world: World) -> None:
    account = world.account(1200)
    chart = world.membership.tiers(account.account_id, "individual")
    same_bytes(
        tiers_out(chart),
        {
            "points": 1200,
            "corporate_available": False,
            "currency": "EUR",
            "tiers": [
                {
                    "tier": t,
                    "name": tier(t).name,
                    "family": "individual",
                    "min_points": tier(t).min_points,
                    "max_points": tier(t).max_points,
                    "annual_fee": {"amount": fee, "currency": "EUR"},
                    "eligible": eligible,
                }
                for t, fee, eligible in (
                    ("SILVER", "85.00", True),
                    ("GOLD", "170.00", True),
                    ("PLATINUM", "300.00", False),
                )
            ],
        },
    )
    same_bytes(
        quote_out(world.membership.quote(account.account_id, "GOLD")),
        quote_before("GOLD", "170.00", "35.70", "205.70"),
    )
    purchase = world.membership.checkout(account.account_id, "anna", "k1", checkout_command())
    m = world.latest(account.account_id)
    same_bytes(
        checkout_out(purchase),
        {
            "membership": card_before(m, account, NOW.date()),
            "invoice": {"status": "PENDING"},
            "quote": quote_before("SILVER", "85.00", "17.85", "102.85"),
        },
    )


def test_a_card_with_a_renewal_and_an_upgrade_answer_as_before(world: World) -> None:
    m = world.member(points=1200)
    account = world.accounts.get(m.account_id)
    assert account is not None
    changed = world.membership.change(m.account_id, "anna", None, "GOLD")
    card = world.membership.card_for(m.account_id, changed)
    assert card.renewal is not None
    same_bytes(membership_out(card), card_before(changed, account, NOW.date()))
    same_bytes(me_out(account, None), {**me_before(account), "membership": None})
    same_bytes(
        me_out(account, card),
        {**me_before(account), "membership": card_before(changed, account, NOW.date())},
    )
    world.on(m.starts_on + timedelta(days=73))
    result = world.membership.upgrade(m.account_id, "anna", "up-1", "GOLD")
    upgraded = world.latest(m.account_id)
    same_bytes(
        upgrade_out(result),
        {
            "membership": card_before(upgraded, account, world.clock.now().date()),
            "invoice": {"status": "PENDING", "net": {"amount": "68.00", "currency": "EUR"}},
        },
    )


def me_before(account: Account) -> dict[str, Any]:
    return {
        "account_id": account.account_id,
        "company": {
            "name": account.company.name,
            "street": account.company.street,
            "postcode": account.company.postcode,
            "city": account.company.city,
            "country": account.company.country,
        },
        "country": account.country,
        "currency": account.currency,
        "language": account.language,
        "vat_number": account.vat_number,
        "contact": {"name": account.contact_name, "email": account.email, "phone": account.phone},
        "points": account.points,
        "invited": account.invited,
    }


def test_an_invoice_and_a_receivable_answer_as_before(world: World) -> None:
    from chalicelib.domain.invoices import InvoiceStatus
    from chalicelib.domain.membership import PaymentMethod

    m = world.member(PaymentMethod.BANK_TRANSFER)
    [invoice] = world.invoices_of(m.account_id)
    world.on(invoice.due_on + timedelta(days=3))
    view = world.invoicing.get(m.account_id, invoice.invoice_number)
    today = world.clock.now().date()
    before = invoice_before(invoice, today, view.pdf_url)
    assert before["status"] == "OVERDUE" and before["bank_details"] is not None
    same_bytes(invoice_out(view), before)
    [receivable] = world.invoicing.receivables(InvoiceStatus.OVERDUE, 10, None).items
    same_bytes(
        receivable_out(receivable),
        {**before, "account_id": m.account_id, "company": invoice.buyer.name},
    )


# --- the models ---------------------------------------------------------------------------------


def test_a_response_model_refuses_a_field_it_does_not_document() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        MoneyOut.model_validate({"amount": "1.00", "currency": "EUR", "cents": 100})


def _response_models() -> list[type[BaseModel]]:
    """Every area's response models (handlers/schemas/), each once."""
    found: dict[type[BaseModel], None] = {}
    for area in pkgutil.iter_modules(schemas.__path__):
        module = importlib.import_module(f"{schemas.__name__}.{area.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Response) and value is not Response:
                found[value] = None
    return list(found)


def test_every_response_model_is_closed_and_takes_its_enums_from_the_domain() -> None:
    models = _response_models()
    assert len(models) >= 45
    for model in models:
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        for name, definition in [(model.__name__, schema), *schema.get("$defs", {}).items()]:
            if definition.get("type") == "object" and "properties" in definition:
                # THEN each object lists exactly its fields
                assert definition.get("additionalProperties") is False, (model, name)
            # AND a list of allowed values is a domain enum of its own (a $def), never a copy
            for field, spec in definition.get("properties", {}).items():
                options = [spec, *spec.get("anyOf", [])]
                assert not any("enum" in option for option in options), (model, name, field)


def test_a_degraded_health_answer_keeps_its_documented_503_and_chalice_s_own_are_rewritten() -> (
    None
):
    from chalice import Response as ChaliceResponse

    from chalicelib.handlers.errors import normalise_error_response
    from chalicelib.handlers.http import respond

    # GIVEN the health route's 503 and one of Chalice's own error answers
    degraded = respond(DegradedOut(status="degraded", failing=["dynamodb"]), status=503)
    chalice_own = ChaliceResponse(
        body={"Code": "BadRequestError", "Message": "bad"}, status_code=400
    )
    # WHEN the middleware normalises them
    kept = normalise_error_response(degraded)
    rewritten = normalise_error_response(chalice_own)
    # THEN the health answer is as documented, Chalice's in the API's error shape
    assert (kept.status_code, kept.body) == (503, {"status": "degraded", "failing": ["dynamodb"]})
    assert rewritten.body["error"]["code"] == "MALFORMED_REQUEST"
