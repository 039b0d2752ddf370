"""The local stage's /dev routes: the mailbox, a scheduled job's run, the moved clock."""

from __future__ import annotations

from pydantic import Field

from chalicelib.handlers.schemas.common import IsoDate, IsoDateTime, Request, Response


class ClockIn(Request):
    advance_days: int = Field(ge=0, le=3660, strict=True)


class MailOut(Response):
    message_id: str
    from_: str = Field(alias="from")
    to: list[str]
    subject: str
    text: str
    html: str
    links: list[str]
    attachments: list[str]
    sent_at: str | None


class MailboxOut(Response):
    items: list[MailOut]
    next_cursor: None  # the local mailbox is one page


class JobRunOut(Response):
    job: str
    result: dict[str, int]


class ClockDayOut(Response):
    date: IsoDate
    jobs: dict[str, dict[str, int]]
    settled: bool = Field(description="the day's queued work was done before the next day")


class ClockOut(Response):
    now: IsoDateTime
    days: list[ClockDayOut]
