"""Reading an old-CPS export row by row (SPEC §2 migration)."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.legacy import LegacyProduct, RejectedRow, UnreadableExport, parse_rows

TODAY = date(2026, 11, 22)
KNOWN = frozenset({"EOS-R1-BODY", "RF-24-70-F2.8L-IS-USM"})
HEADER = "email,sku,serial_number,purchase_date,country_of_purchase,dealer\n"


def parse(text: str) -> list[LegacyProduct | RejectedRow]:
    return list(parse_rows(text.splitlines(keepends=True), KNOWN, TODAY))


def test_valid_rows_become_products_keyed_by_lower_cased_email_and_physical_product():
    # GIVEN a complete row and an incomplete one
    rows = parse(
        HEADER
        + "Anna@Example.COM,eos-r1-body,ab 12,2024-01-31,de,Foto Koch\n"
        + "anna@example.com,RF-24-70-F2.8L-IS-USM,,,,\n"
    )
    # THEN both are kept, the e-mail lower-cased and the serial normalised
    first, second = rows
    assert isinstance(first, LegacyProduct) and isinstance(second, LegacyProduct)
    assert first.email == "anna@example.com" and first.row_key == "EOS-R1-BODY#AB12"
    assert first.details.country_of_purchase == "DE"
    assert second.details.missing() == (
        "serial_number",
        "purchase_date",
        "country_of_purchase",
        "dealer",
    )


def test_the_same_rows_always_get_the_same_keys():
    text = HEADER + "a@b.nl,RF-24-70-F2.8L-IS-USM,,2020-01-01,NL,X\n"
    assert parse(text)[0].row_key == parse(text)[0].row_key  # type: ignore[union-attr]


def test_each_bad_row_is_reported_with_its_line_and_reason_and_the_rest_go_on():
    rows = parse(
        HEADER
        + "not-an-email,EOS-R1-BODY,1,2024-01-01,NL,X\n"
        + "a@b.nl,EOS-NOPE,1,2024-01-01,NL,X\n"
        + "a@b.nl,EOS-R1-BODY,1,2999-01-01,NL,X\n"
        + "a@b.nl,EOS-R1-BODY,1,2024-01-01,ZZ,X\n"
        + "a@b.nl,EOS-R1-BODY,1\n"
        + "\n"
        + "a@b.nl,EOS-R1-BODY,OK1,2024-01-01,NL,X\n"
    )
    rejected = [r for r in rows if isinstance(r, RejectedRow)]
    assert [r.line for r in rejected] == [2, 3, 4, 5, 6]
    assert "email" in rejected[0].reason
    assert "sku" in rejected[1].reason
    assert "purchase_date" in rejected[2].reason
    assert "country_of_purchase" in rejected[3].reason
    assert "columns" in rejected[4].reason
    assert isinstance(rows[-1], LegacyProduct)


def test_a_wrong_header_rejects_the_file():
    with pytest.raises(UnreadableExport, match="header"):
        parse("mail,sku\n a@b.nl,EOS-R1-BODY\n")


def test_quoted_fields_with_commas_are_read_as_one_value():
    rows = parse(HEADER + 'a@b.nl,EOS-R1-BODY,9,2024-01-01,BE,"Foto Hoet, Brugge"\n')
    assert rows[0].details.dealer == "Foto Hoet, Brugge"  # type: ignore[union-attr]
