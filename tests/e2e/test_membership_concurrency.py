"""Buying twice by accident over real HTTP (SPEC §4): a double click, a retried request or two
tabs never make two memberships, two invoices or two invoice mails."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.membership_http import (
    Customer,
    assert_no_second_mail,
    checkout_body,
    customers_with_points,
    invoices,
    membership,
    wait_for_invoice_mail,
)
from tests.support.products_http import side_by_side
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e

SILVER_POINTS = 500
DUPLICATES = 5
TABS = 4


@pytest.fixture(scope="module")
def buyers(e2e_runtime: RuntimeProcess, reviewer_token: str) -> list[Customer]:
    """Two customers with 500 points and no membership yet."""
    return customers_with_points(e2e_runtime.api_url, reviewer_token, SILVER_POINTS, [{}, {}])


def sessions(base_url: str, count: int) -> list[HttpApi]:
    """One HTTP session per thread: a requests.Session is not shared between threads."""
    return [HttpApi(base_url) for _ in range(count)]


def buy_at_once(base_url: str, customer: Customer, keys: list[str]) -> list:
    """One checkout per key, released together, each over its own connection."""
    apis = sessions(base_url, len(keys))
    try:
        return side_by_side(
            [
                lambda api=api, key=key: api.request(
                    "POST",
                    "/checkout",
                    json=checkout_body(),
                    headers={**customer.auth, "Idempotency-Key": key},
                )
                for api, key in zip(apis, keys, strict=True)
            ]
        )
    finally:
        for api in apis:
            api.close()


def test_five_identical_purchases_at_once_make_one_membership_one_invoice_one_mail(
    e2e_runtime: RuntimeProcess, http_api: HttpApi, buyers: list[Customer]
) -> None:
    # GIVEN a customer with 500 points
    customer = buyers[0]
    # WHEN the same purchase, with one Idempotency-Key, arrives five times at once
    answers = buy_at_once(e2e_runtime.api_url, customer, ["double-click"] * DUPLICATES)
    # THEN every answer is the one purchase: 201 with the same membership
    assert [a.status_code for a in answers] == [201] * DUPLICATES, [
        (a.status_code, a.text[:300]) for a in answers
    ]
    cards = [a.json()["membership"] for a in answers]
    assert all(c == cards[0] for c in cards), cards
    assert cards[0]["status"] == "ACTIVE"
    # AND the company has that one membership
    assert (
        membership(http_api, customer.token).json()["membership_number"]
        == (cards[0]["membership_number"])
    )
    # AND one invoice arrives, by one mail, and no second follows
    wait_for_invoice_mail(http_api, customer.email)
    assert len(assert_no_second_mail(http_api, customer.email)) == 1
    issued = invoices(http_api, customer.token)
    assert len(issued) == 1, issued
    assert issued[0]["membership_number"] == cards[0]["membership_number"]


def test_purchases_with_different_keys_at_once_make_one_membership(
    e2e_runtime: RuntimeProcess, http_api: HttpApi, buyers: list[Customer]
) -> None:
    # GIVEN a customer with 500 points, buying in four tabs (each with a key of its own)
    customer = buyers[1]
    keys = [f"tab-{index}" for index in range(TABS)]
    # WHEN the four purchases arrive at once
    answers = buy_at_once(e2e_runtime.api_url, customer, keys)
    # THEN exactly one buys, and the three others are a conflict in the error shape
    statuses = Counter(a.status_code for a in answers)
    assert statuses == {201: 1, 409: TABS - 1}, [(a.status_code, a.text[:300]) for a in answers]
    for answer in answers:
        if answer.status_code == 409:
            error_of(answer, 409)
    [winner] = [a.json()["membership"] for a in answers if a.status_code == 201]
    # AND the membership is the winner's, with one invoice and one invoice mail
    assert (
        membership(http_api, customer.token).json()["membership_number"]
        == (winner["membership_number"])
    )
    wait_for_invoice_mail(http_api, customer.email)
    assert len(assert_no_second_mail(http_api, customer.email)) == 1
    assert [i["membership_number"] for i in invoices(http_api, customer.token)] == [
        winner["membership_number"]
    ]
