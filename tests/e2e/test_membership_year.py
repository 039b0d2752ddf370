"""The membership year over real HTTP (SPEC §5): collecting the first invoice by card and by
bank transfer, declines, suspension and cancellation with a credit note, the renewal with the
tier re-checked, expiry without auto-renewal, auto-renewal switched late, an upgrade mid-term.

The module has a runtime of its own: it moves the application clock (process-wide, forward
only). The customers are set up side by side before the clock moves, one for each test; every
test buys on the runtime's current date and walks the clock from there. `POST /dev/clock` runs
the daily jobs and waits for their work, so after a walk the mails of those days are all in
the mailbox. Every mail of the year is counted by subject at the end: each cause mails once.

D is an invoice's due date (a first invoice: the purchase day + 30), E the term's expiry.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.membership_http import (
    BANK_TRANSFER,
    Customer,
    application_for,
    bought,
    card,
    customers_with_points,
    earn_points,
    invoice,
    record_payment,
    set_auto_renew,
    the_invoice,
    today,
)
from tests.support.products_http import delete, in_parallel, me, my_products, side_by_side
from tests.support.runtime_process import RuntimeProcess
from tests.support.year_http import (
    Subject,
    card_of,
    days,
    has_pdf,
    history_events,
    invoices_where,
    mentioning,
    on,
    one_year_after,
    put_card,
    receivable,
    status_of,
    subjects,
    the_one,
    upgrade,
    wait_for_one,
    wait_for_subject,
    walk,
    walk_to,
)

pytestmark = pytest.mark.e2e

VISA = "pm_card_visa"
FAILS_LATER = "pm_card_chargeCustomerFail"  # authorises for zero, every later charge declines
SILVER_POINTS = 500
GOLD_POINTS = 1000
CREDIT_NOTE_NUMBER = r"^CN-\d{4}-\d{6}$"


def money(amount: str, currency: str = "GBP") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


# The customer each test starts with: (country, points). Each test has one of its own.
CUSTOMERS: dict[str, tuple[str, int]] = {
    "card pays": ("GB", SILVER_POINTS),
    "card declines": ("GB", SILVER_POINTS),
    "card never pays": ("GB", SILVER_POINTS),
    "bank pays late": ("DE", SILVER_POINTS),
    "points fall": ("GB", SILVER_POINTS),
    "no auto-renewal": ("GB", SILVER_POINTS),
    "under 500": ("GB", SILVER_POINTS),
    "renewal withdrawn": ("GB", SILVER_POINTS),
    "reminded after withdrawing": ("GB", SILVER_POINTS),
    "auto-renewal on late": ("GB", SILVER_POINTS),
    "upgrade": ("GB", GOLD_POINTS),
}


@pytest.fixture(scope="module")
def fresh(isolated_runtime: RuntimeProcess, isolated_reviewer_token: str) -> dict[str, Customer]:
    """A new customer for each test (English-speaking British companies, fees in GBP, and one
    German-speaking German company), set up side by side before the clock moves: only the
    set-up is shared, each test buys and walks on its own."""
    names = list(CUSTOMERS)
    by_points = {
        points: [name for name in names if CUSTOMERS[name][1] == points]
        for points in {points for _, points in CUSTOMERS.values()}
    }
    groups = in_parallel(
        [
            lambda points=points, group=group: customers_with_points(
                isolated_runtime.api_url,
                isolated_reviewer_token,
                points,
                [application_for(CUSTOMERS[name][0]) for name in group],
            )
            for points, group in by_points.items()
        ],
        timeout=300,
    )
    customers = {
        name: customer
        for group, made in zip(by_points.values(), groups, strict=True)
        for name, customer in zip(group, made, strict=True)
    }
    return {name: customers[name] for name in names}


def not_reminders(counts: Counter[str]) -> Counter[str]:
    """The mail counts without the expiry reminders ("Reminder: …", "Last reminder: …")."""
    return Counter(
        {
            subject: n
            for subject, n in counts.items()
            if not subject.startswith(("Reminder: ", "Last reminder: "))
        }
    )


def member(
    api: HttpApi, customer: Customer, key: str, **overrides: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Buys CPS (Silver by card unless told otherwise); returns the membership and, once its
    mail is out, the purchase invoice."""
    bought_membership = bought(api, customer.token, key, **overrides)["membership"]
    first = the_invoice(api, customer.token, customer.email)
    return bought_membership, first


