"""Bad input to the membership, checkout, invoice and finance routes is a client error naming
what is wrong, never a 5xx, and a refused purchase buys nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import bearer
from tests.support.membership_http import (
    BANK_TRANSFER,
    TERMS_VERSION,
    VISA,
    Customer,
    bought,
    checkout_body,
    customers_with_points,
    invoice_mails,
    invoices,
    membership,
    quote,
    the_invoice,
    tiers,
    today,
)
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e

CLIENT_ERRORS = (400, 422)
SILVER_POINTS = 500


@dataclass(frozen=True)
class World:
    buyer: Customer  # 500 to 999 points, never bought: every bad checkout is theirs
    member: Customer  # a member paying by bank transfer
    invoice_number: str
    total: dict[str, str]


@pytest.fixture(scope="module")
def world(e2e_runtime: RuntimeProcess, reviewer_token: str) -> World:
    buyer, member = customers_with_points(
        e2e_runtime.api_url, reviewer_token, SILVER_POINTS, [{}, {}]
    )
    assert buyer.points < 1000, buyer.points
    api = HttpApi(e2e_runtime.api_url)
    try:
        bought(api, member.token, "member", payment=BANK_TRANSFER)
        issued = the_invoice(api, member.token, member.email)
    finally:
        api.close()
    return World(buyer, member, issued["invoice_number"], issued["total"])


def names(error: dict[str, Any], field: str) -> bool:
    """Whether the error's `fields` point at `field`: its own key, a key inside it, or one that
    has the schema's variant name in between ("payment.CARD.payment_method_token"; whether
    that may be so is `test_error_fields_are_named_as_the_request_names_them`'s business)."""
    first, last = field.split(".")[0], field.split(".")[-1]
    return any(
        key == field
        or key.startswith(f"{field}.")
        or (key.startswith(f"{first}.") and key.endswith(f".{last}"))
        for key in error["fields"]
    )


def _without(key: str) -> dict[str, Any]:
    body = checkout_body()
    del body[key]
    return body


# (case, body, the field the error names)
PO = "purchase_order_number"
TOKEN = "payment.payment_method_token"  # as the 422 for a missing token names it
CHECKOUTS: list[tuple[str, dict[str, Any], str]] = [
    ("unknown tier", checkout_body(tier="BRONZE"), "tier"),
    ("tier in lower case", checkout_body(tier="silver"), "tier"),
    ("tier not open with the points", checkout_body(tier="GOLD"), "tier"),
    ("corporate tier not open", checkout_body(tier="CORPORATE_A"), "tier"),
    ("tier is a number", checkout_body(tier=1), "tier"),
    ("no tier", _without("tier"), "tier"),
    ("terms not accepted", checkout_body(accept_terms=False), "accept_terms"),
    ("terms accepted as a string", checkout_body(accept_terms="true"), "accept_terms"),
    ("no terms acceptance", _without("accept_terms"), "accept_terms"),
    ("old terms version", checkout_body(terms_version="2019-01"), "terms_version"),
    ("no terms version", _without("terms_version"), "terms_version"),
    ("auto_renew as a string", checkout_body(auto_renew="no"), "auto_renew"),
    ("purchase order of 36 characters", checkout_body(purchase_order_number="P" * 36), PO),
    ("purchase order of 100 KB", checkout_body(purchase_order_number="P" * 100_000), PO),
    ("purchase order with a line break", checkout_body(purchase_order_number="PO\n17"), PO),
    ("purchase order is a number", checkout_body(purchase_order_number=17), PO),
    ("no payment", _without("payment"), "payment"),
    ("payment is a list", checkout_body(payment=[]), "payment"),
    ("payment by cash", checkout_body(payment={"method": "CASH"}), "payment"),
    (
        "card in lower case",
        checkout_body(payment={"method": "card", "payment_method_token": VISA}),
        "payment",
    ),
    ("card without token", checkout_body(payment={"method": "CARD"}), TOKEN),
    (
        "card with an empty token",
        checkout_body(payment={"method": "CARD", "payment_method_token": ""}),
        TOKEN,
    ),
    (
        "card token of 10 KB",
        checkout_body(payment={"method": "CARD", "payment_method_token": "pm_" + "x" * 10_000}),
        TOKEN,
    ),
]


