"""Business days and the 2-business-day review promise (SPEC §1).

Expected dates below were worked out by hand from the calendar (weekday of each date, the
country's public holidays) and are checked here against the holidays library.
"""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain import business_days as bd
from chalicelib.domain.business_days import (
    BusinessCalendar,
    calendar_for,
    decision_due_by,
    is_overdue,
)
from chalicelib.domain.countries import InvalidCountry


def at(y: int, m: int, d: int, hh: int = 12, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=UTC)


# --- weekends -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uploaded", "due"),
    [
        (at(2026, 3, 3), date(2026, 3, 5)),  # Tue -> Wed(1), Thu(2)
        (at(2026, 3, 5), date(2026, 3, 9)),  # Thu -> Fri(1), Mon(2)
        (at(2026, 3, 6), date(2026, 3, 10)),  # Fri -> Mon(1), Tue(2)
        (at(2026, 3, 7), date(2026, 3, 10)),  # Sat -> Mon(1), Tue(2)
        (at(2026, 3, 8), date(2026, 3, 10)),  # Sun -> Mon(1), Tue(2)
    ],
)
def test_weekend_days_are_not_business_days(uploaded: datetime, due: date) -> None:
    # GIVEN an upload in the Netherlands in a week without public holidays
    # WHEN the decision due date is computed
    # THEN Saturdays and Sundays are skipped and the upload day itself never counts
    assert decision_due_by(uploaded, "NL") == due


def test_friday_late_evening_upload_counts_from_friday_in_utc() -> None:
    # GIVEN an upload on Friday 23:59:59 UTC
    # WHEN the due date is computed
    # THEN it is the Tuesday after
    assert decision_due_by(at(2026, 3, 6, 23, 59, 59), "NL") == date(2026, 3, 10)


def test_upload_date_is_taken_in_utc() -> None:
    # GIVEN an upload on Thursday 23:30 at UTC-2, which is already Friday 01:30 in UTC
    uploaded = datetime(2026, 3, 5, 23, 30, tzinfo=timezone(timedelta(hours=-2)))
    # WHEN the due date is computed
    # THEN the count starts on Friday (UTC): Mon(1), Tue(2)
    assert decision_due_by(uploaded, "NL") == date(2026, 3, 10)


def test_naive_upload_time_is_refused() -> None:
    # GIVEN a datetime without a timezone
    # WHEN the due date is computed
    # THEN it is refused rather than guessed
    with pytest.raises(ValueError, match="timezone-aware"):
        decision_due_by(datetime(2026, 3, 6, 12, 0), "NL")


# --- the Netherlands ------------------------------------------------------------------------


def test_nl_kings_day_on_a_monday_is_skipped() -> None:
    # GIVEN King's Day 2026 falls on Monday 27 April
    cal = calendar_for("NL")
    assert date(2026, 4, 27).weekday() == 0
    assert not cal.is_business_day(date(2026, 4, 27))
    # WHEN an application is uploaded on Friday 24 April (or Sunday 26 April)
    # THEN Mon 27 is skipped: Tue 28 (1), Wed 29 (2)
    assert decision_due_by(at(2026, 4, 24), "NL") == date(2026, 4, 29)
    assert decision_due_by(at(2026, 4, 26), "NL") == date(2026, 4, 29)


def test_nl_year_boundary_new_year_and_weekend() -> None:
    # GIVEN an upload on Thursday 31 December 2026 in the Netherlands
    # WHEN the due date is computed
    # THEN Fri 1 Jan (New Year) and the weekend are skipped: Mon 4 Jan (1), Tue 5 Jan (2)
    assert date(2026, 12, 31).weekday() == 3
    assert decision_due_by(at(2026, 12, 31), "NL") == date(2027, 1, 5)


def test_nl_christmas() -> None:
    # GIVEN Christmas Day 2026 is a Friday and Boxing Day a Saturday
    # WHEN an application is uploaded on Thursday 24 December
    # THEN Fri 25 is skipped, then the weekend: Mon 28 (1), Tue 29 (2)
    assert decision_due_by(at(2026, 12, 24), "NL") == date(2026, 12, 29)