# --- collecting by card --------------------------------------------------------------------------


def test_a_card_that_pays_is_charged_on_the_due_date_and_renews_for_another_year(
    isolated_api: HttpApi,
    fresh: dict[str, Customer],
) -> None:
    api = isolated_api
    # GIVEN an English-speaking company that buys CPS Silver today with a card that pays
    customer = fresh["card pays"]
    start = today(api)
    bought_membership, first = member(api, customer, "year-card-pays", payment=card(VISA))
    number = bought_membership["membership_number"]
    expires = on(bought_membership["expires_on"])
    due = on(first["due_on"])
    assert (first["status"], due, expires) == ("ISSUED", start + days(30), one_year_after(start))

    # WHEN the clock reaches the due date
    walk_to(api, due)
    # THEN the card is charged: the invoice is paid and the membership stays active
    assert invoice(api, customer.token, first["invoice_number"]).json()["status"] == "PAID"
    assert status_of(api, customer.token) == "ACTIVE"
    assert subjects(api, customer.email)[Subject.payment_received(first["invoice_number"])] == 1

    # WHEN it reaches 60 days before the expiry
    walk_to(api, expires - days(60))
    # THEN the renewal notice names the day it renews, the tier and the fee
    assert subjects(api, customer.email)[Subject.renewal_notice(expires)] == 1
    assert card_of(api, customer.token)["renewal"] == {
        "on": expires.isoformat(),
        "tier": "SILVER",
        "price_excl_vat": money("85.00"),
        "invoiced": False,
    }

    # WHEN it reaches 30 days before the expiry
    walk_to(api, expires - days(30))
    # THEN the renewal invoice is issued for the next year, due on the expiry date
    renewal = the_one(api, customer.token, purpose="RENEWAL")
    assert (renewal["kind"], renewal["status"], renewal["due_on"]) == (
        "INVOICE",
        "ISSUED",
        expires.isoformat(),
    )
    assert renewal["period"] == {
        "from": expires.isoformat(),
        "to": (one_year_after(expires) - days(1)).isoformat(),
    }
    assert (renewal["net"], renewal["membership_number"]) == (money("85.00"), number)
    assert card_of(api, customer.token)["renewal"]["invoiced"] is True

    # WHEN it reaches the expiry date
    walk_to(api, expires)
    # THEN the next term has started: same number, a year longer, active; its invoice is paid
    next_term = card_of(api, customer.token)
    assert (
        next_term["membership_number"],
        next_term["tier"],
        next_term["status"],
        next_term["starts_on"],
        next_term["expires_on"],
    ) == (number, "SILVER", "ACTIVE", expires.isoformat(), one_year_after(expires).isoformat())
    assert "RENEWED" in history_events(next_term)
    assert invoice(api, customer.token, renewal["invoice_number"]).json()["status"] == "PAID"
    # AND every mail of the year went out exactly once
    assert subjects(api, customer.email) == Counter(
        {
            Subject.invoice(first["invoice_number"]): 1,
            Subject.payment_received(first["invoice_number"]): 1,
            Subject.renewal_notice(expires): 1,
            Subject.invoice(renewal["invoice_number"]): 1,
            Subject.payment_received(renewal["invoice_number"]): 1,
        }
    )