@pytest.mark.parametrize(
    ("body", "field"), [pytest.param(body, field, id=case) for case, body, field in CHECKOUTS]
)
def test_a_bad_checkout_is_refused_naming_the_field(
    http_api: HttpApi, world: World, body: dict[str, Any], field: str
) -> None:
    # GIVEN a customer with 500 points and a purchase with one thing wrong
    # WHEN it is sent with a fresh Idempotency-Key
    response = http_api.request(
        "POST",
        "/checkout",
        json=body,
        headers={**world.buyer.auth, "Idempotency-Key": f"bad-{uuid.uuid4().hex}"},
    )
    # THEN it is a client error in the error shape naming the field (as the form names it)
    assert response.status_code in CLIENT_ERRORS, response.text
    error = error_of(response, response.status_code)
    assert names(error, field), error


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(None, id="no key"),
        pytest.param("", id="empty key"),
        pytest.param("k" * 256, id="key of 256 characters"),
        pytest.param("tab\tinside", id="key with a tab"),
    ],
)
def test_a_checkout_without_a_usable_idempotency_key_is_a_400(
    http_api: HttpApi, world: World, key: str | None
) -> None:
    # GIVEN a valid purchase
    headers = {**world.buyer.auth, **({"Idempotency-Key": key} if key is not None else {})}
    # WHEN it is sent without a usable Idempotency-Key
    response = http_api.request("POST", "/checkout", json=checkout_body(), headers=headers)
    # THEN it is a 400 naming the header
    assert "Idempotency-Key" in error_of(response, 400)["fields"]


def test_the_refused_purchases_bought_nothing(http_api: HttpApi, world: World) -> None:
    # GIVEN every bad purchase above was refused
    # THEN the customer has no membership, no invoice and no invoice mail
    error_of(membership(http_api, world.buyer.token), 404)
    assert invoices(http_api, world.buyer.token) == []
    assert invoice_mails(http_api, world.buyer.email) == []
    # AND the terms they would accept are the current ones
    assert quote(http_api, world.buyer.token, "SILVER").json()["terms_version"] == TERMS_VERSION


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "tier"),
        ({"tier": 5}, "tier"),
        ({"tier": "BRONZE"}, "tier"),
        ({"tier": "T" * 10_000}, "tier"),
        ({"tier": None}, "tier"),
    ],
)
def test_a_bad_quote_is_refused_naming_the_tier(
    http_api: HttpApi, world: World, body: dict[str, Any], field: str
) -> None:
    # WHEN a quote is asked for with a bad tier
    response = http_api.request(
        "POST", "/checkout/quote", json=body, headers=bearer(world.buyer.token)
    )
    # THEN it is a client error naming it
    assert response.status_code in CLIENT_ERRORS, response.text
    assert field in error_of(response, response.status_code)["fields"]


@pytest.mark.parametrize(
    "body",
    [{}, {"auto_renew": "no"}, {"auto_renew": None}, {"auto_renew": 0}, {"auto_renew": [True]}],
)
def test_a_bad_subscription_change_is_refused_and_changes_nothing(
    http_api: HttpApi, world: World, body: dict[str, Any]
) -> None:
    # GIVEN a member with auto-renewal on
    before = membership(http_api, world.member.token).json()
    # WHEN the switch is sent with a bad value
    response = http_api.request("PATCH", "/membership", json=body, headers=world.member.auth)
    # THEN it is a client error naming `auto_renew`, and the card is unchanged
    assert response.status_code in CLIENT_ERRORS, response.text
    assert "auto_renew" in error_of(response, response.status_code)["fields"]
    assert membership(http_api, world.member.token).json() == before


PAYMENT_CASES: list[tuple[dict[str, Any], str]] = [
    ({"amount": "abc"}, "amount"),
    ({"amount": "-85.00"}, "amount"),
    ({"amount": "0"}, "amount"),
    ({"amount": "85.001"}, "amount"),
    ({"amount": "NaN"}, "amount"),
    ({"amount": "Infinity"}, "amount"),
    ({"amount": "1e400"}, "amount"),
    ({"amount": "1e28"}, "amount"),
    ({"amount": {"amount": "1E+30", "currency": "EUR"}}, "amount"),
    ({"amount": ""}, "amount"),
    ({"amount": None}, "amount"),
    ({"amount": {"amount": "85.00", "currency": "USD"}}, "amount"),
    ({"amount": {"amount": "85.00"}}, "amount"),
    ({"paid_on": "yesterday"}, "paid_on"),
    ({"paid_on": "2026-13-01"}, "paid_on"),
    ({"paid_on": "2999-01-01"}, "paid_on"),
    ({"paid_on": None}, "paid_on"),
    ({"reference": ""}, "reference"),
    ({"reference": "R" * 10_000}, "reference"),
    ({"reference": 42}, "reference"),
]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param(change, field, id=f"{field}={next(iter(change.values()))!r}"[:48])
        for change, field in PAYMENT_CASES
    ],
)
def test_a_bad_payment_is_refused_naming_the_field_and_the_invoice_stays_unpaid(
    http_api: HttpApi, reviewer_token: str, world: World, change: dict[str, Any], field: str
) -> None:
    # GIVEN a member's unpaid bank-transfer invoice and a valid payment with one thing wrong
    body = {
        "amount": world.total["amount"],
        "paid_on": today(http_api).isoformat(),
        "reference": "BANK-0001",
        **change,
    }
    # WHEN finance records it
    response = http_api.request(
        "POST",
        f"/finance/invoices/{world.invoice_number}/payments",
        json=body,
        headers=bearer(reviewer_token),
    )
    # THEN it is a client error naming the field, and the invoice is still unpaid
    assert response.status_code in CLIENT_ERRORS, response.text
    assert names(error_of(response, response.status_code), field)
    shown = http_api.request(
        "GET", f"/invoices/{world.invoice_number}", headers=bearer(world.member.token)
    )
    assert shown.json()["status"] == "ISSUED"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("cursor=garbage", "cursor"),
        ("cursor=" + "e" * 5_000, "cursor"),
    ],
)
def test_bad_invoice_list_parameters_are_refused_naming_the_parameter(
    http_api: HttpApi, world: World, query: str, field: str
) -> None:
    # WHEN a member lists their invoices with one bad query parameter
    response = http_api.request("GET", f"/invoices?{query}", headers=world.member.auth)
    # THEN it is a 400 in the error shape naming the parameter
    assert field in error_of(response, 400)["fields"]


