"""Signing up for CPS over real HTTP, for the end-to-end tests: points earned through products,
tiers, quotes, checkout, the membership card, invoices, their mail and bank-transfer payments.

Points come from `GET /catalog` (they depend on the date), "today" from the runtime's own clock
(`POST /dev/clock` with `advance_days: 0` moves nothing and answers `now`).
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import requests
from stdnum.iso7064 import mod_11_10

from tests.support.http_api import HttpApi
from tests.support.journey import Applicant, approve_to_login, bearer, eventually, mails_to
from tests.support.products_http import (
    _pages,
    catalog_points,
    complete_details,
    in_parallel,
    me,
    registered,
    unique_serial,
)

TERMS_VERSION = "2026-01"
VISA = "pm_card_visa"
DECLINED = "pm_card_chargeDeclined"
PO_NUMBER = "PO-2026-0417"
INVOICE_NUMBER = r"^(\d{4})-(\d{6})$"
MAX_PRODUCTS = 40

# The account's country and how its fee is taxed (SPEC §3, §4): (country, language, company).
COMPANIES: dict[str, dict[str, str]] = {
    "NL": {
        "name": "Studio Lumen B.V.",
        "street": "Keizersgracht 1",
        "postcode": "1015 CJ",
        "city": "Amsterdam",
        "country": "NL",
    },
    "DE": {
        "name": "Bildwerk GmbH",
        "street": "Hauptstraße 5",
        "postcode": "10115",
        "city": "Berlin",
        "country": "DE",
    },
    "DK": {
        "name": "Lysværket ApS",
        "street": "Vesterbrogade 12",
        "postcode": "1620",
        "city": "København V",
        "country": "DK",
    },
    "GB": {
        "name": "Lens Works Ltd",
        "street": "1 High Street",
        "postcode": "SW1A 1AA",
        "city": "London",
        "country": "GB",
    },
    "CH": {
        "name": "Lichtbild AG",
        "street": "Bahnhofstrasse 10",
        "postcode": "8001",
        "city": "Zürich",
        "country": "CH",
    },
    "NO": {
        "name": "Nordlys Foto AS",
        "street": "Karl Johans gate 1",
        "postcode": "0154",
        "city": "Oslo",
        "country": "NO",
    },
}
LANGUAGE_OF = {"NL": "nl", "DE": "de", "DK": "da", "GB": "en", "CH": "en", "NO": "en"}
# A phrase of each language's invoice mail subject ("Your invoice … for CPS").
INVOICE_SUBJECT_IN = {
    "en": "invoice",
    "nl": "Je factuur",
    "de": "Deine Rechnung",
    "da": "Din faktura",
    "lv": "rēķins",
}


def german_vat_number() -> str:
    """A well-formed German VAT number nobody else holds (ISO 7064 Mod 11,10 check digit):
    the application refuses a VAT number another account holds already."""
    base = str(random.randint(10_000_000, 99_999_999))
    return "DE" + base + mod_11_10.calc_check_digit(base)


def application_for(country: str, **overrides: Any) -> dict[str, Any]:
    """`approve_to_login` overrides for a company of `country`, in its language."""
    return {"company": COMPANIES[country], "language": LANGUAGE_OF[country], **overrides}


# --- points ---------------------------------------------------------------------------------


def earn_points(
    api: HttpApi, token: str, at_least: int, points_today: dict[str, int] | None = None
) -> int:
    """Registers complete products, the largest that still fit first, until the company holds
    at least `at_least` points; returns the balance. The overshoot is below the smallest
    product's points."""
    points_today = points_today or catalog_points(api, token)
    by_points = sorted(
        ((points, sku) for sku, points in points_today.items() if points > 0), reverse=True
    )
    balance = me(api, token)["points"]
    for _ in range(MAX_PRODUCTS):
        missing = at_least - balance
        if missing <= 0:
            return balance
        fitting = [(points, sku) for points, sku in by_points if points <= missing]
        _, sku = fitting[0] if fitting else by_points[-1]
        registered(api, token, sku, **complete_details(unique_serial()))
        balance = me(api, token)["points"]
    raise AssertionError(f"{MAX_PRODUCTS} products did not bring {at_least} points")


@dataclass(frozen=True)
class Customer:
    applicant: Applicant
    token: str
    points: int

    @property
    def email(self) -> str:
        return self.applicant.email

    @property
    def auth(self) -> dict[str, str]:
        return bearer(self.token)


def customer_with_points(
    base_url: str, reviewer_token: str, at_least: int, **application: Any
) -> Customer:
    """An approved customer (own HTTP session) who has reached `at_least` points through
    complete product registrations."""
    api = HttpApi(base_url)
    try:
        applicant, token = approve_to_login(api, reviewer_token, **application)
        return Customer(applicant, token, earn_points(api, token, at_least))
    finally:
        api.close()


def customers_with_points(
    base_url: str, reviewer_token: str, at_least: int, applications: list[dict[str, Any]]
) -> list[Customer]:
    """One customer per application (overrides), set up side by side, in order."""
    return in_parallel(
        [
            lambda application=application: customer_with_points(
                base_url, reviewer_token, at_least, **application
            )
            for application in applications
        ]
    )


# --- tiers, quote, checkout --------------------------------------------------------------------


