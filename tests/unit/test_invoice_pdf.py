"""The invoice PDF (SPEC §4): content, languages, Unicode, a valid file, the same bytes each time.

pypdf is not a dependency, so `_Pdf` below reads fpdf2's output itself: the cross-reference
table (which proves every object is where the file says), the Flate streams, and the page's
text, decoded through each embedded font's ToUnicode map (fpdf2 writes DejaVu Sans text as
two-byte glyph codes, not characters). What the tests read is what a PDF viewer would copy.
"""

from __future__ import annotations

import logging
import re
import zlib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from chalicelib.domain.invoices import BankDetails, Invoice, Party
from chalicelib.domain.membership import PaymentMethod
from chalicelib.domain.money import Money
from chalicelib.domain.vat_rates import INVOICE_NOTES, VatTreatment
from chalicelib.invoice_pdf import render_invoice_pdf
from chalicelib.invoice_pdf.labels import LABELS, labels_for
from chalicelib.invoice_pdf.render import (
    FONT_DIR,
    FONT_FILES,
    FontCache,
    add_font_files,
    render_with_fonts,
)

REVERSE_CHARGE = INVOICE_NOTES[VatTreatment.REVERSE_CHARGE]
OUTSIDE_EU = INVOICE_NOTES[VatTreatment.OUTSIDE_EU]
LATVIAN_LETTERS = "āēīūšžķļņģč"

SELLER = Party("Canon Europa N.V.", "Bovenkerkerweg 59\n1185 XB Amstelveen", "NL", "NL004495445B01")
BANK = BankDetails("Canon Europa N.V.", "NL91ABNA0417164300", "ABNANL2A", "CPS2026000123")


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def dutch_card_invoice(**changes: object) -> Invoice:
    """A Dutch business paying by card: Dutch VAT at 21 %, no VAT note."""
    invoice = Invoice(
        invoice_number="2026-000123",
        account_id="acc-1",
        purchase_id="purchase-1",
        issued_on=date(2026, 3, 1),
        due_on=date(2026, 3, 31),
        seller=SELLER,
        buyer=Party(
            "Fotostudio Licht & Schaduw B.V.", "Keizersgracht 123, 1015 CJ Amsterdam", "NL", None
        ),
        description="CPS Silver membership 2026-03-01 to 2027-02-28",
        period_from=date(2026, 3, 1),
        period_to=date(2027, 2, 28),  # inclusive: the term expires on 2027-03-01
        net=eur("85.00"),
        vat_rate=Decimal("0.21"),
        vat=eur("17.85"),
        total=eur("102.85"),
        vat_note=None,
        purchase_order_number=None,
        payment_method=PaymentMethod.CARD,
        bank_details=None,
        membership_number="151335488",
        language="en",
    )
    return replace(invoice, **changes)  # type: ignore[arg-type]


def reverse_charged(**changes: object) -> Invoice:
    """An EU business with a VAT number outside the Netherlands: 0 % and the reverse charge."""
    defaults = {
        "vat_rate": Decimal("0"),
        "vat": eur("0"),
        "total": eur("85.00"),
        "vat_note": REVERSE_CHARGE,
    }
    return dutch_card_invoice(**{**defaults, **changes})


def latvian_invoice(**changes: object) -> Invoice:
    defaults = {
        "buyer": Party(
            "SIA Ežezera Ķēniņu Foto un Ģimenes Čūskas Žurnāls Šļūce",
            "Lāčplēša iela 21-4, Rīga, LV-1010",
            "LV",
            "LV40003245752",
        ),
        "payment_method": PaymentMethod.BANK_TRANSFER,
        "bank_details": BANK,
        "language": "lv",
    }
    return reverse_charged(**{**defaults, **changes})


# --- reading the PDF back ------------------------------------------------------------------


@dataclass(frozen=True)
class _Object:
    dictionary: bytes
    stream: bytes | None  # decompressed


