"""Invoices and credit notes (SPEC §4, §5): drafted from an order, numbered per year without
gaps (each kind its own sequence), due 30 days after issue, `OVERDUE` once the due date has
passed unpaid."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from chalicelib.domain.errors import Conflict, ValidationFailed
from chalicelib.domain.membership import Membership, PaymentMethod
from chalicelib.domain.money import Money
from chalicelib.domain.seller import Seller
from chalicelib.domain.tiers import Tier, annual_fee

if TYPE_CHECKING:  # for annotations only: both import reference data a cold start need not load
    from chalicelib.domain.accounts import Account
    from chalicelib.domain.vat_rates import VatLine

PAYMENT_TERM_DAYS = 30


class InvoiceStatus(StrEnum):
    ISSUED = "ISSUED"
    PAID = "PAID"
    OVERDUE = "OVERDUE"  # shown, never stored: ISSUED after its due date
    CANCELLED = "CANCELLED"  # by a credit note


class InvoiceKind(StrEnum):
    INVOICE = "INVOICE"
    CREDIT_NOTE = "CREDIT_NOTE"


class InvoicePurpose(StrEnum):
    PURCHASE = "PURCHASE"
    RENEWAL = "RENEWAL"
    UPGRADE = "UPGRADE"
    NON_PAYMENT = "NON_PAYMENT"  # a credit note: unpaid 30 days after the due date
    RENEWAL_WITHDRAWN = "RENEWAL_WITHDRAWN"  # a credit note: auto-renewal switched off


CREDIT_PURPOSES = frozenset({InvoicePurpose.NON_PAYMENT, InvoicePurpose.RENEWAL_WITHDRAWN})


@dataclass(frozen=True)
class InvoiceOrder:
    """What to invoice, decided by a use case and carried to the invoice pipeline by a queue.

    `order_id` names the cause (a purchase, a term's renewal, an upgrade, a cancellation), so
    the pipeline issues one document per order however often the order arrives."""

    order_id: str
    account_id: str
    membership_id: str
    purpose: InvoicePurpose
    issued_on: date
    tier: str = ""
    net: Money | None = None  # None: the tier's annual fee on the day of issue
    due_on: date | None = None  # None: the normal payment term
    period_from: date | None = None
    period_to: date | None = None  # inclusive: the day before the term's expiry
    credits_order_id: str | None = None  # a credit note: the order whose invoice it cancels

    @property
    def is_credit_note(self) -> bool:
        return self.purpose in CREDIT_PURPOSES

    def net_of(self, tier: Tier, currency: str) -> Money:
        """The amount invoiced excl. VAT: the order's own (an upgrade's prorated difference), or
        the tier's annual fee on the day of issue."""
        return self.net or annual_fee(tier.tier, currency, self.issued_on)

    def description(self, tier_name: str) -> str:
        """The invoice line's text: what is invoiced, for which period."""
        period = (
            f"{self.period_from.isoformat()} to {self.period_to.isoformat()}"
            if self.period_from and self.period_to
            else ""
        )
        if self.purpose is InvoicePurpose.RENEWAL:
            return f"{tier_name} membership renewal {period}"
        if self.purpose is InvoicePurpose.UPGRADE:
            return f"Upgrade to {tier_name}, prorated {period}"
        return f"{tier_name} membership {period}"

    def to_json(self) -> str:
        return json.dumps(
            {
                "order_id": self.order_id,
                "account_id": self.account_id,
                "membership_id": self.membership_id,
                "purpose": self.purpose.value,
                "issued_on": self.issued_on.isoformat(),
                "tier": self.tier,
                "net": self.net.as_dict() if self.net else None,
                "due_on": _iso(self.due_on),
                "period_from": _iso(self.period_from),
                "period_to": _iso(self.period_to),
                "credits_order_id": self.credits_order_id,
            }
        )

    @classmethod
    def from_json(cls, body: str) -> InvoiceOrder:
        d = json.loads(body)
        net = d.get("net")
        return cls(
            order_id=d["order_id"],
            account_id=d["account_id"],
            membership_id=d["membership_id"],
            purpose=InvoicePurpose(d["purpose"]),
            issued_on=date.fromisoformat(d["issued_on"]),
            tier=d.get("tier", ""),
            net=Money(Decimal(net["amount"]), net["currency"]) if net else None,
            due_on=_date(d.get("due_on")),
            period_from=_date(d.get("period_from")),
            period_to=_date(d.get("period_to")),
            credits_order_id=d.get("credits_order_id"),
        )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Party:
    """A party as the invoice records it on the day of issue. `address` is what is printed
    (its lines, without the country, which is printed in the reader's language); the
    structured parts serve the EN 16931 e-invoice and are empty on invoices issued before
    they were recorded."""

    name: str
    address: str
    country: str
    vat_number: str | None
    street: str = ""
    postcode: str = ""
    city: str = ""
    legal_id: str | None = None  # the seller's Chamber of Commerce (KvK) number
    email: str | None = None  # the seller's support contact; the buyer's invoice address

    @classmethod
    def of_seller(cls, seller: Seller) -> Party:
        street, postcode, city = seller.postal_address
        return cls(
            seller.name,
            seller.address,
            seller.country,
            seller.vat_number,
            street=street,
            postcode=postcode,
            city=city,
            legal_id=seller.kvk_number or None,
            email=seller.contact_email or None,
        )

    @classmethod
    def of_buyer(cls, account: Account) -> Party:
        company = account.company
        return cls(
            company.name,
            f"{company.street}, {company.postcode} {company.city}",
            company.country,
            account.vat_number,
            street=company.street,
            postcode=company.postcode,
            city=company.city,
            email=account.email,  # where the invoice goes: its electronic address (BT-49)
        )


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
    kind: InvoiceKind = InvoiceKind.INVOICE
    purpose: InvoicePurpose = InvoicePurpose.PURCHASE
    membership_id: str = ""
    period_from: date | None = None
    period_to: date | None = None
    credit_note_for: str | None = None
    cancelled_by: str | None = None  # the credit note that cancels this invoice
    collection_done: frozenset[str] = frozenset()  # collection steps done (domain.collection)
    version: int = 0
    tier_name: str = ""

    @classmethod
    def draft(
        cls,
        order: InvoiceOrder,
        account: Account,
        membership: Membership,
        seller: Seller,
        tier: Tier,
        line: VatLine,
    ) -> Invoice:
        """The invoice an order asks for (a purchase, renewal or upgrade), not yet numbered:
        `line` prices `tier` for the buyer; a bank transfer invoice names the seller's account,
        and its reference comes with the number (`numbered`)."""
        return cls(
            invoice_number="",
            account_id=order.account_id,
            purchase_id=order.order_id,
            issued_on=order.issued_on,
            due_on=order.due_on or due_date(order.issued_on),
            seller=Party.of_seller(seller),
            buyer=Party.of_buyer(account),
            description=order.description(tier.name),
            net=line.net,
            vat_rate=line.rate,
            vat=line.vat,
            total=line.total,
            vat_note=line.note,
            purchase_order_number=membership.purchase_order_number,
            payment_method=membership.payment_method,
            bank_details=(
                BankDetails(seller.name, seller.iban, seller.bic, reference="")
                if membership.payment_method is PaymentMethod.BANK_TRANSFER
                else None
            ),
            membership_number=membership.membership_number,
            language=account.language,
            purpose=order.purpose,
            membership_id=order.membership_id,
            period_from=order.period_from,
            period_to=order.period_to,
            tier_name=tier.name,
        )

    def credit_note(self, order: InvoiceOrder) -> Invoice:
        """The draft credit note that cancels this invoice: the same lines, its own number."""
        if self.kind is not InvoiceKind.INVOICE:
            raise Conflict("Only an invoice can be credited.")
        return replace(
            self,
            invoice_number="",
            purchase_id=order.order_id,
            issued_on=order.issued_on,
            due_on=order.issued_on,
            kind=InvoiceKind.CREDIT_NOTE,
            purpose=order.purpose,
            credit_note_for=self.invoice_number,
            description=f"Credit note for invoice {self.invoice_number}: {self.description}",
            bank_details=None,
            status=InvoiceStatus.ISSUED,
            paid_on=None,
            payment_reference=None,
            pdf_available=False,
            cancelled_by=None,
            collection_done=frozenset(),
            version=0,
        )

    @property
    def is_open(self) -> bool:
        """A receivable still to collect."""
        return self.kind is InvoiceKind.INVOICE and self.status is InvoiceStatus.ISSUED

    def status_on(self, today: date) -> InvoiceStatus:
        if self.is_open and today > self.due_on:
            return InvoiceStatus.OVERDUE
        return self.status

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.due_on).days) if self.is_open else 0

    def collected(self, step: str) -> Invoice:
        return replace(self, collection_done=self.collection_done | {step})

    def charged(self, charge_ref: str, paid_on: date) -> Invoice:
        if not self.is_open:
            raise Conflict(f"Invoice {self.invoice_number} is not open.")
        return replace(
            self, status=InvoiceStatus.PAID, paid_on=paid_on, payment_reference=charge_ref
        )

    def cancelled(self, credit_note_number: str) -> Invoice:
        if self.status is InvoiceStatus.PAID:
            raise Conflict(f"Invoice {self.invoice_number} is paid; it cannot be cancelled.")
        return replace(self, status=InvoiceStatus.CANCELLED, cancelled_by=credit_note_number)

    @property
    def payment_note(self) -> str:
        if self.kind is InvoiceKind.CREDIT_NOTE:
            return f"This credit note cancels invoice {self.credit_note_for}; nothing is due."
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
        return f"invoices/{self.issued_on.year}/{self.invoice_number}.pdf"  # credit notes too

    def paid(self, amount: Money, paid_on: date, reference: str, today: date) -> Invoice:
        if self.status is InvoiceStatus.PAID:
            raise Conflict(f"Invoice {self.invoice_number} is paid already.")
        if not self.is_open:
            raise Conflict(f"Invoice {self.invoice_number} is cancelled; it takes no payment.")
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


def invoice_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


def credit_note_number(year: int, sequence: int) -> str:
    """Credit notes have their own gapless sequence per year."""
    return f"CN-{year}-{sequence:06d}"


def due_date(issued_on: date) -> date:
    return issued_on + timedelta(days=PAYMENT_TERM_DAYS)


def payment_reference(number: str) -> str:
    """A structured reference a bank statement can carry: CPS + the invoice number's digits."""
    return "CPS" + number.replace("-", "")