def test_a_declined_card_makes_the_membership_past_due_until_a_new_card_pays(
    isolated_api: HttpApi,
    fresh: dict[str, Customer],
) -> None:
    api = isolated_api
    # GIVEN a member whose card authorised at purchase but declines every charge
    customer = fresh["card declines"]
    _, first = member(api, customer, "year-card-declines", payment=card(FAILS_LATER))
    number, due = first["invoice_number"], on(first["due_on"])

    # WHEN the clock reaches the due date
    walk_to(api, due)
    # THEN the charge is declined: the membership is past due and the customer is told
    assert status_of(api, customer.token) == "PAST_DUE"
    assert subjects(api, customer.email)[Subject.payment_failed(number)] == 1
    # AND the retry on D+3 is declined too, with a second mail
    walk_to(api, due + days(3))
    assert status_of(api, customer.token) == "PAST_DUE"
    assert subjects(api, customer.email)[Subject.payment_failed(number)] == 2

    # WHEN the customer saves a card that pays
    response = put_card(api, customer.token, VISA)
    # THEN the open invoice is charged at once: paid, the membership active again
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ACTIVE"
    assert invoice(api, customer.token, number).json()["status"] == "PAID"
    assert status_of(api, customer.token) == "ACTIVE"
    wait_for_subject(api, customer.email, Subject.payment_received(number))

    # WHEN the days of the later retries, the suspension and the cancellation pass
    walk_to(api, due + days(31))
    # THEN nothing more happens: no retry, no mail; still active and paid
    assert status_of(api, customer.token) == "ACTIVE"
    assert invoice(api, customer.token, number).json()["status"] == "PAID"
    assert subjects(api, customer.email) == Counter(
        {
            Subject.invoice(number): 1,
            Subject.payment_failed(number): 2,
            Subject.payment_received(number): 1,
        }
    )


def test_a_card_that_never_pays_suspends_then_cancels_the_membership_with_a_credit_note(
    isolated_api: HttpApi,
    isolated_reviewer_token: str,
    fresh: dict[str, Customer],
) -> None:
    api = isolated_api
    # GIVEN a member whose card declines every charge
    customer = fresh["card never pays"]
    bought_membership, first = member(api, customer, "year-never-pays", payment=card(FAILS_LATER))
    number, due = first["invoice_number"], on(first["due_on"])

    # WHEN the charge on the due date is declined
    walk_to(api, due)
    # THEN the membership is past due
    assert status_of(api, customer.token) == "PAST_DUE"
    # AND it stays so through the retries of D+3 and D+7
    walk_to(api, due + days(13))
    assert status_of(api, customer.token) == "PAST_DUE"
    # WHEN the last retry on D+14 is declined
    walk_to(api, due + days(14))
    # THEN the membership is suspended
    assert status_of(api, customer.token) == "SUSPENDED"
    assert subjects(api, customer.email)[Subject.SUSPENDED] == 1

    # WHEN the invoice is still unpaid 30 days after its due date
    walk_to(api, due + days(30))
    # THEN the membership is cancelled and the invoice cancelled by a credit note
    assert status_of(api, customer.token) == "CANCELLED"
    credit_note = the_one(api, customer.token, kind="CREDIT_NOTE")
    assert credit_note["credit_note_for"] == number
    assert credit_note["invoice_number"] != number
    assert re.fullmatch(CREDIT_NOTE_NUMBER, credit_note["invoice_number"]), credit_note
    cancelled = invoice(api, customer.token, number).json()
    assert (cancelled["status"], cancelled["cancelled_by"]) == (
        "CANCELLED",
        credit_note["invoice_number"],
    )
    assert receivable(api, isolated_reviewer_token, "CANCELLED", number) is not None
    # AND each change of status is on the card's history, with who made it
    ended = card_of(api, customer.token)
    changes = [(e["event"], bool(e["by"])) for e in ended["history"]]
    for status in ("PAST_DUE", "SUSPENDED", "CANCELLED"):
        assert changes.count((status, True)) == 1, ended["history"]
    # AND the customer got three failure mails (the last decline is told by the suspension), one
    # suspension and one cancellation mail carrying the credit note's PDF
    assert subjects(api, customer.email) == Counter(
        {
            Subject.invoice(number): 1,
            Subject.payment_failed(number): 3,
            Subject.SUSPENDED: 1,
            Subject.CANCELLED: 1,
        }
    )
    [cancellation] = wait_for_subject(api, customer.email, Subject.CANCELLED)
    assert any(
        name.endswith(".pdf") and credit_note["invoice_number"] in name
        for name in cancellation["attachments"]
    ), cancellation["attachments"]

    # WHEN the customer then tries to save a new card
    late_card = put_card(api, customer.token, VISA)
    # THEN there is nothing to pay for any more
    assert late_card.status_code in (404, 409), late_card.text
    error_of(late_card, late_card.status_code)
    # AND a new purchase goes through, with a new membership number
    again = bought(api, customer.token, "year-never-pays-again", payment=card(VISA))["membership"]
    assert again["status"] == "ACTIVE"
    assert again["membership_number"] != bought_membership["membership_number"]