@pytest.mark.parametrize(
    "number", ["2026-1", "x" * 2_000, "%00", "..%2F..%2Fetc", "2026-000001%20OR%201=1"]
)
def test_a_malformed_invoice_number_is_a_404(http_api: HttpApi, world: World, number: str) -> None:
    # WHEN an invoice number that cannot exist is asked for
    response = http_api.request("GET", f"/invoices/{number}", headers=world.member.auth)
    # THEN it is a 404 (or a 400) in the error shape, never a 5xx
    assert response.status_code in (400, 404), response.text
    error_of(response, response.status_code)


def test_a_bad_family_is_refused_naming_it(http_api: HttpApi, world: World) -> None:
    # WHEN the tiers are asked for with a family that does not exist
    for family in ("", "CORPORATE", "x" * 5_000):
        response = tiers(http_api, world.buyer.token, family)
        # THEN it is a client error in the error shape naming the parameter
        assert response.status_code in CLIENT_ERRORS, (family[:20], response.text)
        assert "family" in error_of(response, response.status_code)["fields"]


CHECKOUT_FIELDS = {
    "tier",
    "auto_renew",
    "purchase_order_number",
    "accept_terms",
    "terms_version",
    "payment",
    "payment.method",
    "payment.payment_method_token",
}
PAYMENT_FIELDS = {"amount", "amount.amount", "amount.currency", "paid_on", "reference"}


def test_error_fields_are_named_as_the_request_names_them(
    http_api: HttpApi, reviewer_token: str, world: World
) -> None:
    # GIVEN requests whose bad field sits inside a choice of shapes (a card or a bank
    # transfer; an amount as a string or as money)
    checkouts = [
        checkout_body(payment={"method": "CARD"}),
        checkout_body(payment={"method": "CARD", "payment_method_token": ""}),
    ]
    payments = [
        {"amount": None},
        {"amount": {"amount": "85.00", "currency": "USD"}},
        {"amount": {"amount": "85.00"}},
    ]
    day = today(http_api).isoformat()
    answers = [
        http_api.request(
            "POST",
            "/checkout",
            json=body,
            headers={**world.buyer.auth, "Idempotency-Key": uuid.uuid4().hex},
        )
        for body in checkouts
    ] + [
        http_api.request(
            "POST",
            f"/finance/invoices/{world.invoice_number}/payments",
            json={"amount": "1.00", "paid_on": day, "reference": "R", **change},
            headers=bearer(reviewer_token),
        )
        for change in payments
    ]
    # WHEN each is refused
    # THEN every key of `fields` is a path of the request body (what the form can point at),
    # never a name from inside the schema ("payment.CARD.…", "amount.MoneyIn.…")
    strange = []
    for answer, known in zip(
        answers, [CHECKOUT_FIELDS] * len(checkouts) + [PAYMENT_FIELDS] * len(payments), strict=True
    ):
        error = error_of(answer, answer.status_code)
        assert answer.status_code in CLIENT_ERRORS, answer.text
        strange += [key for key in error["fields"] if key not in known]
    assert not strange, strange


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/checkout"),
        ("DELETE", "/membership"),
        ("PUT", "/membership"),
        ("DELETE", "/tiers"),
        ("PUT", "/invoices/{number}"),
        ("GET", "/finance/invoices/{number}/payments"),
        ("TRACE", "/membership"),
        ("FROBNICATE", "/checkout/quote"),
    ],
)
def test_a_method_a_membership_route_does_not_offer_is_a_405(
    http_api: HttpApi, world: World, method: str, path: str
) -> None:
    # GIVEN a membership or invoice route that exists
    concrete = path.format(number=world.invoice_number)
    # WHEN it is called with a method it does not offer
    response = http_api.request(method, concrete, headers=world.member.auth)
    # THEN it is a 405 in the error shape, and nothing changed
    error_of(response, 405)
    assert membership(http_api, world.member.token).status_code == 200
