"""The catalogue of eligible products: packaged file, dated points values, search (SPEC §2-3)."""

from __future__ import annotations

from datetime import date
from itertools import combinations

import pytest

from chalicelib.domain.catalog import (
    CATEGORIES,
    CSV_HEADER,
    CatalogFileError,
    CatalogProduct,
    PointsValue,
    load_catalog_csv,
    packaged_catalog,
    search,
)

HEADER = ",".join(CSV_HEADER)
TODAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def catalog() -> list[CatalogProduct]:
    return packaged_catalog()


def by_sku(products: list[CatalogProduct]) -> dict[str, CatalogProduct]:
    return {p.sku: p for p in products}


def skus(products: list[CatalogProduct]) -> list[str]:
    return [p.sku for p in products]


# --- the packaged catalogue ----------------------------------------------------------------------


def test_the_packaged_catalogue_loads_with_enough_products_and_categories(catalog):
    # GIVEN the catalogue file shipped with the code WHEN it is loaded
    # THEN it holds at least 60 distinct SKUs in at least 5 categories, 40+ of them bodies/lenses
    assert len({p.sku for p in catalog}) == len(catalog) >= 60
    assert len({p.category for p in catalog}) >= 5
    assert {p.category for p in catalog} <= set(CATEGORIES)
    core = [p for p in catalog if p.category in {"CAMERA_BODY", "LENS", "CINEMA_CAMERA"}]
    assert len(core) >= 40


def test_every_packaged_product_is_well_formed(catalog):
    # GIVEN the packaged catalogue THEN every product has a Canon name and positive, dated values
    for product in catalog:
        assert product.name.startswith("Canon "), product.sku
        assert product.values, product.sku
        dates = [v.effective_from for v in product.values]
        assert dates == sorted(dates) and len(set(dates)) == len(dates), product.sku
        assert all(v.points > 0 for v in product.values), product.sku


def test_the_packaged_catalogue_holds_the_flagships_with_plausible_points(catalog):
    # GIVEN the packaged catalogue WHEN flagship products are looked up on a fixed day
    products = by_sku(catalog)
    # THEN they are there, and pricier professional products earn more
    assert products["EOS-R1-BODY"].name == "Canon EOS R1"
    assert products["EOS-R5-MARK-II-BODY"].name == "Canon EOS R5 Mark II"
    assert products["RF-24-70-F2.8L-IS-USM"].name == "Canon RF 24-70mm F2.8L IS USM"
    assert products["EOS-C70"].category == "CINEMA_CAMERA"
    assert products["IMAGEPROGRAF-PRO-1100"].category == "PRINTER"
    assert products["SPEEDLITE-EL-1"].category == "SPEEDLITE"
    points = {sku: p.points_on(TODAY) for sku, p in products.items()}
    assert 400 <= points["EOS-R1-BODY"] <= 600
    assert 400 <= points["EOS-R3-BODY"] <= 600
    assert points["EF-16-35-F2.8L-III-USM"] == 200
    assert points["RF-24-105-F4L-IS-USM"] == 100
    assert points["SPEEDLITE-EL-1"] == 50
    for sku in ("EOS-C70", "EOS-C80", "EOS-C300-MARK-III", "EOS-C400", "EOS-C500-MARK-II"):
        assert 300 <= points[sku] <= 800, sku
    assert points["EOS-R1-BODY"] > points["EOS-R5-MARK-II-BODY"] > points["EOS-R6-MARK-II-BODY"]
    assert points["RF-24-70-F2.8L-IS-USM"] > points["RF-24-105-F4L-IS-USM"]
    assert points["EOS-C400"] > points["EOS-C70"]


def test_silver_is_reachable_with_a_few_products_and_corporate_needs_many(catalog):
    # GIVEN the points on a fixed day
    points = sorted((p.points_on(TODAY) for p in catalog), reverse=True)
    # THEN 500 points (CPS Silver) can be reached with one product, and with two everyday ones
    assert points[0] >= 500
    products = by_sku(catalog)
    assert (
        products["EOS-R5-MARK-II-BODY"].points_on(TODAY)
        + products["RF-24-70-F2.8L-IS-USM"].points_on(TODAY)
        >= 500
    )
    # AND no three products reach CPS Corporate C (2,500 points): a corporate tier needs many
    assert max(sum(c) for c in combinations(points[:3], 3)) < 2500


def test_some_skus_carry_several_dated_values_one_of_them_in_the_future(catalog):
    # GIVEN the packaged catalogue THEN a few SKUs changed value, one of them on 2027-01-01
    changed = [p for p in catalog if len(p.values) > 1]
    assert 3 <= len(changed) <= 4
    assert any(v.effective_from == date(2027, 1, 1) for p in changed for v in p.values)
    assert any(v.effective_from == date(2025, 4, 1) for p in changed for v in p.values)


