"""Old-CPS exports (SPEC §2 "Migrate products"): rows checked one by one, keyed stably."""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from chalicelib.domain.applications import is_valid_email, normalise_email
from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.products import ProductDetails, validate_details

HEADER = ("email", "sku", "serial_number", "purchase_date", "country_of_purchase", "dealer")
MAX_LINE_CHARS = 4000  # a row is far shorter; a longer line is refused, never stored
MAX_EMAIL_CHARS = 254  # RFC 5321's limit (and well within DynamoDB's key size)
_HEADER_REQUIRED = f"the first line must be the header: {', '.join(HEADER)}"
# The reader decodes with errors="surrogateescape": a byte that is not UTF-8 arrives as a lone
# surrogate U+DC80..U+DCFF, so the line it is on can be refused on its own.
_UNDECODABLE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class LegacyProduct:
    email: str
    row_key: str
    sku: str
    details: ProductDetails


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str


def row_key(sku: str, details: ProductDetails) -> str:
    """The same physical product gets the same key in every import: re-importing changes
    nothing. Rows without a serial are keyed by their whole content."""
    if details.serial_number:
        return f"{sku}#{details.serial_number}"
    content = "|".join(
        str(v or "")
        for v in (sku, details.purchase_date, details.country_of_purchase, details.dealer)
    )
    return f"{sku}#row-{hashlib.sha256(content.encode()).hexdigest()[:20]}"


class UnreadableExport(ValueError):
    """The file as a whole is not an old-CPS export (empty, binary, no header): its import
    fails with this reason instead of rejecting every line."""


def sniff_export(size: int, head: bytes) -> str | None:
    """Why the file cannot be an export, judged from its size and first bytes; None if it may.

    Catches a binary file before it is streamed: it may have no line break for megabytes."""
    if size == 0:
        return "the file is empty"
    if b"\x00" in head:
        return "the file is binary (or not UTF-8 text), not a CSV export"
    first, newline, _ = head.partition(b"\n")
    first = first.split(b"\r", 1)[0]
    if not newline and b"\r" not in head and size > len(head):
        return _HEADER_REQUIRED
    try:
        first.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "the first line is not UTF-8 text: the file is not a CSV export"
    cells = split_line(first.decode("utf-8-sig"))
    if isinstance(cells, str) or tuple(c.strip().lower() for c in cells) != HEADER:
        return _HEADER_REQUIRED
    return None


def split_line(line: str) -> list[str] | str:
    """One physical line of the export as its cells, or why it cannot be read. Each row stands
    on one line, so a broken line (a byte that is not UTF-8, a quote never closed) is that
    row's problem only, never the rest of the file's."""
    if len(line) > MAX_LINE_CHARS:
        return f"the line is longer than {MAX_LINE_CHARS} characters"
    undecodable = _UNDECODABLE.search(line)
    if undecodable:
        byte = ord(undecodable.group()) - 0xDC00
        return f"not valid UTF-8 text: byte 0x{byte:02X} at character {undecodable.start() + 1}"
    try:
        return next(csv.reader([line], strict=True), [])
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return "a quoted value is not closed: its closing quote is missing"
        return f"not valid CSV: {exc}"


def parse_rows(
    lines: Iterable[str], known_skus: frozenset[str], today: date
) -> Iterator[LegacyProduct | RejectedRow]:
    """Streams the export: yields each valid row as a product and each invalid one with why.

    Raises `UnreadableExport` (on the first step) when the file has no valid header."""
    numbered = enumerate(lines, start=1)
    first = next(numbered, None)
    if first is None:
        raise UnreadableExport("the file is empty")
    header = split_line(first[1])
    if isinstance(header, str) or tuple(h.strip().lower() for h in header) != HEADER:
        raise UnreadableExport(_HEADER_REQUIRED)
    for number, line in numbered:
        row = split_line(line)
        if isinstance(row, str):
            yield RejectedRow(number, row)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            yield RejectedRow(number, f"expected {len(HEADER)} columns, found {len(row)}")
            continue
        email, sku, serial, bought, country, dealer = (cell.strip() for cell in row)
        if len(email) > MAX_EMAIL_CHARS or not is_valid_email(email):
            yield RejectedRow(number, "email: not a valid e-mail address")
            continue
        sku = sku.upper()
        if sku not in known_skus:
            shown = sku if len(sku) <= 40 else f"{sku[:40]}…"
            yield RejectedRow(number, f"sku: {shown or '(empty)'} is not an eligible product")
            continue
        try:
            details = validate_details(
                serial_number=serial or None,
                purchase_date=bought or None,
                country_of_purchase=country or None,
                dealer=dealer or None,
                today=today,
            )
        except ValidationFailed as exc:
            yield RejectedRow(
                number, "; ".join(f"{field}: {why}" for field, why in sorted(exc.fields.items()))
            )
            continue
        yield LegacyProduct(normalise_email(email), row_key(sku, details), sku, details)
