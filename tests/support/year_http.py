"""The membership year over real HTTP, for the end-to-end tests (SPEC §5): walking the runtime's
clock day by day, the membership card, the invoices of a membership, finance's receivables and
the mails of the year counted by subject.

`POST /dev/clock` runs the daily jobs for each day it crosses (or passes over a day on which
nothing is due) and waits until that day's work (renewal steps, invoices, mails) is done, so
after a walk the mailbox is complete up to today.
A long walk takes a while: it goes in requests of at most `DAYS_PER_REQUEST` days, each with a
timeout of its own.
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date, timedelta
from typing import Any

from tests.support.http_api import HttpApi
from tests.support.journey import bearer, eventually, mails_to
from tests.support.membership_http import invoices, membership, today

DAYS_PER_REQUEST = 60
WALK_TIMEOUT = 600.0
MAX_PAGES = 50
# The mails of the account's setup (approval, CPS invitation), not of the membership year.
SETUP_SUBJECTS = (
    "Your Canon business account is approved",
    "You are invited to join Canon Professional Services",
)


# --- the clock ---------------------------------------------------------------------------------


def walk(api: HttpApi, days: int) -> date:
    """Moves the runtime's clock `days` days forward, every day's jobs run and settled; returns
    the new date."""
    assert days >= 0, days
    start = today(api)
    clock = HttpApi(api.base_url, timeout=WALK_TIMEOUT)
    try:
        left = days
        while left > 0:
            step = min(left, DAYS_PER_REQUEST)
            response = clock.request("POST", "/dev/clock", json={"advance_days": step})
            assert response.status_code == 200, response.text[:500]
            # `days` lists the days whose jobs ran (a day with nothing due may be passed over)
            unsettled = [day for day in response.json()["days"] if not day["settled"]]
            assert not unsettled, f"days whose work did not settle: {unsettled}"
            left -= step
    finally:
        clock.close()
    reached = today(api)
    assert reached == start + timedelta(days=days), (start, days, reached)
    return reached


def walk_to(api: HttpApi, day: date) -> date:
    """Walks the clock to `day` (today or later)."""
    now = today(api)
    assert day >= now, f"the clock is at {now} already, past {day}"
    reached = walk(api, (day - now).days)
    assert reached == day, (reached, day)
    return reached


def days(n: int) -> timedelta:
    return timedelta(days=n)


def on(value: str) -> date:
    return date.fromisoformat(value)


def one_year_after(start: date) -> date:
    try:
        return start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


# --- the membership card --------------------------------------------------------------------


def card_of(api: HttpApi, token: str) -> dict[str, Any]:
    """`GET /membership` (200)."""
    response = membership(api, token)
    assert response.status_code == 200, response.text[:500]
    return response.json()


def status_of(api: HttpApi, token: str) -> str:
    return card_of(api, token)["status"]


def history_events(card: dict[str, Any]) -> list[str]:
    return [entry["event"] for entry in card["history"]]


def put_card(api: HttpApi, token: str, payment_method_token: str) -> Any:
    return api.request(
        "PUT",
        "/membership/payment-method",
        json={"payment_method_token": payment_method_token},
        headers=bearer(token),
    )


def upgrade(api: HttpApi, token: str, tier: str, key: str) -> Any:
    return api.request(
        "POST",
        "/membership/upgrade",
        json={"tier": tier},
        headers={**bearer(token), "Idempotency-Key": key},
    )


# --- invoices -----------------------------------------------------------------------------------


def invoices_where(api: HttpApi, token: str, **fields: Any) -> list[dict[str, Any]]:
    """The customer's invoices and credit notes whose fields have the given values."""
    return [
        item
        for item in invoices(api, token)
        if all(item.get(key) == value for key, value in fields.items())
    ]


def the_one(api: HttpApi, token: str, **fields: Any) -> dict[str, Any]:
    """The customer's only invoice (or credit note) with these field values."""
    found = invoices_where(api, token, **fields)
    assert len(found) == 1, (fields, found)
    return found[0]