# --- collecting by bank transfer -----------------------------------------------------------------


def test_a_bank_payer_is_reminded_goes_past_due_and_is_active_again_once_finance_records_it(
    isolated_runtime: RuntimeProcess,
    isolated_api: HttpApi,
    isolated_reviewer_token: str,
    fresh: dict[str, Customer],
) -> None:
    api = isolated_api
    # GIVEN a German-speaking company that buys CPS Silver by bank transfer (its mails are in
    # German: they are recognised by the invoice number they name)
    customer = fresh["bank pays late"]
    _, first = member(api, customer, "year-bank-late", payment=BANK_TRANSFER)
    number, due = first["invoice_number"], on(first["due_on"])
    assert [has_pdf(m) for m in mentioning(api, customer.email, number)] == [True]

    # WHEN the clock reaches a week before the due date
    walk_to(api, due - days(7))
    # THEN a payment reminder goes out
    assert len(mentioning(api, customer.email, number)) == 2
    assert status_of(api, customer.token) == "ACTIVE"

    # WHEN the invoice is still unpaid the day after its due date
    walk_to(api, due + days(1))
    # THEN the membership is past due and an overdue reminder goes out
    assert status_of(api, customer.token) == "PAST_DUE"
    assert len(mentioning(api, customer.email, number)) == 3
    # AND finance sees the invoice among the overdue receivables, a day overdue
    overdue = receivable(api, isolated_reviewer_token, "OVERDUE", number)
    assert overdue is not None
    assert (overdue["status"], overdue["days_overdue"], overdue["company"]) == (
        "OVERDUE",
        1,
        "Bildwerk GmbH",
    )
    assert overdue["account_id"] == me(api, customer.token)["account_id"]

    # WHEN ten days have passed since the due date (another reminder on D+7)
    walk_to(api, due + days(10))
    assert len(mentioning(api, customer.email, number)) == 4
    overdue = receivable(api, isolated_reviewer_token, "OVERDUE", number)
    assert overdue is not None and overdue["days_overdue"] == 10
    # AND two finance clerks record the same transfer at the same moment
    clerks = [HttpApi(isolated_runtime.api_url) for _ in range(2)]
    paid_on = today(api)
    try:
        answers = side_by_side(
            [
                lambda clerk=clerk: record_payment(
                    clerk,
                    isolated_reviewer_token,
                    number,
                    first["total"]["amount"],
                    paid_on,
                    "BANK-STATEMENT-0417",
                )
                for clerk in clerks
            ]
        )
    finally:
        for clerk in clerks:
            clerk.close()
    # THEN one recording counts, the other is a conflict
    assert sorted(a.status_code for a in answers) == [200, 409], [
        (a.status_code, a.text[:300]) for a in answers
    ]
    error_of(next(a for a in answers if a.status_code == 409), 409)
    # AND the invoice is paid, the membership active again, and the customer told once
    assert invoice(api, customer.token, number).json()["status"] == "PAID"
    assert status_of(api, customer.token) == "ACTIVE"
    assert receivable(api, isolated_reviewer_token, "OVERDUE", number) is None
    assert receivable(api, isolated_reviewer_token, "PAID", number) is not None

    # WHEN the days of the suspension and the cancellation pass
    walk_to(api, due + days(31))
    # THEN the paid invoice is chased no more: still active, no further mail about it
    assert status_of(api, customer.token) == "ACTIVE"
    assert invoice(api, customer.token, number).json()["status"] == "PAID"
    mails = mentioning(api, customer.email, number)
    # invoice, reminder, overdue reminder twice (D+1, D+7), payment received
    assert len(mails) == 5, [m["subject"] for m in mails]
    assert sorted(Counter(m["subject"] for m in mails).values()) == [1, 1, 1, 2]
    assert [has_pdf(m) for m in mails].count(True) == 1


# --- the renewal ---------------------------------------------------------------------------------


