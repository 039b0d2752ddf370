"""The catalogue of eligible products: one partition, read whole with a single Query."""

from __future__ import annotations

from datetime import date

from chalicelib.adapters.dynamo.models import CatalogModel, PointsValueAttribute, bind
from chalicelib.domain.catalog import CatalogProduct, PointsValue

PARTITION = "eligible"


def _from_item(item: CatalogModel) -> CatalogProduct:
    return CatalogProduct(
        sku=item.sku,
        name=item.name,
        category=item.category,
        values=tuple(
            sorted(
                (
                    PointsValue(
                        points=int(v.points), effective_from=date.fromisoformat(v.effective_from)
                    )
                    for v in item.values
                ),
                key=lambda v: v.effective_from,
            )
        ),
    )


class DynamoCatalogRepository:
    def __init__(self, region: str, *, catalog: str) -> None:
        self._catalog = bind(CatalogModel, catalog, region)

    def get(self, sku: str) -> CatalogProduct | None:
        try:
            return _from_item(self._catalog.get(PARTITION, sku))
        except CatalogModel.DoesNotExist:
            return None

    def all(self) -> list[CatalogProduct]:
        return [_from_item(item) for item in self._catalog.query(PARTITION)]

    def replace_all(self, products: list[CatalogProduct]) -> int:
        """Loads the catalogue file: upserts every product, removes those no longer in it."""
        wanted = {p.sku for p in products}
        with self._catalog.batch_write() as batch:
            for product in products:
                batch.save(
                    self._catalog(
                        catalog=PARTITION,
                        sku=product.sku,
                        name=product.name,
                        category=product.category,
                        values=[
                            PointsValueAttribute(
                                points=v.points, effective_from=v.effective_from.isoformat()
                            )
                            for v in product.values
                        ],
                    )
                )
            for existing in self._catalog.query(PARTITION):
                if existing.sku not in wanted:
                    batch.delete(existing)
        return len(products)
