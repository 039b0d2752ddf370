"""Invoices (SPEC §4): numbered per year without gaps, due 30 days after issue."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from chalicelib.domain.errors import Conflict, ValidationFailed
from chalicelib.domain.membership import PaymentMethod
from chalicelib.domain.money import Money

PAYMENT_TERM_DAYS = 30


class InvoiceStatus(StrEnum):
    ISSUED = "ISSUED"
    PAID = "PAID"


@dataclass(frozen=True)
class Party:
    name: str
    address: str
    country: str
    vat_number: str | None


@dataclass(frozen=True)
class BankDetails:
    beneficiary: str
    iban: str
    bic: str
    reference: str


@dataclass(frozen=True)
class Invoice:
    invoice_number: str
    account_id: str
    purchase_id: str
    issued_on: date
    due_on: date
    seller: Party
    buyer: Party
    description: str
    net: Money
    vat_rate: Decimal
    vat: Money
    total: Money
    vat_note: str | None
    purchase_order_number: str | None
    payment_method: PaymentMethod
    bank_details: BankDetails | None
    membership_number: str
    language: str
    status: InvoiceStatus = InvoiceStatus.ISSUED
    paid_on: date | None = None
    payment_reference: str | None = None
    pdf_available: bool = False  # the PDF is stored; until then there is nothing to link

    @property
    def payment_note(self) -> str:
        if self.payment_method is PaymentMethod.CARD:
            return (
                f"Your card will be charged on the due date, {self.due_on.isoformat()}; "
                "it was authorised for a zero amount at purchase."
            )
        assert self.bank_details is not None
        return (
            f"Please pay by bank transfer by {self.due_on.isoformat()}, quoting reference "
            f"{self.bank_details.reference}. Additional bank charges may apply."
        )

    def numbered(self, number: str) -> Invoice:
        """The draft becomes an invoice: its number, and the bank reference made from it."""
        bank = self.bank_details
        return replace(
            self,
            invoice_number=number,
            bank_details=replace(bank, reference=payment_reference(number)) if bank else None,
        )

    @property
    def pdf_key(self) -> str:
        return f"invoices/{self.issued_on.year}/{self.invoice_number}.pdf"

    def paid(self, amount: Money, paid_on: date, reference: str, today: date) -> Invoice:
        if self.status is InvoiceStatus.PAID:
            raise Conflict(f"Invoice {self.invoice_number} is paid already.")
        if self.payment_method is not PaymentMethod.BANK_TRANSFER:
            raise Conflict("Card invoices are charged by the payment provider, not recorded.")
        if amount.currency != self.total.currency or amount.amount != self.total.amount:
            raise ValidationFailed(
                f"The amount does not match the invoice: {self.total.currency} "
                f"{self.total.amount:.2f} is due, {amount.currency} {amount.amount:.2f} was given.",
                fields={"amount": f"must be {self.total.amount:.2f} {self.total.currency}"},
            )
        if paid_on > today:
            raise ValidationFailed(
                "A payment cannot be recorded in the future.", fields={"paid_on": "in the future"}
            )
        return replace(
            self, status=InvoiceStatus.PAID, paid_on=paid_on, payment_reference=reference
        )

    def summary(self) -> dict[str, Any]:
        return {
            "invoice_number": self.invoice_number,
            "issued_on": self.issued_on.isoformat(),
            "due_on": self.due_on.isoformat(),
            "status": self.status.value,
            "net": self.net.as_dict(),
            "vat_rate": f"{self.vat_rate:.2f}",
            "vat": self.vat.as_dict(),
            "total": self.total.as_dict(),
            "vat_note": self.vat_note,
            "purchase_order_number": self.purchase_order_number,
            "payment_method": self.payment_method.value,
            "payment_note": self.payment_note,
            "membership_number": self.membership_number,
            "description": self.description,
            "paid_on": self.paid_on.isoformat() if self.paid_on else None,
            "bank_details": (
                {
                    "beneficiary": self.bank_details.beneficiary,
                    "iban": self.bank_details.iban,
                    "bic": self.bank_details.bic,
                    "reference": self.bank_details.reference,
                }
                if self.bank_details
                else None
            ),
        }


def invoice_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


def due_date(issued_on: date) -> date:
    return issued_on + timedelta(days=PAYMENT_TERM_DAYS)


def payment_reference(number: str) -> str:
    """A structured reference a bank statement can carry: CPS + the invoice number's digits."""
    return "CPS" + number.replace("-", "")