def test_a_gold_member_whose_points_fell_before_the_renewal_invoice_renews_as_silver(
    isolated_api: HttpApi,
    fresh: dict[str, Customer],
) -> None:
    api = isolated_api
    # GIVEN a company with 500 to 999 points from some products, and 1,000+ with some more
    customer = fresh["points fall"]
    silver_products = {p["product_id"] for p in my_products(api, customer.token)}
    silver_points = me(api, customer.token)["points"]
    assert SILVER_POINTS <= silver_points < GOLD_POINTS
    assert earn_points(api, customer.token, GOLD_POINTS) >= GOLD_POINTS
    extra = [
        p["product_id"]
        for p in my_products(api, customer.token)
        if p["product_id"] not in silver_products
    ]
    # AND it buys CPS Gold by card
    bought_membership, first = member(
        api, customer, "year-gold-to-silver", tier="GOLD", payment=card(VISA)
    )
    number, expires = bought_membership["membership_number"], on(bought_membership["expires_on"])
    assert (bought_membership["tier"], first["net"]) == ("GOLD", money("170.00"))
    walk_to(api, expires - days(60))
    assert subjects(api, customer.email)[Subject.renewal_notice(expires)] == 1

    # WHEN the company removes the later products before the renewal invoice: 500 to 999 points
    for product_id in extra:
        assert delete(api, customer.token, product_id).status_code in (200, 204)
    assert me(api, customer.token)["points"] == silver_points
    # THEN the tier is kept for this term; the renewal, as it stands, is Silver
    now = card_of(api, customer.token)
    assert (now["tier"], now["status"]) == ("GOLD", "ACTIVE")
    assert (now["renewal"]["tier"], now["renewal"]["price_excl_vat"]) == ("SILVER", money("85.00"))

    # WHEN the clock reaches 30 days before the expiry
    walk_to(api, expires - days(30))
    # THEN the renewal invoice is for CPS Silver, the highest tier the points still open
    renewal = the_one(api, customer.token, purpose="RENEWAL")
    assert (renewal["net"], renewal["due_on"]) == (money("85.00"), expires.isoformat())
    assert "CPS Silver" in renewal["description"], renewal["description"]

    # WHEN the clock reaches the expiry date
    walk_to(api, expires)
    # THEN the next term is CPS Silver with the same membership number, and it is paid
    next_term = card_of(api, customer.token)
    assert (
        next_term["membership_number"],
        next_term["tier"],
        next_term["status"],
        next_term["expires_on"],
    ) == (number, "SILVER", "ACTIVE", one_year_after(expires).isoformat())
    assert invoice(api, customer.token, renewal["invoice_number"]).json()["status"] == "PAID"
    assert subjects(api, customer.email) == Counter(
        {
            Subject.invoice(first["invoice_number"]): 1,
            Subject.payment_received(first["invoice_number"]): 1,
            Subject.renewal_notice(expires): 1,
            Subject.invoice(renewal["invoice_number"]): 1,
            Subject.payment_received(renewal["invoice_number"]): 1,
        }
    )


def test_without_auto_renewal_the_member_is_reminded_three_times_and_the_membership_expires(
    isolated_api: HttpApi,
    fresh: dict[str, Customer],
) -> None:
    api = isolated_api
    # GIVEN a member who switched auto-renewal off
    customer = fresh["no auto-renewal"]
    bought_membership, first = member(api, customer, "year-no-renewal", payment=card(VISA))
    number, expires = bought_membership["membership_number"], on(bought_membership["expires_on"])
    switched = set_auto_renew(api, customer.token, False)
    assert switched.status_code == 200, switched.text
    assert (switched.json()["auto_renew"], switched.json()["renewal"]) == (False, None)

    # WHEN the clock reaches 60, then 30, then 7 days before the expiry
    walk_to(api, expires - days(60))
    # THEN each time a reminder says when it expires and how to renew
    assert subjects(api, customer.email)[Subject.expiry_reminder(expires)] == 1
    walk_to(api, expires - days(30))
    assert subjects(api, customer.email)[Subject.expiry_reminder(expires)] == 2
    walk_to(api, expires - days(7))
    assert subjects(api, customer.email)[Subject.last_reminder(expires)] == 1
    # AND no renewal invoice is issued
    assert invoices_where(api, customer.token, purpose="RENEWAL") == []

    # WHEN the day before the expiry passes, then the expiry date
    walk_to(api, expires - days(1))
    assert status_of(api, customer.token) == "ACTIVE"
    walk_to(api, expires)
    # THEN the membership has expired and the customer is told
    ended = card_of(api, customer.token)
    assert (ended["membership_number"], ended["status"]) == (number, "EXPIRED")
    assert subjects(api, customer.email) == Counter(
        {
            Subject.invoice(first["invoice_number"]): 1,
            Subject.payment_received(first["invoice_number"]): 1,
            Subject.expiry_reminder(expires): 2,
            Subject.last_reminder(expires): 1,
            Subject.EXPIRED: 1,
        }
    )

    # WHEN the company buys CPS again
    again = bought(api, customer.token, "year-no-renewal-again", payment=card(VISA))["membership"]
    # THEN it is a new membership with a new number, from today for a year
    assert again["membership_number"] != number
    assert (again["status"], again["starts_on"]) == ("ACTIVE", expires.isoformat())


