"""An invoice or credit note as an EN 16931 e-invoice: the semantic model of the standard,
filled from what the invoice records (the business terms, BT-n, named beside each field).

The rules live here, knowing nothing of XML: which VAT category a customer's treatment is
(S, AE, O) with its exemption reason, which payment means a payment method is (SEPA credit
transfer 58, credit transfer 30 outside the euro, card 54), what the buyer reference is, and
what the XML documents may not carry (category O: no VAT identifiers, BR-O-02). The CII and
UBL serialisers (chalicelib/adapters/einvoice_*.py) only write this model down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from chalicelib.domain.errors import DomainError
from chalicelib.domain.invoices import Invoice, InvoiceKind, Party, payment_reference
from chalicelib.domain.membership import PaymentMethod
from chalicelib.domain.money import Money
from chalicelib.domain.vat_rates import VatTreatment, treatment_for

# BT-24, the specification identifier: EN 16931 itself (CII, the Factur-X EN 16931 profile)...
EN16931 = "urn:cen.eu:en16931:2017"
# ...and its Peppol BIS Billing 3.0 CIUS, with the business process (BT-23), for UBL.
PEPPOL_BIS3 = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_BILLING_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
KVK_SCHEME = "0106"  # ISO 6523 ICD of the Dutch Chamber of Commerce (KvK) number
EMAIL_SCHEME = "EM"  # Peppol EAS: an electronic address that is an e-mail address
UNIT_ONE = "C62"  # UN/ECE Recommendation 20: "one" (a membership term, whole or prorated)


class DocumentType(StrEnum):
    """BT-3, UNTDID 1001."""

    COMMERCIAL_INVOICE = "380"
    CREDIT_NOTE = "381"


class VatCategory(StrEnum):
    """BT-118 / BT-151, UNCL 5305: the categories the seller's customers fall in."""

    STANDARD = "S"  # Dutch VAT: NL customers, and EU customers without a VAT number
    REVERSE_CHARGE = "AE"  # EU business with a valid VAT number: the customer accounts for it
    OUTSIDE_SCOPE = "O"  # outside the EU (GB, CH, NO...): not subject to EU VAT


class PaymentMeansCode(StrEnum):
    """BT-81, UNCL 4461."""

    CREDIT_TRANSFER = "30"
    SEPA_CREDIT_TRANSFER = "58"
    CREDIT_CARD = "54"


CATEGORIES = {
    VatTreatment.DOMESTIC: VatCategory.STANDARD,
    VatTreatment.EU_NO_VAT_NUMBER: VatCategory.STANDARD,
    VatTreatment.REVERSE_CHARGE: VatCategory.REVERSE_CHARGE,
    VatTreatment.OUTSIDE_EU: VatCategory.OUTSIDE_SCOPE,
}
# BT-120 / BT-121: why no VAT is charged (the CEF VATEX code list, its texts).
EXEMPTIONS = {
    VatCategory.REVERSE_CHARGE: ("VATEX-EU-AE", "Reverse charge"),
    VatCategory.OUTSIDE_SCOPE: ("VATEX-EU-O", "Not subject to VAT"),
}
SEPA_CURRENCY = "EUR"  # a SEPA credit transfer is in euros; pounds go by credit transfer


class EInvoiceSyntax(StrEnum):
    """The two forms an e-invoice is stored and served in."""

    CII = "cii"  # UN/CEFACT Cross Industry Invoice, the one Factur-X embeds
    UBL = "ubl"  # OASIS UBL 2.1, Peppol BIS Billing 3.0


def e_invoice_key(invoice: Invoice, syntax: EInvoiceSyntax) -> str:
    """Beside the PDF, the same key scheme: invoices/2026/2026-000001.cii.xml."""
    return f"{invoice.pdf_key.removesuffix('.pdf')}.{syntax.value}.xml"


class EInvoiceRejected(DomainError):
    """A document broke the XML schema or EN 16931 rules: it is never stored nor sent.

    The message names the document and the rules only (never a value of the invoice), so it
    can be logged as it is. Raised again on every retry of the same order, the step ends in
    the queue's dead-letter queue, whose alarm calls someone."""

    code = "E_INVOICE_REJECTED"

    def __init__(self, document: str, rules: tuple[str, ...]) -> None:
        self.document = document
        self.rules = rules
        super().__init__(f"The {document} e-invoice breaks {', '.join(rules) or 'its schema'}.")


