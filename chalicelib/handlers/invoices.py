"""Invoices for the customer; bank-transfer payments for finance (reviewer role)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from chalice import Blueprint, Response

from chalicelib.container import container
from chalicelib.domain.invoices import InvoiceStatus
from chalicelib.domain.money import Money
from chalicelib.handlers.docs import CURSOR, LIMIT, Param, doc
from chalicelib.handlers.errors import MalformedRequest
from chalicelib.handlers.gate import jwt_auth
from chalicelib.handlers.http import (
    account_id,
    json_response,
    page_params,
    parse_body,
    reviewer,
)
from chalicelib.handlers.schemas import (
    InvoiceListOut,
    InvoiceOut,
    MoneyIn,
    PaymentIn,
    ReceivableListOut,
)

invoices = Blueprint(__name__)

AMOUNT = re.compile(r"^\d{1,9}(\.\d{1,2})?$")


@invoices.route("/invoices", methods=["GET"], authorizer=jwt_auth)
@doc(
    summary="My invoices, newest first",
    tag="invoices",
    query=(LIMIT, CURSOR),
    responses={200: InvoiceListOut},
)
def list_invoices() -> Response:
    limit, cursor = page_params(invoices)
    page = container().invoicing_service.list(account_id(invoices), limit, cursor)
    return json_response({"items": page.items, "next_cursor": page.next_cursor})


@invoices.route("/invoices/{invoice_number}", methods=["GET"], authorizer=jwt_auth)
@doc(
    summary="One of my invoices, with a short-lived PDF link",
    tag="invoices",
    responses={200: InvoiceOut},
)
def get_invoice(invoice_number: str) -> Response:
    return json_response(container().invoicing_service.get(account_id(invoices), invoice_number))


@invoices.route(
    "/finance/invoices/{invoice_number}/payments", methods=["POST"], authorizer=jwt_auth
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
    try:
        paid_on = date.fromisoformat(body.paid_on)
    except ValueError as exc:
        raise MalformedRequest("paid_on must be a date.", fields={"paid_on": "YYYY-MM-DD"}) from exc
    c = container()
    invoice = c.invoicing_service.get_any(invoice_number)
    paid = c.collection_service.record_bank_transfer(
        invoice_number,
        Money(amount, currency or invoice.total.currency),
        paid_on,
        body.reference.strip(),
        by=clerk,
    )
    return json_response(c.invoicing_service.view(paid))


@invoices.route("/finance/invoices", methods=["GET"], authorizer=jwt_auth)
@doc(
    summary="Receivables by status, with account, company and days overdue (reviewer role)",
    tag="finance",
    query=(
        Param(
            "status",
            {"enum": ["ISSUED", "OVERDUE", "PAID", "CANCELLED"]},
            description="Default OVERDUE",
        ),
        LIMIT,
        CURSOR,
    ),
    responses={200: ReceivableListOut},
)
def receivables() -> Response:
    reviewer(invoices)
    raw = (invoices.current_request.query_params or {}).get("status", "OVERDUE")
    allowed = ("ISSUED", "OVERDUE", "PAID", "CANCELLED")
    if raw not in allowed:
        raise MalformedRequest("Unknown status.", fields={"status": " or ".join(allowed)})
    limit, cursor = page_params(invoices)
    page = container().invoicing_service.receivables(InvoiceStatus(raw), limit, cursor)
    return json_response({"items": page.items, "next_cursor": page.next_cursor})
