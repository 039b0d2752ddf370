"""Renders an `Invoice` as an A4 PDF (SPEC §4) with fpdf2 and the bundled DejaVu Sans.

fpdf2's core fonts are latin-1 only, so the invoice embeds DejaVu Sans (regular and bold, in
`fonts/`, with its licence): Latvian, German, Danish and most European names render, and only
the glyphs used are embedded (fpdf2 subsets the font when it writes the file).

The file is PDF/A-3B (ISO 19005-3, fpdf2's `enforce_compliance`): every font embedded, an
sRGB output intent, XMP metadata declaring the part and conformance; the invoice pipeline then
embeds the EN 16931 CII XML in it as Factur-X (chalicelib/adapters/einvoice.py).

The bytes are a function of the invoice alone: the PDF's creation and modification dates are
the issue date and nothing else varies, so re-rendering after a retry gives the same document.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from copy import copy
from datetime import UTC, date, datetime, time
from html import escape
from io import BytesIO
from pathlib import Path
from types import MappingProxyType
from typing import Final

from fontTools import ttLib  # type: ignore[import-untyped]  # fpdf2 depends on it
from fpdf import FPDF, XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont

from chalicelib.domain.invoices import Invoice, InvoiceKind, Party, payment_reference
from chalicelib.domain.membership import PaymentMethod
from chalicelib.invoice_pdf.labels import Labels, labels_for

__all__ = [
    "FONT_DIR",
    "FONT_FAMILY",
    "FONT_FILES",
    "FontCache",
    "add_font_files",
    "render_invoice_pdf",
    "render_with_fonts",
]

FONT_DIR: Final = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY: Final = "DejaVuSans"
FONT_FILES: Final = MappingProxyType({"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"})

BRAND: Final = "Canon Professional Services"
PDF_A: Final = "PDF/A-3B"  # PDF/A-3: the part that allows the embedded e-invoice XML

# Geometry in millimetres (A4 portrait) and colours.
LEFT: Final = 20.0
RIGHT: Final = 190.0
WIDTH: Final = RIGHT - LEFT
TOP: Final = 18.0
BOTTOM_MARGIN: Final = 28.0
TEXT: Final = (33, 33, 33)
MUTED: Final = (112, 112, 112)
ACCENT: Final = (204, 0, 0)  # Canon red
RULE: Final = (205, 205, 205)
FILL: Final = (243, 243, 243)
EN_DASH: Final = " \u2013 "
PAD: Final = 2.0  # the inset of the line table's text and of the amounts

# "CPS Silver membership 2026-03-01 to 2027-03-01", as the invoicing service writes it.
_DESCRIPTION: Final = re.compile(
    r"^(?P<product>.+?) membership (?P<start>\d{4}-\d{2}-\d{2}) to (?P<end>\d{4}-\d{2}-\d{2})$"
)

FontInstaller = Callable[[FPDF], None]


# --- fonts -----------------------------------------------------------------------------------


def add_font_files(pdf: FPDF) -> None:
    """The plain fpdf2 way: parse the TTF files for this document (about 100 ms a style)."""
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, style, str(FONT_DIR / name))


class FontCache:
    """Parses the fonts once per process and hands each document its own copy.

    fpdf2 cannot share a parsed font between documents as is: writing a PDF subsets the
    font's fontTools object in place and the font records which glyphs the document used. The
    cache keeps what is read-only and costly (metrics, cmap, glyph ids: the bulk of
    `add_font`) and gives every document a fresh fontTools object, read lazily from the file's
    bytes in memory, and an empty subset map. `tests/unit/test_invoice_pdf.py` proves the result
    is byte-identical to `add_font_files`, which guards this against fpdf2 internals changing.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fonts: tuple[tuple[TTFFont, bytes], ...] | None = None

    def install(self, pdf: FPDF) -> None:
        for template, data in self._load():
            pdf.fonts[template.fontkey] = _fresh_copy(template, data, index=len(pdf.fonts) + 1)

    def _load(self) -> tuple[tuple[TTFFont, bytes], ...]:
        if self._fonts is None:
            with self._lock:
                if self._fonts is None:
                    scratch = FPDF()
                    add_font_files(scratch)
                    self._fonts = tuple(
                        (font, Path(font.ttffile).read_bytes())
                        for font in scratch.fonts.values()
                        if isinstance(font, TTFFont)
                    )
        return self._fonts


