"""VAT numbers. Valid numbers are real ones from python-stdnum's docstrings and its
tests/test_eu_vat.doctest ("found online and should all be valid")."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.at import uid as at_uid
from stdnum.gr import vat as gr_vat

from chalicelib.domain.countries import InvalidCountry
from chalicelib.domain.vat import (
    VIES_MEMBER_STATE_CODES,
    InvalidVatNumber,
    normalise_vat,
    supports_vat_validation,
    validate_vat,
    vat_prefix,
    vies_parts,
)

# country, canonical form, spellings of the same number that must all normalise to it
VALID: list[tuple[str, str, list[str]]] = [
    ("NL", "NL822569759B01", ["NL 8225.69.759 b01", "822569759B01", "nl-8225-69-759-B01"]),
    ("NL", "NL004495445B01", ["NL4495445B01", "004495445B01", "nl 0044.95.445.b.01"]),
    ("DE", "DE136695976", ["DE 136,695 976", "136695976", "de 136.695.976", "DE - 136695976"]),
    ("BE", "BE0428759497", ["BE 428759497", "0428.759.497", "be (0)428 759 497"]),
    ("FR", "FR40303265045", ["Fr 40 303 265 045", "40303265045", "fr40-303-265-045"]),
    ("FR", "FRK7399859412", ["FR K 7399859412", "k7399859412"]),
    ("DK", "DK13585628", ["DK 13585628", "13 58 56 28", "DK-13 58 56 28", "dk: 13585628"]),
    ("LV", "LV40003521600", ["LV 4000 3521 600", "40003521600", "lv-4000-3521-600"]),
    ("EE", "EE100931558", ["EE 100 931 558", "100931558", "ee100931558"]),
    ("LT", "LT119511515", ["LT 119511515", "119 511 515"]),
    ("LT", "LT100001919017", ["LT 100001919017", "100001919017"]),
    ("PL", "PL8567346215", ["PL 8567346215", "856-734-62-15", "pl 856 734 62 15"]),
    ("ES", "ESB58378431", ["ES B-58378431", "b58378431", "ESB58378431"]),
    ("ES", "ESX2482300W", ["ES-x-2482300w", "X-2482300-W"]),
    ("IT", "IT00743110157", ["IT 00743110157", "00743110157", "it 007 431 101 57"]),
    ("AT", "ATU13585627", ["AT U13585627", "U13585627", "atu 135 856 27"]),
    ("IE", "IE6433435F", ["IE 6433435F", "6433435f"]),
    ("IE", "IE6433435OA", ["IE 6433435OA", "6433435oa"]),
    ("GR", "EL094259216", ["EL 094259216", "GR 094259216", "094259216", "el-094.259.216"]),
    ("GR", "EL094051189", ["EL 94051189", "94051189"]),  # old 8-digit form, padded
    ("GR", "EL800179925", ["El 800 179 925"]),
    ("SE", "SE556383740901", ["SE 556.383.740.901", "556383740901", "se-556383-7409-01"]),
    ("FI", "FI20774740", ["FI 20774740", "2077474-0", "fi20774740"]),
    ("PT", "PT501964843", ["PT 501 964 843", "501964843", "pt-501.964.843"]),
    ("GB", "GB980780684", ["GB 980 7806 84", "980780684", "gb980780684", "XI 980 7806 84"]),
    ("CH", "CHE107787577MWST", ["CHE-107.787.577 IVA", "CHE-107.787.577 MWST",
                                "che107787577tva", "107.787.577 TPV", "CHE 107 787 577 MWST"]),
    ("NO", "NO995525828MVA", ["NO 995 525 828 MVA", "995525828MVA", "no995525828mva"]),
    ("RO", "RO18547290", ["RO 185 472 90", "18547290"]),
    ("LU", "LU15027442", ["LU 150 274 42", "LU: 150 274 42"]),
    ("CZ", "CZ25123891", ["CZ 25123891", "25123891"]),
    ("SK", "SK2022749619", ["SK 202 274 96 19"]),
    ("SI", "SI50223054", ["SI 5022 3054"]),
    ("HR", "HR33392005961", ["HR 33392005961"]),
    ("HU", "HU12892312", ["HU-12892312"]),
    ("MT", "MT11679112", ["MT 1167-9112"]),
    ("CY", "CY10259033P", ["CY-10259033P"]),
    ("BG", "BG175074752", ["BG 175 074 752"]),
    ("MC", "FR53000004605", ["53 0000 04605", "FR 53 0000 04605"]),
]  # fmt: skip

VALID_CASES = [(cc, canonical, raw) for cc, canonical, spellings in VALID for raw in spellings]


@pytest.mark.parametrize(("country", "canonical", "raw"), VALID_CASES)
def test_spellings_of_a_valid_number_normalise_to_one_canonical_value(
    country: str, canonical: str, raw: str
) -> None:
    # GIVEN a real, valid VAT number written with or without its prefix, with separators and
    # in any case
    # WHEN it is validated (and, separately, only normalised)
    # THEN both give the same canonical value: equal numbers compare equal
    assert validate_vat(country, raw) == canonical
    assert normalise_vat(country, raw) == canonical
    assert validate_vat(country.lower(), raw) == canonical


@pytest.mark.parametrize(("country", "canonical", "raw"), VALID_CASES)
def test_canonical_value_is_accepted_again_unchanged(
    country: str, canonical: str, raw: str
) -> None:
    # GIVEN a stored canonical value WHEN it is validated again THEN it is unchanged
    assert validate_vat(country, canonical) == canonical
    assert normalise_vat(country, canonical) == canonical


@pytest.mark.parametrize(
    ("country", "raw"),
    [
        ("NL", "123456789B90"),
        ("NL", "NL822569758B01"),
        ("DE", "136695978"),
        ("BE", "BE431150351"),
        ("FR", "84 323 140 391"),
        ("DK", "DK 13585627"),
        ("LV", "40003521601"),
        ("EE", "100594103"),
        ("LT", "100001919018"),
        ("PL", "PL 8567346216"),
        ("ES", "B64717839"),
        ("IT", "00743110158"),
        ("AT", "U13585626"),
        ("IE", "6433435E"),
        ("GR", "EL 123456781"),
        ("SE", "123456789101"),
        ("FI", "FI 20774741"),
        ("PT", "PT 501 964 842"),
        ("GB", "802311781"),
        ("CH", "CHE-107.787.578 IVA"),
        ("NO", "NO 995 525 829 MVA"),
    ],
)
def test_wrong_check_digit_is_refused(country: str, raw: str) -> None:
    # GIVEN a number of the right shape whose check digit does not match
    # WHEN it is validated
    # THEN it is refused because of the check digit, with a human message
    with pytest.raises(InvalidVatNumber, match="check digit does not match") as info:
        validate_vat(country, raw)
    assert info.value.problem == "checksum"
    assert info.value.country == country
    assert raw not in str(info.value)  # the number itself is never echoed


@pytest.mark.parametrize(
    ("country", "raw", "prefix", "owner"),
    [
        ("NL", "DE136695976", "DE", "Germany"),  # a valid German number given for NL
        ("NL", "DE 136695978", "DE", "Germany"),  # ... or an invalid one
        ("DE", "NL822569759B01", "NL", "the Netherlands"),
        ("BE", "EL094259216", "EL", "Greece"),
        ("CY", "EL094259216", "EL", "Greece"),
        ("GB", "IE6433435F", "IE", "Ireland"),
        ("IE", "XI980780684", "XI", "Northern Ireland"),
        ("AT", "CHE-107.787.577 MWST", "CH", "Switzerland"),
        ("DK", "NO 995 525 828 MVA", "NO", "Norway"),
    ],
)
def test_another_countrys_prefix_is_refused(
    country: str, raw: str, prefix: str, owner: str
) -> None:
    # GIVEN a number that starts with the VAT prefix of another country
    # WHEN it is validated for the applicant's country
    # THEN the message names the prefix and its country
    with pytest.raises(InvalidVatNumber) as info:
        validate_vat(country, raw)
    assert info.value.problem == "foreign_prefix"
    assert f"starts with {prefix}" in str(info.value)
    assert owner in str(info.value)


@pytest.mark.parametrize(
    ("country", "raw", "problem"),
    [
        ("NL", "", "empty"),
        ("NL", "   ", "empty"),
        ("NL", " -.- / ", "empty"),
        ("NL", "hello", "format"),
        ("NL", "NL", "format"),
        ("NL", "NLB01", "format"),
        ("DE", "12345", "length"),
        ("DE", "1" * 40, "length"),
        ("NL", "☃", "characters"),
        ("DE", "DE136695976!", "characters"),
        ("DE", "Straße", "characters"),
        ("CH", "CHE-107.787.577", "length"),  # the UID without MWST/TVA/IVA/TPV
        ("NO", "995 525 828", "format"),  # without MVA
        ("LV", "161375-19997", "component"),  # a personal code with an impossible date
    ],
)
def test_empty_and_garbage_are_refused(country: str, raw: str, problem: str) -> None:
    # GIVEN an empty, malformed or garbled VAT number
    # WHEN it is validated
    # THEN it is refused with the matching problem and a message a customer understands
    with pytest.raises(InvalidVatNumber) as info:
        validate_vat(country, raw)
    assert info.value.problem == problem
    assert str(info.value)


def test_full_width_characters_are_folded_to_ascii() -> None:
    # GIVEN a number typed with full-width characters (an East Asian keyboard layout)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "NL822569759B01")
    # WHEN validated THEN it is read as the ASCII number
    assert validate_vat("NL", full_width) == "NL822569759B01"


def test_format_message_shows_the_expected_shape() -> None:
    # GIVEN a Norwegian number without MVA WHEN validated THEN the message shows the shape
    with pytest.raises(InvalidVatNumber, match=r"Expected: NO ### ### ### MVA \(# is a digit\)"):
        validate_vat("NO", "995525828")


@pytest.mark.parametrize("country", ["US", "SA", "LI", "AQ"])
def test_country_without_vat_rules_cannot_be_verified(country: str) -> None:
    # GIVEN a country python-stdnum has no VAT module for
    # WHEN a VAT number is validated (or only normalised)
    # THEN it is refused: leave the field empty and upload another proof document
    assert not supports_vat_validation(country)
    for call in (validate_vat, normalise_vat):
        with pytest.raises(InvalidVatNumber, match="cannot be verified") as info:
            call(country, "123456789")
        assert info.value.problem == "unsupported_country"
        assert "another proof document" in str(info.value)


@pytest.mark.parametrize("country", ["UK", "EL", "", "NLD"])
def test_non_iso_country_is_refused(country: str) -> None:
    # GIVEN a country that is not ISO 3166-1 alpha-2 THEN InvalidCountry, not InvalidVatNumber
    with pytest.raises(InvalidCountry):
        validate_vat(country, "GB980780684")


def test_normalise_does_not_check_digits() -> None:
    # GIVEN a number with a wrong check digit WHEN only normalised THEN it is compacted anyway
    assert normalise_vat("DE", "de 136 695 978") == "DE136695978"
    assert normalise_vat("GR", "GR 94051180") == "EL094051180"


@pytest.mark.parametrize(
    ("country", "prefix"),
    [("NL", "NL"), ("GR", "EL"), ("gb", "GB"), ("CH", "CH"), ("MC", "FR"), ("NO", "NO")],
)
def test_vat_prefix(country: str, prefix: str) -> None:
    assert vat_prefix(country) == prefix


# --- VIES -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("canonical", "parts"),
    [
        ("EL094259216", ("EL", "094259216")),
        ("NL822569759B01", ("NL", "822569759B01")),
        ("ATU13585627", ("AT", "U13585627")),
        ("FR53000004605", ("FR", "53000004605")),  # Monaco, checked in VIES as FR
    ],
)
def test_vies_parts_of_eu_numbers(canonical: str, parts: tuple[str, str]) -> None:
    # GIVEN a canonical EU VAT number WHEN split for VIES THEN Greece is EL
    assert vies_parts(canonical) == parts


@pytest.mark.parametrize(
    "canonical", ["GB980780684", "CHE107787577MWST", "NO995525828MVA", "GR094259216", "NL", ""]
)
def test_vies_parts_refuses_non_eu_numbers(canonical: str) -> None:
    # GIVEN a non-EU (or non-canonical) number WHEN split for VIES THEN ValueError
    with pytest.raises(ValueError):
        vies_parts(canonical)


def test_vies_member_state_codes() -> None:
    assert len(VIES_MEMBER_STATE_CODES) == 27
    assert "EL" in VIES_MEMBER_STATE_CODES
    assert "GR" not in VIES_MEMBER_STATE_CODES


# --- properties -----------------------------------------------------------------------------

PREFIXES = {"GR": ["EL", "GR"], "GB": ["GB", "XI"], "MC": ["FR"], "CH": ["CHE"]}


@st.composite
def spelled(draw: st.DrawFn) -> tuple[str, str, str]:
    """A valid number re-spelled: random prefix or none, case and separators."""
    country, canonical, _ = draw(st.sampled_from(VALID))
    own = vat_prefix(country)
    national = canonical[3:] if country == "CH" else canonical[len(own) :]
    if country == "CH":
        national = national[:9] + draw(st.sampled_from(["MWST", "TVA", "IVA", "TPV"]))
    prefix = draw(st.sampled_from([*PREFIXES.get(country, [own]), ""]))
    out = []
    for char in prefix + national:
        out.append(char.lower() if draw(st.booleans()) else char)
        out.append(draw(st.sampled_from(["", "", "", " ", ".", "-", "/", " - "])))
    return country, canonical, "".join(out)


@given(spelled())
def test_any_spelling_of_a_valid_number_gives_its_canonical_form(
    case: tuple[str, str, str],
) -> None:
    # GIVEN a valid number spelled any way
    country, canonical, raw = case
    # WHEN validated THEN the canonical form comes out, and validating that is idempotent
    once = validate_vat(country, raw)
    assert once == canonical
    assert validate_vat(country, once) == once
    assert normalise_vat(country, raw) == once


@st.composite
def generated(draw: st.DrawFn) -> tuple[str, str]:
    """Fresh valid numbers built with stdnum's own check-digit functions (GR, AT)."""
    if draw(st.booleans()):
        body = draw(st.text("0123456789", min_size=8, max_size=8))
        return "GR", body + gr_vat.calc_check_digit(body)
    body = "U" + draw(st.text("0123456789", min_size=7, max_size=7))
    return "AT", body + at_uid.calc_check_digit(body)