# --- points values over time -------------------------------------------------------------------


def test_points_on_before_at_and_after_an_effective_date(catalog):
    # GIVEN the EOS R5, worth 300 from 2020-07-01 and 250 from 2025-04-01
    r5 = by_sku(catalog)["EOS-R5-BODY"]
    # WHEN its value is asked on various days THEN the value in force that day comes back
    assert r5.points_on(date(2020, 7, 1)) == 300
    assert r5.points_on(date(2025, 3, 31)) == 300
    assert r5.points_on(date(2025, 4, 1)) == 250
    assert r5.points_on(date(2026, 1, 1)) == 250
    # AND before the first value the product earned nothing yet
    with pytest.raises(ValueError, match="not eligible yet"):
        r5.points_on(date(2020, 6, 30))


def test_a_future_value_does_not_apply_before_its_date(catalog):
    # GIVEN the EOS-1D X Mark III, whose value drops on 2027-01-01
    one_dx = by_sku(catalog)["EOS-1D-X-MARK-III-BODY"]
    # WHEN asked on an explicit "today" before that date THEN the current value applies
    assert one_dx.points_on(date(2026, 12, 31)) == 500
    # AND from that date on, the new one
    assert one_dx.points_on(date(2027, 1, 1)) == 350
    assert one_dx.points_on(date(2030, 1, 1)) == 350


def test_values_are_kept_in_date_order_whatever_order_they_were_given():
    # GIVEN values given newest first
    product = CatalogProduct(
        "X-1",
        "Canon X",
        "LENS",
        (PointsValue(80, date(2025, 1, 1)), PointsValue(100, date(2020, 1, 1))),
    )
    # THEN they are stored oldest first and looked up correctly
    assert [v.points for v in product.values] == [100, 80]
    assert product.points_on(date(2024, 12, 31)) == 100
    assert product.points_on(date(2025, 1, 1)) == 80
    assert product.eligible_on(date(2020, 1, 1)) and not product.eligible_on(date(2019, 12, 31))


# --- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("r5 mark ii", ["EOS-R5-MARK-II-BODY"]),
        ("R5 Mk II", ["EOS-R5-MARK-II-BODY"]),
        ("eos r5 markii", ["EOS-R5-MARK-II-BODY"]),
        ("R5 mark 2", ["EOS-R5-MARK-II-BODY"]),
        ("EOS-R5-MARK-II-BODY", ["EOS-R5-MARK-II-BODY"]),
        ("24-70", ["EF-24-70-F2.8L-II-USM", "RF-24-70-F2.8L-IS-USM"]),
        ("24 70mm", ["EF-24-70-F2.8L-II-USM", "RF-24-70-F2.8L-IS-USM"]),
        (
            "rf 70-200",
            ["RF-70-200-F2.8L-IS-USM", "RF-70-200-F2.8L-IS-USM-Z", "RF-70-200-F4L-IS-USM"],
        ),
        (
            "70-200 RF",
            ["RF-70-200-F2.8L-IS-USM", "RF-70-200-F2.8L-IS-USM-Z", "RF-70-200-F4L-IS-USM"],
        ),
        ("ef 16-35 f/2.8", ["EF-16-35-F2.8L-III-USM"]),
        ("1dx mark iii", ["EOS-1D-X-MARK-III-BODY"]),
        ("c70", ["EOS-C70"]),
        ("R5 C", ["EOS-R5-C"]),
        ("ÉOS R1", ["EOS-R1-BODY"]),
        ("canón eos r1", ["EOS-R1-BODY"]),
        ("  EL-1 ", ["SPEEDLITE-EL-1"]),
        ("pro-1100", ["IMAGEPROGRAF-PRO-1100"]),
        ("imagePROGRAF 4600", ["IMAGEPROGRAF-PRO-4600"]),
        ("extender rf 1.4x", ["EXTENDER-RF-1.4X"]),
        ("hasselblad", []),
    ],
)
def test_search_finds_what_a_photographer_expects(catalog, q, expected):
    # GIVEN the packaged catalogue WHEN searched for q THEN exactly the expected products come back
    assert skus(search(catalog, q, None, TODAY)) == expected


def test_search_is_not_fooled_by_numbers_inside_other_numbers(catalog):
    # GIVEN "f4" WHEN searched THEN the F4L lenses come back, not the F4.5-7.1L zoom
    found = skus(search(catalog, "f4", None, TODAY))
    assert "RF-24-105-F4L-IS-USM" in found
    assert "RF-100-500-F4.5-7.1L-IS-USM" not in found
    # AND "EOS R5" finds the whole R5 family
    assert skus(search(catalog, "EOS R5", None, TODAY)) == [
        "EOS-R5-BODY",
        "EOS-R5-MARK-II-BODY",
        "EOS-R5-C",
    ]