def _fresh_copy(template: TTFFont, data: bytes, index: int) -> TTFFont:
    font = TTFFont.__new__(TTFFont)
    for name in TTFFont.__slots__:
        if hasattr(template, name):
            setattr(font, name, getattr(template, name))
    font.i = index
    font.ttfont = ttLib.TTFont(BytesIO(data), recalcTimestamp=False, lazy=True)
    font.cw = copy(template.cw)  # a defaultdict: reading an unknown character adds it
    font.glyph_ids = dict(template.glyph_ids)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    return font


_FONTS: Final = FontCache()


# --- rendering -------------------------------------------------------------------------------


def render_invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as PDF bytes, in the invoice's language; the same invoice, the same bytes."""
    return render_with_fonts(invoice, _FONTS.install)


def render_with_fonts(invoice: Invoice, install_fonts: FontInstaller) -> bytes:
    labels = labels_for(invoice.language)
    pdf = _InvoicePdf(_footer_lines(invoice, labels))
    install_fonts(pdf)
    issued = datetime.combine(invoice.issued_on, time(0), tzinfo=UTC)
    title = f"{_title(invoice, labels)} {invoice.invoice_number}"
    pdf.set_creation_date(issued)
    pdf.set_title(title)
    pdf.set_author(invoice.seller.name)
    pdf.set_creator(BRAND)
    # fpdf2 would date its XMP packet "now": this one says the same, dated the issue day.
    pdf.set_xmp_metadata(_xmp(title, invoice.seller.name, issued))
    pdf.set_lang(labels.language)
    pdf.set_margins(LEFT, TOP, 210 - RIGHT)
    pdf.set_auto_page_break(auto=True, margin=BOTTOM_MARGIN)
    pdf.add_page()

    _header(pdf, invoice, labels)
    _parties(pdf, invoice, labels)
    _line_and_totals(pdf, invoice, labels)
    _payment(pdf, invoice, labels)
    return bytes(pdf.output())