# --- Germany --------------------------------------------------------------------------------


def test_de_good_friday_and_easter_monday_are_skipped() -> None:
    # GIVEN Easter 2026 is Sunday 5 April: Good Friday 3 April, Easter Monday 6 April
    cal = calendar_for("DE")
    assert not cal.is_business_day(date(2026, 4, 3))
    assert not cal.is_business_day(date(2026, 4, 6))
    # WHEN an application is uploaded on Thursday 2 April
    # THEN Fri 3, the weekend and Mon 6 are skipped: Tue 7 (1), Wed 8 (2)
    assert decision_due_by(at(2026, 4, 2), "DE") == date(2026, 4, 8)


def test_de_unity_day_on_a_saturday_changes_nothing() -> None:
    # GIVEN German Unity Day 2026 (3 October) falls on a Saturday (no substitute day in Germany)
    cal = calendar_for("DE")
    assert cal.is_holiday(date(2026, 10, 3))
    assert date(2026, 10, 3).weekday() == 5
    # WHEN an application is uploaded on Friday 2 October
    # THEN the due date is the ordinary Tuesday: Mon 5 (1), Tue 6 (2)
    assert decision_due_by(at(2026, 10, 2), "DE") == date(2026, 10, 6)


def test_de_unity_day_on_a_friday_is_skipped() -> None:
    # GIVEN German Unity Day 2025 is Friday 3 October
    # WHEN an application is uploaded on Thursday 2 October 2025
    # THEN Fri 3 is skipped: Mon 6 (1), Tue 7 (2)
    assert decision_due_by(at(2025, 10, 2), "DE") == date(2025, 10, 7)


def test_de_both_christmas_days_are_skipped() -> None:
    # GIVEN 25 and 26 December 2025 are a Thursday and a Friday (24 December is a working day)
    cal = calendar_for("DE")
    assert cal.is_business_day(date(2025, 12, 24))
    # WHEN an application is uploaded on Wednesday 24 December 2025
    # THEN Thu 25, Fri 26 and the weekend are skipped: Mon 29 (1), Tue 30 (2)
    assert decision_due_by(at(2025, 12, 24), "DE") == date(2025, 12, 30)


# --- Denmark --------------------------------------------------------------------------------


def test_dk_great_prayer_day_abolished_from_2024() -> None:
    # GIVEN Store Bededag was a public holiday until 2023 (Friday 5 May 2023) and abolished by
    # law from 2024 (it would have been Friday 26 April 2024)
    cal = calendar_for("DK")
    assert not cal.is_business_day(date(2023, 5, 5))
    assert cal.is_business_day(date(2024, 4, 26))
    # WHEN applications are uploaded on the Thursday before each
    # THEN 2023 skips the Friday: Mon 8 (1), Tue 9 (2); 2024 does not: Fri 26 (1), Mon 29 (2)
    assert decision_due_by(at(2023, 5, 4), "DK") == date(2023, 5, 9)
    assert decision_due_by(at(2024, 4, 25), "DK") == date(2024, 4, 29)


def test_dk_christmas_eve_is_not_a_public_holiday() -> None:
    # GIVEN Christmas Eve (Thursday 24 December 2026) is customary but not a public holiday
    # in Denmark; Christmas Day is Friday 25, Second Christmas Day Saturday 26
    cal = calendar_for("DK")
    assert cal.is_business_day(date(2026, 12, 24))
    # WHEN an application is uploaded on Wednesday 23 December
    # THEN Thu 24 (1), then Fri 25 and the weekend are skipped: Mon 28 (2)
    assert decision_due_by(at(2026, 12, 23), "DK") == date(2026, 12, 28)


def test_dk_maundy_thursday_to_easter_monday() -> None:
    # GIVEN Denmark also keeps Maundy Thursday (2 April 2026) as a public holiday
    # WHEN an application is uploaded on Wednesday 1 April 2026
    # THEN Thu 2, Fri 3, the weekend and Mon 6 are skipped: Tue 7 (1), Wed 8 (2)
    assert decision_due_by(at(2026, 4, 1), "DK") == date(2026, 4, 8)


