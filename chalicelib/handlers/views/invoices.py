"""Builders of the invoices' answers: the customer's invoice and finance's receivable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.handlers.schemas.invoices import (
    BankDetailsOut,
    InvoiceOut,
    PeriodOut,
    ReceivableOut,
)
from chalicelib.handlers.views.common import money_out, rate_out

if TYPE_CHECKING:
    from chalicelib.services.invoicing import InvoiceView


def _invoice_fields(view: InvoiceView) -> dict[str, object]:
    i = view.invoice
    bank = i.bank_details
    return {
        "invoice_number": i.invoice_number,
        "kind": i.kind,
        "purpose": i.purpose,
        "issued_on": i.issued_on,
        "due_on": i.due_on,
        "status": view.status,
        "days_overdue": view.days_overdue,
        "period": (
            PeriodOut(from_=i.period_from, to=i.period_to)
            if i.period_from and i.period_to
            else None
        ),
        "credit_note_for": i.credit_note_for,
        "cancelled_by": i.cancelled_by,
        "net": money_out(i.net),
        "vat_rate": rate_out(i.vat_rate),
        "vat": money_out(i.vat),
        "total": money_out(i.total),
        "vat_note": i.vat_note,
        "purchase_order_number": i.purchase_order_number,
        "payment_method": i.payment_method,
        "payment_note": i.payment_note,
        "membership_number": i.membership_number,
        "description": i.description,
        "paid_on": i.paid_on,
        "bank_details": (
            BankDetailsOut(
                beneficiary=bank.beneficiary, iban=bank.iban, bic=bank.bic, reference=bank.reference
            )
            if bank
            else None
        ),
        "pdf_url": view.pdf_url,
    }


def invoice_out(view: InvoiceView) -> InvoiceOut:
    return InvoiceOut.model_validate(_invoice_fields(view))


def receivable_out(view: InvoiceView) -> ReceivableOut:
    return ReceivableOut.model_validate(
        {
            **_invoice_fields(view),
            "account_id": view.invoice.account_id,
            "company": view.invoice.buyer.name,
        }
    )