def tiers(api: HttpApi, token: str, family: str | None = None) -> requests.Response:
    params = {"family": family} if family is not None else None
    return api.request("GET", "/tiers", headers=bearer(token), params=params)


def quote(api: HttpApi, token: str, tier: str) -> requests.Response:
    return api.request("POST", "/checkout/quote", json={"tier": tier}, headers=bearer(token))


def checkout_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "tier": "SILVER",
        "auto_renew": True,
        "purchase_order_number": PO_NUMBER,
        "accept_terms": True,
        "terms_version": TERMS_VERSION,
        "payment": {"method": "CARD", "payment_method_token": VISA},
    }
    body.update(overrides)
    return body


def card(token: str = VISA) -> dict[str, str]:
    return {"method": "CARD", "payment_method_token": token}


BANK_TRANSFER = {"method": "BANK_TRANSFER"}


def checkout(api: HttpApi, token: str, key: str | None, **overrides: Any) -> requests.Response:
    """`POST /checkout` with `Idempotency-Key: key` (none when `key` is None)."""
    headers = {**bearer(token), **({"Idempotency-Key": key} if key is not None else {})}
    return api.request("POST", "/checkout", json=checkout_body(**overrides), headers=headers)


def bought(api: HttpApi, token: str, key: str, **overrides: Any) -> dict[str, Any]:
    response = checkout(api, token, key, **overrides)
    assert response.status_code == 201, response.text
    return response.json()


def membership(api: HttpApi, token: str) -> requests.Response:
    return api.request("GET", "/membership", headers=bearer(token))


def set_auto_renew(api: HttpApi, token: str, auto_renew: bool) -> requests.Response:
    return api.request(
        "PATCH", "/membership", json={"auto_renew": auto_renew}, headers=bearer(token)
    )


def today(api: HttpApi) -> date:
    """The runtime's date: `/dev/clock` moved by zero days answers its `now`."""
    response = api.request("POST", "/dev/clock", json={"advance_days": 0})
    assert response.status_code == 200, response.text
    return datetime.fromisoformat(response.json()["now"]).date()


def advance_clock(api: HttpApi, days: int) -> date:
    response = api.request("POST", "/dev/clock", json={"advance_days": days})
    assert response.status_code == 200, response.text
    return datetime.fromisoformat(response.json()["now"]).date()


# --- invoices ------------------------------------------------------------------------------------


def invoices(api: HttpApi, token: str) -> list[dict[str, Any]]:
    """Every invoice of the customer (all pages)."""
    return _pages(api, "/invoices", token)


def invoice(api: HttpApi, token: str, number: str) -> requests.Response:
    return api.request("GET", f"/invoices/{number}", headers=bearer(token))


def invoice_mails(api: HttpApi, address: str) -> list[dict[str, Any]]:
    """The mails to `address` with a PDF attached."""
    return [
        mail
        for mail in mails_to(api, address)
        if any(name.lower().endswith(".pdf") for name in mail["attachments"])
    ]


def wait_for_invoice_mail(api: HttpApi, address: str, timeout: float = 60.0) -> dict[str, Any]:
    """The first invoice mail. The mail is the pipeline's last step (number, PDF, mail), so
    once it is there the invoice and its PDF are, too."""
    return eventually(lambda: invoice_mails(api, address), timeout=timeout, interval=0.3)[0]


def the_invoice(api: HttpApi, token: str, address: str) -> dict[str, Any]:
    """Waits for the invoice mail, then returns the customer's only invoice."""
    wait_for_invoice_mail(api, address)
    [only] = invoices(api, token)
    return only


def assert_no_second_mail(api: HttpApi, address: str, settle: float = 3.0) -> list[dict[str, Any]]:
    """Waits `settle` seconds after the first invoice mail (duplicates would be right behind it)
    and returns the invoice mails, for the caller to count."""
    time.sleep(settle)
    return invoice_mails(api, address)


def download(url: str) -> requests.Response:
    return requests.get(url, timeout=30)


def link_lifetime(url: str) -> float:
    """Seconds until a presigned S3 URL expires (SigV2 `Expires` or SigV4 `X-Amz-Expires`)."""
    query = parse_qs(urlparse(url).query)
    if "Expires" in query:
        return int(query["Expires"][0]) - time.time()
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return signed_at.timestamp() + int(query["X-Amz-Expires"][0]) - time.time()


def record_payment(
    api: HttpApi, token: str, number: str, amount: Any, paid_on: date, reference: str
) -> requests.Response:
    return api.request(
        "POST",
        f"/finance/invoices/{number}/payments",
        json={"amount": amount, "paid_on": paid_on.isoformat(), "reference": reference},
        headers=bearer(token),
    )


def pdf_info(pdf: bytes) -> dict[str, str]:
    """The document information the PDF carries as literal strings (`/Title (…)`, `/Lang (…)`),
    their escapes undone (pypdf, which writes the Factur-X PDF, writes "-" as "\\055")."""
    return {
        match.group(1).decode(): re.sub(
            rb"\\([0-7]{1,3}|.)",
            lambda e: bytes([int(e[1], 8)]) if e[1].isdigit() else e[1],
            match.group(2),
        ).decode("latin-1")
        for match in re.finditer(rb"/(Title|Lang|Author|Creator)\s*\(([^)]*)\)", pdf)
    }
