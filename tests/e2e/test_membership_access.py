"""Whose membership and invoices, over real HTTP: another account's invoice is absent (404,
never 403), a customer has no finance role, the reviewer has no membership, an
Idempotency-Key belongs to its account, and an invoice PDF is private behind a short-lived link.

(Whether S3 checks a presigned link's signature is S3's business; moto does not, so a link
pointed at another object is not tested here.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest
import requests

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import bearer
from tests.support.membership_http import (
    BANK_TRANSFER,
    Customer,
    bought,
    checkout_body,
    customers_with_points,
    download,
    invoice,
    invoices,
    link_lifetime,
    membership,
    record_payment,
    set_auto_renew,
    the_invoice,
    today,
)
from tests.support.products_http import me
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e

SILVER_POINTS = 500
SHARED_KEY = "my-first-cps-purchase"
UNKNOWN_INVOICE = "2001-999999"
MAX_LINK_SECONDS = 15 * 60


@dataclass(frozen=True)
class World:
    owner: Customer  # a member paying by bank transfer
    owner_invoice: dict[str, Any]
    member: Customer  # another member, paying by card
    member_invoice: dict[str, Any]
    outsider: Customer  # 500 points, no membership
    namesake: Customer  # will send the owner's Idempotency-Key


@pytest.fixture(scope="module")
def world(e2e_runtime: RuntimeProcess, reviewer_token: str) -> World:
    owner, member, outsider, namesake = customers_with_points(
        e2e_runtime.api_url, reviewer_token, SILVER_POINTS, [{}, {}, {}, {}]
    )
    api = HttpApi(e2e_runtime.api_url)
    try:
        bought(api, owner.token, SHARED_KEY, payment=BANK_TRANSFER)
        bought(api, member.token, "member-purchase")
        owner_invoice = the_invoice(api, owner.token, owner.email)
        member_invoice = the_invoice(api, member.token, member.email)
    finally:
        api.close()
    return World(owner, owner_invoice, member, member_invoice, outsider, namesake)


def test_another_accounts_invoice_is_absent(http_api: HttpApi, world: World) -> None:
    # GIVEN the owner's invoice, another member and a customer without a membership
    number = world.owner_invoice["invoice_number"]
    for other in (world.member, world.outsider):
        # WHEN they ask for the owner's invoice by its number
        theirs = invoice(http_api, other.token, number)
        # THEN it is a 404 in the error shape, exactly as for a number that does not exist
        assert error_of(theirs, 404) == error_of(
            invoice(http_api, other.token, UNKNOWN_INVOICE), 404
        )
        # AND their own list never shows it
        assert number not in str(invoices(http_api, other.token))
    # AND each member's list holds exactly their own invoice
    assert [i["invoice_number"] for i in invoices(http_api, world.member.token)] == [
        world.member_invoice["invoice_number"]
    ]
    assert [i["invoice_number"] for i in invoices(http_api, world.owner.token)] == [number]
    assert invoice(http_api, world.owner.token, number).status_code == 200


def test_a_customer_without_a_membership_has_no_card_to_see_or_change(
    http_api: HttpApi, world: World
) -> None:
    # GIVEN a customer with 500 points who never bought, and the owner's auto-renewing card
    before = membership(http_api, world.owner.token).json()
    assert before["auto_renew"] is True
    # WHEN they look at their membership and try to switch auto-renewal off
    shown = membership(http_api, world.outsider.token)
    changed = set_auto_renew(http_api, world.outsider.token, False)
    # THEN both are a 404 in the error shape, /me shows no membership and no invoice exists
    error_of(shown, 404)
    error_of(changed, 404)
    assert me(http_api, world.outsider.token)["membership"] is None
    assert invoices(http_api, world.outsider.token) == []
    # AND the owner's card is untouched
    assert membership(http_api, world.owner.token).json() == before


def test_a_customer_cannot_record_a_payment(
    http_api: HttpApi, reviewer_token: str, world: World
) -> None:
    # GIVEN the owner's unpaid bank-transfer invoice
    number = world.owner_invoice["invoice_number"]
    total = world.owner_invoice["total"]
    day = today(http_api)
    # WHEN the owner, another member or a customer without membership records its payment,
    # with the right amount
    for customer in (world.owner, world.member, world.outsider):
        answer = record_payment(http_api, customer.token, number, total, day, "SELF-PAID")
        # THEN it is a 403 in the error shape
        error_of(answer, 403)
    # AND the invoice is still unpaid
    assert invoice(http_api, world.owner.token, number).json()["status"] == "ISSUED"
    # AND finance itself gets a 404 for an invoice that does not exist
    error_of(record_payment(http_api, reviewer_token, UNKNOWN_INVOICE, total, day, "X"), 404)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/tiers", None),
        ("POST", "/checkout/quote", {"tier": "SILVER"}),
        ("POST", "/checkout", checkout_body()),
        ("GET", "/membership", None),
        ("PATCH", "/membership", {"auto_renew": False}),
        ("GET", "/invoices", None),
        ("GET", "/invoices/{number}", None),
    ],
)
def test_the_reviewer_has_no_membership_or_invoices(
    http_api: HttpApi, reviewer_token: str, world: World, method: str, path: str, body: Any
) -> None:
    # GIVEN the reviewer's token (a login without a business account), and a member's invoice
    concrete = path.format(number=world.owner_invoice["invoice_number"])
    headers = {**bearer(reviewer_token), "Idempotency-Key": "reviewer"}
    # WHEN the reviewer calls a customer's membership or invoice route
    response = http_api.request(method, concrete, json=body, headers=headers)
    # THEN it is refused in the error shape: 404 (no account) or 403 (wrong role)
    assert response.status_code in (403, 404), response.text
    error_of(response, response.status_code)


def test_an_idempotency_key_belongs_to_its_account(http_api: HttpApi, world: World) -> None:
    # GIVEN the key and body the owner bought with
    owner_card = membership(http_api, world.owner.token).json()
    # WHEN another customer happens to send the same key with a purchase of their own
    answer = http_api.request(
        "POST",
        "/checkout",
        json=checkout_body(payment=BANK_TRANSFER),
        headers={**world.namesake.auth, "Idempotency-Key": SHARED_KEY},
    )
    # THEN it buys their own membership: never a replay of the owner's result
    assert answer.status_code == 201, answer.text
    theirs = answer.json()["membership"]
    assert theirs["membership_number"] != owner_card["membership_number"]
    assert (
        membership(http_api, world.namesake.token).json()["membership_number"]
        == (theirs["membership_number"])
    )
    # AND their invoice is their own
    issued = the_invoice(http_api, world.namesake.token, world.namesake.email)
    assert issued["invoice_number"] != world.owner_invoice["invoice_number"]
    assert issued["membership_number"] == theirs["membership_number"]
    # AND the owner's membership is unchanged
    assert membership(http_api, world.owner.token).json() == owner_card


def test_an_invoice_pdf_is_private_behind_a_short_lived_link(
    http_api: HttpApi, world: World
) -> None:
    # GIVEN the owner's invoice link, freshly signed
    number = world.owner_invoice["invoice_number"]
    link = invoice(http_api, world.owner.token, number).json()["pdf_url"]
    # THEN it opens the PDF, and expires within minutes
    assert download(link).content.startswith(b"%PDF-")
    assert 0 < link_lifetime(link) <= MAX_LINK_SECONDS, link
    # WHEN the object is asked for without the signature
    unsigned = urlunparse(urlparse(link)._replace(query=""))
    # THEN the store refuses it (the documents bucket is private)
    assert requests.get(unsigned, timeout=30).status_code == 403
