"""CatalogService on the fakes: searching the eligible products, a page at a time."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.catalog import CatalogProduct, PointsValue, packaged_catalog
from chalicelib.domain.errors import InvalidCursor
from chalicelib.services.catalog import CatalogService, load_packaged_catalog
from tests.fakes.ports import FakeCatalog, FixedClock
from tests.unit.services import START


def product(sku: str, name: str, category: str, *values: tuple[int, date]) -> CatalogProduct:
    return CatalogProduct(sku, name, category, tuple(PointsValue(p, d) for p, d in values))


CATALOG = (
    product(
        "EOS-R5-BODY",
        "Canon EOS R5",
        "CAMERA_BODY",
        (300, date(2020, 7, 1)),
        (250, date(2025, 4, 1)),
    ),
    product("EOS-R1-BODY", "Canon EOS R1", "CAMERA_BODY", (600, date(2024, 11, 1))),
    product("RF-100-500", "Canon RF 100-500mm F4.5-7.1L IS USM", "LENS", (250, date(2020, 9, 1))),
    product("RF-24-70", "Canon RF 24-70mm F2.8L IS USM", "LENS", (200, date(2019, 9, 1))),
    product("EOS-R7-MARK-II-BODY", "Canon EOS R7 Mark II", "CAMERA_BODY", (300, date(2026, 9, 1))),
)


class Catalog:
    def __init__(self) -> None:
        self.clock = FixedClock(START)
        self.repository = FakeCatalog(CATALOG)
        self.service = CatalogService(catalog=self.repository, clock=self.clock)


@pytest.fixture
def world() -> Catalog:
    return Catalog()


def test_the_catalogue_lists_the_eligible_products_by_category_then_name(world):
    # GIVEN the catalogue WHEN it is searched without criteria
    page = world.service.search(None, None, 10, None)
    # THEN the eligible products come by category, names in natural order, with today's points
    assert [(p.product.sku, p.points) for p in page.items] == [
        ("EOS-R1-BODY", 600),
        ("EOS-R5-BODY", 250),
        ("RF-24-70", 200),
        ("RF-100-500", 250),
    ]
    assert page.next_cursor is None


def test_a_product_not_yet_eligible_appears_on_its_first_day(world):
    # GIVEN a product eligible from 1 September 2026
    assert "EOS-R7-MARK-II-BODY" not in [
        p.product.sku for p in world.service.search("r7", None, 10, None).items
    ]
    # WHEN that day comes THEN it is found
    world.clock.set(START.replace(year=2026, month=9, day=1))
    assert [p.product.sku for p in world.service.search("r7", None, 10, None).items] == [
        "EOS-R7-MARK-II-BODY"
    ]


def test_a_search_finds_by_name_words_and_category(world):
    # GIVEN the catalogue WHEN lenses matching "24-70" are asked
    page = world.service.search("24-70", "lens", 10, None)
    # THEN the RF 24-70mm is found
    assert [p.product.sku for p in page.items] == ["RF-24-70"]


def test_the_catalogue_is_read_a_page_at_a_time(world):
    # GIVEN the catalogue WHEN it is read two at a time
    first = world.service.search(None, None, 2, None)
    second = world.service.search(None, None, 2, first.next_cursor)
    # THEN the pages follow each other and the last one has no cursor
    assert [p.product.sku for p in first.items] == ["EOS-R1-BODY", "EOS-R5-BODY"]
    assert [p.product.sku for p in second.items] == ["RF-24-70", "RF-100-500"]
    assert second.next_cursor is None


@pytest.mark.parametrize("cursor", ["abc", "-1", "1234567", "²"])
def test_a_cursor_not_handed_out_is_refused(world, cursor):
    # GIVEN the catalogue WHEN a made-up cursor is given THEN it is refused
    with pytest.raises(InvalidCursor):
        world.service.search(None, None, 2, cursor)


def test_loading_the_packaged_catalogue_replaces_what_was_stored(world):
    # GIVEN a stored catalogue WHEN the packaged file is loaded
    loaded = load_packaged_catalog(world.repository)
    # THEN the store holds exactly the file's products
    assert loaded == len(packaged_catalog()) == len(world.repository.all())
    assert "RF-24-70" not in world.repository.items  # only in the old table
