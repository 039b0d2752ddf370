"""The EN 16931 reading of an invoice (chalicelib/domain/einvoice.py): the rules, no XML."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from chalicelib.domain.einvoice import (
    DocumentType,
    EInvoiceRejected,
    EInvoiceSyntax,
    PaymentMeansCode,
    VatCategory,
    e_invoice,
    e_invoice_key,
)
from chalicelib.domain.invoices import BankDetails, Invoice, InvoiceOrder, InvoicePurpose, Party
from chalicelib.domain.membership import PaymentMethod
from chalicelib.domain.money import Money
from chalicelib.domain.seller import Seller
from chalicelib.domain.vat_rates import INVOICE_NOTES, VatTreatment

SELLER = Party(
    "Canon Europa N.V.",
    "Bovenkerkerweg 59, 1185 XB Amstelveen",
    "NL",
    "NL004495445B01",
    street="Bovenkerkerweg 59",
    postcode="1185 XB",
    city="Amstelveen",
    legal_id="33211437",
    email="cps-support@canon-europe.com",
)
BANK = BankDetails("Canon Europa N.V.", "NL91 ABNA 0417 1643 00", "ABNANL2A", "CPS2026000123")


def eur(amount: str, currency: str = "EUR") -> Money:
    return Money(Decimal(amount), currency)


def dutch_invoice(**changes: object) -> Invoice:
    invoice = Invoice(
        invoice_number="2026-000123",
        account_id="acc-1",
        purchase_id="purchase-1",
        issued_on=date(2026, 3, 1),
        due_on=date(2026, 3, 31),
        seller=SELLER,
        buyer=Party(
            "Studio Lumen B.V.",
            "Keizersgracht 1, 1015 CJ Amsterdam",
            "NL",
            None,
            street="Keizersgracht 1",
            postcode="1015 CJ",
            city="Amsterdam",
            email="anna@studio.test",
        ),
        description="CPS Silver membership 2026-03-01 to 2027-02-28",
        net=eur("85.00"),
        vat_rate=Decimal("0.21"),
        vat=eur("17.85"),
        total=eur("102.85"),
        vat_note=None,
        purchase_order_number=None,
        payment_method=PaymentMethod.CARD,
        bank_details=None,
        membership_number="151335488",
        language="nl",
        period_from=date(2026, 3, 1),
        period_to=date(2027, 2, 28),
    )
    return replace(invoice, **changes)  # type: ignore[arg-type]


def buyer_in(country: str, vat_number: str | None) -> Party:
    return Party("Buyer", "Street 1, 1000 City", country, vat_number, street="Street 1")


def test_a_dutch_customer_is_standard_rated_at_21_percent():
    document = e_invoice(dutch_invoice())
    assert (document.vat.category, document.vat.rate) == (VatCategory.STANDARD, Decimal(21))
    assert (document.vat.exemption_code, document.vat.exemption_reason) == (None, None)
    assert document.line.category is VatCategory.STANDARD and document.names_vat_ids


def test_an_eu_customer_without_a_vat_number_pays_dutch_vat():
    document = e_invoice(dutch_invoice(buyer=buyer_in("DK", None)))
    assert (document.vat.category, document.vat.rate) == (VatCategory.STANDARD, Decimal(21))


def test_an_eu_business_with_a_vat_number_is_reverse_charged_with_its_reason():
    invoice = dutch_invoice(
        buyer=buyer_in("DE", "DE136695976"),
        vat_rate=Decimal("0"),
        vat=eur("0"),
        total=eur("85.00"),
        vat_note=INVOICE_NOTES[VatTreatment.REVERSE_CHARGE],
    )
    document = e_invoice(invoice)
    assert (document.vat.category, document.vat.rate) == (VatCategory.REVERSE_CHARGE, Decimal(0))
    assert (document.vat.exemption_code, document.vat.exemption_reason) == (
        "VATEX-EU-AE",
        "Reverse charge",
    )
    # AND the legal mention is a note of the document (BT-22)
    assert INVOICE_NOTES[VatTreatment.REVERSE_CHARGE] in document.notes


@pytest.mark.parametrize("country", ["GB", "CH", "NO"])
def test_a_customer_outside_the_eu_is_outside_the_scope_without_vat_identifiers(country):
    invoice = dutch_invoice(
        buyer=buyer_in(country, None), vat_rate=Decimal("0"), vat=eur("0"), total=eur("85.00")
    )
    document = e_invoice(invoice)
    assert (document.vat.category, document.vat.rate) == (VatCategory.OUTSIDE_SCOPE, None)
    assert document.line.rate is None
    assert document.vat.exemption_code == "VATEX-EU-O"
    assert not document.names_vat_ids  # BR-O-02


def test_the_currency_is_the_accounts():
    invoice = dutch_invoice(
        buyer=buyer_in("GB", None),
        net=eur("75.00", "GBP"),
        vat_rate=Decimal("0"),
        vat=eur("0", "GBP"),
        total=eur("75.00", "GBP"),
    )
    document = e_invoice(invoice)
    assert document.currency == "GBP" and document.payable == eur("75.00", "GBP")


def test_a_card_payer_pays_by_credit_card():
    document = e_invoice(dutch_invoice())
    assert document.payment is not None and document.payment.code is PaymentMeansCode.CREDIT_CARD
    assert document.payment.iban is None and "card" in document.payment_terms


def test_a_bank_transfer_in_euros_is_a_sepa_credit_transfer_with_iban_bic_and_reference():
    document = e_invoice(
        dutch_invoice(payment_method=PaymentMethod.BANK_TRANSFER, bank_details=BANK)
    )
    payment = document.payment
    assert payment is not None
    assert payment.code is PaymentMeansCode.SEPA_CREDIT_TRANSFER
    assert (payment.iban, payment.bic, payment.remittance) == (
        "NL91ABNA0417164300",
        "ABNANL2A",
        "CPS2026000123",
    )
    assert "CPS2026000123" in document.payment_terms and "2026-03-31" in document.payment_terms


def test_a_bank_transfer_in_pounds_is_a_plain_credit_transfer():
    invoice = dutch_invoice(
        buyer=buyer_in("GB", None),
        net=eur("75.00", "GBP"),
        vat_rate=Decimal("0"),
        vat=eur("0", "GBP"),
        total=eur("75.00", "GBP"),
        payment_method=PaymentMethod.BANK_TRANSFER,
        bank_details=BANK,
    )
    payment = e_invoice(invoice).payment
    assert payment is not None and payment.code is PaymentMeansCode.CREDIT_TRANSFER


def test_the_purchase_order_number_is_the_buyer_reference_and_the_order_reference():
    document = e_invoice(dutch_invoice(purchase_order_number="PO-1"))
    assert (document.buyer_reference, document.order_reference) == ("PO-1", "PO-1")


def test_without_a_purchase_order_the_buyer_reference_is_the_membership_number():
    document = e_invoice(dutch_invoice())
    assert (document.buyer_reference, document.order_reference) == ("151335488", None)


def test_the_period_is_the_invoices_with_its_inclusive_end():
    document = e_invoice(dutch_invoice())
    assert (document.period_from, document.period_to) == (date(2026, 3, 1), date(2027, 2, 28))
    assert document.delivered_on == date(2026, 3, 1)


def test_a_credit_note_is_type_381_referring_to_the_invoice_it_cancels():
    original = dutch_invoice(payment_method=PaymentMethod.BANK_TRANSFER, bank_details=BANK)
    order = InvoiceOrder(
        order_id="credit:purchase-1",
        account_id="acc-1",
        membership_id="m-1",
        purpose=InvoicePurpose.NON_PAYMENT,
        issued_on=date(2026, 5, 1),
        credits_order_id="purchase-1",
    )
    credit_note = replace(original.credit_note(order), invoice_number="CN-2026-000001")
    document = e_invoice(credit_note, preceding_issued_on=original.issued_on)
    assert document.type_code is DocumentType.CREDIT_NOTE and document.is_credit_note
    assert (document.preceding_number, document.preceding_issued_on) == (
        "2026-000123",
        date(2026, 3, 1),
    )
    # AND nothing is to be paid by transfer: no payment means, terms that say so
    assert document.payment is None and "2026-000123" in document.payment_terms
    assert document.payable == original.total


def test_an_invoice_names_no_preceding_invoice():
    document = e_invoice(dutch_invoice(), preceding_issued_on=date(2026, 1, 1))
    assert (document.type_code, document.preceding_number, document.preceding_issued_on) == (
        DocumentType.COMMERCIAL_INVOICE,
        None,
        None,
    )


def test_the_seller_is_identified_by_its_kvk_number_and_reached_at_support():
    seller = e_invoice(dutch_invoice()).seller
    assert (seller.legal_id, seller.legal_id_scheme) == ("33211437", "0106")
    assert (seller.electronic_address, seller.electronic_address_scheme) == ("33211437", "0106")
    assert seller.contact_email == "cps-support@canon-europe.com"
    assert (seller.address.line, seller.address.postcode, seller.address.city) == (
        "Bovenkerkerweg 59",
        "1185 XB",
        "Amstelveen",
    )


def test_the_buyer_is_reached_at_the_address_its_invoices_go_to():
    buyer = e_invoice(dutch_invoice()).buyer
    assert (buyer.electronic_address, buyer.electronic_address_scheme) == (
        "anna@studio.test",
        "EM",
    )


def test_an_address_recorded_as_printed_lines_only_is_one_line():
    old = dutch_invoice(buyer=Party("Old B.V.", "Street 1\n1000 AA City", "NL", None))
    address = e_invoice(old).buyer.address
    assert (address.line, address.city, address.postcode) == ("Street 1, 1000 AA City", "", "")


def test_the_documents_are_stored_beside_the_pdf():
    invoice = dutch_invoice()
    assert invoice.pdf_key == "invoices/2026/2026-000123.pdf"
    assert e_invoice_key(invoice, EInvoiceSyntax.CII) == "invoices/2026/2026-000123.cii.xml"
    assert e_invoice_key(invoice, EInvoiceSyntax.UBL) == "invoices/2026/2026-000123.ubl.xml"


def test_a_refusal_names_the_document_and_its_rules_only():
    refused = EInvoiceRejected("CII", ("BR-CO-14", "BR-S-08"))
    assert str(refused) == "The CII e-invoice breaks BR-CO-14, BR-S-08."
    assert refused.rules == ("BR-CO-14", "BR-S-08")


@pytest.mark.parametrize(
    ("address", "parts"),
    [
        ("Bovenkerkerweg 59, 1185 XB Amstelveen", ("Bovenkerkerweg 59", "1185 XB", "Amstelveen")),
        ("Keizersgracht 1, 1015CJ Amsterdam", ("Keizersgracht 1", "1015CJ", "Amsterdam")),
        ("Amstelveen", ("Amstelveen", "", "")),
    ],
)
def test_the_sellers_one_line_address_splits_into_street_postcode_and_city(address, parts):
    seller = Seller("Canon Europa N.V.", address, "NL", "NL004495445B01", "NL91", "ABNANL2A")
    assert seller.postal_address == parts