def test_a_member_under_500_points_at_the_renewal_is_told_and_the_membership_expires(
    isolated_api: HttpApi,
    fresh: dict[str, Customer],
) -> None:
    api = isolated_api
    # GIVEN a Silver member with auto-renewal, past the renewal notice
    customer = fresh["under 500"]
    bought_membership, first = member(api, customer, "year-under-500", payment=card(VISA))
    expires = on(bought_membership["expires_on"])
    walk_to(api, expires - days(60))
    assert subjects(api, customer.email)[Subject.renewal_notice(expires)] == 1

    # WHEN the company removes its products (no points left) before the renewal invoice
    for product in my_products(api, customer.token):
        assert delete(api, customer.token, product["product_id"]).status_code in (200, 204)
    assert me(api, customer.token)["points"] < SILVER_POINTS
    # THEN this term keeps its tier, but nothing would renew
    now = card_of(api, customer.token)
    assert (now["tier"], now["status"], now["renewal"]) == ("SILVER", "ACTIVE", None)

    # WHEN the clock reaches 30 days before the expiry
    walk_to(api, expires - days(30))
    # THEN no renewal invoice is issued; the customer is told why instead
    assert invoices_where(api, customer.token, purpose="RENEWAL") == []
    assert subjects(api, customer.email)[Subject.NOT_RENEWABLE] == 1
    assert status_of(api, customer.token) == "ACTIVE"

    # WHEN the clock reaches the expiry date
    walk_to(api, expires)
    # THEN the membership has expired
    assert status_of(api, customer.token) == "EXPIRED"
    assert invoices_where(api, customer.token, purpose="RENEWAL") == []
    assert subjects(api, customer.email) == Counter(
        {
            Subject.invoice(first["invoice_number"]): 1,
            Subject.payment_received(first["invoice_number"]): 1,
            Subject.renewal_notice(expires): 1,
            Subject.NOT_RENEWABLE: 1,
            Subject.EXPIRED: 1,
        }
    )


def test_switching_auto_renewal_off_after_the_renewal_invoice_credits_it_and_ends_the_term(
    isolated_api: HttpApi,
    fresh: dict[str, Customer],
) -> None:
    api = isolated_api
    # GIVEN a Silver member whose renewal invoice was issued 30 days before the expiry
    customer = fresh["renewal withdrawn"]
    bought_membership, first = member(api, customer, "year-renewal-withdrawn", payment=card(VISA))
    expires = on(bought_membership["expires_on"])
    walk_to(api, expires - days(30))
    renewal = the_one(api, customer.token, purpose="RENEWAL")
    assert renewal["status"] == "ISSUED"

    # WHEN the member switches auto-renewal off
    switched = set_auto_renew(api, customer.token, False)
    # THEN the renewal is withdrawn
    assert switched.status_code == 200, switched.text
    assert (switched.json()["auto_renew"], switched.json()["renewal"]) == (False, None)
    # AND a credit note cancels the renewal invoice, mailed with its PDF (the mail is the
    # pipeline's last step: once it is out, the credit note and the cancellation are stored)
    credit_note = wait_for_one(api, customer.token, kind="CREDIT_NOTE")
    assert credit_note["credit_note_for"] == renewal["invoice_number"]
    assert re.fullmatch(CREDIT_NOTE_NUMBER, credit_note["invoice_number"]), credit_note
    subject = Subject.credit_note(credit_note["invoice_number"], renewal["invoice_number"])
    [mail] = wait_for_subject(api, customer.email, subject)
    assert has_pdf(mail), mail["attachments"]
    assert invoice(api, customer.token, renewal["invoice_number"]).json()["status"] == "CANCELLED"

    # WHEN the clock reaches the expiry date
    walk_to(api, expires)
    # THEN the membership has expired; the cancelled invoice was never charged
    assert status_of(api, customer.token) == "EXPIRED"
    assert invoice(api, customer.token, renewal["invoice_number"]).json()["status"] == "CANCELLED"
    # AND each mail went out once (the expiry reminders that follow the switch: next test)
    assert not_reminders(subjects(api, customer.email)) == Counter(
        {
            Subject.invoice(first["invoice_number"]): 1,
            Subject.payment_received(first["invoice_number"]): 1,
            Subject.renewal_notice(expires): 1,
            Subject.invoice(renewal["invoice_number"]): 1,
            subject: 1,
            Subject.EXPIRED: 1,
        }
    )


