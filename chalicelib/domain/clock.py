"""Time is injected: rules take `now` from a Clock, so tests and `/dev/clock` control it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class OffsetClock:
    """The system clock moved forward by whole days, like a payment provider's test clock."""

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._offset = timedelta()

    def advance(self, days: int) -> None:
        self._offset += timedelta(days=days)

    def now(self) -> datetime:
        return self._base.now() + self._offset


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self._at = at

    def set(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at
