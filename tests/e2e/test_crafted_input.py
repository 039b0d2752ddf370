"""Crafted input never gives a 5xx (issue 8, item 8): cursors, limits, ids and headers made by
an attacker rather than by the frontend, on every route that takes them; and two clerks
recording the same payment at once."""

from __future__ import annotations

import base64
import json
import threading
from datetime import date
from typing import Any

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import bearer
from tests.support.membership_http import (
    BANK_TRANSFER,
    Customer,
    bought,
    customer_with_points,
    invoices,
    record_payment,
    wait_for_invoice_mail,
)

pytestmark = pytest.mark.e2e


def b64(value: Any) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


CURSORS = {
    "a key without its type": b64({"account_id": "x"}),
    "another account's key": b64({"account_id": {"S": "acc-other"}, "product_id": {"S": "p"}}),
    "a list": b64([]),
    "a number": b64(7),
    "a typed value that is a map": b64({"account_id": {"S": {"S": "x"}}}),
    "a deep nest": b64(b"[" * 5000 + b"]" * 5000),
    "a superscript two": "\u00b2",
    "not base64": "!!!",
    "base64 of bytes that are not UTF-8": b64(b"\xff\xfe\xfd"),
    "very long": "A" * 5000,
}
LIMITS = {
    "5,000 digits": "9" * 5000,
    "a superscript two": "\u00b2",
    "negative": "-1",
    "zero": "0",
    "a fraction": "1.5",
    "a word": "ten",
}
CUSTOMER_LISTS = ("/products", "/points", "/invoices", "/catalog")
REVIEWER_LISTS = ("/review/applications", "/finance/invoices")
LONG_ID = "x" * 3000


@pytest.fixture(scope="module")
def member(http_api: HttpApi, reviewer_token: str) -> Customer:
    """A customer with points, a bank-transfer membership and its invoice."""
    customer = customer_with_points(http_api.base_url, reviewer_token, 500)
    bought(http_api, customer.token, "crafted-input", payment=BANK_TRANSFER)
    wait_for_invoice_mail(http_api, customer.email)
    return customer


def _token_for(path: str, member: Customer, reviewer_token: str) -> str:
    return reviewer_token if path in REVIEWER_LISTS else member.token


@pytest.mark.parametrize("path", CUSTOMER_LISTS + REVIEWER_LISTS)
@pytest.mark.parametrize("cursor", list(CURSORS.values()), ids=list(CURSORS))
def test_a_crafted_cursor_is_a_400_on_every_list(
    http_api: HttpApi, member: Customer, reviewer_token: str, path: str, cursor: str
) -> None:
    # GIVEN a list route and a cursor no page of ours ever handed out
    token = _token_for(path, member, reviewer_token)
    # WHEN it is sent
    response = http_api.request("GET", path, headers=bearer(token), params={"cursor": cursor})
    # THEN a client error naming the cursor, never a server error
    assert response.status_code == 400, (path, response.status_code, response.text)
    assert "cursor" in error_of(response, 400)["fields"]


@pytest.mark.parametrize("path", CUSTOMER_LISTS + REVIEWER_LISTS)
@pytest.mark.parametrize("limit", list(LIMITS.values()), ids=list(LIMITS))
def test_a_crafted_limit_is_a_400_on_every_list(
    http_api: HttpApi, member: Customer, reviewer_token: str, path: str, limit: str
) -> None:
    # GIVEN a list route / WHEN the limit is not a small positive whole number
    token = _token_for(path, member, reviewer_token)
    response = http_api.request("GET", path, headers=bearer(token), params={"limit": limit})
    # THEN a 400 naming the limit
    assert response.status_code == 400, (path, response.status_code, response.text)
    assert "limit" in error_of(response, 400)["fields"]


@pytest.mark.parametrize(
    ("method", "path", "body", "as_reviewer"),
    [
        ("GET", f"/products/{LONG_ID}", None, False),
        ("PATCH", f"/products/{LONG_ID}", {"dealer": "Foto Koch"}, False),
        ("DELETE", f"/products/{LONG_ID}", None, False),
        ("GET", f"/invoices/{LONG_ID}", None, False),
        (
            "POST",
            f"/finance/invoices/{LONG_ID}/payments",
            {"amount": "1.00", "paid_on": "2026-01-01", "reference": "r"},
            True,
        ),
        ("POST", f"/review/applications/{LONG_ID}/decision", {"decision": "APPROVE"}, True),
        ("GET", f"/ops/legacy-imports/{LONG_ID}", None, True),
    ],
)
def test_an_id_of_3000_characters_is_a_client_error(
    http_api: HttpApi,
    member: Customer,
    reviewer_token: str,
    method: str,
    path: str,
    body: Any,
    as_reviewer: bool,
) -> None:
    # GIVEN an id far longer than any we issue (DynamoDB refuses keys over 2,048 bytes)
    token = reviewer_token if as_reviewer else member.token
    # WHEN a route is asked for it
    response = http_api.request(method, path, json=body, headers=bearer(token))
    # THEN it is absent (404) or refused (400/422), never a server error
    assert response.status_code in (400, 404, 422), (path, response.status_code, response.text)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", f"/applications/{LONG_ID}"), ("POST", f"/applications/{LONG_ID}/upload")],
)
def test_an_application_id_and_status_token_of_thousands_of_characters_are_refused(
    http_api: HttpApi, method: str, path: str
) -> None:
    # GIVEN an application id and a status token far too long
    headers = {"X-Status-Token": "t" * 8000}
    # WHEN the status route is asked / THEN a 4xx in the error shape
    response = http_api.request(method, path, headers=headers)
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.json()["error"]["code"]


def test_two_clerks_recording_the_same_payment_at_once_get_one_200_and_one_409(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a bank-transfer invoice
    customer = customer_with_points(http_api.base_url, reviewer_token, 500)
    bought(http_api, customer.token, "two-clerks", payment=BANK_TRANSFER)
    wait_for_invoice_mail(http_api, customer.email)
    [invoice] = invoices(http_api, customer.token)
    results: list[int] = []
    barrier = threading.Barrier(2)

    def clerk() -> None:
        api = HttpApi(http_api.base_url)
        barrier.wait()
        response = record_payment(
            api,
            reviewer_token,
            invoice["invoice_number"],
            invoice["total"]["amount"],
            date.fromisoformat(invoice["issued_on"]),
            "BANK-REF-1",
        )
        results.append(response.status_code)
        api.close()

    # WHEN two clerks record it at the same moment
    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # THEN one records it and the other is told it conflicts; the invoice is paid once
    assert sorted(results) == [200, 409], results
    [paid] = invoices(http_api, customer.token)
    assert paid["status"] == "PAID"
