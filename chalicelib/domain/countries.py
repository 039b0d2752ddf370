"""Countries: ISO 3166-1 alpha-2 codes, EU membership and the account currency.

Pure rules, no I/O. Country codes everywhere in the domain are ISO 3166-1 alpha-2 in upper case
("NL", "GR", "GB"). VAT prefixes (Greece "EL") are a VAT concern and live in ``vat.py``.
"""

from __future__ import annotations

import pycountry

__all__ = [
    "EU_MEMBER_STATES",
    "InvalidCountry",
    "country_name",
    "currency_for",
    "is_eu",
    "normalise_country",
]


class InvalidCountry(ValueError):
    """The value given is not an ISO 3166-1 alpha-2 country code."""

    def __init__(self, received: object) -> None:
        self.received = received
        super().__init__(
            f"{received!r} is not an ISO 3166-1 alpha-2 country code "
            '(two letters, for example "NL", "DE", "GR" or "GB").'
        )


# The 27 member states of the European Union, by ISO code (Greece is "GR" here, "EL" only in
# VAT numbers). The United Kingdom left on 2020-01-31.
EU_MEMBER_STATES: frozenset[str] = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip


def normalise_country(code: str) -> str:
    """Return the upper-case ISO 3166-1 alpha-2 code ("nl " -> "NL").

    Only ISO codes known to pycountry are accepted: "UK" and "EL" are refused (use "GB", "GR").
    Raises ``InvalidCountry`` otherwise.
    """
    if not isinstance(code, str):
        raise InvalidCountry(code)
    candidate = code.strip().upper()
    if len(candidate) != 2 or not candidate.isascii() or not candidate.isalpha():
        raise InvalidCountry(code)
    if pycountry.countries.get(alpha_2=candidate) is None:
        raise InvalidCountry(code)
    return candidate


def country_name(country: str) -> str:
    """English short name of a country for human messages ("NL" -> "Netherlands")."""
    cc = normalise_country(country)
    entry = pycountry.countries.get(alpha_2=cc)
    return str(getattr(entry, "common_name", None) or entry.name)


def is_eu(country: str) -> bool:
    """True for the ISO code of an EU member state (case-insensitive; "EL" is not ISO: False)."""
    return isinstance(country, str) and country.strip().upper() in EU_MEMBER_STATES


def currency_for(country: str) -> str:
    """The account's currency: GBP for the United Kingdom, EUR for every other country."""
    return "GBP" if normalise_country(country) == "GB" else "EUR"
