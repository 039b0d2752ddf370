"""The EN 16931 model written as OASIS UBL 2.1 (an Invoice, or a CreditNote for type 381), in
Peppol BIS Billing 3.0's customisation.

lxml is imported when a document is written (see einvoice_cii.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.adapters.einvoice_cii import _amount, _decimal
from chalicelib.domain.einvoice import (
    PEPPOL_BILLING_PROCESS,
    PEPPOL_BIS3,
    EInvoice,
    TradeParty,
    VatCategory,
)
from chalicelib.domain.money import Money

if TYPE_CHECKING:
    from lxml.etree import _Element

INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
VAT = "VAT"

Build = Callable[..., "_Element"]


def ubl_xml(document: EInvoice) -> bytes:
    """The UBL document, UTF-8 with its declaration; the same model, the same bytes."""
    from lxml import etree

    credit = document.is_credit_note
    namespaces = {None: CREDIT_NOTE if credit else INVOICE, "cac": CAC, "cbc": CBC}

    def element(parent: _Element | None, tag: str, text: str | None = None, **attrs: str) -> Any:
        prefix, name = tag.split(":") if ":" in tag else (None, tag)
        qname = f"{{{namespaces[prefix]}}}{name}"
        node = (
            etree.Element(qname, nsmap=namespaces)  # type: ignore[arg-type]
            if parent is None
            else etree.SubElement(parent, qname)
        )
        for key, value in attrs.items():
            node.set(key, value)
        if text is not None:
            node.text = text
        return node

    def money(parent: _Element, tag: str, amount: Money) -> None:
        element(parent, tag, _amount(amount), currencyID=amount.currency)

    root = element(None, "CreditNote" if credit else "Invoice")
    element(root, "cbc:CustomizationID", PEPPOL_BIS3)
    element(root, "cbc:ProfileID", PEPPOL_BILLING_PROCESS)
    element(root, "cbc:ID", document.number)
    element(root, "cbc:IssueDate", document.issued_on.isoformat())
    if not credit and document.due_on:
        element(root, "cbc:DueDate", document.due_on.isoformat())
    element(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", document.type_code)
    for note in document.notes:
        element(root, "cbc:Note", note)
    element(root, "cbc:DocumentCurrencyCode", document.currency)
    element(root, "cbc:BuyerReference", document.buyer_reference)
    if document.period_from and document.period_to:
        period = element(root, "cac:InvoicePeriod")
        element(period, "cbc:StartDate", document.period_from.isoformat())
        element(period, "cbc:EndDate", document.period_to.isoformat())
    if document.order_reference:
        element(element(root, "cac:OrderReference"), "cbc:ID", document.order_reference)
    if document.preceding_number:
        reference = element(element(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        element(reference, "cbc:ID", document.preceding_number)
        if document.preceding_issued_on:
            element(reference, "cbc:IssueDate", document.preceding_issued_on.isoformat())
    _party(element, root, "cac:AccountingSupplierParty", document.seller, document.names_vat_ids)
    _party(element, root, "cac:AccountingCustomerParty", document.buyer, document.names_vat_ids)
    if document.delivered_on:
        delivery = element(root, "cac:Delivery")
        element(delivery, "cbc:ActualDeliveryDate", document.delivered_on.isoformat())
    payment = document.payment
    if payment is not None:
        means = element(root, "cac:PaymentMeans")
        element(means, "cbc:PaymentMeansCode", payment.code.value)
        if payment.remittance:
            element(means, "cbc:PaymentID", payment.remittance)
        if payment.iban:
            account = element(means, "cac:PayeeFinancialAccount")
            element(account, "cbc:ID", payment.iban)
            if payment.account_name:
                element(account, "cbc:Name", payment.account_name)
            if payment.bic:
                branch = element(account, "cac:FinancialInstitutionBranch")
                element(branch, "cbc:ID", payment.bic)
    element(element(root, "cac:PaymentTerms"), "cbc:Note", document.payment_terms)

    vat = document.vat
    total = element(root, "cac:TaxTotal")
    money(total, "cbc:TaxAmount", document.tax_total)
    subtotal = element(total, "cac:TaxSubtotal")
    money(subtotal, "cbc:TaxableAmount", vat.taxable)
    money(subtotal, "cbc:TaxAmount", vat.tax)
    category = element(subtotal, "cac:TaxCategory")
    element(category, "cbc:ID", vat.category.value)
    if vat.rate is not None:
        element(category, "cbc:Percent", _decimal(vat.rate))
    if vat.exemption_code:
        element(category, "cbc:TaxExemptionReasonCode", vat.exemption_code)
    if vat.exemption_reason:
        element(category, "cbc:TaxExemptionReason", vat.exemption_reason)
    element(element(category, "cac:TaxScheme"), "cbc:ID", VAT)

    totals = element(root, "cac:LegalMonetaryTotal")
    money(totals, "cbc:LineExtensionAmount", document.line_total)
    money(totals, "cbc:TaxExclusiveAmount", document.tax_exclusive)
    money(totals, "cbc:TaxInclusiveAmount", document.tax_inclusive)
    money(totals, "cbc:PayableAmount", document.payable)

    line = document.line
    node = element(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    element(node, "cbc:ID", line.line_id)
    element(
        node,
        "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity",
        _decimal(line.quantity),
        unitCode=line.unit,
    )
    money(node, "cbc:LineExtensionAmount", line.net_amount)
    item = element(node, "cac:Item")
    element(item, "cbc:Name", line.name)
    classified = element(item, "cac:ClassifiedTaxCategory")
    element(classified, "cbc:ID", line.category.value)
    if line.rate is not None and line.category is not VatCategory.OUTSIDE_SCOPE:
        element(classified, "cbc:Percent", _decimal(line.rate))
    element(element(classified, "cac:TaxScheme"), "cbc:ID", VAT)
    money(element(node, "cac:Price"), "cbc:PriceAmount", line.net_price)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _party(element: Build, parent: _Element, tag: str, party: TradeParty, vat_ids: bool) -> None:
    node = element(element(parent, tag), "cac:Party")
    if party.electronic_address and party.electronic_address_scheme:
        element(
            node,
            "cbc:EndpointID",
            party.electronic_address,
            schemeID=party.electronic_address_scheme,
        )
    address = element(node, "cac:PostalAddress")
    if party.address.line:
        element(address, "cbc:StreetName", party.address.line)
    if party.address.city:
        element(address, "cbc:CityName", party.address.city)
    if party.address.postcode:
        element(address, "cbc:PostalZone", party.address.postcode)
    element(element(address, "cac:Country"), "cbc:IdentificationCode", party.address.country)
    if vat_ids and party.vat_id:
        scheme = element(node, "cac:PartyTaxScheme")
        element(scheme, "cbc:CompanyID", party.vat_id)
        element(element(scheme, "cac:TaxScheme"), "cbc:ID", VAT)
    legal = element(node, "cac:PartyLegalEntity")
    element(legal, "cbc:RegistrationName", party.name)
    if party.legal_id:
        attrs = {"schemeID": party.legal_id_scheme} if party.legal_id_scheme else {}
        element(legal, "cbc:CompanyID", party.legal_id, **attrs)
    if party.contact_email:
        element(element(node, "cac:Contact"), "cbc:ElectronicMail", party.contact_email)