def wait_for_one(api: HttpApi, token: str, timeout: float = 60.0, **fields: Any) -> dict[str, Any]:
    """Waits for an invoice (or credit note) with these field values (the pipeline is
    asynchronous) and returns it: there must be exactly one."""
    eventually(lambda: invoices_where(api, token, **fields), timeout=timeout, interval=0.3)
    return the_one(api, token, **fields)


def receivables(api: HttpApi, reviewer_token: str, status: str) -> list[dict[str, Any]]:
    """Finance's `GET /finance/invoices?status=…`, every page."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        params = {"status": status, "limit": "100", **({"cursor": cursor} if cursor else {})}
        response = api.request(
            "GET", "/finance/invoices", headers=bearer(reviewer_token), params=params
        )
        assert response.status_code == 200, response.text[:500]
        page = response.json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return items
    raise AssertionError(f"/finance/invoices did not end within {MAX_PAGES} pages")


def receivable(
    api: HttpApi, reviewer_token: str, status: str, number: str
) -> dict[str, Any] | None:
    found = [i for i in receivables(api, reviewer_token, status) if i["invoice_number"] == number]
    assert len(found) <= 1, found
    return found[0] if found else None


# --- mail ---------------------------------------------------------------------------------------


def year_mails(api: HttpApi, address: str) -> list[dict[str, Any]]:
    """The mails to `address` but those of the account's setup."""
    return [
        mail for mail in mails_to(api, address) if not mail["subject"].startswith(SETUP_SUBJECTS)
    ]


def subjects(api: HttpApi, address: str) -> Counter[str]:
    """How many mails of the membership year went to `address`, by subject."""
    return Counter(mail["subject"] for mail in year_mails(api, address))


def wait_for_subject(
    api: HttpApi, address: str, subject: str, count: int = 1, timeout: float = 60.0
) -> list[dict[str, Any]]:
    """Waits until at least `count` mails with this subject reached `address`; returns them."""

    def enough() -> list[dict[str, Any]] | None:
        found = [m for m in mails_to(api, address) if m["subject"] == subject]
        return found if len(found) >= count else None

    return eventually(enough, timeout=timeout, interval=0.3)


def mentioning(api: HttpApi, address: str, text: str) -> list[dict[str, Any]]:
    """The mails to `address` whose subject contains `text` (e.g. an invoice number)."""
    return [mail for mail in mails_to(api, address) if text in mail["subject"]]


def has_pdf(mail: dict[str, Any]) -> bool:
    return any(name.lower().endswith(".pdf") for name in mail["attachments"])


def long_date(day: date) -> str:
    """A date as the English mails write it (en_GB, long): "30 December 2026"."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


class Subject:
    """The subjects of the English mails (chalicelib/mail/templates/en/*.subject.txt.j2)."""

    @staticmethod
    def invoice(number: str) -> str:
        return f"Your Canon Professional Services invoice {number}"

    @staticmethod
    def payment_received(number: str) -> str:
        return f"Payment received for CPS invoice {number}"

    @staticmethod
    def payment_failed(number: str) -> str:
        return f"Payment failed: please update your card for CPS invoice {number}"

    @staticmethod
    def payment_reminder(number: str) -> str:
        return f"Payment reminder: CPS invoice {number}"

    @staticmethod
    def payment_overdue(number: str) -> str:
        return f"Payment overdue: CPS invoice {number}"

    @staticmethod
    def renewal_notice(expires_on: date) -> str:
        return f"Your CPS membership renews on {long_date(expires_on)}"

    @staticmethod
    def expiry_reminder(expires_on: date) -> str:
        return f"Reminder: your CPS membership expires on {long_date(expires_on)}"

    @staticmethod
    def last_reminder(expires_on: date) -> str:
        return f"Last reminder: your CPS membership expires on {long_date(expires_on)}"

    @staticmethod
    def credit_note(credit_note_number: str, invoice_number: str) -> str:
        return f"Credit note {credit_note_number} for CPS invoice {invoice_number}"

    SUSPENDED = "Your CPS membership has been suspended"
    CANCELLED = "Your CPS membership has been cancelled"
    EXPIRED = "Your CPS membership has expired"
    NOT_RENEWABLE = "Your CPS membership cannot be renewed"
