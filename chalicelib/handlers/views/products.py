"""Builders of the products', the points' and the catalogue's answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.handlers.schemas.products import CatalogItemOut, LedgerEntryOut, ProductOut

if TYPE_CHECKING:
    from chalicelib.domain.catalog import CatalogProduct
    from chalicelib.domain.points import LedgerEntry
    from chalicelib.domain.products import Registration
    from chalicelib.services.catalog import CatalogEntry


def product_out(registration: Registration) -> ProductOut:
    d = registration.details
    return ProductOut(
        product_id=registration.product_id,
        sku=registration.sku,
        name=registration.name,
        serial_number=d.serial_number,
        purchase_date=d.purchase_date,
        country_of_purchase=d.country_of_purchase,
        dealer=d.dealer,
        complete=registration.complete,
        missing=list(d.missing()),
        points=registration.points,
        source=registration.source,
        registered_at=registration.registered_at,
    )


def ledger_entry_out(entry: LedgerEntry) -> LedgerEntryOut:
    return LedgerEntryOut(
        entry_id=entry.entry_id,
        at=entry.at,
        delta=entry.delta,
        reason=entry.reason,
        product_id=entry.product_id,
    )


def catalog_item_out(entry: CatalogEntry) -> CatalogItemOut:
    product: CatalogProduct = entry.product
    return CatalogItemOut(
        sku=product.sku, name=product.name, category=product.category, points=entry.points
    )
