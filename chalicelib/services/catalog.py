"""Browsing the catalogue of eligible products."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.catalog import CatalogProduct, packaged_catalog, search
from chalicelib.domain.clock import Clock
from chalicelib.domain.errors import InvalidCursor
from chalicelib.services.ports import CatalogRepository, Page


@dataclass(frozen=True)
class CatalogEntry:
    product: CatalogProduct
    points: int  # what registering it earns today


class CatalogService:
    def __init__(self, *, catalog: CatalogRepository, clock: Clock) -> None:
        self._catalog = catalog
        self._clock = clock

    def search(
        self, q: str | None, category: str | None, limit: int, cursor: str | None
    ) -> Page[CatalogEntry]:
        # The catalogue is small (one partition, one Query): it is filtered and paged in memory,
        # and the cursor is the position in the sorted result.
        start = 0
        if cursor:
            if not (cursor.isascii() and cursor.isdigit() and len(cursor) <= 6):
                raise InvalidCursor("The cursor is not valid.", fields={"cursor": "invalid"})
            start = int(cursor)
        today = self._clock.now().date()
        found = search(self._catalog.all(), q, category, today)
        page = found[start : start + limit]
        next_start = start + limit
        return Page(
            [CatalogEntry(p, p.points_on(today)) for p in page],
            str(next_start) if next_start < len(found) else None,
        )


def load_packaged_catalog(catalog: CatalogRepository) -> int:
    """The catalogue file shipped with the code replaces what the table holds."""
    return catalog.replace_all(packaged_catalog())
