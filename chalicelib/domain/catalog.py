"""The catalogue of eligible products and the points each earns (SPEC §2-3).

Pure rules, no AWS. The only I/O is reading the catalogue file packaged with the code
(``chalicelib/catalog_data/products.csv``) through ``importlib.resources``.

The file has one row per product and value::

    sku,name,category,points,effective_from
    EOS-R5-BODY,Canon EOS R5,CAMERA_BODY,300,2020-07-01
    EOS-R5-BODY,Canon EOS R5,CAMERA_BODY,250,2025-04-01

A SKU may appear on several rows with different ``effective_from`` dates: the value in force on a
day is the row with the latest ``effective_from`` on or before that day. A product whose first
value starts after today is not eligible yet.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

__all__ = [
    "CATEGORIES",
    "CSV_HEADER",
    "CatalogFileError",
    "CatalogProduct",
    "PointsValue",
    "load_catalog_csv",
    "packaged_catalog",
    "search",
]

# Alphabetical, so "sorted by category" reads the same whichever way one sorts.
CATEGORIES: tuple[str, ...] = (
    "CAMERA_BODY",
    "CINEMA_CAMERA",
    "CINEMA_LENS",
    "EXTENDER",
    "LENS",
    "PRINTER",
    "SPEEDLITE",
)

CSV_HEADER: tuple[str, ...] = ("sku", "name", "category", "points", "effective_from")

_SKU = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{1,63}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_POINTS = re.compile(r"^[0-9]+$")


@dataclass(frozen=True)
class PointsValue:
    """The points a product earns from ``effective_from`` on (until a later value starts)."""

    points: int
    effective_from: date


@dataclass(frozen=True)
class CatalogProduct:
    """One eligible product and the history of its points values, oldest first."""

    sku: str
    name: str
    category: str
    values: tuple[PointsValue, ...]

    def __post_init__(self) -> None:
        # Always kept in date order, whatever order the caller gave.
        ordered = tuple(sorted(self.values, key=lambda v: v.effective_from))
        object.__setattr__(self, "values", ordered)

    def eligible_on(self, day: date) -> bool:
        """True once the first value is in force."""
        return bool(self.values) and self.values[0].effective_from <= day

    def points_on(self, day: date) -> int:
        """The points value in force on ``day``.

        Raises ``ValueError`` when no value was in force yet on that day.
        """
        in_force: PointsValue | None = None
        for value in self.values:
            if value.effective_from <= day:
                in_force = value
            else:
                break
        if in_force is None:
            raise ValueError(f"{self.sku} earns no points on {day.isoformat()}: not eligible yet")
        return in_force.points


class CatalogFileError(ValueError):
    """The catalogue file is malformed; ``line`` is the 1-based line number of the problem."""

    def __init__(self, line: int, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}")


# --- loading the file ------------------------------------------------------------------------


@dataclass
class _Draft:
    name: str
    category: str
    first_line: int
    values: dict[date, tuple[int, int]]  # effective_from -> (points, line)


def _check_row(line: int, row: list[str]) -> tuple[str, str, str, int, date]:
    if len(row) != len(CSV_HEADER):
        raise CatalogFileError(line, f"expected {len(CSV_HEADER)} fields, found {len(row)}")
    for column, value in zip(CSV_HEADER, row, strict=True):
        if value != value.strip():
            raise CatalogFileError(line, f"{column} has leading or trailing spaces")
    sku, name, category, points_text, date_text = row
    if not _SKU.match(sku):
        raise CatalogFileError(
            line,
            f"sku {sku!r} is not valid (upper-case letters, digits, '.' and '-', 2 to 64 long)",
        )
    if not name:
        raise CatalogFileError(line, "name is empty")
    if category not in CATEGORIES:
        raise CatalogFileError(
            line, f"category {category!r} is unknown (one of {', '.join(CATEGORIES)})"
        )
    if not _POINTS.match(points_text) or int(points_text) <= 0:
        raise CatalogFileError(line, f"points {points_text!r} is not a positive whole number")
    if not _ISO_DATE.match(date_text):
        raise CatalogFileError(line, f"effective_from {date_text!r} is not a date (YYYY-MM-DD)")
    try:
        effective_from = date.fromisoformat(date_text)
    except ValueError:
        raise CatalogFileError(
            line, f"effective_from {date_text!r} is not a calendar date"
        ) from None
    return sku, name, category, int(points_text), effective_from


def load_catalog_csv(text: str) -> list[CatalogProduct]:
    """Parse and validate the catalogue file strictly; products come back in file order.

    Raises ``CatalogFileError`` (a ``ValueError``) naming the line of the first problem: the
    header is not exactly ``sku,name,category,points,effective_from``; a row has the wrong number
    of fields or padded fields; an invalid SKU, empty name, unknown category, points that are not
    a positive whole number, an effective_from that is not an ISO date; a SKU with two rows for the
    same date or with a different name or category than on its first row; an empty line; or a
    file without products.
    """
    text = text.removeprefix("\ufeff")  # a byte-order mark left by a spreadsheet program
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise CatalogFileError(reader.line_num or 1, f"not valid CSV ({exc})") from None
    # Empty lines at the very end of the file are harmless; anywhere else they are a mistake.
    while rows and not rows[-1][1]:
        rows.pop()
    if not rows:
        raise CatalogFileError(1, f"the header {','.join(CSV_HEADER)} is missing")
    header_line, header = rows[0]
    if tuple(header) != CSV_HEADER:
        raise CatalogFileError(
            header_line,
            f"the header must be exactly {','.join(CSV_HEADER)}, found {','.join(header)}",
        )
    if len(rows) == 1:
        raise CatalogFileError(header_line + 1, "the catalogue has no products")

    drafts: dict[str, _Draft] = {}
    for line, row in rows[1:]:
        if not row:
            raise CatalogFileError(line, "empty line")
        sku, name, category, points, effective_from = _check_row(line, row)
        draft = drafts.get(sku)
        if draft is None:
            drafts[sku] = _Draft(name, category, line, {effective_from: (points, line)})
            continue
        if name != draft.name:
            raise CatalogFileError(
                line, f"{sku} is named {draft.name!r} on line {draft.first_line}, not {name!r}"
            )
        if category != draft.category:
            raise CatalogFileError(
                line, f"{sku} is in {draft.category} on line {draft.first_line}, not {category}"
            )
        if effective_from in draft.values:
            raise CatalogFileError(
                line,
                f"{sku} already has a value from {effective_from.isoformat()} "
                f"on line {draft.values[effective_from][1]}",
            )
        draft.values[effective_from] = (points, line)

    return [
        CatalogProduct(
            sku=sku,
            name=draft.name,
            category=draft.category,
            values=tuple(PointsValue(p, d) for d, (p, _line) in draft.values.items()),
        )
        for sku, draft in drafts.items()
    ]


@lru_cache(maxsize=1)
def _packaged() -> tuple[CatalogProduct, ...]:
    text = (
        resources.files("chalicelib.catalog_data")
        .joinpath("products.csv")
        .read_text(encoding="utf-8")
    )
    return tuple(load_catalog_csv(text))


def packaged_catalog() -> list[CatalogProduct]:
    """The catalogue shipped with the code (``chalicelib/catalog_data/products.csv``)."""
    return list(_packaged())


# --- searching ---------------------------------------------------------------------------------

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
# "Mark II", "Mk II", "MarkII", "mk-2", "mark 2" -> "mk2"; "mark" alone -> "mk".
_MARK = re.compile(r"(?<![a-z])(?:mark|mk)[\s\-_]*(iv|iii|ii|i|[1-4])(?![a-z0-9])")
_BARE_MARK = re.compile(r"(?<![a-z])mark(?![a-z])")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_SEPARATORS = re.compile(r"[\s\-_,;:()\[\]+|]+")


def _fold(text: str) -> str:
    """Lower case, no accents, "f/2,8" -> "f2.8", every "Mark II" spelling -> "mk2"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = _DECIMAL_COMMA.sub(".", plain).replace("/", "")
    plain = _MARK.sub(lambda m: "mk" + _ROMAN.get(m.group(1), m.group(1)), plain)
    return _BARE_MARK.sub("mk", plain)


