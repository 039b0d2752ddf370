"""Invoice numbers over real HTTP (SPEC §4): sequential and gapless within the year, across
customers buying at the same moment; a new year starts again; a former member gets a new
membership number.

The module has a runtime of its own: in it every invoice is one of this module's, so the
numbers can be checked from the year's first, and the last test moves the clock.
"""

from __future__ import annotations

import re

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import eventually
from tests.support.membership_http import (
    BANK_TRANSFER,
    DECLINED,
    Customer,
    advance_clock,
    bought,
    card,
    checkout_body,
    customers_with_points,
    invoice_mails,
    invoices,
    membership,
    set_auto_renew,
    the_invoice,
    today,
    wait_for_invoice_mail,
)
from tests.support.products_http import me, side_by_side
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e

SILVER_POINTS = 500
TOGETHER = 4  # customers buying at the same moment
IN_TURN = 2  # then one after the other
DAYS_PAST_EXPIRY = 366


def numbered(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


@pytest.fixture(scope="module")
def shoppers(isolated_runtime: RuntimeProcess, isolated_reviewer_token: str) -> list[Customer]:
    """TOGETHER + IN_TURN customers with 500 points, and one more whose card is declined."""
    return customers_with_points(
        isolated_runtime.api_url,
        isolated_reviewer_token,
        SILVER_POINTS,
        [{}] * (TOGETHER + IN_TURN + 1),
    )


def test_invoice_numbers_are_gapless_and_sequential_across_customers(
    isolated_runtime: RuntimeProcess, isolated_api: HttpApi, shoppers: list[Customer]
) -> None:
    # GIVEN customers with 500 points in a runtime that has issued no invoice yet
    year = today(isolated_api).year
    together, in_turn = shoppers[:TOGETHER], shoppers[TOGETHER : TOGETHER + IN_TURN]
    declined = shoppers[-1]
    apis = [HttpApi(isolated_runtime.api_url) for _ in range(TOGETHER + 1)]
    # WHEN four of them buy at the same moment, by card and by bank transfer, while a fifth
    # is declined by the card provider
    payments = [card() if index % 2 else BANK_TRANSFER for index in range(TOGETHER)]
    try:
        answers = side_by_side(
            [
                *(
                    lambda api=api, customer=customer, payment=payment: api.request(
                        "POST",
                        "/checkout",
                        json=checkout_body(payment=payment),
                        headers={**customer.auth, "Idempotency-Key": "together"},
                    )
                    for api, customer, payment in zip(
                        apis[:TOGETHER], together, payments, strict=True
                    )
                ),
                lambda: apis[-1].request(
                    "POST",
                    "/checkout",
                    json=checkout_body(payment=card(DECLINED)),
                    headers={**declined.auth, "Idempotency-Key": "together"},
                ),
            ]
        )
    finally:
        for api in apis:
            api.close()
    # THEN the four are members, each with a number of their own, and the fifth is declined
    assert [a.status_code for a in answers] == [201] * TOGETHER + [422], [
        (a.status_code, a.text[:300]) for a in answers
    ]
    error_of(answers[-1], 422, "PAYMENT_DECLINED")
    members = [a.json()["membership"]["membership_number"] for a in answers[:TOGETHER]]
    assert len(set(members)) == TOGETHER, members
    # AND their invoices are the year's first four numbers, one each, without a gap
    first = {c.email: the_invoice(isolated_api, c.token, c.email) for c in together}
    assert sorted(i["invoice_number"] for i in first.values()) == [
        numbered(year, n) for n in range(1, TOGETHER + 1)
    ]
    assert sorted(i["membership_number"] for i in first.values()) == sorted(members)

    # WHEN two more buy, one after the other
    later = []
    for customer in in_turn:
        bought(isolated_api, customer.token, "in-turn")
        later.append(the_invoice(isolated_api, customer.token, customer.email)["invoice_number"])
    # THEN their invoices take the next numbers, in the order of the purchases
    assert later == [numbered(year, TOGETHER + n) for n in range(1, IN_TURN + 1)]
    # AND the declined purchase took no number and left no invoice
    assert invoices(isolated_api, declined.token) == []
    error_of(membership(isolated_api, declined.token), 404)


def test_a_former_member_gets_a_new_number_and_the_next_year_starts_at_one(
    isolated_api: HttpApi, shoppers: list[Customer]
) -> None:
    # GIVEN a member (from the test before: bought alone when that one stopped early) who
    # switched auto-renewal off
    customer = shoppers[0]
    if membership(isolated_api, customer.token).status_code == 404:
        bought(isolated_api, customer.token, "alone")
        wait_for_invoice_mail(isolated_api, customer.email)
    before = membership(isolated_api, customer.token).json()
    assert set_auto_renew(isolated_api, customer.token, False).status_code == 200
    [old_invoice] = invoices(isolated_api, customer.token)

    # WHEN the membership's year is over (the runtime's clock moves past the expiry date)
    new_day = advance_clock(isolated_api, DAYS_PAST_EXPIRY)
    assert new_day.isoformat() > before["expires_on"]
    # THEN the membership has ended: the card shows it, on /membership and on /me
    ended = membership(isolated_api, customer.token).json()
    assert ended["status"] in ("EXPIRED", "CANCELLED"), ended
    assert me(isolated_api, customer.token)["membership"]["status"] == ended["status"]

    # WHEN they sign up again
    again = bought(isolated_api, customer.token, "a-year-later")["membership"]
    # THEN the new membership has a new 9-digit number, from the new day for a year
    assert re.fullmatch(r"\d{9}", again["membership_number"]), again
    assert again["membership_number"] != before["membership_number"]
    assert (again["status"], again["starts_on"]) == ("ACTIVE", new_day.isoformat())
    assert again["expires_on"] == new_day.replace(year=new_day.year + 1).isoformat()
    # AND the new invoice is numbered in the new year's own sequence, which started again at
    # one (the other shoppers' renewals share it, so it is among the year's first); the old
    # invoice is kept (with the credit note that cancelled it, if it was never paid)
    eventually(lambda: len(invoice_mails(isolated_api, customer.email)) >= 2)
    documents = invoices(isolated_api, customer.token)
    new_year = [i for i in documents if i["invoice_number"].startswith(f"{new_day.year}-")]
    assert len(new_year) == 1, documents
    newest = new_year[0]["invoice_number"]
    assert int(newest.split("-")[1]) <= 3 * len(shoppers), newest
    assert old_invoice["invoice_number"] in {i["invoice_number"] for i in documents}
    assert all(
        i["kind"] == "CREDIT_NOTE" and i["credit_note_for"] == old_invoice["invoice_number"]
        for i in documents
        if i["invoice_number"] not in (newest, old_invoice["invoice_number"])
    ), documents
    # AND "My invoices" lists the newest first, a page at a time, each document once
    page = isolated_api.request(
        "GET", "/invoices", headers=customer.auth, params={"limit": "1"}
    ).json()
    assert [i["invoice_number"] for i in page["items"]] == [newest]
    assert page["next_cursor"], page
    seen = [newest]
    cursor = page["next_cursor"]
    while cursor:
        rest = isolated_api.request(
            "GET", "/invoices", headers=customer.auth, params={"limit": "1", "cursor": cursor}
        ).json()
        seen += [i["invoice_number"] for i in rest["items"]]
        cursor = rest["next_cursor"]
    assert sorted(seen) == sorted(i["invoice_number"] for i in documents)
