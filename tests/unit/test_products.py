"""Registration details, the green tick and the ledger's arithmetic (SPEC §2)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.points import (
    EntryReason,
    award_entry,
    earns_invitation,
    reversal_entry,
)
from chalicelib.domain.products import (
    ProductDetails,
    Registration,
    Source,
    normalise_serial,
    validate_details,
)

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)


def details(**given: str | None) -> ProductDetails:
    values: dict[str, str | None] = {
        "serial_number": None,
        "purchase_date": None,
        "country_of_purchase": None,
        "dealer": None,
    }
    values.update(given)
    return validate_details(**values, today=TODAY)  # type: ignore[arg-type]


def registration(d: ProductDetails) -> Registration:
    return Registration("acc", "p1", "EOS-R5", "Canon EOS R5", d, Source.REGISTERED, NOW)


@pytest.mark.parametrize(
    "raw",
    [
        "ab 123 456",
        "AB123456",
        " ab123456 ",
        "Ab\t123\u3000456",
        "\uff21\uff22\uff11\uff12\uff13\uff14\uff15\uff16",
    ],
)
def test_serial_numbers_are_normalised_so_case_and_spaces_never_make_two_products(raw):
    assert normalise_serial(raw) == "AB123456"


def test_all_four_details_make_the_green_tick():
    # GIVEN every mandatory detail, some of them best estimates
    d = details(
        serial_number="123",
        purchase_date="2019-06-01",
        country_of_purchase="de",
        dealer="Foto Müller",
    )
    # THEN the registration is complete, nothing is missing
    assert registration(d).complete and d.missing() == ()
    assert d.country_of_purchase == "DE"


@pytest.mark.parametrize(
    "absent", ["serial_number", "purchase_date", "country_of_purchase", "dealer"]
)
def test_any_missing_detail_withholds_the_tick(absent):
    given = {
        "serial_number": "123",
        "purchase_date": "2019-06-01",
        "country_of_purchase": "NL",
        "dealer": "Kamera Express",
    }
    given[absent] = None
    d = details(**given)
    assert not registration(d).complete and d.missing() == (absent,)


def test_a_correction_keeps_what_it_does_not_name():
    first = details(serial_number="123", dealer="Calumet")
    merged = first.merged(details(purchase_date="2020-02-29", country_of_purchase="LV"))
    assert merged == ProductDetails("123", date(2020, 2, 29), "LV", "Calumet")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("purchase_date", "2026-11-23"),  # tomorrow
        ("purchase_date", "2026-02-30"),  # not a real date
        ("purchase_date", "22-11-2026"),
        ("purchase_date", "1900-01-01"),
        ("country_of_purchase", "UK"),
        ("country_of_purchase", "Germany"),
        ("serial_number", "   "),
        ("serial_number", "AB#123"),
        ("dealer", "   "),
        ("dealer", "x" * 121),
    ],
)
def test_invalid_details_are_refused_naming_the_field(field, value):
    with pytest.raises(ValidationFailed) as refused:
        details(**{field: value})
    assert field in refused.value.fields


def test_today_is_an_acceptable_purchase_date():
    assert details(purchase_date="2026-11-22").purchase_date == TODAY


def test_the_claim_key_is_model_plus_serial():
    assert registration(details(serial_number="ab 12")).claim_key == "EOS-R5#AB12"
    assert registration(details()).claim_key is None


def test_award_and_reversal_cancel_out_and_are_named_after_their_cause():
    # GIVEN a product that earned 300 points and was then removed
    award = award_entry("acc", "p1", 300, NOW, migrated=False)
    reversal = reversal_entry("acc", "p1", 300, NOW)
    # THEN the entries sum to zero, and their ids come from the product, not from chance
    assert award.delta + reversal.delta == 0
    assert (award.entry_id, reversal.entry_id) == ("p1#award", "p1#reversal")
    assert award.reason is EntryReason.PRODUCT_REGISTERED
    assert award_entry("acc", "p1", 300, NOW, migrated=True).reason is EntryReason.PRODUCT_MIGRATED


@pytest.mark.parametrize(
    ("balance_after", "invited", "expected"),
    [(499, False, False), (500, False, True), (2500, False, True), (800, True, False)],
)
def test_the_invitation_comes_once_at_500_points(balance_after, invited, expected):
    assert earns_invitation(balance_after, invited) is expected