class _InvoicePdf(FPDF):
    def __init__(self, footer_lines: tuple[str, ...]) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4", enforce_compliance=PDF_A)
        self._footer_lines = footer_lines

    def footer(self) -> None:
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(LEFT, self.h - 20, RIGHT, self.h - 20)
        self.set_y(-18)
        _font(self, size=7.5, color=MUTED)
        for line in self._footer_lines:
            self.cell(WIDTH, 3.8, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _footer_lines(invoice: Invoice, labels: Labels) -> tuple[str, ...]:
    seller = invoice.seller
    second = " · ".join(
        part
        for part in (
            _one_line(seller.address),
            labels.country(seller.country),
            f"{labels.vat_number} {seller.vat_number}" if seller.vat_number else "",
        )
        if part
    )
    return (f"{seller.name} · {BRAND}", second)


def _header(pdf: FPDF, invoice: Invoice, labels: Labels) -> None:
    _font(pdf, "B", 22, ACCENT)
    pdf.set_xy(LEFT, TOP)
    pdf.cell(WIDTH, 10, _title(invoice, labels), align="R")
    _font(pdf, "B", 9.5, MUTED)
    pdf.set_xy(LEFT, TOP + 10)
    pdf.cell(WIDTH, 5, invoice.invoice_number, align="R")

    seller = invoice.seller
    pdf.set_xy(LEFT, TOP + 1)
    _font(pdf, "B", 12)
    _text(pdf, LEFT, 100, 6, seller.name)
    _font(pdf, size=9)
    lines = _party_lines(seller, labels)
    if seller.legal_id:
        lines.append(f"{labels.kvk_number}: {seller.legal_id}")
    if seller.email:
        lines.append(f"{labels.support}: {seller.email}")
    _text(pdf, LEFT, 100, 4.4, "\n".join(lines))

    y = max(pdf.get_y(), TOP + 16) + 5
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.line(LEFT, y, RIGHT, y)
    pdf.set_y(y + 7)


def _parties(pdf: FPDF, invoice: Invoice, labels: Labels) -> None:
    top = pdf.get_y()

    _font(pdf, "B", 8, MUTED)
    _text(pdf, LEFT, 80, 4.5, labels.bill_to.upper())
    _font(pdf, "B", 10.5)
    _text(pdf, LEFT, 80, 5.4, invoice.buyer.name)
    _font(pdf, size=9)
    _text(pdf, LEFT, 80, 4.6, "\n".join(_party_lines(invoice.buyer, labels)))
    left_bottom = pdf.get_y()

    rows = [
        (labels.invoice_number, invoice.invoice_number),
        (labels.issue_date, labels.date(invoice.issued_on)),
        (labels.due_date, labels.date(invoice.due_on)),
        (labels.membership_number, invoice.membership_number),
    ]
    if invoice.purchase_order_number:
        rows.append((labels.po_number, invoice.purchase_order_number))
    pdf.set_y(top)
    right_bottom = _rows(pdf, rows, x=106, label_w=44, value_w=RIGHT - 150, bold_values=True)

    pdf.set_y(max(left_bottom, right_bottom) + 11)


def _line_and_totals(pdf: FPDF, invoice: Invoice, labels: Labels) -> None:
    amount_w = 38.0
    description_w = WIDTH - amount_w

    top = pdf.get_y()
    pdf.set_fill_color(*FILL)
    pdf.rect(LEFT, top, WIDTH, 7, style="F")
    _font(pdf, "B", 8.5, MUTED)
    pdf.set_xy(LEFT + PAD, top)
    pdf.cell(description_w - PAD, 7, labels.description)
    pdf.cell(amount_w - PAD, 7, labels.amount, align="R")
    pdf.set_y(top + 7)

    product, period = _description(invoice, labels)
    row_top = pdf.get_y() + 3
    pdf.set_y(row_top)
    _font(pdf, size=9.5)
    _text(pdf, LEFT + PAD, description_w - 3 * PAD, 5, product)
    if period:
        _font(pdf, size=8.5, color=MUTED)
        _text(pdf, LEFT + PAD, description_w - 3 * PAD, 4.6, f"{labels.period}: {period}")
    row_bottom = pdf.get_y()
    _font(pdf, size=9.5)
    pdf.set_xy(LEFT + description_w, row_top)
    pdf.cell(amount_w - PAD, 5, labels.money(invoice.net), align="R")

    y = row_bottom + 3
    _rule(pdf, LEFT, RIGHT, y)
    pdf.set_y(y + 3)

    x, label_w, value_w = 104.0, 52.0, RIGHT - PAD - 104.0 - 52.0
    _font(pdf, size=9.5)
    _pair(pdf, x, label_w, value_w, 6, labels.subtotal, labels.money(invoice.net))
    _pair(
        pdf,
        x,
        label_w,
        value_w,
        6,
        f"{labels.vat} {labels.percent(invoice.vat_rate)}",
        labels.money(invoice.vat),
    )
    y = pdf.get_y() + 1
    pdf.set_draw_color(*TEXT)
    pdf.set_line_width(0.3)
    pdf.line(x, y, RIGHT, y)
    pdf.set_y(y + 1.5)
    _font(pdf, "B", 11)
    _pair(
        pdf,
        x,
        label_w,
        value_w,
        7,
        f"{labels.total} ({invoice.total.currency})",
        labels.money(invoice.total),
    )

    note = labels.vat_note(invoice.vat_note)
    if note:
        pdf.ln(4)
        _font(pdf, "B", 9)
        _text(pdf, LEFT, WIDTH, 4.8, note)


def _payment(pdf: FPDF, invoice: Invoice, labels: Labels) -> None:
    pdf.ln(8)
    _font(pdf, "B", 8, MUTED)
    _text(pdf, LEFT, WIDTH, 5, labels.payment.upper())
    _rule(pdf, LEFT, RIGHT, pdf.get_y() + 0.5)
    pdf.ln(3)

    due = labels.date(invoice.due_on)
    if invoice.payment_method is PaymentMethod.CARD or invoice.bank_details is None:
        method, note, rows = labels.card, labels.card_note.format(due=due), []
    else:
        bank = invoice.bank_details
        reference = bank.reference or payment_reference(invoice.invoice_number)
        method = labels.bank_transfer
        note = labels.bank_note.format(due=due, reference=reference)
        rows = [
            (labels.beneficiary, bank.beneficiary),
            (labels.iban, _iban(bank.iban)),
            (labels.bic, bank.bic),
            (labels.reference, reference),
        ]
    _font(pdf, size=9)
    _rows(pdf, [(labels.payment_method, method)], x=LEFT, label_w=44, value_w=WIDTH - 44)
    pdf.ln(1.5)
    _font(pdf, size=9)
    _text(pdf, LEFT, WIDTH, 4.8, note)
    if rows:
        pdf.ln(2.5)
        _rows(pdf, rows, x=LEFT, label_w=44, value_w=WIDTH - 44, bold_values=True)


# --- small helpers ---------------------------------------------------------------------------


def _font(pdf: FPDF, style: str = "", size: float = 9, color: tuple[int, int, int] = TEXT) -> None:
    pdf.set_font(FONT_FAMILY, style, size)
    pdf.set_text_color(*color)


def _text(pdf: FPDF, x: float, w: float, h: float, text: str, align: str = "L") -> None:
    """Wrapped text in a column; the cursor ends below it, at the column's left edge."""
    pdf.set_x(x)
    pdf.multi_cell(w, h, text, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)


def _pair(
    pdf: FPDF, x: float, label_w: float, value_w: float, h: float, label: str, value: str
) -> None:
    pdf.set_x(x)
    pdf.cell(label_w, h, label)
    pdf.cell(value_w, h, value, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _rows(
    pdf: FPDF,
    rows: Iterable[tuple[str, str]],
    *,
    x: float,
    label_w: float,
    value_w: float,
    bold_values: bool = False,
) -> float:
    """Label/value rows; long values wrap in their column. Returns the y below the last row."""
    for label, value in rows:
        top = pdf.get_y()
        _font(pdf, size=8.5, color=MUTED)
        _text(pdf, x, label_w, 5, label)
        label_bottom = pdf.get_y()
        pdf.set_y(top)
        _font(pdf, "B" if bold_values else "", 9)
        _text(pdf, x + label_w, value_w, 5, value)
        pdf.set_y(max(label_bottom, pdf.get_y()))
    return pdf.get_y()


def _rule(pdf: FPDF, x1: float, x2: float, y: float) -> None:
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.line(x1, y, x2, y)


def _party_lines(party: Party, labels: Labels) -> list[str]:
    """The address once, then the country in the reader's language, then the VAT number."""
    if party.street:
        lines = [party.street, f"{party.postcode} {party.city}".strip()]
    else:
        lines = [line.strip() for line in party.address.splitlines() if line.strip()]
    lines.append(labels.country(party.country))
    if party.vat_number:
        lines.append(f"{labels.vat_number}: {party.vat_number}")
    return lines


def _one_line(address: str) -> str:
    return ", ".join(line.strip() for line in address.splitlines() if line.strip())


def _description(invoice: Invoice, labels: Labels) -> tuple[str, str | None]:
    """("CPS Silver membership", "01.03.2026 - 28.02.2027" with an en dash) in the invoice's
    language; a description in any other form is printed as it is, without a period. The
    period is the invoice's own (its end inclusive: the day before the term expires)."""
    description = invoice.description
    match = _DESCRIPTION.match(description.strip())
    if match is None:
        return description, None
    start, end = date.fromisoformat(match["start"]), date.fromisoformat(match["end"])
    if invoice.period_from and invoice.period_to:
        start, end = invoice.period_from, invoice.period_to
    return (
        f"{match['product']} {labels.membership}",
        f"{labels.date(start)}{EN_DASH}{labels.date(end)}",
    )


def _iban(iban: str) -> str:
    """The IBAN in groups of four, as printed on paper ("NL91 ABNA 0417 1643 00")."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _title(invoice: Invoice, labels: Labels) -> str:
    return labels.credit_note if invoice.kind is InvoiceKind.CREDIT_NOTE else labels.title


def _xmp(title: str, author: str, issued: datetime) -> str:
    """The PDF/A identification (part 3, conformance B) and the document's metadata, as the
    XMP packet's content (fpdf2 wraps it, and writes no Info dictionary for PDF/A)."""
    when = issued.isoformat(timespec="seconds")
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
        "</rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt>'
        f"</dc:title><dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq>"
        "</dc:creator></rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<xmp:CreatorTool>{escape(BRAND)}</xmp:CreatorTool>"
        f"<xmp:CreateDate>{when}</xmp:CreateDate><xmp:ModifyDate>{when}</xmp:ModifyDate>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