def test_search_understands_a_decimal_comma(catalog):
    # GIVEN a European "2,8" WHEN searched with "rf" THEN the RF f/2.8 lenses are found
    found = search(catalog, "rf 2,8", None, TODAY)
    assert found
    assert all(p.sku.startswith("RF-") and "F2.8" in p.sku for p in found)


def test_search_filters_by_exact_category_in_any_case(catalog):
    # GIVEN a category in lower case WHEN searched THEN only that category comes back
    found = search(catalog, None, "speedlite", TODAY)
    assert found and {p.category for p in found} == {"SPEEDLITE"}
    assert skus(search(catalog, "el", "SPEEDLITE", TODAY)) == ["SPEEDLITE-EL-1", "SPEEDLITE-EL-5"]
    # AND an unknown or partial category finds nothing
    assert search(catalog, None, "SPEED", TODAY) == []
    # AND an empty category is no filter
    assert len(search(catalog, None, "", TODAY)) == len(search(catalog, None, None, TODAY))


def test_search_without_query_lists_every_eligible_product_by_category_then_name(catalog):
    # GIVEN no query WHEN searched THEN every eligible product comes back
    found = search(catalog, None, None, TODAY)
    assert len(found) == len(catalog)
    # AND they are sorted by category, then by name with numbers compared as numbers
    assert [p.category for p in found] == sorted(p.category for p in found)
    lenses = [p.name for p in found if p.category == "LENS"]
    assert lenses.index("Canon RF 24-70mm F2.8L IS USM") < lenses.index(
        "Canon RF 100-500mm F4.5-7.1L IS USM"
    )
    assert search(catalog, "   ", None, TODAY) == found


def test_products_not_yet_eligible_are_left_out_of_search():
    # GIVEN one product eligible since 2020 and one that only becomes eligible in 2027
    products = [
        CatalogProduct("OLD-1", "Canon Old", "LENS", (PointsValue(100, date(2020, 1, 1)),)),
        CatalogProduct("NEW-1", "Canon New", "LENS", (PointsValue(100, date(2027, 1, 1)),)),
    ]
    # WHEN searched before 2027 THEN only the first is found
    assert skus(search(products, "canon", None, date(2026, 12, 31))) == ["OLD-1"]
    # AND from its first day on, both are
    assert skus(search(products, "canon", None, date(2027, 1, 1))) == ["NEW-1", "OLD-1"]


# --- loading a catalogue file ------------------------------------------------------------------


def test_a_valid_file_loads_into_products_with_dated_values():
    # GIVEN a file with one SKU on two rows (out of date order) and one on a single row
    text = (
        f"{HEADER}\n"
        "EOS-R5-BODY,Canon EOS R5,CAMERA_BODY,250,2025-04-01\n"
        "RF-24-70-F2.8L-IS-USM,Canon RF 24-70mm F2.8L IS USM,LENS,200,2019-09-01\n"
        "EOS-R5-BODY,Canon EOS R5,CAMERA_BODY,300,2020-07-01\n"
    )
    # WHEN it is loaded THEN each SKU is one product, values in date order, file order kept
    products = load_catalog_csv(text)
    assert skus(products) == ["EOS-R5-BODY", "RF-24-70-F2.8L-IS-USM"]
    assert products[0].values == (
        PointsValue(300, date(2020, 7, 1)),
        PointsValue(250, date(2025, 4, 1)),
    )
    assert products[1].name == "Canon RF 24-70mm F2.8L IS USM"


def test_a_byte_order_mark_crlf_line_ends_and_trailing_empty_lines_are_accepted():
    # GIVEN a file saved by a spreadsheet program WHEN loaded THEN it loads
    text = f"\ufeff{HEADER}\r\nEOS-C70,Canon EOS C70,CINEMA_CAMERA,600,2020-11-01\r\n\r\n"
    assert skus(load_catalog_csv(text)) == ["EOS-C70"]


def test_quoted_names_may_hold_a_comma():
    text = f'{HEADER}\nX-1,"Canon Kit, complete",LENS,10,2020-01-01\n'
    assert load_catalog_csv(text)[0].name == "Canon Kit, complete"


