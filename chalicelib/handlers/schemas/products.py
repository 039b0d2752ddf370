"""The customer's "My Products", points and the catalogue of eligible products."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field

from chalicelib.domain.points import EntryReason
from chalicelib.domain.products import Source
from chalicelib.handlers.schemas.common import IsoDate, IsoDateTime, Request, Response, Text

# The product's details are what people type: their rules are the domain's (a 422 saying what to
# send), so no bound here stands in for them.
SerialNumber = Annotated[
    Text | None,
    Field(description="1 to 40 letters, digits, dots, slashes or hyphens (else a 422)"),
]
PurchaseDate = Annotated[
    Text | None, Field(description="YYYY-MM-DD, a real date not in the future (else a 422)")
]
CountryOfPurchase = Annotated[
    Text | None, Field(description="ISO 3166-1 alpha-2 country code, e.g. NL (else a 422)")
]
Dealer = Annotated[Text | None, Field(description="at most 120 characters (else a 422)")]


class ProductIn(Request):
    sku: Text = Field(min_length=1, max_length=64)
    serial_number: SerialNumber = None
    purchase_date: PurchaseDate = None
    country_of_purchase: CountryOfPurchase = None
    dealer: Dealer = None


class ProductPatchIn(Request):
    # At least one detail, null included (it removes that detail).
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [name]}
                for name in ("serial_number", "purchase_date", "country_of_purchase", "dealer")
            ]
        }
    )

    serial_number: SerialNumber = None
    purchase_date: PurchaseDate = None
    country_of_purchase: CountryOfPurchase = None
    dealer: Dealer = None


class ProductOut(Response):
    product_id: str
    sku: str
    name: str
    serial_number: str | None
    purchase_date: IsoDate | None
    country_of_purchase: str | None
    dealer: str | None
    complete: bool
    missing: list[str] = Field(description="the details still needed for the green tick")
    points: int
    source: Source
    registered_at: IsoDateTime


class ProductListOut(Response):
    items: list[ProductOut]
    next_cursor: str | None


class LedgerEntryOut(Response):
    entry_id: str
    at: IsoDateTime
    delta: int
    reason: EntryReason
    product_id: str


class PointsOut(Response):
    balance: int
    ledger: list[LedgerEntryOut]
    next_cursor: str | None


class CatalogItemOut(Response):
    sku: str
    name: str
    category: str
    points: int


class CatalogListOut(Response):
    items: list[CatalogItemOut]
    next_cursor: str | None
