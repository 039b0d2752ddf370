"""Who may call what, over real HTTP: tokens, roles and status tokens."""

from __future__ import annotations

import re
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import (
    PDF,
    STRONG_PASSWORD,
    Applicant,
    apply,
    bearer,
    upload,
)

pytestmark = pytest.mark.e2e

METHODS = ("get", "put", "post", "patch", "delete")


def secured_operations(api: HttpApi) -> list[tuple[str, str]]:
    """(METHOD, path with every path parameter filled in) of each operation with `security`."""
    document = api.request("GET", "/openapi.json").json()
    operations = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS and (operation.get("security") or document.get("security")):
                concrete = re.sub(r"\{[^}]+\}", "no-such-id", path)
                operations.append((method.upper(), concrete))
    return operations


def forged_token(real_token: str) -> str:
    """The real token's header and claims, signed with a fresh RSA key nobody trusts."""
    header = jwt.get_unverified_header(real_token)
    claims = jwt.decode(real_token, options={"verify_signature": False})
    claims["exp"] = int(time.time()) + 3600
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": header.get("kid")})


def unsigned_token(real_token: str) -> str:
    """The real token's claims with `alg: none` and no signature."""
    claims = jwt.decode(real_token, options={"verify_signature": False})
    return jwt.encode(claims, key=None, algorithm="none")


def call(api: HttpApi, method: str, path: str, headers: dict[str, str]) -> Any:
    return api.request(method, path, json={} if method != "GET" else None, headers=headers)


def test_every_protected_route_refuses_callers_without_a_valid_id_token(
    http_api: HttpApi, reviewer_token: str, customer: tuple[Applicant, str]
) -> None:
    # GIVEN every operation the contract marks as needing a token
    operations = secured_operations(http_api)
    assert ("GET", "/me") in operations
    assert ("GET", "/review/applications") in operations
    assert ("POST", "/review/applications/no-such-id/decision") in operations
    # AND callers without a valid ID token
    applicant, _ = customer
    tokens = http_api.request(
        "POST", "/auth/login", json={"email": applicant.email, "password": STRONG_PASSWORD}
    ).json()
    callers = {
        "no token": {},
        "garbage token": bearer("garbage"),
        "not a bearer": {"Authorization": f"Basic {reviewer_token}"},
        "empty bearer": {"Authorization": "Bearer "},
        "signed by another key": bearer(forged_token(reviewer_token)),
        "unsigned (alg none)": bearer(unsigned_token(reviewer_token)),
        "access token, not ID token": bearer(tokens["access_token"]),
    }
    # WHEN each of them calls each operation
    refused = []
    for method, path in operations:
        for who, headers in callers.items():
            response = call(http_api, method, path, headers)
            try:
                error_of(response, 401)
            except AssertionError as exc:
                refused.append(f"{method} {path} with {who}: {exc}")
    # THEN every call is a 401 in the error shape
    assert not refused, "\n".join(refused)
    # AND the genuine token they were made from is let in
    genuine = http_api.request("GET", "/review/applications", headers=bearer(reviewer_token))
    assert genuine.status_code == 200, genuine.text


def test_a_customer_cannot_use_the_reviewer_routes(http_api: HttpApi, customer_token: str) -> None:
    # GIVEN an application waiting for review, and a customer's token
    applicant = apply(http_api)
    assert upload(applicant.upload, PDF) in (200, 201, 204)
    applicant.wait_for(http_api, "PENDING_REVIEW")
    # WHEN the customer lists the review queue or decides the application
    listing = http_api.request(
        "GET", "/review/applications?status=PENDING_REVIEW", headers=bearer(customer_token)
    )
    decision = http_api.request(
        "POST",
        f"/review/applications/{applicant.application_id}/decision",
        json={"decision": "APPROVE", "reason": None},
        headers=bearer(customer_token),
    )
    # THEN both are a 403 in the error shape, and the application is still undecided
    error_of(listing, 403)
    error_of(decision, 403)
    assert applicant.status(http_api)["status"] == "PENDING_REVIEW"


def test_an_application_is_only_shown_with_its_own_status_token(http_api: HttpApi) -> None:
    # GIVEN two applications
    mine, theirs = apply(http_api), apply(http_api)
    status_path = f"/applications/{mine.application_id}"
    upload_path = f"{status_path}/upload"
    # WHEN asked for without a status token, with an empty one, or with the other's token
    for headers in ({}, {"X-Status-Token": ""}, {"X-Status-Token": theirs.status_token}):
        # THEN status and new upload links are a 404 in the error shape (absent or not yours)
        error_of(http_api.request("GET", status_path, headers=headers), 404)
        error_of(http_api.request("POST", upload_path, headers=headers), 404)
    # AND with its own token the application is there
    assert mine.status(http_api)["application_id"] == mine.application_id


def test_an_unknown_application_is_a_404(http_api: HttpApi) -> None:
    # GIVEN a status token of a real application
    applicant = apply(http_api)
    # WHEN it is used for an application that does not exist
    response = http_api.request(
        "GET", "/applications/no-such-id", headers={"X-Status-Token": applicant.status_token}
    )
    # THEN the answer is a 404 in the error shape
    error_of(response, 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/no-such-path"),
        ("POST", "/no-such-path"),
        ("GET", "/review/no-such-path"),
        ("GET", "/applications/a/b/c"),
        ("GET", "/"),
    ],
)
def test_an_unknown_path_is_a_404_in_the_error_shape(
    http_api: HttpApi, customer_token: str, method: str, path: str
) -> None:
    # GIVEN a path the API does not have
    # WHEN it is called, with or without a token
    anonymous = call(http_api, method, path, {})
    authenticated = call(http_api, method, path, bearer(customer_token))
    # THEN both are a 404 in the error shape
    error_of(anonymous, 404)
    error_of(authenticated, 404)


def test_an_access_token_is_refused_with_a_message_naming_the_id_token(
    http_api: HttpApi, customer: tuple[Applicant, str]
) -> None:
    # GIVEN a customer's tokens from POST /auth/login
    applicant, _ = customer
    tokens = http_api.request(
        "POST", "/auth/login", json={"email": applicant.email, "password": STRONG_PASSWORD}
    ).json()
    # WHEN the access token is sent as the bearer instead of the ID token
    response = http_api.request("GET", "/me", headers=bearer(tokens["access_token"]))
    # THEN a 401 that says which token to send
    error = error_of(response, 401)
    assert "id_token" in error["message"], error