# --- Latvia ---------------------------------------------------------------------------------


def test_lv_ligo_and_jani() -> None:
    # GIVEN Līgo (Tue 23 June 2026) and Jāņi (Wed 24 June 2026), plus Monday 22 June, which
    # Latvia made a day off in 2026 (worked on Saturday 27 June instead)
    cal = calendar_for("LV")
    assert not cal.is_business_day(date(2026, 6, 23))
    assert not cal.is_business_day(date(2026, 6, 24))
    assert not cal.is_business_day(date(2026, 6, 22))
    # WHEN an application is uploaded on Friday 19 June
    # THEN Mon 22 to Wed 24 are skipped: Thu 25 (1), Fri 26 (2)
    assert decision_due_by(at(2026, 6, 19), "LV") == date(2026, 6, 26)


def test_lv_proclamation_day() -> None:
    # GIVEN Proclamation Day, Wednesday 18 November 2026
    assert date(2026, 11, 18).weekday() == 2
    # WHEN an application is uploaded on Tuesday 17 November
    # THEN Wed 18 is skipped: Thu 19 (1), Fri 20 (2)
    assert decision_due_by(at(2026, 11, 17), "LV") == date(2026, 11, 20)


def test_lv_proclamation_day_on_a_saturday_moves_to_monday() -> None:
    # GIVEN 18 November 2028 is a Saturday, so Latvia gives Monday 20 November off
    assert date(2028, 11, 18).weekday() == 5
    # WHEN an application is uploaded on Friday 17 November 2028
    # THEN the weekend and Mon 20 are skipped: Tue 21 (1), Wed 22 (2)
    assert decision_due_by(at(2028, 11, 17), "LV") == date(2028, 11, 22)


# --- United Kingdom -------------------------------------------------------------------------


def test_gb_new_years_day() -> None:
    # GIVEN New Year's Day 2027 is a Friday
    # WHEN an application is uploaded on Thursday 31 December 2026
    # THEN Fri 1 Jan and the weekend are skipped: Mon 4 (1), Tue 5 (2)
    assert decision_due_by(at(2026, 12, 31), "GB") == date(2027, 1, 5)


def test_gb_new_years_day_on_a_saturday_is_observed_on_monday() -> None:
    # GIVEN 1 January 2028 is a Saturday, so the bank holiday is Monday 3 January
    assert not calendar_for("GB").is_business_day(date(2028, 1, 3))
    # WHEN an application is uploaded on Friday 31 December 2027
    # THEN Mon 3 is skipped: Tue 4 (1), Wed 5 (2)
    assert decision_due_by(at(2027, 12, 31), "GB") == date(2028, 1, 5)


def test_gb_christmas_on_a_weekend_gives_two_substitute_days() -> None:
    # GIVEN Christmas 2027 falls on Saturday/Sunday, substituted by Monday 27 and Tuesday 28
    # WHEN an application is uploaded on Friday 24 December 2027
    # THEN Wed 29 (1), Thu 30 (2)
    assert decision_due_by(at(2027, 12, 24), "GB") == date(2027, 12, 30)


# --- countries without holiday data ---------------------------------------------------------


