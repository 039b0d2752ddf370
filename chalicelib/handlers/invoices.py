"""Invoices for the customer; bank-transfer payments for finance (reviewer role)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from chalice import Response

from chalicelib.container import container
from chalicelib.domain.einvoice import EInvoiceSyntax
from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.invoices import InvoiceStatus
from chalicelib.domain.money import Money
from chalicelib.handlers.docs import CURSOR, LIMIT, Param, doc
from chalicelib.handlers.errors import MalformedRequest
from chalicelib.handlers.http import account_id, page_params, parse_body, respond, reviewer
from chalicelib.handlers.routing import Access, ApiBlueprint
from chalicelib.handlers.schemas.invoices import (
    InvoiceListOut,
    InvoiceOut,
    MoneyIn,
    PaymentIn,
    ReceivableListOut,
)
from chalicelib.handlers.views.invoices import invoice_out, receivable_out

invoices = ApiBlueprint(__name__)

AMOUNT = re.compile(r"^\d{1,9}(\.\d{1,2})?$")
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
WRITE_A_DAY = "must be a real date written YYYY-MM-DD"


def _day(raw: str) -> date:
    """A date as a person writes it: a typo is a rule broken (422, as for a purchase date)."""
    try:
        if not DAY.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationFailed(f"paid_on {WRITE_A_DAY}.", fields={"paid_on": WRITE_A_DAY}) from exc


@invoices.route("/invoices", methods=["GET"], access=Access.CUSTOMER)
@doc(
    summary="My invoices, newest first",
    tag="invoices",
    query=(LIMIT, CURSOR),
    responses={200: InvoiceListOut},
)
def list_invoices() -> Response:
    limit, cursor = page_params(invoices)
    page = container().invoicing_service.list(account_id(invoices), limit, cursor)
    return respond(
        InvoiceListOut(items=[invoice_out(v) for v in page.items], next_cursor=page.next_cursor)
    )


@invoices.route("/invoices/{invoice_number}", methods=["GET"], access=Access.CUSTOMER)
@doc(
    summary="One of my invoices, with a short-lived PDF link",
    tag="invoices",
    responses={200: InvoiceOut},
)
def get_invoice(invoice_number: str) -> Response:
    return respond(
        invoice_out(container().invoicing_service.get(account_id(invoices), invoice_number))
    )


E_INVOICE_FORMAT = Param(
    "format",
    {"enum": [s.value for s in EInvoiceSyntax]},
    required=True,
    description="`cii`: UN/CEFACT Cross Industry Invoice (the XML the Factur-X PDF embeds); "
    "`ubl`: UBL 2.1, Peppol BIS Billing 3.0.",
)


@invoices.route("/invoices/{invoice_number}/e-invoice", methods=["GET"], access=Access.CUSTOMER)
@doc(
    summary="One of my invoices or credit notes as an EN 16931 e-invoice (XML)",
    tag="invoices",
    query=(E_INVOICE_FORMAT,),
    responses={200: None},
    media={200: "application/xml"},
)
def get_e_invoice(invoice_number: str) -> Response:
    raw = (invoices.current_request.query_params or {}).get("format")
    allowed = [s.value for s in EInvoiceSyntax]
    if raw not in allowed:
        raise MalformedRequest("Unknown e-invoice format.", fields={"format": " or ".join(allowed)})
    xml = container().invoicing_service.e_invoice(
        account_id(invoices), invoice_number, EInvoiceSyntax(raw)
    )
    return Response(
        body=xml.decode("utf-8"),
        status_code=200,
        headers={
            "Content-Type": "application/xml",
            "Content-Disposition": f'inline; filename="{invoice_number}.{raw}.xml"',
        },
    )


@invoices.route(
    "/finance/invoices/{invoice_number}/payments", methods=["POST"], access=Access.REVIEWER
)
@doc(
    summary="Record a bank transfer for an invoice (reviewer role)",
    tag="finance",
    request=PaymentIn,
    responses={200: InvoiceOut, 409: None},
)
def record_payment(invoice_number: str) -> Response:
    clerk = reviewer(invoices)
    body = parse_body(invoices, PaymentIn)
    raw, currency = (
        (body.amount.amount, body.amount.currency)
        if isinstance(body.amount, MoneyIn)
        else (body.amount, None)
    )
    if not AMOUNT.match(raw.strip()):
        raise MalformedRequest(
            "The amount must be a positive number with at most two decimals.",
            fields={"amount": "e.g. 102.85"},
        )
    amount = Decimal(raw.strip())
    paid_on = _day(body.paid_on)
    c = container()
    invoice = c.invoicing_service.get_any(invoice_number)
    paid = c.collection_service.record_bank_transfer(
        invoice_number,
        Money(amount, currency or invoice.total.currency),
        paid_on,
        body.reference.strip(),
        by=clerk,
    )
    return respond(invoice_out(c.invoicing_service.view(paid)))


@invoices.route("/finance/invoices", methods=["GET"], access=Access.REVIEWER)
@doc(
    summary="Receivables by status, with account, company and days overdue (reviewer role)",
    tag="finance",
    query=(
        Param(
            "status",
            {"enum": [s.value for s in InvoiceStatus]},
            description="Default OVERDUE",
        ),
        LIMIT,
        CURSOR,
    ),
    responses={200: ReceivableListOut},
)
def receivables() -> Response:
    raw = (invoices.current_request.query_params or {}).get("status", "OVERDUE")
    allowed = [s.value for s in InvoiceStatus]
    if raw not in allowed:
        raise MalformedRequest("Unknown status.", fields={"status": " or ".join(allowed)})
    limit, cursor = page_params(invoices)
    page = container().invoicing_service.receivables(InvoiceStatus(raw), limit, cursor)
    return respond(
        ReceivableListOut(
            items=[receivable_out(v) for v in page.items], next_cursor=page.next_cursor
        )
    )
