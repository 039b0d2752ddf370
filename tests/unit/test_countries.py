import pytest

from chalicelib.domain.countries import (
    EU_MEMBER_STATES,
    InvalidCountry,
    country_name,
    currency_for,
    is_eu,
    normalise_country,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("nl", "NL"), (" de ", "DE"), ("Gr", "GR"), ("GB", "GB"), ("lv\n", "LV"), ("aq", "AQ")],
)
def test_iso_codes_are_normalised(given: str, expected: str) -> None:
    # GIVEN an ISO 3166-1 alpha-2 code in any case, with surrounding whitespace
    # WHEN it is normalised
    # THEN the upper-case code is returned
    assert normalise_country(given) == expected


@pytest.mark.parametrize(
    "given",
    ["UK", "EL", "XI", "EU", "XX", "NLD", "N", "", "  ", "N1", "Ñl", "528", None, 31],
)
def test_non_iso_codes_are_refused(given: object) -> None:
    # GIVEN something that is not a known ISO 3166-1 alpha-2 code ("UK" and "EL" included)
    # WHEN it is normalised
    # THEN InvalidCountry (a ValueError) says what was received is not ISO 3166-1 alpha-2
    with pytest.raises(InvalidCountry, match="not an ISO 3166-1 alpha-2") as info:
        normalise_country(given)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    assert info.value.received == given


def test_the_eu_has_27_member_states_with_greece_as_gr() -> None:
    # GIVEN the EU member states
    # THEN there are 27, as ISO codes (Greece GR, not EL), without the United Kingdom
    assert len(EU_MEMBER_STATES) == 27
    assert "GR" in EU_MEMBER_STATES
    assert "EL" not in EU_MEMBER_STATES
    assert "GB" not in EU_MEMBER_STATES
    assert all(normalise_country(cc) == cc for cc in EU_MEMBER_STATES)


@pytest.mark.parametrize(
    ("country", "expected"),
    [("NL", True), ("de", True), ("GR", True), ("LV", True), ("DK", True), ("HR", True),
     ("GB", False), ("CH", False), ("NO", False), ("EL", False), ("US", False), ("", False)],
)  # fmt: skip
def test_is_eu(country: str, expected: bool) -> None:
    # GIVEN a country code WHEN asked whether it is in the EU THEN members answer True
    assert is_eu(country) is expected


@pytest.mark.parametrize(
    ("country", "currency"),
    [("GB", "GBP"), ("gb", "GBP"), ("NL", "EUR"), ("DE", "EUR"), ("DK", "EUR"), ("LV", "EUR"),
     ("CH", "EUR")],
)  # fmt: skip
def test_currency_is_pounds_for_the_uk_and_euros_elsewhere(country: str, currency: str) -> None:
    # GIVEN an account's country WHEN its currency is chosen THEN £ for GB, € otherwise
    assert currency_for(country) == currency


def test_currency_refuses_non_iso_codes() -> None:
    # GIVEN "UK" THEN it is refused, not silently priced in euros
    with pytest.raises(InvalidCountry):
        currency_for("UK")


def test_country_name() -> None:
    # GIVEN an ISO code THEN its English short name is used in messages
    assert country_name("nl") == "Netherlands"
    assert country_name("GR") == "Greece"
    assert country_name("TW") == "Taiwan"
