"""A customer whose camera (600 points) opens Silver, and their card checkout: the set-up of the
system tests that inject faults into what a purchase sets off."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.journey import Api, Applicant, Response, approve_to_login, bearer

TERMS = "2026-01"


def silver_customer(api: Api, reviewer_token: str) -> tuple[Applicant, str]:
    """An approved customer with a complete EOS R1 (600 points); (applicant, ID token)."""
    applicant, token = approve_to_login(api, reviewer_token)
    product = {
        "sku": "EOS-R1-BODY",
        "serial_number": uuid.uuid4().hex[:12],
        "purchase_date": "2024-01-10",
        "country_of_purchase": "NL",
        "dealer": "Kamera Express",
    }
    response = api.request("POST", "/products", json=product, headers=bearer(token))
    assert response.status_code == 201, response.json()
    return applicant, token


def checkout(api: Api, token: str, key: str) -> Response:
    """Silver by card, with auto-renewal."""
    body = {
        "tier": "SILVER",
        "auto_renew": True,
        "purchase_order_number": "PO-2026-17",
        "accept_terms": True,
        "terms_version": TERMS,
        "payment": {"method": "CARD", "payment_method_token": "pm_card_visa"},
    }
    return api.request(
        "POST", "/checkout", json=body, headers={**bearer(token), "Idempotency-Key": key}
    )


def invoices(api: Api, token: str) -> list[dict[str, Any]]:
    return api.request("GET", "/invoices", headers=bearer(token)).json()["items"]