def test_after_switching_auto_renewal_off_at_the_renewal_the_last_reminder_still_goes_out(
    isolated_api: HttpApi,
    fresh: dict[str, Customer],
) -> None:
    api = isolated_api
    # GIVEN a Silver member who switched auto-renewal off the day the renewal invoice came
    customer = fresh["reminded after withdrawing"]
    bought_membership, first = member(api, customer, "year-reminded-late", payment=card(VISA))
    expires = on(bought_membership["expires_on"])
    walk_to(api, expires - days(30))
    renewal = the_one(api, customer.token, purpose="RENEWAL")
    assert set_auto_renew(api, customer.token, False).status_code == 200
    credit_note = wait_for_one(api, customer.token, kind="CREDIT_NOTE")
    credited = Subject.credit_note(credit_note["invoice_number"], renewal["invoice_number"])
    wait_for_subject(api, customer.email, credited)

    # WHEN the clock reaches 7 days before the expiry
    walk_to(api, expires - days(7))
    # THEN the last reminder of a membership without auto-renewal goes out (SPEC §5: E-7);
    # that day's E-30 reminder follows the switch at the next daily run, if at all
    reminders = subjects(api, customer.email)
    assert reminders[Subject.last_reminder(expires)] == 1, reminders
    assert reminders[Subject.expiry_reminder(expires)] <= 1, reminders

    # WHEN the clock reaches the expiry date
    walk_to(api, expires)
    # THEN the membership has expired, and no reminder went out twice
    assert status_of(api, customer.token) == "EXPIRED"
    after = subjects(api, customer.email)
    assert after[Subject.last_reminder(expires)] == 1, after
    assert after[Subject.expiry_reminder(expires)] <= 1, after
    assert not_reminders(after) == Counter(
        {
            Subject.invoice(first["invoice_number"]): 1,
            Subject.payment_received(first["invoice_number"]): 1,
            Subject.renewal_notice(expires): 1,
            Subject.invoice(renewal["invoice_number"]): 1,
            credited: 1,
            Subject.EXPIRED: 1,
        }
    )


def test_switching_auto_renewal_on_after_e_minus_30_invoices_the_renewal_at_the_next_daily_run(
    isolated_api: HttpApi,
    fresh: dict[str, Customer],
) -> None:
    api = isolated_api
    # GIVEN a Silver member without auto-renewal, reminded at E-60 and E-30
    customer = fresh["auto-renewal on late"]
    bought_membership, first = member(
        api, customer, "year-on-late", auto_renew=False, payment=card(VISA)
    )
    number, expires = bought_membership["membership_number"], on(bought_membership["expires_on"])
    walk_to(api, expires - days(20))
    assert subjects(api, customer.email)[Subject.expiry_reminder(expires)] == 2
    assert invoices_where(api, customer.token, purpose="RENEWAL") == []

    # WHEN the member switches auto-renewal on, 20 days before the expiry
    switched = set_auto_renew(api, customer.token, True)
    assert switched.status_code == 200, switched.text
    assert switched.json()["renewal"]["invoiced"] is False
    # AND the next daily run comes
    walk(api, 1)
    # THEN the renewal invoice is issued, due on the expiry date
    renewal = the_one(api, customer.token, purpose="RENEWAL")
    assert (renewal["due_on"], renewal["net"]) == (expires.isoformat(), money("85.00"))

    # WHEN the clock reaches the expiry date
    walk_to(api, expires)
    # THEN the next term has started with the same number, its invoice charged to the card
    next_term = card_of(api, customer.token)
    assert (next_term["membership_number"], next_term["status"], next_term["expires_on"]) == (
        number,
        "ACTIVE",
        one_year_after(expires).isoformat(),
    )
    assert invoice(api, customer.token, renewal["invoice_number"]).json()["status"] == "PAID"
    # AND no last reminder or expiry mail went out; every other mail once
    assert subjects(api, customer.email) == Counter(
        {
            Subject.invoice(first["invoice_number"]): 1,
            Subject.payment_received(first["invoice_number"]): 1,
            Subject.expiry_reminder(expires): 2,
            Subject.invoice(renewal["invoice_number"]): 1,
            Subject.payment_received(renewal["invoice_number"]): 1,
        }
    )