def _haystack(product: CatalogProduct) -> str:
    # Name and SKU on separate lines, so that a query word never matches across the two.
    return "\n".join(
        _SEPARATORS.sub(" ", _fold(part)).strip() for part in (product.name, product.sku)
    )


def _matches(product: CatalogProduct, patterns: list[re.Pattern[str]]) -> bool:
    if not patterns:
        return True
    haystack = _haystack(product)
    return all(pattern.search(haystack) for pattern in patterns)


def _word_pattern(word: str) -> re.Pattern[str]:
    """A query word ("2470", "r5", "mk2") found whatever the spaces or hyphens in the name.

    A number is matched whole: "c70" does not find the C700, "f4" not the F4.5-7.1L, "70" not 170.
    """
    body = " ?".join(re.escape(c) for c in word)
    before = r"(?<![0-9])(?<![0-9]\.)" if word[0].isdigit() else ""
    after = r"(?![0-9])(?!\.[0-9])" if word[-1].isdigit() else ""
    return re.compile(before + body + after)


def _query_words(q: str) -> list[str]:
    # Hyphens join ("24-70" is one word, 2470); spaces separate words, matched in any order.
    folded = _fold(q)
    words = (re.sub(r"[\-_,;:()\[\]+|]+", "", w) for w in folded.split())
    return [w for w in words if w]


def _natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    # "RF 24-70mm" before "RF 100-500mm": numbers compare as numbers.
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", _SEPARATORS.sub(" ", text.casefold()))
        if part
    )


def search(
    products: Iterable[CatalogProduct], q: str | None, category: str | None, today: date
) -> list[CatalogProduct]:
    """The eligible products matching ``q`` and ``category``, by category then name.

    ``q`` matches name or SKU, ignoring case, accents, spaces and hyphens, with every spelling of
    "Mark II" ("mk ii", "markii", "mark 2") alike and "f/2,8" read as "f2.8". Products matching
    ``q`` as one phrase are returned if there are any; otherwise those matching every word of
    ``q``, in any order. Numbers match whole ("c70" is not the C700).
    ``category`` is an exact category, any case; an unknown one finds nothing. Products not yet
    eligible on ``today`` (their first value starts later) are left out. Names sort naturally
    ("RF 24-70mm" before "RF 100-500mm").
    """
    words = _query_words(q or "")
    wanted_category = (category or "").strip().upper()
    found = [
        p
        for p in products
        if p.eligible_on(today) and (not wanted_category or p.category == wanted_category)
    ]
    if words:
        # The words as one phrase first ("R5 C" is the EOS R5 C, not every R5 of Canon), else
        # every word anywhere, in any order ("70-200 rf").
        phrase = [p for p in found if _matches(p, [_word_pattern("".join(words))])]
        if phrase or len(words) == 1:
            found = phrase
        else:
            patterns = [_word_pattern(w) for w in words]
            found = [p for p in found if _matches(p, patterns)]
    return sorted(found, key=lambda p: (p.category, _natural_key(p.name), p.sku))
