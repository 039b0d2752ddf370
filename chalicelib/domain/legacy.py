"""Old-CPS exports (SPEC §2 "Migrate products"): rows checked one by one, keyed stably."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from chalicelib.domain.applications import is_valid_email, normalise_email
from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.products import ProductDetails, validate_details

HEADER = ("email", "sku", "serial_number", "purchase_date", "country_of_purchase", "dealer")


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


def parse_rows(
    lines: Iterable[str], known_skus: frozenset[str], today: date
) -> Iterator[LegacyProduct | RejectedRow]:
    """Streams the export: yields each valid row as a product and each invalid one with why."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != HEADER:
        yield RejectedRow(1, f"the header must be: {', '.join(HEADER)}")
        return
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            yield RejectedRow(number, f"expected {len(HEADER)} columns, found {len(row)}")
            continue
        email, sku, serial, bought, country, dealer = (cell.strip() for cell in row)
        if not is_valid_email(email):
            yield RejectedRow(number, "email: not a valid e-mail address")
            continue
        sku = sku.upper()
        if sku not in known_skus:
            yield RejectedRow(number, f"sku: {sku or '(empty)'} is not an eligible product")
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