# --- upgrade mid-term ----------------------------------------------------------------------------


def test_an_upgrade_mid_term_changes_the_tier_today_and_invoices_the_prorated_difference(
    isolated_api: HttpApi,
    fresh: dict[str, Customer],
) -> None:
    api = isolated_api
    # GIVEN a Silver member whose company holds 1,000+ points, 40 days into the term (paid)
    customer = fresh["upgrade"]
    bought_membership, first = member(api, customer, "year-upgrade", payment=card(VISA))
    starts, expires = on(bought_membership["starts_on"]), on(bought_membership["expires_on"])
    upgrade_day = walk(api, 40)
    assert invoice(api, customer.token, first["invoice_number"]).json()["status"] == "PAID"
    days_left, days_in_term = (expires - upgrade_day).days, (expires - starts).days
    expected_net = (Decimal("85") * days_left / days_in_term).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )

    # WHEN the member upgrades to CPS Gold
    answer = upgrade(api, customer.token, "GOLD", "upgrade-to-gold")
    # THEN the tier is Gold from today, with the same number and expiry date
    assert answer.status_code == 201, answer.text
    upgraded = answer.json()
    assert (
        upgraded["membership"]["tier"],
        upgraded["membership"]["membership_number"],
        upgraded["membership"]["expires_on"],
        upgraded["membership"]["status"],
    ) == ("GOLD", bought_membership["membership_number"], expires.isoformat(), "ACTIVE")
    # AND the difference is invoiced for the days left: (170 - 85) x days left / days in term
    assert upgraded["invoice"]["net"] == money(f"{expected_net:.2f}")
    extra = wait_for_one(api, customer.token, purpose="UPGRADE")
    assert (extra["net"], extra["period"]["from"]) == (
        money(f"{expected_net:.2f}"),
        upgrade_day.isoformat(),
    )
    wait_for_subject(api, customer.email, Subject.invoice(extra["invoice_number"]))
    assert card_of(api, customer.token)["tier"] == "GOLD"

    # WHEN the same request is sent again (a retry)
    replay = upgrade(api, customer.token, "GOLD", "upgrade-to-gold")
    # THEN it answers the first result and invoices nothing more
    assert replay.status_code == 201, replay.text
    assert replay.json() == upgraded
    # WHEN the member asks for a lower tier
    lower = upgrade(api, customer.token, "SILVER", "downgrade-to-silver")
    # THEN that is refused: a lower tier takes effect at renewal only
    assert "tier" in error_of(lower, 422)["fields"]
    assert card_of(api, customer.token)["tier"] == "GOLD"

    # WHEN the upgrade invoice falls due
    walk_to(api, on(extra["due_on"]))
    # THEN it is collected like any invoice: charged to the membership's card
    assert extra["due_on"] == (upgrade_day + days(30)).isoformat()
    assert invoice(api, customer.token, extra["invoice_number"]).json()["status"] == "PAID"
    assert card_of(api, customer.token)["status"] == "ACTIVE"
    # AND there was one upgrade invoice, and each mail went out once
    assert len(invoices_where(api, customer.token, purpose="UPGRADE")) == 1
    assert subjects(api, customer.email) == Counter(
        {
            Subject.invoice(first["invoice_number"]): 1,
            Subject.payment_received(first["invoice_number"]): 1,
            Subject.invoice(extra["invoice_number"]): 1,
            Subject.payment_received(extra["invoice_number"]): 1,
        }
    )
