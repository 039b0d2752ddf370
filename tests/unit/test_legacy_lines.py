"""A broken line of an old-CPS export is that row's problem only; a file that is no export at all
fails as a whole (issue 8, item 9)."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.legacy import (
    MAX_LINE_CHARS,
    LegacyProduct,
    RejectedRow,
    UnreadableExport,
    parse_rows,
    sniff_export,
    split_line,
)

TODAY = date(2026, 11, 22)
KNOWN = frozenset({"EOS-R1-BODY"})
HEADER = b"email,sku,serial_number,purchase_date,country_of_purchase,dealer\n"
GOOD = b"a@b.nl,EOS-R1-BODY,SN1,2024-01-01,NL,Foto Koch\n"


def read_like_the_store(data: bytes) -> list[str]:
    """How the document store hands lines over: one per physical line, bytes that are not
    UTF-8 as lone surrogates."""
    return [line.decode("utf-8-sig", errors="surrogateescape") for line in data.splitlines(True)]


def parse(data: bytes) -> list[LegacyProduct | RejectedRow]:
    return list(parse_rows(read_like_the_store(data), KNOWN, TODAY))


def test_a_byte_that_is_not_utf8_rejects_its_row_only():
    # GIVEN an export whose second row has a Latin-1 "é" in the dealer
    data = HEADER + GOOD + b"c@d.nl,EOS-R1-BODY,SN2,2024-01-01,BE,Caf\xe9 Photo\n" + GOOD
    # WHEN it is parsed
    rows = parse(data)
    # THEN that row (line 3) is rejected, naming the byte, and the rows around it are kept
    assert [type(r) for r in rows] == [LegacyProduct, RejectedRow, LegacyProduct]
    rejected = rows[1]
    assert isinstance(rejected, RejectedRow)
    assert rejected.line == 3
    assert "UTF-8" in rejected.reason and "0xE9" in rejected.reason


def test_an_unterminated_quote_rejects_its_row_and_does_not_swallow_the_rest():
    # GIVEN a row whose quoted dealer is never closed, followed by two good rows
    data = HEADER + b'c@d.nl,EOS-R1-BODY,SN2,2024-01-01,BE,"Foto Hoet, Brugge\n' + GOOD + GOOD
    # WHEN it is parsed
    rows = parse(data)
    # THEN line 2 is rejected for its quote and lines 3 and 4 are read as rows of their own
    assert rows[0] == RejectedRow(2, rows[0].reason)  # type: ignore[union-attr]
    assert "quote" in rows[0].reason  # type: ignore[union-attr]
    assert [type(r) for r in rows[1:]] == [LegacyProduct, LegacyProduct]


def test_a_stray_quote_inside_a_value_rejects_its_row():
    # GIVEN a value with a quote in the middle of a quoted field
    # WHEN the line is split THEN it is refused as invalid CSV, not guessed at
    assert isinstance(split_line('a@b.nl,EOS-R1-BODY,"SN"1,2024-01-01,NL,X\n'), str)


def test_crlf_lines_and_a_byte_order_mark_are_read():
    # GIVEN a Windows export with a BOM
    data = b"\xef\xbb\xbf" + HEADER.replace(b"\n", b"\r\n") + GOOD.replace(b"\n", b"\r\n")
    # WHEN parsed THEN its row is a product
    assert [type(r) for r in parse(data)] == [LegacyProduct]


def test_an_overlong_line_is_rejected_without_being_stored():
    # GIVEN a row with a dealer of more characters than any row may have
    data = HEADER + b"a@b.nl,EOS-R1-BODY,SN1,2024-01-01,NL," + b"x" * MAX_LINE_CHARS + b"\n"
    # WHEN parsed THEN it is rejected with its line
    [rejected] = parse(data)
    assert isinstance(rejected, RejectedRow) and rejected.line == 2
    assert "longer" in rejected.reason


def test_an_overlong_e_mail_address_is_rejected():
    # GIVEN an address longer than any e-mail address (and than a DynamoDB key may be)
    data = HEADER + b"a@" + b"b" * 60 + b"." + (b"c" * 60 + b".") * 40 + b"nl,EOS-R1-BODY,,,,\n"
    # WHEN parsed THEN the row is rejected for its e-mail
    [rejected] = parse(data)
    assert isinstance(rejected, RejectedRow) and "email" in rejected.reason


def test_an_unknown_sku_is_quoted_shortened_in_the_reason():
    # GIVEN an unknown SKU of a thousand characters
    [rejected] = parse(HEADER + b"a@b.nl," + b"X" * 1000 + b",SN1,,,\n")
    # THEN the reason names it, shortened
    assert isinstance(rejected, RejectedRow) and len(rejected.reason) < 100


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "empty"),
        (b"mail,sku\na@b.nl,EOS-R1-BODY\n", "header"),
        (b"\xff\xfee\x00m\x00a\x00i\x00l\x00", "header"),  # UTF-16: no UTF-8 header line
    ],
)
def test_a_file_without_the_header_fails_as_a_whole(data, why):
    # GIVEN a file that is not an export WHEN parsed THEN nothing is yielded: it fails
    with pytest.raises(UnreadableExport, match=why):
        parse(data)


@pytest.mark.parametrize(
    ("size", "head", "why"),
    [
        (0, b"", "empty"),
        (5000, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "header"),
        (5000, b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "binary"),
        (5000, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (10_000_000, b"A" * 262, "header"),  # no line break in sight: not a CSV export
        (5000, b"\xe9mail,sku\n", "UTF-8"),
        (5000, b"mail,sku,serial\nx,y,z\n", "header"),
    ],
)
def test_a_binary_or_headerless_file_is_recognised_from_its_first_bytes(size, head, why):
    # GIVEN the size and first bytes of an upload WHEN sniffed THEN the reason says why not
    reason = sniff_export(size, head)
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "head",
    [
        HEADER + GOOD,
        b"\xef\xbb\xbf" + HEADER.replace(b"\n", b"\r\n"),
        b"Email, SKU, Serial_Number, Purchase_Date, Country_Of_Purchase, Dealer\n",
        HEADER.rstrip(b"\n"),  # a file that is the header alone, without a line break
    ],
)
def test_an_export_passes_the_sniff(head):
    assert sniff_export(len(head), head) is None