GOOD = "EOS-C70,Canon EOS C70,CINEMA_CAMERA,600,2020-11-01"


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("", 1, "header"),
        ("sku,name,category,points\n" + GOOD, 1, "header"),
        ("SKU,name,category,points,effective_from\n" + GOOD, 1, "header"),
        ("name,sku,category,points,effective_from\n" + GOOD, 1, "header"),
        (f"{HEADER},extra\n{GOOD}", 1, "header"),
        (f"{HEADER}\n", 2, "no products"),
        (f"{HEADER}\n{GOOD}\nEOS-C80,Canon EOS C80,CINEMA_CAMERA,550\n", 3, "5 fields"),
        (f"{HEADER}\n{GOOD},extra\n", 2, "5 fields"),
        (f"{HEADER}\n{GOOD}\n\nEOS-C80,Canon EOS C80,CINEMA_CAMERA,550,2024-11-01\n", 3, "empty"),
        (f"{HEADER}\neos-c70,Canon EOS C70,CINEMA_CAMERA,600,2020-11-01\n", 2, "sku"),
        (f"{HEADER}\nEOS C70,Canon EOS C70,CINEMA_CAMERA,600,2020-11-01\n", 2, "sku"),
        (f"{HEADER}\n-C70,Canon EOS C70,CINEMA_CAMERA,600,2020-11-01\n", 2, "sku"),
        (f"{HEADER}\nX,Canon X,CINEMA_CAMERA,600,2020-11-01\n", 2, "sku"),
        (f"{HEADER}\n{'A' * 65},Canon X,CINEMA_CAMERA,600,2020-11-01\n", 2, "sku"),
        (f"{HEADER}\nEOS-C70/B,Canon EOS C70,CINEMA_CAMERA,600,2020-11-01\n", 2, "sku"),
        (f"{HEADER}\nEOS-C70,,CINEMA_CAMERA,600,2020-11-01\n", 2, "name is empty"),
        (f"{HEADER}\nEOS-C70, Canon EOS C70,CINEMA_CAMERA,600,2020-11-01\n", 2, "spaces"),
        (f"{HEADER}\nEOS-C70,Canon EOS C70,cinema_camera,600,2020-11-01\n", 2, "category"),
        (f"{HEADER}\nEOS-C70,Canon EOS C70,DRONE,600,2020-11-01\n", 2, "category"),
        (f"{HEADER}\nEOS-C70,Canon EOS C70,CINEMA_CAMERA,0,2020-11-01\n", 2, "points"),
        (f"{HEADER}\nEOS-C70,Canon EOS C70,CINEMA_CAMERA,-5,2020-11-01\n", 2, "points"),
        (f"{HEADER}\nEOS-C70,Canon EOS C70,CINEMA_CAMERA,12.5,2020-11-01\n", 2, "points"),
        (f"{HEADER}\nEOS-C70,Canon EOS C70,CINEMA_CAMERA,+5,2020-11-01\n", 2, "points"),
        (f"{HEADER}\nEOS-C70,Canon EOS C70,CINEMA_CAMERA,,2020-11-01\n", 2, "points"),
        (f"{HEADER}\nEOS-C70,Canon EOS C70,CINEMA_CAMERA,600,01-11-2020\n", 2, "effective_from"),
        (f"{HEADER}\nEOS-C70,Canon EOS C70,CINEMA_CAMERA,600,20201101\n", 2, "effective_from"),
        (f"{HEADER}\nEOS-C70,Canon EOS C70,CINEMA_CAMERA,600,2025-02-30\n", 2, "calendar"),
        (f"{HEADER}\nEOS-C70,Canon EOS C70,CINEMA_CAMERA,600,\n", 2, "effective_from"),
        (
            f"{HEADER}\n{GOOD}\nEOS-C80,Canon EOS C80,CINEMA_CAMERA,550,2024-11-01\n"
            "EOS-C70,Canon EOS C70,CINEMA_CAMERA,500,2020-11-01\n",
            4,
            "line 2",
        ),
        (f"{HEADER}\n{GOOD}\nEOS-C70,Canon EOS C-70,CINEMA_CAMERA,500,2025-04-01\n", 3, "named"),
        (f"{HEADER}\n{GOOD}\nEOS-C70,Canon EOS C70,CAMERA_BODY,500,2025-04-01\n", 3, "is in"),
        (f'{HEADER}\nEOS-C70,"Canon EOS C70,CINEMA_CAMERA,600,2020-11-01\n', 2, "CSV"),
    ],
)
def test_every_malformed_file_is_refused_with_its_line_number(text, line, problem):
    # GIVEN a malformed catalogue file WHEN it is loaded
    with pytest.raises(ValueError, match=problem) as caught:
        load_catalog_csv(text)
    # THEN the error is a CatalogFileError naming the line of the problem
    assert isinstance(caught.value, CatalogFileError)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"line {line}: ")