def test_country_unknown_to_the_holidays_library_counts_weekends_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN the holidays library does not cover the country (it raises NotImplementedError;
    # holidays 0.109 happens to cover every ISO code, so this is simulated)
    def not_available(country: str, **_: object) -> None:
        raise NotImplementedError(f"Country {country} not available")

    monkeypatch.setattr(bd.holidays, "country_holidays", not_available)
    cal = BusinessCalendar("NL")
    # WHEN business days are counted
    # THEN only weekends are skipped: King's Day and New Year are ordinary days
    assert cal.is_business_day(date(2026, 4, 27))
    assert cal.add_business_days(date(2026, 12, 31), 2) == date(2027, 1, 4)
    assert not cal.is_business_day(date(2027, 1, 2))


def test_antarctica_has_its_own_holidays_and_does_not_crash() -> None:
    # GIVEN "AQ", which the holidays library covers (Antarctica Day, 1 December)
    cal = calendar_for("aq")
    # WHEN business days are counted around Tuesday 1 December 2026
    # THEN it is not a business day: upload Mon 30 Nov -> Wed 2 (1), Thu 3 (2)
    assert not cal.is_business_day(date(2026, 12, 1))
    assert decision_due_by(at(2026, 11, 30), "AQ") == date(2026, 12, 3)


def test_non_iso_country_is_refused() -> None:
    # GIVEN "UK" (not ISO 3166-1; the code is "GB")
    # WHEN a calendar is asked for
    # THEN InvalidCountry is raised
    with pytest.raises(InvalidCountry):
        calendar_for("UK")


# --- add_business_days ----------------------------------------------------------------------


def test_start_day_never_counts_even_when_it_is_a_holiday_or_weekend() -> None:
    # GIVEN a start date that is King's Day (a Monday holiday)
    cal = BusinessCalendar("NL")
    # WHEN one business day is added
    # THEN the result is the next business day after it
    assert cal.add_business_days(date(2026, 4, 27), 1) == date(2026, 4, 28)
    assert cal.add_business_days(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_zero_and_negative_days() -> None:
    cal = BusinessCalendar("NL")
    # GIVEN n = 0 THEN the start is returned unchanged
    assert cal.add_business_days(date(2026, 3, 7), 0) == date(2026, 3, 7)
    # GIVEN n < 0 THEN it is refused
    with pytest.raises(ValueError, match="positive"):
        cal.add_business_days(date(2026, 3, 7), -1)


def test_calendars_are_cached_per_country() -> None:
    # GIVEN a calendar was asked for once WHEN asked again in another case THEN it is reused
    assert calendar_for("nl") is calendar_for("NL")


def test_holidays_are_loaded_lazily_per_year() -> None:
    # GIVEN a fresh calendar WHEN one date is checked THEN only that year is loaded
    cal = BusinessCalendar("DE")
    cal.is_business_day(date(2031, 5, 1))
    assert list(cal._years) == [2031]


@given(
    country=st.sampled_from(["NL", "DE", "DK", "LV", "GB", "BE", "FR"]),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    n=st.integers(min_value=1, max_value=15),
)
def test_add_business_days_counts_exactly_n_business_days(
    country: str, start: date, n: int
) -> None:
    # GIVEN any start date and n >= 1
    cal = calendar_for(country)
    # WHEN n business days are added
    result = cal.add_business_days(start, n)
    # THEN the result is a business day after start and (start, result] holds exactly n of them
    assert result > start
    assert cal.is_business_day(result)
    days = [start + timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(cal.is_business_day(d) for d in days) == n


# --- is_overdue -----------------------------------------------------------------------------


def test_not_overdue_until_the_due_date_has_ended() -> None:
    due = date(2026, 3, 10)
    # GIVEN the due date 10 March 2026
    # WHEN it is 23:59:59 UTC on that day THEN it is not overdue
    assert not is_overdue(due, at(2026, 3, 10, 23, 59, 59))
    # WHEN it is 00:00:00 UTC the next day THEN it is overdue
    assert is_overdue(due, at(2026, 3, 11, 0, 0, 0))
    # WHEN it is earlier THEN it is not overdue
    assert not is_overdue(due, at(2026, 3, 9, 8, 0, 0))


def test_overdue_is_judged_in_utc() -> None:
    due = date(2026, 3, 10)
    # GIVEN 00:30 on 11 March at UTC+1, which is still 23:30 on 10 March in UTC
    # THEN not overdue; and 01:00 on 11 March at UTC+1 (00:00 UTC) is overdue
    plus_one = timezone(timedelta(hours=1))
    assert not is_overdue(due, datetime(2026, 3, 11, 0, 30, tzinfo=plus_one))
    assert is_overdue(due, datetime(2026, 3, 11, 1, 0, tzinfo=plus_one))


def test_overdue_refuses_naive_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        is_overdue(date(2026, 3, 10), datetime(2026, 3, 11))
