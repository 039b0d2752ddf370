"""Product registration (SPEC §2): details, completeness (the green tick), serial ownership."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from chalicelib.domain.countries import InvalidCountry, normalise_country
from chalicelib.domain.errors import ValidationFailed

MANDATORY_DETAILS: tuple[str, ...] = (
    "serial_number",
    "purchase_date",
    "country_of_purchase",
    "dealer",
)
_SERIAL = re.compile(r"^[A-Z0-9][A-Z0-9./-]{0,39}$")
EARLIEST_PURCHASE = date(1987, 1, 1)  # the EOS system's first year: older dates are typos


class Source(StrEnum):
    REGISTERED = "REGISTERED"
    MIGRATED = "MIGRATED"


def normalise_serial(value: str) -> str:
    """One physical product, one serial: case and spaces never make two of them."""
    folded = unicodedata.normalize("NFKC", value)
    return "".join(folded.split()).upper()


@dataclass(frozen=True)
class ProductDetails:
    serial_number: str | None = None
    purchase_date: date | None = None
    country_of_purchase: str | None = None
    dealer: str | None = None

    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in MANDATORY_DETAILS if getattr(self, name) in (None, ""))

    def merged(self, changes: ProductDetails) -> ProductDetails:
        """A correction overrides what it names and keeps the rest."""
        return ProductDetails(
            **{
                name: getattr(changes, name)
                if getattr(changes, name) is not None
                else getattr(self, name)
                for name in MANDATORY_DETAILS
            }
        )


def validate_details(
    *,
    serial_number: str | None,
    purchase_date: str | None,
    country_of_purchase: str | None,
    dealer: str | None,
    today: date,
) -> ProductDetails:
    """Each given detail is checked; absent (None) ones stay absent. A best estimate is fine."""
    errors: dict[str, str] = {}
    serial: str | None = None
    if serial_number is not None:
        serial = normalise_serial(serial_number)
        if not _SERIAL.match(serial):
            errors["serial_number"] = "must be 1 to 40 letters, digits, dots, slashes or hyphens"
    bought: date | None = None
    if purchase_date is not None:
        try:
            bought = date.fromisoformat(purchase_date.strip())
            if len(purchase_date.strip()) != 10:
                raise ValueError
        except ValueError:
            errors["purchase_date"] = "must be a real date written YYYY-MM-DD"
        else:
            if bought > today:
                errors["purchase_date"] = "cannot be in the future"
            elif bought < EARLIEST_PURCHASE:
                errors["purchase_date"] = f"cannot be before {EARLIEST_PURCHASE.isoformat()}"
    country: str | None = None
    if country_of_purchase is not None:
        try:
            country = normalise_country(country_of_purchase)
        except InvalidCountry as exc:
            errors["country_of_purchase"] = str(exc)
    seller: str | None = None
    if dealer is not None:
        seller = " ".join(dealer.split())
        if not seller:
            errors["dealer"] = "cannot be empty; leave it out if unknown"
        elif len(seller) > 120 or not seller.isprintable():
            errors["dealer"] = "must be at most 120 printable characters"
    if errors:
        raise ValidationFailed("Some product details are not valid.", fields=errors)
    return ProductDetails(serial, bought, country, seller)


@dataclass(frozen=True)
class Registration:
    account_id: str
    product_id: str
    sku: str
    name: str
    details: ProductDetails
    source: Source
    registered_at: datetime
    points: int = 0  # what this registration earned; 0 until the green tick
    completed_at: datetime | None = None
    version: int | None = None

    @property
    def complete(self) -> bool:
        return not self.details.missing()

    @property
    def claim_key(self) -> str | None:
        """The physical product: model and serial number."""
        serial = self.details.serial_number
        return f"{self.sku}#{serial}" if serial else None

    def with_details(self, details: ProductDetails) -> Registration:
        return replace(self, details=details)

    def awarded(self, points: int, at: datetime) -> Registration:
        return replace(self, points=points, completed_at=at)
