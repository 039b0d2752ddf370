"""VAT numbers: validation (format and check digits, via python-stdnum) and the canonical form.

Canonical form (what is stored, compared and used as the uniqueness key)
------------------------------------------------------------------------
``<VAT prefix><national number as python-stdnum compacts it>``, upper case, no separators:

* the VAT prefix is the ISO 3166-1 alpha-2 code of the country, except Greece, which uses
  ``EL`` (``GR`` is accepted on input): ``("GR", "GR 094259216")`` -> ``"EL094259216"``;
* the national part is python-stdnum's compact form, so the number's own padding rules apply:
  ``("NL", "nl 8225.69.759 b01")`` -> ``"NL822569759B01"``,
  ``("NL", "NL4495445B01")`` -> ``"NL004495445B01"``, ``("BE", "BE 428759497")`` ->
  ``"BE0428759497"``, ``("DE", "136 695 976")`` -> ``"DE136695976"``;
* Switzerland: ``"CHE" + 9 digits + "MWST"``. The suffix is the language of the registration
  (MWST/TVA/IVA/TPV) and does not change the number, so all four are stored as MWST:
  ``("CH", "CHE-107.787.577 IVA")`` -> ``"CHE107787577MWST"``;
* Norway keeps its ``MVA`` suffix: ``("NO", "NO 995 525 828 MVA")`` -> ``"NO995525828MVA"``;
* United Kingdom: the Northern Ireland prefix ``XI`` is accepted and stored as ``GB`` (same HMRC
  registration; for the services sold here Northern Ireland is treated like Great Britain):
  ``("GB", "XI 980 7806 84")`` -> ``"GB980780684"``;
* Monaco's numbers are French-format and issued with ``FR``: ``("MC", "53 0000 04605")`` ->
  ``"FR53000004605"`` (and VIES checks them as FR).

A number is accepted with or without its own prefix, with spaces, dots, dashes, slashes, commas,
colons or parentheses, in any case. Countries without a python-stdnum VAT module cannot be
verified: such numbers are refused (the applicant uploads another proof document instead).

Error messages never repeat the number itself (for sole traders it can be a personal number).
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal, Protocol

from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.util import clean, get_cc_module

from chalicelib.domain.countries import EU_MEMBER_STATES, country_name, normalise_country

__all__ = [
    "VIES_MEMBER_STATE_CODES",
    "InvalidVatNumber",
    "VatProblem",
    "normalise_vat",
    "supports_vat_validation",
    "validate_vat",
    "vat_prefix",
    "vies_parts",
]

VatProblem = Literal[
    "empty",  # nothing but whitespace or separators
    "characters",  # something other than letters, digits and separators
    "unsupported_country",  # no VAT rules known for the country: cannot be verified
    "foreign_prefix",  # starts with another country's prefix
    "format",  # wrong shape for the country
    "length",  # too many or too few characters
    "checksum",  # check digit(s) do not match
    "component",  # an impossible part (region, date, type code)
]


class InvalidVatNumber(ValueError):
    """A VAT number that cannot be accepted. ``problem`` says why, ``str()`` says it to a human."""

    def __init__(self, message: str, *, problem: VatProblem, country: str | None = None) -> None:
        super().__init__(message)
        self.problem: VatProblem = problem
        self.country = country


class _NumberModule(Protocol):
    def compact(self, number: str) -> str: ...

    def validate(self, number: str) -> str: ...


# Separators people type inside VAT numbers ("NL 8225.69.759 B01", "CHE-107.787.577 IVA",
# "LU: 2294 4200", "BE (0)468.561.072"); stdnum's clean() first maps unicode dashes to "-".
_SEPARATORS = " \t\r\n\v\f\u00a0.-/,:;_()'"
_MAX_LENGTH = 30
_SWISS = re.compile(r"CHE\d{9}(?:MWST|TVA|IVA|TPV)")

VIES_MEMBER_STATE_CODES: frozenset[str] = frozenset(
    "EL" if cc == "GR" else cc for cc in EU_MEMBER_STATES
)
"""The member-state codes VIES uses: the EU ISO codes with Greece as EL."""

# Example shapes (not real numbers) for the format and length messages.
_SHAPES: dict[str, str] = {
    "AT": "ATU12345678",
    "BE": "BE0123456789",
    "BG": "BG123456789 or BG1234567890",
    "CY": "CY12345678X",
    "CZ": "CZ12345678 (8 to 10 digits)",
    "DE": "DE123456789",
    "DK": "DK12345678",
    "EE": "EE123456789",
    "ES": "ESX1234567X",
    "FI": "FI12345678",
    "FR": "FRXX123456789",
    "GR": "EL123456789",
    "HR": "HR12345678901",
    "HU": "HU12345678",
    "IE": "IE1234567X or IE1234567XX",
    "IT": "IT12345678901",
    "LT": "LT123456789 or LT123456789012",
    "LU": "LU12345678",
    "LV": "LV12345678901",
    "MT": "MT12345678",
    "NL": "NL123456789B01",
    "PL": "PL1234567890",
    "PT": "PT123456789",
    "RO": "RO1234567890 (2 to 10 digits)",
    "SE": "SE123456789001",
    "SI": "SI12345678",
    "SK": "SK1234567890",
    "GB": "GB123456789",
    "CH": "CHE-123.456.789 MWST (or TVA, IVA, TPV)",
    "NO": "NO 123 456 789 MVA",
}


@dataclass(frozen=True)
class _Scheme:
    country: str  # ISO code
    prefix: str  # canonical VAT prefix
    accepted_prefixes: tuple[str, ...]  # prefixes stripped from the input
    module: _NumberModule
    output_prefix: str = ""  # a prefix the stdnum module itself puts on its result

    @property
    def name(self) -> str:
        return _display_name(self.country)


_PREFIX_OVERRIDES: dict[str, tuple[str, tuple[str, ...], str]] = {
    # country: (canonical prefix, accepted input prefixes, prefix stdnum adds to its output)
    "GR": ("EL", ("EL", "GR"), ""),
    "GB": ("GB", ("GB", "XI"), ""),
    "MC": ("FR", ("FR", "MC"), "FR"),
    "RO": ("RO", ("RO",), "RO"),
}


# Country names that read "the ..." in a sentence ("VAT numbers from the Netherlands").
_WITH_ARTICLE = frozenset({"AE", "BS", "CF", "DO", "GB", "GM", "KM", "MH", "NL", "PH", "US"})


def _display_name(country: str) -> str:
    name = country_name(country)
    return f"the {name}" if country in _WITH_ARTICLE else name


@functools.cache
def _scheme(country: str) -> _Scheme | None:
    module = get_cc_module(country.lower(), "vat")
    if module is None:
        return None
    prefix, accepted, output_prefix = _PREFIX_OVERRIDES.get(country, (country, (country,), ""))
    return _Scheme(country, prefix, accepted, module, output_prefix)


def _foreign_prefix_owner(prefix: str) -> str | None:
    """The name of the country whose VAT numbers start with ``prefix`` (None if nobody's)."""
    if prefix == "EL":
        return _display_name("GR")
    if prefix == "XI":
        return "the United Kingdom (Northern Ireland)"
    try:
        cc = normalise_country(prefix)
    except ValueError:
        return None
    return _display_name(cc) if _scheme(cc) is not None else None


def supports_vat_validation(country: str) -> bool:
    """True if VAT numbers of ``country`` (ISO code) can be validated here."""
    return _scheme(normalise_country(country)) is not None


def vat_prefix(country: str) -> str:
    """The prefix of ``country``'s canonical VAT numbers ("GR" -> "EL", "MC" -> "FR")."""
    scheme = _scheme(normalise_country(country))
    if scheme is None:
        raise _unsupported(normalise_country(country))
    return scheme.prefix


def _unsupported(country: str) -> InvalidVatNumber:
    name = _display_name(country)
    return InvalidVatNumber(
        f"VAT numbers from {name} cannot be verified. Leave the VAT number empty and upload "
        "another proof document instead: a company invoice, a business or professional "
        "licence, or a trade-register (chamber of commerce) extract showing the "
        "organisation's name and address.",
        problem="unsupported_country",
        country=country,
    )


def _prepare(country: str, number: str) -> tuple[_Scheme, str]:
    """Resolve the country's scheme and clean the input to upper-case ASCII letters/digits."""
    cc = normalise_country(country)
    if not isinstance(number, str):
        raise InvalidVatNumber("Enter the VAT number as text.", problem="format", country=cc)
    try:
        # NFKC folds full-width and other compatibility forms of letters and digits to ASCII.
        cleaned = clean(unicodedata.normalize("NFKC", number), _SEPARATORS)
    except ValidationError as exc:  # pragma: no cover - clean() only fails on non-iterables
        raise InvalidVatNumber("Enter the VAT number as text.", problem="format") from exc
    if not cleaned:
        raise InvalidVatNumber(
            "The VAT number is empty. Enter it, or leave the field out if the organisation is "
            "not VAT-registered.",
            problem="empty",
            country=cc,
        )
    if not (cleaned.isascii() and cleaned.isalnum()):
        raise InvalidVatNumber(
            "A VAT number can only contain letters, digits, spaces and the separators . - /",
            problem="characters",
            country=cc,
        )
    scheme = _scheme(cc)
    if scheme is None:
        raise _unsupported(cc)
    if len(cleaned) > _MAX_LENGTH:
        raise _shape_error(scheme, "length")
    return scheme, cleaned.upper()


def _candidates(scheme: _Scheme, cleaned: str) -> list[str]:
    """Inputs to try, best first: without the country's own prefix, then as given."""
    if scheme.country == "CH":
        # stdnum wants the "CHE" of the UID; accept it left out ("107.787.577 MWST").
        return ["CHE" + cleaned] if cleaned[:1].isdigit() else [cleaned]
    for prefix in scheme.accepted_prefixes:
        if cleaned.startswith(prefix) and len(cleaned) > len(prefix):
            return [cleaned[len(prefix) :], cleaned]
    return [cleaned]


def _canonical(scheme: _Scheme, national: str) -> str:
    national = national.upper()
    if scheme.country == "CH":
        return national[:12] + "MWST" if _SWISS.fullmatch(national) else national
    if scheme.output_prefix and national.startswith(scheme.output_prefix):
        national = national[len(scheme.output_prefix) :]
    return scheme.prefix + national


def _shape_error(scheme: _Scheme, problem: Literal["format", "length"]) -> InvalidVatNumber:
    name = scheme.name
    what = (
        "it has too many or too few characters"
        if problem == "length"
        else f"it does not have the format of a VAT number from {name}"
    )
    shape = _SHAPES.get(scheme.country)
    # The shape with # for each digit: an example number would fail its own check digits.
    hint = f" Expected: {re.sub(r'[0-9]', '#', shape)} (# is a digit)." if shape else ""
    return InvalidVatNumber(
        f"This is not a valid VAT number for {name}: {what}.{hint}",
        problem=problem,
        country=scheme.country,
    )


def _error_for(scheme: _Scheme, exc: Exception) -> InvalidVatNumber:
    name = scheme.name
    if isinstance(exc, InvalidChecksum):
        return InvalidVatNumber(
            f"This is not a valid VAT number for {name}: the check digit does not match. "
            "Please check the number for typing errors.",
            problem="checksum",
            country=scheme.country,
        )
    if isinstance(exc, InvalidComponent):
        return InvalidVatNumber(
            f"This is not a valid VAT number for {name}: part of it (such as a region, date or "
            f"type code) cannot occur in a VAT number from {name}.",
            problem="component",
            country=scheme.country,
        )
    if isinstance(exc, InvalidLength):
        return _shape_error(scheme, "length")
    return _shape_error(scheme, "format")


def _foreign_prefix_error(scheme: _Scheme, cleaned: str) -> InvalidVatNumber | None:
    head = cleaned[:2]
    if not head.isalpha() or head in scheme.accepted_prefixes:
        return None
    owner = _foreign_prefix_owner(head)
    if owner is None:
        return None
    name = scheme.name
    return InvalidVatNumber(
        f"This VAT number starts with {head}, the prefix of {owner}, but the organisation's "
        f"country is {name}. Enter the VAT number issued in {name} (starting with "
        f"{scheme.prefix} or without a prefix), or correct the country.",
        problem="foreign_prefix",
        country=scheme.country,
    )


def validate_vat(country: str, number: str) -> str:
    """Check ``number`` as a VAT number of ``country`` (ISO code) and return its canonical form.

    Checks format, length and check digits with python-stdnum. Raises ``InvalidVatNumber``
    (``problem`` says why) and ``InvalidCountry`` for a country code that is not ISO.
    Idempotent: ``validate_vat(c, validate_vat(c, x)) == validate_vat(c, x)``.
    """
    scheme, cleaned = _prepare(country, number)
    first_error: Exception | None = None
    for candidate in _candidates(scheme, cleaned):
        try:
            return _canonical(scheme, scheme.module.validate(candidate))
        except (ValidationError, ValueError, IndexError, KeyError) as exc:
            # stdnum raises ValidationError; the others guard against odd inputs in its parsers.
            first_error = first_error or exc
    foreign = _foreign_prefix_error(scheme, cleaned)
    if foreign is not None:
        raise foreign
    raise _error_for(scheme, first_error or InvalidFormat())


def normalise_vat(country: str, number: str) -> str:
    """The canonical form of ``number`` WITHOUT checking it (no check digits, no format).

    For a valid number this is exactly what ``validate_vat`` returns, so it can build lookup keys
    from stored or legacy values. Use ``validate_vat`` for anything a user typed. Raises
    ``InvalidVatNumber`` only when there is nothing to normalise (empty, characters that are not
    letters/digits/separators, far too long) or the country's numbers cannot be verified.
    """
    scheme, cleaned = _prepare(country, number)
    try:
        return validate_vat(scheme.country, cleaned)
    except InvalidVatNumber:
        pass
    best = _candidates(scheme, cleaned)[0]
    with contextlib.suppress(ValidationError, ValueError, IndexError, KeyError):
        best = scheme.module.compact(best)
    return _canonical(scheme, best)


def vies_parts(canonical: str) -> tuple[str, str]:
    """Split a canonical EU VAT number into (VIES member-state code, national number).

    ``"EL094259216"`` -> ``("EL", "094259216")``. Raises ``ValueError`` for numbers that VIES
    does not know (non-EU prefixes such as GB, CH, NO) or values that are not canonical.
    """
    value = canonical.strip().upper() if isinstance(canonical, str) else ""
    prefix, national = value[:2], value[2:]
    if prefix not in VIES_MEMBER_STATE_CODES:
        raise ValueError("Only VAT numbers of EU member states can be checked in VIES.")
    if not national or not (national.isascii() and national.isalnum()):
        raise ValueError("Not a canonical VAT number (prefix followed by letters and digits).")
    return prefix, national