@dataclass(frozen=True)
class Address:
    """BG-5 / BG-8."""

    line: str  # BT-35 / BT-50
    city: str  # BT-37 / BT-52
    postcode: str  # BT-38 / BT-53
    country: str  # BT-40 / BT-55, ISO 3166-1 alpha-2


@dataclass(frozen=True)
class TradeParty:
    """BG-4 seller / BG-7 buyer."""

    name: str  # BT-27 / BT-44
    address: Address
    vat_id: str | None  # BT-31 / BT-48
    legal_id: str | None = None  # BT-30 / BT-47, scheme LEGAL_ID_SCHEME
    legal_id_scheme: str | None = None
    electronic_address: str | None = None  # BT-34 / BT-49
    electronic_address_scheme: str | None = None
    contact_email: str | None = None  # BT-43


@dataclass(frozen=True)
class PaymentInstructions:
    """BG-16."""

    code: PaymentMeansCode  # BT-81
    remittance: str | None = None  # BT-83, the payment reference
    iban: str | None = None  # BT-84
    account_name: str | None = None  # BT-85
    bic: str | None = None  # BT-86


@dataclass(frozen=True)
class VatBreakdown:
    """BG-23 (one per category; these documents have one)."""

    category: VatCategory  # BT-118
    rate: Decimal | None  # BT-119, in percent; none for category O (BR-O-05, BR-O-06)
    taxable: Money  # BT-116
    tax: Money  # BT-117
    exemption_code: str | None  # BT-121
    exemption_reason: str | None  # BT-120


@dataclass(frozen=True)
class Line:
    """BG-25: the membership (or its prorated part): one unit at its net price."""

    line_id: str  # BT-126
    name: str  # BT-153
    quantity: Decimal  # BT-129
    unit: str  # BT-130
    net_price: Money  # BT-146
    net_amount: Money  # BT-131
    category: VatCategory  # BT-151
    rate: Decimal | None  # BT-152, in percent


@dataclass(frozen=True)
class EInvoice:
    number: str  # BT-1
    issued_on: date  # BT-2
    type_code: DocumentType  # BT-3
    currency: str  # BT-5
    due_on: date | None  # BT-9
    buyer_reference: str  # BT-10
    order_reference: str | None  # BT-13, the buyer's purchase-order number
    notes: tuple[str, ...]  # BT-22
    seller: TradeParty
    buyer: TradeParty
    period_from: date | None  # BT-73
    period_to: date | None  # BT-74, inclusive: the day before the term's expiry
    delivered_on: date | None  # BT-72: the service starts with the period
    payment: PaymentInstructions | None  # BG-16
    payment_terms: str  # BT-20
    preceding_number: str | None  # BT-25, the invoice a credit note cancels
    preceding_issued_on: date | None  # BT-26
    line: Line
    vat: VatBreakdown
    line_total: Money  # BT-106
    tax_exclusive: Money  # BT-109
    tax_total: Money  # BT-110
    tax_inclusive: Money  # BT-112
    payable: Money  # BT-115

    @property
    def is_credit_note(self) -> bool:
        return self.type_code is DocumentType.CREDIT_NOTE

    @property
    def names_vat_ids(self) -> bool:
        """BR-O-02: a document whose VAT is 'not subject to VAT' names no VAT identifier."""
        return self.vat.category is not VatCategory.OUTSIDE_SCOPE


def percent(rate: Decimal) -> Decimal:
    """0.21 → 21 (BT-119 and BT-152 are percentages)."""
    return (rate * 100).normalize()