class _Pdf:
    """Just enough of a PDF reader for fpdf2's output: xref, objects, streams, page text."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        assert data.startswith(b"%PDF-1."), data[:16]
        assert data.rstrip().endswith(b"%%EOF")
        startxref = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)[-1])
        assert data[startxref : startxref + 4] == b"xref", "startxref does not point at xref"
        table = re.match(rb"xref\s+0 (\d+)\s+", data[startxref:])
        assert table is not None
        size = int(table[1])
        rows = data[startxref + table.end() :].split(b"\n")[:size]
        offsets = {}
        for number, row in enumerate(rows):
            offset, _generation, kind = row.split()[:3]
            if kind == b"n":
                offsets[number] = int(offset)
        trailer = data[data.index(b"trailer", startxref) :]
        assert int(re.search(rb"/Size (\d+)", trailer)[1]) == size  # type: ignore[index]
        self.root = int(re.search(rb"/Root (\d+) 0 R", trailer)[1])  # type: ignore[index]
        info = re.search(rb"/Info (\d+) 0 R", trailer)  # none in a PDF/A of fpdf2: the XMP
        self.info = int(info[1]) if info else None
        self.objects = {n: self._read(n, at) for n, at in offsets.items()}

    def _read(self, number: int, at: int) -> _Object:
        header = f"{number} 0 obj".encode()
        assert self.data[at : at + len(header)] == header, f"xref entry {number} is wrong"
        body_start = at + len(header)
        stream_at = self.data.find(b"stream\n", body_start)
        end_at = self.data.find(b"endobj", body_start)
        if stream_at == -1 or stream_at > end_at:
            return _Object(self.data[body_start:end_at], None)
        dictionary = self.data[body_start:stream_at]
        length = int(re.search(rb"/Length (\d+)", dictionary)[1])  # type: ignore[index]
        raw = self.data[stream_at + 7 : stream_at + 7 + length]
        assert self.data[stream_at + 7 + length :].lstrip().startswith(b"endstream")
        stream = zlib.decompress(raw) if b"/FlateDecode" in dictionary else raw
        return _Object(dictionary, stream)

    def ref(self, dictionary: bytes, key: bytes) -> _Object:
        number = re.search(rb"/" + key + rb" (\d+) 0 R", dictionary)
        assert number is not None, key
        return self.objects[int(number[1])]

    @property
    def pages(self) -> list[_Object]:
        return [o for o in self.objects.values() if re.search(rb"/Type /Page\b(?!s)", o.dictionary)]

    @property
    def fonts(self) -> list[_Object]:
        return [o for o in self.objects.values() if b"/Type /Font" in o.dictionary]

    def xmp_entry(self, tag: str) -> str:
        """A value of the XMP metadata ("dc:title", "xmp:CreateDate"), the first if a list."""
        metadata = self.ref(self.objects[self.root].dictionary, b"Metadata").stream
        assert metadata is not None
        value = re.search(f"<{tag}>(?:.*?<rdf:li[^>]*>)?([^<]*)<".encode(), metadata, re.S)
        assert value is not None, tag
        return value[1].decode("utf-8")

    def info_entry(self, key: bytes) -> str:
        assert self.info is not None, "no Info dictionary"
        value = re.search(
            rb"/" + key + rb" (\([^)]*\)|<[0-9a-fA-F]+>)", self.objects[self.info].dictionary
        )
        assert value is not None, key
        token = value[1]
        if token.startswith(b"<"):
            return bytes.fromhex(token[1:-1].decode()).decode("utf-16")
        return token[1:-1].decode("latin-1")

    def text(self) -> str:
        """The page's text, one line per text object, in the order it was drawn."""
        to_unicode = {
            name.decode(): self._cmap(self.ref(self.objects[int(number)].dictionary, b"ToUnicode"))
            for o in self.objects.values()
            for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", o.dictionary)
            if b"/ToUnicode" in self.objects[int(number)].dictionary
        }
        lines: list[str] = []
        for page in self.pages:
            contents = self.ref(page.dictionary, b"Contents").stream
            assert contents is not None
            lines += _show_text(contents, to_unicode)
        return "\n".join(lines)

    @staticmethod
    def _cmap(cmap: _Object) -> dict[int, str]:
        assert cmap.stream is not None
        mapping = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap.stream, re.S):
            for code, chars in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                mapping[int(code, 16)] = bytes.fromhex(chars.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap.stream, re.S):
            for low, high, first in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
            ):
                for offset in range(int(high, 16) - int(low, 16) + 1):
                    mapping[int(low, 16) + offset] = chr(int(first, 16) + offset)
        return mapping


