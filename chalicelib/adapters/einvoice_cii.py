"""The EN 16931 model written as UN/CEFACT Cross Industry Invoice (D16B), the XML that Factur-X
(profile EN 16931) embeds in the invoice PDF.

lxml is imported when a document is written, not with this module: it ships in the e-invoice
Lambda layer (requirements-einvoice.txt), which only the invoices consumer has.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from chalicelib.domain.einvoice import EN16931, Address, EInvoice, TradeParty, VatBreakdown
from chalicelib.domain.money import Money

if TYPE_CHECKING:
    from lxml.etree import _Element

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NAMESPACES = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
DATE_FORMAT = "102"  # UNTDID 2379: CCYYMMDD
VAT = "VAT"

Build = Callable[..., "_Element"]


def cii_xml(document: EInvoice) -> bytes:
    """The CII document, UTF-8 with its declaration; the same model, the same bytes."""
    from lxml import etree

    def element(parent: _Element | None, tag: str, text: str | None = None, **attrs: str) -> Any:
        prefix, _, name = tag.partition(":")
        qname = f"{{{NAMESPACES[prefix]}}}{name}"
        node = (
            etree.Element(qname, nsmap=NAMESPACES)
            if parent is None
            else etree.SubElement(parent, qname)
        )
        for key, value in attrs.items():
            node.set(key, value)
        if text is not None:
            node.text = text
        return node

    root = element(None, "rsm:CrossIndustryInvoice")
    context = element(root, "rsm:ExchangedDocumentContext")
    guideline = element(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    element(guideline, "ram:ID", EN16931)

    header = element(root, "rsm:ExchangedDocument")
    element(header, "ram:ID", document.number)
    element(header, "ram:TypeCode", document.type_code.value)
    _date(element, element(header, "ram:IssueDateTime"), document.issued_on)
    for note in document.notes:
        element(element(header, "ram:IncludedNote"), "ram:Content", note)

    transaction = element(root, "rsm:SupplyChainTradeTransaction")
    _line(element, transaction, document)

    agreement = element(transaction, "ram:ApplicableHeaderTradeAgreement")
    element(agreement, "ram:BuyerReference", document.buyer_reference)
    _party(element, agreement, "ram:SellerTradeParty", document.seller, document.names_vat_ids)
    _party(element, agreement, "ram:BuyerTradeParty", document.buyer, document.names_vat_ids)
    if document.order_reference:
        order = element(agreement, "ram:BuyerOrderReferencedDocument")
        element(order, "ram:IssuerAssignedID", document.order_reference)

    delivery = element(transaction, "ram:ApplicableHeaderTradeDelivery")
    if document.delivered_on:
        event = element(delivery, "ram:ActualDeliverySupplyChainEvent")
        _date(element, element(event, "ram:OccurrenceDateTime"), document.delivered_on)

    settlement = element(transaction, "ram:ApplicableHeaderTradeSettlement")
    payment = document.payment
    if payment is not None and payment.remittance:
        element(settlement, "ram:PaymentReference", payment.remittance)
    element(settlement, "ram:InvoiceCurrencyCode", document.currency)
    if payment is not None:
        means = element(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        element(means, "ram:TypeCode", payment.code.value)
        if payment.iban:
            account = element(means, "ram:PayeePartyCreditorFinancialAccount")
            element(account, "ram:IBANID", payment.iban)
            if payment.account_name:
                element(account, "ram:AccountName", payment.account_name)
        if payment.bic:
            bank = element(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
            element(bank, "ram:BICID", payment.bic)
    _tax(element, settlement, document.vat)
    if document.period_from and document.period_to:
        _period(element, settlement, document.period_from, document.period_to)
    terms = element(settlement, "ram:SpecifiedTradePaymentTerms")
    element(terms, "ram:Description", document.payment_terms)
    if document.due_on:
        _date(element, element(terms, "ram:DueDateDateTime"), document.due_on)
    totals = element(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    element(totals, "ram:LineTotalAmount", _amount(document.line_total))
    element(totals, "ram:TaxBasisTotalAmount", _amount(document.tax_exclusive))
    element(
        totals,
        "ram:TaxTotalAmount",
        _amount(document.tax_total),
        currencyID=document.tax_total.currency,
    )
    element(totals, "ram:GrandTotalAmount", _amount(document.tax_inclusive))
    element(totals, "ram:DuePayableAmount", _amount(document.payable))
    if document.preceding_number:
        preceding = element(settlement, "ram:InvoiceReferencedDocument")
        element(preceding, "ram:IssuerAssignedID", document.preceding_number)
        if document.preceding_issued_on:
            issued = element(preceding, "ram:FormattedIssueDateTime")
            element(
                issued,
                "qdt:DateTimeString",
                document.preceding_issued_on.strftime("%Y%m%d"),
                format=DATE_FORMAT,
            )
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _line(element: Build, transaction: _Element, document: EInvoice) -> None:
    line = document.line
    item = element(transaction, "ram:IncludedSupplyChainTradeLineItem")
    element(element(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.line_id)
    element(element(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.name)
    agreement = element(item, "ram:SpecifiedLineTradeAgreement")
    price = element(agreement, "ram:NetPriceProductTradePrice")
    element(price, "ram:ChargeAmount", _amount(line.net_price))
    delivery = element(item, "ram:SpecifiedLineTradeDelivery")
    element(delivery, "ram:BilledQuantity", _decimal(line.quantity), unitCode=line.unit)
    settlement = element(item, "ram:SpecifiedLineTradeSettlement")
    tax = element(settlement, "ram:ApplicableTradeTax")
    element(tax, "ram:TypeCode", VAT)
    element(tax, "ram:CategoryCode", line.category.value)
    if line.rate is not None:
        element(tax, "ram:RateApplicablePercent", _decimal(line.rate))
    summation = element(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    element(summation, "ram:LineTotalAmount", _amount(line.net_amount))


def _party(element: Build, parent: _Element, tag: str, party: TradeParty, vat_ids: bool) -> None:
    node = element(parent, tag)
    element(node, "ram:Name", party.name)
    if party.legal_id:
        organisation = element(node, "ram:SpecifiedLegalOrganization")
        scheme = {"schemeID": party.legal_id_scheme} if party.legal_id_scheme else {}
        element(organisation, "ram:ID", party.legal_id, **scheme)
    if party.contact_email:
        contact = element(node, "ram:DefinedTradeContact")
        email = element(contact, "ram:EmailURIUniversalCommunication")
        element(email, "ram:URIID", party.contact_email)
    _address(element, node, party.address)
    if party.electronic_address and party.electronic_address_scheme:
        uri = element(node, "ram:URIUniversalCommunication")
        element(
            uri, "ram:URIID", party.electronic_address, schemeID=party.electronic_address_scheme
        )
    if vat_ids and party.vat_id:
        registration = element(node, "ram:SpecifiedTaxRegistration")
        element(registration, "ram:ID", party.vat_id, schemeID="VA")


def _address(element: Build, parent: _Element, address: Address) -> None:
    node = element(parent, "ram:PostalTradeAddress")
    if address.postcode:
        element(node, "ram:PostcodeCode", address.postcode)
    if address.line:
        element(node, "ram:LineOne", address.line)
    if address.city:
        element(node, "ram:CityName", address.city)
    element(node, "ram:CountryID", address.country)


def _tax(element: Build, parent: _Element, vat: VatBreakdown) -> None:
    node = element(parent, "ram:ApplicableTradeTax")
    element(node, "ram:CalculatedAmount", _amount(vat.tax))
    element(node, "ram:TypeCode", VAT)
    if vat.exemption_reason:
        element(node, "ram:ExemptionReason", vat.exemption_reason)
    element(node, "ram:BasisAmount", _amount(vat.taxable))
    element(node, "ram:CategoryCode", vat.category.value)
    if vat.exemption_code:
        element(node, "ram:ExemptionReasonCode", vat.exemption_code)
    if vat.rate is not None:
        element(node, "ram:RateApplicablePercent", _decimal(vat.rate))


def _period(element: Build, parent: _Element, start: date, end: date) -> None:
    node = element(parent, "ram:BillingSpecifiedPeriod")
    _date(element, element(node, "ram:StartDateTime"), start)
    _date(element, element(node, "ram:EndDateTime"), end)


def _date(element: Build, parent: _Element, day: date) -> None:
    element(parent, "udt:DateTimeString", day.strftime("%Y%m%d"), format=DATE_FORMAT)


def _amount(money: Money) -> str:
    return f"{money.amount:.2f}"


def _decimal(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