@given(generated())
def test_validation_is_idempotent_on_generated_numbers(case: tuple[str, str]) -> None:
    country, raw = case
    once = validate_vat(country, raw)
    assert validate_vat(country, once) == once
    assert once.startswith(vat_prefix(country))


COUNTRIES = ["NL", "DE", "BE", "FR", "DK", "LV", "EE", "LT", "PL", "ES", "IT", "AT", "IE", "GR",
             "SE", "FI", "PT", "GB", "CH", "NO", "RO", "MC", "CZ", "MX", "AU"]  # fmt: skip


@given(
    country=st.sampled_from(COUNTRIES),
    raw=st.one_of(
        st.text(max_size=40),
        st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ .-/", max_size=20),
        st.sampled_from(COUNTRIES).flatmap(
            lambda p: st.text("0123456789B", min_size=6, max_size=14).map(lambda t: p + t)
        ),
    ),
)
def test_validate_never_fails_other_than_with_invalid_vat_number(country: str, raw: str) -> None:
    # GIVEN any text at all
    # WHEN validated
    # THEN it is either refused with InvalidVatNumber or accepted, and then idempotent
    try:
        once = validate_vat(country, raw)
    except InvalidVatNumber as exc:
        assert str(exc)
        return
    assert validate_vat(country, once) == once
    assert normalise_vat(country, raw) == once


@given(country=st.sampled_from(COUNTRIES), raw=st.text(max_size=40))
def test_normalise_never_fails_other_than_with_invalid_vat_number(country: str, raw: str) -> None:
    try:
        normalise_vat(country, raw)
    except InvalidVatNumber as exc:
        assert exc.problem in {"empty", "characters", "length", "unsupported_country"}


def test_a_shape_hint_never_shows_a_number_that_fails_its_own_check_digits():
    # GIVEN a Dutch VAT number of the wrong shape
    with pytest.raises(InvalidVatNumber) as refused:
        validate_vat("NL", "NL12345")
    # WHEN the hint is read / THEN it shows the shape with # for digits, not a fake number
    assert "NL#########B##" in str(refused.value)
    assert not any(ch.isdigit() for ch in str(refused.value).split("Expected:")[1])
