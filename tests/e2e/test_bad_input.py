"""Bad input never gives a 5xx: hand-picked cases (schemathesis: test_schemathesis.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import application_body, apply, bearer

pytestmark = pytest.mark.e2e

JSON = {"Content-Type": "application/json"}
CLIENT_ERRORS = (400, 422)

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    *parents, leaf = path.split(".")

    def mutate(body: dict[str, Any]) -> None:
        for key in parents:
            body = body[key]
        body[leaf] = value

    return mutate


def _drop(path: str) -> Mutation:
    *parents, leaf = path.split(".")

    def mutate(body: dict[str, Any]) -> None:
        for key in parents:
            body = body[key]
        del body[leaf]

    return mutate


# (case id, change to a valid application, the field the error must name)
APPLICATION_CASES: list[tuple[str, Mutation, str]] = [
    # wrong types
    ("company is a string", _set("company", "Studio Lumen"), "company"),
    ("company is null", _set("company", None), "company"),
    ("authorised is a string", _set("authorised", "yes"), "authorised"),
    ("e-mail is a number", _set("contact.email", 42), "contact.email"),
    ("language is a list", _set("language", ["nl"]), "language"),
    ("vat number is a number", _set("vat_number", 123456789), "vat_number"),
    ("contact is a list", _set("contact", []), "contact"),
    # missing fields
    ("no company name", _drop("company.name"), "company.name"),
    ("no country", _drop("company.country"), "company.country"),
    ("no contact", _drop("contact"), "contact"),
    ("no contact e-mail", _drop("contact.email"), "contact.email"),
    ("no document type", _drop("document_type"), "document_type"),
    ("no declaration", _drop("authorised"), "authorised"),
    ("no language", _drop("language"), "language"),
    # huge and empty strings
    ("huge company name", _set("company.name", "x" * 100_000), "company.name"),
    ("long company name", _set("company.name", "x" * 2_000), "company.name"),
    ("empty company name", _set("company.name", ""), "company.name"),
    ("huge e-mail", _set("contact.email", "a" * 5_000 + "@example.com"), "contact.email"),
    ("huge vat number", _set("vat_number", "NL" + "1" * 50_000), "vat_number"),
    # unknown enum values
    ("unknown document type", _set("document_type", "PASSPORT"), "document_type"),
    ("lower-case document type", _set("document_type", "company_invoice"), "document_type"),
    # rules broken
    ("unknown country", _set("company.country", "XX"), "company.country"),
    ("country by name", _set("company.country", "Netherlands"), "company.country"),
    ("malformed vat number", _set("vat_number", "NL123"), "vat_number"),
    ("vat check digit wrong", _set("vat_number", "NL004495446B01"), "vat_number"),
    ("vat number of another country", _set("vat_number", "DE136695976"), "vat_number"),
    ("invalid e-mail", _set("contact.email", "not-an-email"), "contact.email"),
    ("invalid old cps e-mail", _set("legacy_cps_email", "not@an@email"), "legacy_cps_email"),
    ("unsupported language", _set("language", "fr"), "language"),
    ("empty language", _set("language", ""), "language"),
    ("not authorised", _set("authorised", False), "authorised"),
    ("invalid phone", _set("contact.phone", "x"), "contact.phone"),
]


@pytest.mark.parametrize(
    ("mutate", "field"),
    [pytest.param(mutate, field, id=case) for case, mutate, field in APPLICATION_CASES],
)
def test_a_bad_application_is_refused_naming_the_field(
    http_api: HttpApi, mutate: Mutation, field: str
) -> None:
    # GIVEN a valid application with one thing wrong
    body = application_body()
    mutate(body)
    # WHEN it is sent
    response = http_api.request("POST", "/applications", json=body)
    # THEN it is a client error in the error shape whose `fields` names the field
    assert response.status_code in CLIENT_ERRORS, response.text
    error = error_of(response, response.status_code)
    assert field in error["fields"], error


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        pytest.param(b"{not json", "application/json", 400, id="malformed JSON"),
        pytest.param(b'{"company": ', "application/json", 400, id="truncated JSON"),
        pytest.param(b"[1, 2, 3]", "application/json", 400, id="JSON array"),
        pytest.param(b'"an application"', "application/json", 400, id="JSON string"),
        pytest.param(b"null", "application/json", 400, id="JSON null"),
        pytest.param(b"", "application/json", 400, id="empty body"),
        pytest.param(b"\xff\xfe\x00{", "application/json", 400, id="not UTF-8"),
        pytest.param(b"company=Studio", "text/plain", 415, id="not JSON at all"),
        pytest.param(
            json.dumps({"company": "x" * 1_000_000}).encode(), "application/json", 400, id="1 MB"
        ),
    ],
)
def test_a_malformed_body_is_a_client_error(
    http_api: HttpApi, body: bytes, content_type: str, status: int
) -> None:
    # GIVEN a body that is not an application object
    # WHEN it is posted as an application
    response = http_api.request(
        "POST", "/applications", data=body, headers={"Content-Type": content_type}
    )
    # THEN it is refused with the error shape, no 5xx
    error_of(response, status)


def test_deeply_nested_json_is_a_client_error(http_api: HttpApi) -> None:
    # GIVEN 100 KB of JSON nested 100,000 levels deep (API Gateway lets up to 10 MB through)
    body = b'{"company": ' + b"[" * 100_000
    # WHEN it is posted as an application
    response = http_api.request("POST", "/applications", data=body, headers=JSON)
    # THEN it is a 400 in the error shape, not a 500 from the JSON parser's recursion limit
    error_of(response, 400)


@pytest.mark.parametrize("method", ["TRACE", "QUERY", "CONNECT", "FROBNICATE"])
def test_an_unsupported_http_method_is_a_405_in_the_error_shape(
    http_api: HttpApi, method: str
) -> None:
    # GIVEN a route that exists
    # WHEN it is called with a method the API does not offer
    response = http_api.request(method, "/health")
    # THEN it is a client error in the error shape (as DELETE and PATCH are), never a 5xx
    error_of(response, 405)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/auth/login", {"email": "anna@studio-lumen.example"}, "password"),
        ("/auth/login", {"email": 5, "password": "x"}, "email"),
        ("/auth/login", {"email": "", "password": ""}, "email"),
        ("/auth/login", {"email": "a" * 10_000, "password": "x"}, "email"),
        ("/auth/password", {"password": "Sunny-Lenses-2026"}, "token"),
        ("/auth/password", {"token": "", "password": "Sunny-Lenses-2026"}, "token"),
        ("/auth/password", {"token": "t" * 10_000, "password": "Sunny-Lenses-2026"}, "token"),
        ("/auth/password", {"token": "anything", "password": "short"}, "password"),
        ("/auth/password-reset", {"email": ["a@b.example"]}, "email"),
        ("/auth/password-reset", {}, "email"),
        ("/auth/refresh", {}, "refresh_token"),
        ("/auth/refresh", {"refresh_token": 7}, "refresh_token"),
    ],
)
def test_bad_auth_input_is_refused_naming_the_field(
    http_api: HttpApi, path: str, body: dict[str, Any], field: str
) -> None:
    # GIVEN an auth request with one field wrong or missing
    # WHEN it is sent
    response = http_api.request("POST", path, json=body)
    # THEN it is a client error in the error shape naming the field
    assert response.status_code in CLIENT_ERRORS, response.text
    assert field in error_of(response, response.status_code)["fields"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=-5", "limit"),
        ("limit=1.5", "limit"),
        ("limit=%C2%B2", "limit"),  # "²": str.isdigit() says yes, int() says no
        ("cursor=garbage", "cursor"),
        ("cursor=" + "e" * 5_000, "cursor"),
        ("status=SHIPPED", "status"),
    ],
)
def test_bad_review_list_parameters_are_refused_naming_the_parameter(
    http_api: HttpApi, reviewer_token: str, query: str, field: str
) -> None:
    # GIVEN the reviewer's list with one bad query parameter
    # WHEN it is asked for
    response = http_api.request(
        "GET", f"/review/applications?{query}", headers=bearer(reviewer_token)
    )
    # THEN it is a 400 in the error shape naming the parameter
    assert field in error_of(response, 400)["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "MAYBE"}, "decision"),
        ({"decision": "approve"}, "decision"),
        ({}, "decision"),
        ({"decision": "REJECT", "reason": "x" * 100_000}, "reason"),
        ({"decision": "REJECT", "reason": 42}, "reason"),
    ],
)
def test_a_bad_decision_is_refused_naming_the_field(
    http_api: HttpApi, reviewer_token: str, body: dict[str, Any], field: str
) -> None:
    # GIVEN an application waiting for review
    applicant = apply(http_api)
    # WHEN the reviewer sends a malformed decision for it
    response = http_api.request(
        "POST",
        f"/review/applications/{applicant.application_id}/decision",
        json=body,
        headers=bearer(reviewer_token),
    )
    # THEN it is a client error in the error shape naming the field
    assert response.status_code in CLIENT_ERRORS, response.text
    assert field in error_of(response, response.status_code)["fields"]
