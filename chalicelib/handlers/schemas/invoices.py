"""Invoices for the customer; receivables and bank-transfer payments for finance (both served by
the invoices route module)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from chalicelib.domain.invoices import InvoiceKind, InvoicePurpose, InvoiceStatus
from chalicelib.domain.membership import PaymentMethod
from chalicelib.handlers.schemas.common import VAT_RATE, IsoDate, MoneyOut, Request, Response, Text

# --- the customer's invoices --------------------------------------------------------------------


class PeriodOut(Response):
    from_: IsoDate = Field(alias="from")
    to: IsoDate


class BankDetailsOut(Response):
    beneficiary: str
    iban: str
    bic: str
    reference: str


class InvoiceOut(Response):
    invoice_number: str
    kind: InvoiceKind
    purpose: InvoicePurpose
    issued_on: IsoDate
    due_on: IsoDate
    status: InvoiceStatus
    days_overdue: int
    period: PeriodOut | None
    credit_note_for: str | None
    cancelled_by: str | None = Field(description="the credit note that cancels this invoice")
    net: MoneyOut
    vat_rate: str = Field(pattern=VAT_RATE, description="e.g. 0.21")
    vat: MoneyOut
    total: MoneyOut
    vat_note: str | None
    purchase_order_number: str | None
    payment_method: PaymentMethod
    payment_note: str
    membership_number: str
    description: str
    paid_on: IsoDate | None
    bank_details: BankDetailsOut | None
    pdf_url: str | None


class InvoiceListOut(Response):
    items: list[InvoiceOut]
    next_cursor: str | None


# --- finance: receivables and payments ----------------------------------------------------------


class ReceivableOut(InvoiceOut):
    account_id: str
    company: str


class ReceivableListOut(Response):
    items: list[ReceivableOut]
    next_cursor: str | None


AMOUNT_PATTERN = r"^[0-9]{1,9}(\.[0-9]{1,2})?$"


class MoneyIn(Request):
    amount: Text = Field(max_length=20, json_schema_extra={"pattern": AMOUNT_PATTERN})
    currency: Literal["EUR", "GBP"]


class PaymentIn(Request):
    amount: Annotated[Text, Field(json_schema_extra={"pattern": AMOUNT_PATTERN})] | MoneyIn = Field(
        description='"102.85" or {"amount": "102.85", "currency": "EUR"}'
    )
    paid_on: Text = Field(
        json_schema_extra={"format": "date"},
        description="YYYY-MM-DD, a real date not in the future (else a 422, as a product's "
        "purchase date)",
    )
    reference: Text = Field(min_length=1, max_length=100)
