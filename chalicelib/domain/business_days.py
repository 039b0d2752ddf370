"""Business days per country: the review promise ("a decision within 2 business days").

A business day is Monday to Friday and not a public holiday of the country, as the ``holidays``
library knows them (category "public", observed/substitute days included, no subdivision, so
only nationwide holidays count). Countries the library does not cover get weekends only.

Pure: no clock is read here; callers pass the dates and times in.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta

import holidays

from chalicelib.domain.countries import normalise_country

__all__ = [
    "DEFAULT_REVIEW_BUSINESS_DAYS",
    "BusinessCalendar",
    "calendar_for",
    "decision_due_by",
    "is_overdue",
]

DEFAULT_REVIEW_BUSINESS_DAYS = 2
_SATURDAY = 5


class BusinessCalendar:
    """Business days of one country. Holidays are loaded lazily, one year at a time."""

    def __init__(self, country: str) -> None:
        self.country = normalise_country(country)
        self._years: dict[int, frozenset[date]] = {}

    def __repr__(self) -> str:
        return f"BusinessCalendar({self.country!r})"

    def _holidays_of(self, year: int) -> frozenset[date]:
        cached = self._years.get(year)
        if cached is None:
            try:
                found = holidays.country_holidays(self.country, years=year)
                cached = frozenset(found.keys())
            except NotImplementedError:  # the library does not cover this country
                cached = frozenset()
            self._years[year] = cached
        return cached

    def is_holiday(self, day: date) -> bool:
        """True if ``day`` is a public holiday (whatever the weekday)."""
        return _as_date(day) in self._holidays_of(day.year)

    def is_business_day(self, day: date) -> bool:
        """Monday to Friday and not a public holiday."""
        day = _as_date(day)
        return day.weekday() < _SATURDAY and not self.is_holiday(day)

    def add_business_days(self, start: date, n: int) -> date:
        """The date of the ``n``-th business day after ``start`` (``start`` itself never counts).

        ``n == 0`` returns ``start`` unchanged; negative ``n`` raises ``ValueError``.
        """
        if n < 0:
            raise ValueError("n must be zero or positive")
        day = _as_date(start)
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if self.is_business_day(day):
                remaining -= 1
        return day


def _as_date(value: date) -> date:
    # A datetime is a date too; keep only its calendar date so set lookups work.
    return value.date() if isinstance(value, datetime) else value


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (UTC), got a naive datetime")
    return moment.astimezone(UTC)


@functools.lru_cache(maxsize=256)
def calendar_for(country: str) -> BusinessCalendar:
    """The cached calendar of ``country`` (ISO code, any case)."""
    cc = normalise_country(country)
    return _calendar(cc)


@functools.lru_cache(maxsize=256)
def _calendar(country: str) -> BusinessCalendar:
    return BusinessCalendar(country)


def decision_due_by(
    uploaded_at: datetime, country: str, business_days: int = DEFAULT_REVIEW_BUSINESS_DAYS
) -> date:
    """The last day a decision is due: ``business_days`` business days after the upload date.

    The upload date is taken in UTC; ``uploaded_at`` must be timezone-aware.
    """
    upload_day = _utc(uploaded_at, "uploaded_at").date()
    return calendar_for(country).add_business_days(upload_day, business_days)


def is_overdue(due: date, now: datetime) -> bool:
    """True once ``now`` (timezone-aware, compared in UTC) is past the end of the ``due`` date."""
    return _utc(now, "now").date() > due