def e_invoice(invoice: Invoice, preceding_issued_on: date | None = None) -> EInvoice:
    """The EN 16931 reading of an issued invoice or credit note (`preceding_issued_on`: the
    issue date of the invoice a credit note cancels, BT-26, when known)."""
    category = CATEGORIES[treatment_for(invoice.buyer.country, invoice.buyer.vat_number)]
    rate = None if category is VatCategory.OUTSIDE_SCOPE else percent(invoice.vat_rate)
    exemption_code, exemption_reason = EXEMPTIONS.get(category, (None, None))
    credit_note = invoice.kind is InvoiceKind.CREDIT_NOTE
    notes = tuple(
        note
        for note in (
            f"Cancels invoice {invoice.credit_note_for}." if credit_note else None,
            invoice.vat_note,
        )
        if note
    )
    return EInvoice(
        number=invoice.invoice_number,
        issued_on=invoice.issued_on,
        type_code=DocumentType.CREDIT_NOTE if credit_note else DocumentType.COMMERCIAL_INVOICE,
        currency=invoice.total.currency,
        due_on=invoice.due_on,
        buyer_reference=invoice.purchase_order_number or invoice.membership_number,
        order_reference=invoice.purchase_order_number,
        notes=notes,
        seller=_seller(invoice.seller),
        buyer=_buyer(invoice.buyer),
        period_from=invoice.period_from,
        period_to=invoice.period_to,
        delivered_on=invoice.period_from,
        payment=None if credit_note else _payment(invoice),
        payment_terms=_payment_terms(invoice),
        preceding_number=invoice.credit_note_for if credit_note else None,
        preceding_issued_on=preceding_issued_on if credit_note else None,
        line=Line(
            line_id="1",
            name=invoice.description,
            quantity=Decimal(1),
            unit=UNIT_ONE,
            net_price=invoice.net,
            net_amount=invoice.net,
            category=category,
            rate=rate,
        ),
        vat=VatBreakdown(
            category=category,
            rate=rate,
            taxable=invoice.net,
            tax=invoice.vat,
            exemption_code=exemption_code,
            exemption_reason=exemption_reason,
        ),
        line_total=invoice.net,
        tax_exclusive=invoice.net,
        tax_total=invoice.vat,
        tax_inclusive=invoice.total,
        payable=invoice.total,
    )


def _address(party: Party) -> Address:
    if party.street:
        return Address(party.street, party.city, party.postcode, party.country)
    # Recorded before the parts were: the printed lines, as one line.
    line = ", ".join(part.strip() for part in party.address.splitlines() if part.strip())
    return Address(line, "", "", party.country)


def _seller(party: Party) -> TradeParty:
    return TradeParty(
        name=party.name,
        address=_address(party),
        vat_id=party.vat_number,
        legal_id=party.legal_id,
        legal_id_scheme=KVK_SCHEME if party.legal_id else None,
        electronic_address=party.legal_id,
        electronic_address_scheme=KVK_SCHEME if party.legal_id else None,
        contact_email=party.email,
    )


def _buyer(party: Party) -> TradeParty:
    return TradeParty(
        name=party.name,
        address=_address(party),
        vat_id=party.vat_number,
        electronic_address=party.email,
        electronic_address_scheme=EMAIL_SCHEME if party.email else None,
    )


def _payment(invoice: Invoice) -> PaymentInstructions:
    if invoice.payment_method is PaymentMethod.CARD or invoice.bank_details is None:
        return PaymentInstructions(PaymentMeansCode.CREDIT_CARD)
    bank = invoice.bank_details
    return PaymentInstructions(
        code=(
            PaymentMeansCode.SEPA_CREDIT_TRANSFER
            if invoice.total.currency == SEPA_CURRENCY
            else PaymentMeansCode.CREDIT_TRANSFER
        ),
        remittance=bank.reference or payment_reference(invoice.invoice_number),
        iban="".join(bank.iban.split()).upper(),
        account_name=bank.beneficiary,
        bic=bank.bic,
    )


def _payment_terms(invoice: Invoice) -> str:
    due = invoice.due_on.isoformat()
    if invoice.kind is InvoiceKind.CREDIT_NOTE:
        return f"Nothing is due: this credit note cancels invoice {invoice.credit_note_for}."
    if invoice.payment_method is PaymentMethod.CARD or invoice.bank_details is None:
        return f"Charged to the card on file on the due date, {due}."
    reference = invoice.bank_details.reference or payment_reference(invoice.invoice_number)
    return f"Payable by bank transfer by {due}, quoting reference {reference}."