_TOKEN = re.compile(
    rb"\s*(?:(\()|<([0-9A-Fa-f\s]*)>|(/[^\s/\[\]()<>]+)|([\[\]])|([^\s/\[\]()<>]+))"
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _literal(data: bytes, at: int) -> tuple[bytes, int]:
    """A PDF literal string starting after its "(": the bytes and the index after its ")"."""
    out, depth = bytearray(), 1
    while True:
        char = data[at : at + 1]
        at += 1
        if char == b"\\":
            escaped = data[at : at + 1]
            octal = re.match(rb"[0-7]{1,3}", data[at : at + 3])
            if octal:
                out.append(int(octal[0], 8) & 0xFF)
                at += len(octal[0])
            elif escaped in b"\r\n":
                at += 1 + (data[at : at + 2] == b"\r\n")
            else:
                out += _ESCAPES.get(escaped, escaped)
                at += 1
        elif char == b"(":
            depth += 1
            out += char
        elif char == b")":
            depth -= 1
            if depth == 0:
                return bytes(out), at
            out += char
        else:
            out += char


def _show_text(content: bytes, to_unicode: dict[str, dict[int, str]]) -> list[str]:
    """Runs the text operators of a content stream: Tf, Tj, TJ, BT/ET, q/Q."""
    lines: list[str] = []
    operands: list[object] = []
    arrays: list[list[object]] = []
    font_stack: list[str | None] = []
    font: str | None = None
    current: list[str] = []
    at = 0
    while at < len(content):
        match = _TOKEN.match(content, at)
        if match is None or match.end() == at:
            break
        at = match.end()
        value: object
        if match[1]:
            value, at = _literal(content, at)
        elif match[2] is not None:
            value = bytes.fromhex(re.sub(rb"\s", b"", match[2]).decode())
        elif match[3]:
            value = match[3][1:].decode()
        elif match[4] == b"[":
            arrays.append([])
            continue
        elif match[4] == b"]":
            value = arrays.pop()
        else:
            word = match[5].decode("latin-1")
            if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", word):
                value = float(word)
            else:
                if word == "Tf":
                    font = str(operands[-2])
                elif word in ("Tj", "TJ"):
                    shown = operands[-1]
                    for piece in shown if isinstance(shown, list) else [shown]:
                        if isinstance(piece, bytes):
                            assert font is not None
                            cmap = to_unicode[font]
                            codes = [
                                int.from_bytes(piece[i : i + 2]) for i in range(0, len(piece), 2)
                            ]
                            current.append("".join(cmap.get(code, "\ufffd") for code in codes))
                elif word == "ET" and current:
                    lines.append("".join(current))
                    current = []
                elif word == "q":
                    font_stack.append(font)
                elif word == "Q":
                    font = font_stack.pop()
                operands = []
                continue
        if arrays:
            arrays[-1].append(value)
        else:
            operands.append(value)
    return lines


def read(invoice: Invoice) -> _Pdf:
    return _Pdf(render_invoice_pdf(invoice))


def flat(text: str) -> str:
    """The text with line breaks (wrapped paragraphs) as single spaces."""
    return " ".join(text.split())


# --- the file ------------------------------------------------------------------------------


def test_the_output_is_a_valid_one_page_a4_pdf_with_its_font_embedded():
    # GIVEN an invoice WHEN it is rendered
    data = render_invoice_pdf(dutch_card_invoice())
    # THEN it is a PDF whose cross-reference table, streams and catalogue hold together
    assert data.startswith(b"%PDF-")
    pdf = _Pdf(data)
    catalog = pdf.objects[pdf.root]
    assert b"/Type /Catalog" in catalog.dictionary
    pages = pdf.ref(catalog.dictionary, b"Pages")
    assert b"/Count 1" in pages.dictionary
    assert b"/MediaBox [0 0 595.28 841.89]" in pages.dictionary  # A4 in points
    assert len(pdf.pages) == 1
    # AND the text is set in the embedded DejaVu Sans, never in a latin-1 core font
    base_fonts = {m for f in pdf.fonts for m in re.findall(rb"/BaseFont /(\S+)", f.dictionary)}
    assert base_fonts and all(b"DejaVuSans" in name for name in base_fonts)
    assert any(b"/FontFile2" in o.dictionary for o in pdf.objects.values())
    # AND it is titled after the invoice, in the invoice's language
    assert pdf.xmp_entry("dc:title") == "Invoice 2026-000123"
    assert b"/Lang (en)" in catalog.dictionary


def test_only_the_glyphs_used_are_embedded():
    # GIVEN the bundled fonts (about 1.4 MB) WHEN an invoice is rendered THEN the file stays small
    font_bytes = sum((FONT_DIR / name).stat().st_size for name in FONT_FILES.values())
    size = len(render_invoice_pdf(latvian_invoice()))
    assert size < 60_000 < font_bytes


def test_the_fonts_ship_with_their_licence():
    # GIVEN the package WHEN it is deployed THEN the font files and their licence go with it
    assert (FONT_DIR / "LICENSE").read_text().count("Bitstream Vera") >= 1
    for name in FONT_FILES.values():
        assert (FONT_DIR / name).read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType


# --- the content ---------------------------------------------------------------------------


def test_it_shows_the_parties_the_numbers_the_line_and_the_totals():
    # GIVEN a Dutch business paying by card WHEN its invoice is rendered
    text = read(dutch_card_invoice()).text()
    lines = set(text.splitlines())
    # THEN title and number, dates and the membership number are printed
    assert {"Invoice", "2026-000123", "1 March 2026", "31 March 2026", "151335488"} <= lines
    # AND the seller and the buyer with their addresses and VAT numbers
    assert "Canon Europa N.V." in lines and "VAT number: NL004495445B01" in lines
    assert "1185 XB Amstelveen" in lines
    assert {"Fotostudio Licht & Schaduw B.V.", "Keizersgracht 123, 1015 CJ Amsterdam"} <= lines
    assert "Netherlands" in lines
    # AND the line with its period (its end inclusive), net, VAT rate and amount, the total
    assert "CPS Silver membership" in lines
    assert "Period: 1 March 2026 \u2013 28 February 2027" in lines
    assert {"Subtotal excl. VAT", "€85.00", "VAT 21%", "€17.85", "Total (EUR)", "€102.85"} <= lines
    assert "Currency" not in lines and "EUR" not in lines  # said once, in "Total (EUR)"
    # AND a footer with the seller's name and the programme's
    assert "Canon Europa N.V. · Canon Professional Services" in lines
    # AND no VAT note and no purchase-order number were invented
    assert REVERSE_CHARGE not in text and "Purchase order number" not in text


def test_the_purchase_order_number_is_printed_when_given():
    # GIVEN a purchase-order number WHEN the invoice is rendered THEN it is printed, labelled
    lines = read(dutch_card_invoice(purchase_order_number="PO-4500012345")).text().splitlines()
    assert "Purchase order number" in lines and "PO-4500012345" in lines


def test_a_long_po_number_and_buyer_name_still_fit_one_page():
    # GIVEN the longest PO number allowed and a long company name and address
    invoice = latvian_invoice(
        purchase_order_number="PO/2026/ĀĒĪŪ-0000000000000000000042",
        buyer=Party(
            "Sabiedrība ar ierobežotu atbildību Ķēniņu Foto un Ģimenes Čūskas Žurnāls " * 2,
            "Brīvības iela 221-4\nRīga\nLV-1010",
            "LV",
            "LV40003245752",
        ),
    )
    # WHEN it is rendered THEN everything is on the one page
    pdf = read(invoice)
    assert len(pdf.pages) == 1
    assert "PO/2026/ĀĒĪŪ-0000000000000000000042" in flat(pdf.text()).replace(" ", "")


def test_an_eu_business_buyer_gets_the_reverse_charge_note():
    # GIVEN a German business with a VAT number WHEN its invoice is rendered
    invoice = reverse_charged(
        buyer=Party("Müller Fotografie GmbH", "Hauptstraße 5, 10115 Berlin", "DE", "DE123456789")
    )
    text = flat(read(invoice).text())
    # THEN it bears the reverse-charge note, 0 % VAT and the buyer's VAT number
    assert REVERSE_CHARGE in text
    assert "VAT 0% €0.00" in text and "Total (EUR) €85.00" in text
    assert "VAT number: DE123456789" in text and "Germany" in text


def test_the_reverse_charge_note_is_in_the_invoice_language():
    # GIVEN the same buyer served in German WHEN the invoice is rendered THEN the note is German
    text = flat(read(reverse_charged(language="de")).text())
    assert "Steuerschuldnerschaft des Leistungsempfängers (Artikel 196" in text
    assert REVERSE_CHARGE not in text


def test_a_buyer_outside_the_eu_gets_the_outside_scope_note_in_pounds():
    # GIVEN a UK business invoiced in pounds WHEN its invoice is rendered
    invoice = dutch_card_invoice(
        buyer=Party("Pixel & Co Ltd", "1 Fleet Street, London EC4Y 1AA", "GB", None),
        net=Money(Decimal("1234.50"), "GBP"),
        vat_rate=Decimal("0"),
        vat=Money(Decimal("0"), "GBP"),
        total=Money(Decimal("1234.50"), "GBP"),
        vat_note=OUTSIDE_EU,
    )
    text = read(invoice).text()
    # THEN the note says so, and the amounts are in pounds
    assert "Outside the scope of EU VAT" in text.splitlines()
    assert "£1,234.50" in text and "Total (GBP)" in text and "€" not in text
    assert "United Kingdom" in text


def test_a_bank_transfer_invoice_shows_the_bank_details():
    # GIVEN payment by bank transfer WHEN the invoice is rendered
    text = read(
        dutch_card_invoice(payment_method=PaymentMethod.BANK_TRANSFER, bank_details=BANK)
    ).text()
    lines = text.splitlines()
    # THEN IBAN, BIC, beneficiary and reference are printed, the IBAN in groups of four
    assert {"Bank transfer", "NL91 ABNA 0417 1643 00", "ABNANL2A", "CPS2026000123"} <= set(lines)
    assert {"IBAN", "BIC", "Beneficiary", "Payment reference"} <= set(lines)
    # AND the customer is told when to pay, with which reference, and about bank charges
    note = flat(text)
    assert "Please pay by bank transfer by 31 March 2026, quoting reference CPS2026000123." in note
    assert "Additional bank charges may apply." in note
    assert "Your card will be charged" not in note


def test_a_card_invoice_says_the_card_is_charged_on_the_due_date():
    # GIVEN payment by card WHEN the invoice is rendered
    text = flat(read(dutch_card_invoice()).text())
    # THEN it says when the card is charged, and shows no bank details
    assert "Credit card" in text
    assert "Your card will be charged on the due date, 31 March 2026;" in text
    assert "IBAN" not in text and "bank charges" not in text


# --- languages and Unicode -----------------------------------------------------------------


def test_a_latvian_invoice_has_latvian_labels_and_diacritics(caplog):
    # GIVEN a Latvian business served in Latvian, with every Latvian diacritic in its name
    invoice = latvian_invoice()
    # WHEN its invoice is rendered
    with caplog.at_level(logging.WARNING):
        pdf = read(invoice)
    text = pdf.text()
    lines = set(text.splitlines())
    # THEN the labels are Latvian
    assert {"Rēķins", "Rēķina numurs", "Apmaksas termiņš", "Dalības numurs", "Kopā (EUR)"} <= lines
    assert {"Summa bez PVN", "PVN 0%", "Maksājuma veids", "Bankas pārskaitījums"} <= lines
    assert "Periods: 01.03.2026. \u2013 28.02.2027." in lines and "CPS Silver dalība" in lines
    assert "Nodokļa apgrieztā maksāšana (Padomes Direktīvas 2006/112/EK 196. pants)" in lines
    assert "Var tikt piemērotas papildu bankas komisijas maksas." in flat(text)
    # AND the buyer's name comes back letter for letter, country names too
    assert "SIA Ežezera Ķēniņu Foto un Ģimenes Čūskas Žurnāls Šļūce" in flat(text)  # wrapped
    assert {"Lāčplēša iela 21-4, Rīga, LV-1010", "Latvija", "Nīderlande"} <= lines
    assert set(LATVIAN_LETTERS) | set("ĀĶĢČŽŠ") <= set(text)
    # AND the font had a glyph for every character, and the title is Latvian too
    assert "missing" not in caplog.text
    assert pdf.xmp_entry("dc:title") == "Rēķins 2026-000123"


def test_german_umlauts_and_eszett_render():
    # GIVEN a German business served in German WHEN its invoice is rendered
    invoice = dutch_card_invoice(
        language="de",
        buyer=Party("Müller & Söhne Größen GmbH", "Äußere Straße 5, 80331 München", "DE", None),
    )
    lines = set(read(invoice).text().splitlines())
    # THEN the umlauts and ß come back as written, and the labels are German
    assert {"Müller & Söhne Größen GmbH", "Äußere Straße 5, 80331 München", "Deutschland"} <= lines
    assert {
        "Rechnung",
        "Fälligkeitsdatum",
        "Rechnungsempfänger".upper(),
        "Gesamtbetrag (EUR)",
    } <= lines
    assert {"MwSt. 21 %", "17,85 €", "102,85 €", "Kreditkarte"} <= lines


@pytest.mark.parametrize(
    ("language", "title", "due", "vat", "total", "due_on"),
    [
        ("en", "Invoice", "Due date", "VAT 21%", "€102.85", "31 March 2026"),
        ("nl", "Factuur", "Vervaldatum", "BTW 21%", "€ 102,85", "31-03-2026"),
        ("de", "Rechnung", "Fälligkeitsdatum", "MwSt. 21 %", "102,85 €", "31.03.2026"),
        ("da", "Faktura", "Forfaldsdato", "Moms 21 %", "102,85 €", "31.03.2026"),
        ("lv", "Rēķins", "Apmaksas termiņš", "PVN 21%", "102,85 €", "31.03.2026."),
    ],
)
def test_each_language_has_its_labels_amounts_and_dates(language, title, due, vat, total, due_on):
    # GIVEN the same invoice in each customer language WHEN it is rendered
    lines = set(read(dutch_card_invoice(language=language)).text().splitlines())
    # THEN title, labels, amounts and dates follow the language
    assert {title, due, vat, total, due_on} <= lines


def test_an_unknown_language_falls_back_to_english():
    # GIVEN a language the programme does not serve WHEN the invoice is rendered THEN English
    assert "Invoice" in read(dutch_card_invoice(language="fr")).text().splitlines()


def test_every_language_has_every_label():
    # GIVEN the label table THEN no language leaves a label empty, and all five are there
    assert set(LABELS) == {"en", "nl", "de", "da", "lv"}
    for labels in LABELS.values():
        assert all(value != "" for value in vars(labels).values()), labels.language
        assert "{due}" in labels.card_note and "{reference}" in labels.bank_note


@pytest.mark.parametrize(
    ("language", "amount", "currency", "expected"),
    [
        ("en", "1234567.5", "EUR", "€1,234,567.50"),
        ("en", "-5", "GBP", "-£5.00"),
        ("nl", "1234.5", "EUR", "€ 1.234,50"),
        ("de", "1234.5", "EUR", "1.234,50 €"),
        ("da", "1234.5", "GBP", "1.234,50 £"),
        ("lv", "1234.5", "EUR", "1234,50 €"),
        ("lv", "12345.5", "EUR", "12\u00a0345,50 €"),
        ("en", "10", "CHF", "CHF 10.00"),
        ("de", "10", "CHF", "10,00 CHF"),
    ],
)
def test_amounts_are_written_the_way_the_language_writes_them(language, amount, currency, expected):
    assert labels_for(language).money(Money(Decimal(amount), currency)) == expected


def test_rates_dates_and_notes_are_localised():
    assert labels_for("de").percent(Decimal("0.055")) == "5,5 %"
    assert labels_for("en").percent(Decimal("0.2")) == "20%"
    assert labels_for("da").date(date(2026, 1, 5)) == "05.01.2026"
    assert labels_for("da").vat_note(OUTSIDE_EU) == "Uden for EU-momsens anvendelsesområde"
    assert labels_for("nl").vat_note("A note nobody translated") == "A note nobody translated"
    assert labels_for("nl").country("de") == "Duitsland"


def test_a_description_in_another_form_is_printed_as_is():
    # GIVEN a description without the membership period WHEN rendered THEN it is printed verbatim
    lines = read(dutch_card_invoice(description="CPS Gold upgrade")).text().splitlines()
    assert "CPS Gold upgrade" in lines and not any(line.startswith("Period") for line in lines)


# --- the same bytes ------------------------------------------------------------------------


def test_the_same_invoice_renders_to_the_same_bytes():
    # GIVEN an invoice WHEN it is rendered twice (a retry), with other invoices in between
    first = render_invoice_pdf(latvian_invoice())
    render_invoice_pdf(dutch_card_invoice(language="de"))
    again = render_invoice_pdf(latvian_invoice())
    # THEN the bytes are identical, and the creation date is the issue date
    assert first == again
    assert _Pdf(first).xmp_entry("xmp:CreateDate") == "2026-03-01T00:00:00+00:00"
    assert _Pdf(first).xmp_entry("xmp:ModifyDate") == "2026-03-01T00:00:00+00:00"


def test_the_font_cache_changes_nothing_in_the_output():
    # GIVEN fonts parsed afresh for each document, as plain fpdf2 does it
    fresh = [
        render_with_fonts(i, add_font_files) for i in (latvian_invoice(), dutch_card_invoice())
    ]
    # WHEN the same invoices are rendered with one cache, in the other order and twice
    cache = FontCache()
    cached = [
        render_with_fonts(i, cache.install) for i in (dutch_card_invoice(), latvian_invoice())
    ]
    cached += [render_with_fonts(latvian_invoice(), cache.install)]
    # THEN every document is byte for byte what fpdf2 writes without the cache
    assert cached == [fresh[1], fresh[0], fresh[0]]


def test_a_different_invoice_renders_differently():
    assert render_invoice_pdf(dutch_card_invoice()) != render_invoice_pdf(
        dutch_card_invoice(invoice_number="2026-000124")
    )


def test_the_fonts_directory_is_inside_the_package():
    # GIVEN `chalice package` ships chalicelib/ THEN the fonts live there, not on the machine
    package = Path(__file__).resolve().parents[2] / "chalicelib"
    assert package in FONT_DIR.parents
