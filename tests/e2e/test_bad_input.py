"""Bad input never gives a 5xx: hand-picked cases, then schemathesis against /openapi.json."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import PDF, application_body, apply, bearer, unique_email, upload
from tests.support.membership_http import (
    BANK_TRANSFER,
    bought,
    earn_points,
    invoices,
    wait_for_invoice_mail,
)
from tests.support.products_http import (
    complete_details,
    import_legacy_export,
    legacy_csv,
    me,
    new_customers,
    registered,
    unique_serial,
)
from tests.support.runtime_process import RuntimeProcess

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


# schemathesis

SCHEMATHESIS_SEED = 20260611
SCHEMATHESIS_EXAMPLES = 25
SCHEMATHESIS_BUDGET = 175  # seconds, for the whole test: set-up and schemathesis
# The reviewer's and finance routes (API.md); every other route with `security` is a customer's.
REVIEWER_PREFIXES = ("/review/", "/ops/", "/finance/")
DECISION_PATH = "/review/applications/{application_id}/decision"
PRODUCT_PATH = "/products/{product_id}"
IMPORT_PATH = "/ops/legacy-imports/{import_id}"
INVOICE_PATHS = ("/invoices/{invoice_number}", "/finance/invoices/{invoice_number}/payments")


def _toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def report_of(output: str) -> str:
    """From schemathesis's first FAILURES, WARNINGS or SUMMARY banner to the end."""
    starts = [output.find(f" {banner} =") for banner in ("FAILURES", "WARNINGS", "SUMMARY")]
    found = [start for start in starts if start >= 0]
    start = output.rfind("\n", 0, min(found)) + 1 if found else max(len(output) - 4000, 0)
    return output[start:]


@dataclass(frozen=True)
class RealData:
    """Ids of real records, so that the generated requests reach more than a 404."""

    customer_token: str
    reviewer_token: str
    application_id: str
    status_token: str
    product_id: str
    doomed_product_id: str
    import_id: str
    invoice_number: str


def schemathesis_config(document: dict[str, Any], real: RealData) -> str:
    """Every operation with `security` gets the reviewer's token (reviewer and finance routes)
    or the customer's; the routes taking an id get a real one: an application with its status
    token, one of the customer's products, an import of the reviewer's, the customer's invoice
    (also for finance's payments route). The customer is a member, so that the membership
    routes answer with their card."""
    customer = _toml_string(f"Bearer {real.customer_token}")
    reviewer = _toml_string(f"Bearer {real.reviewer_token}")
    app_id, token = _toml_string(real.application_id), _toml_string(real.status_token)
    sections = [
        f"[[operations]]\ninclude-path = {_toml_string(DECISION_PATH)}\n"
        f"parameters = {{ application_id = {app_id} }}\n",
        '[[operations]]\ninclude-path-regex = "^/applications/"\n'
        f"parameters = {{ application_id = {app_id}, X-Status-Token = {token} }}\n",
        # DELETE gets a product of its own: removing the one the others use would leave them
        # nothing but 404s.
        *(
            f"[[operations]]\ninclude-name = {_toml_string(f'{method} {PRODUCT_PATH}')}\n"
            f"parameters = {{ product_id = {_toml_string(product_id)} }}\n"
            for method, product_id in (
                ("GET", real.product_id),
                ("PATCH", real.product_id),
                ("DELETE", real.doomed_product_id),
            )
        ),
        f"[[operations]]\ninclude-path = {_toml_string(IMPORT_PATH)}\n"
        f"parameters = {{ import_id = {_toml_string(real.import_id)} }}\n",
        *(
            f"[[operations]]\ninclude-path = {_toml_string(path)}\n"
            f"parameters = {{ invoice_number = {_toml_string(real.invoice_number)} }}\n"
            for path in INVOICE_PATHS
        ),
        '[[operations]]\ninclude-path = "/dev/jobs/{job}/run"\n'
        'parameters = { job = "review-sla" }\n',
    ]
    # One entry per path: an entry's filters are alternatives (path OR method), not all needed.
    for path, item in document["paths"].items():
        secured = [
            operation
            for method, operation in item.items()
            if method in ("get", "put", "post", "patch", "delete")
            and (operation.get("security") or document.get("security"))
        ]
        if secured:
            bearer_value = reviewer if path.startswith(REVIEWER_PREFIXES) else customer
            sections.append(
                f"[[operations]]\ninclude-path = {_toml_string(path)}\n"
                f"headers = {{ Authorization = {bearer_value} }}\n"
            )
    return "\n".join(sections)


def real_data(api: HttpApi, base_url: str, reviewer_token: str) -> RealData:
    """An application waiting for review; a customer of their own (schemathesis registers,
    corrects and removes products for them) with an incomplete product, a complete one to
    remove, and an old-CPS e-mail whose export has been imported, so that "Migrate products"
    has something to migrate; the customer has 500 points and a CPS membership paid by bank
    transfer, whose invoice has arrived (schemathesis quotes, checks out again, switches
    auto-renewal and records payments)."""
    old_email = unique_email("old")
    report = import_legacy_export(
        api,
        reviewer_token,
        legacy_csv(
            [
                (old_email, "EOS-R5-BODY", unique_serial(), "2021-05-01", "DE", "Foto Koch"),
                (old_email, "RF-50-F1.2L-USM", unique_serial(), "", "", ""),
            ]
        ),
    )
    assert report["imported"] == 2, report
    applicant = apply(api)
    assert upload(applicant.upload, PDF) in (200, 201, 204)
    [(_, customer_token)] = new_customers(base_url, reviewer_token, 1, legacy_cps_email=old_email)
    applicant.wait_for(api, "PENDING_REVIEW")
    product = registered(api, customer_token, "EOS-R6-BODY", serial_number=unique_serial())
    doomed = registered(api, customer_token, "EOS-R-BODY", **complete_details(unique_serial()))
    earn_points(api, customer_token, 500)
    bought(api, customer_token, "schemathesis-membership", payment=BANK_TRANSFER)
    wait_for_invoice_mail(api, me(api, customer_token)["contact"]["email"])
    [issued] = invoices(api, customer_token)
    return RealData(
        customer_token=customer_token,
        reviewer_token=reviewer_token,
        application_id=applicant.application_id,
        status_token=applicant.status_token,
        product_id=product["product_id"],
        doomed_product_id=doomed["product_id"],
        import_id=report["import_id"],
        invoice_number=issued["invoice_number"],
    )


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    http_api: HttpApi, e2e_runtime: RuntimeProcess, reviewer_token: str, tmp_path: Path
) -> None:
    # GIVEN real records for the routes taking an id (an application and its status token,
    # a customer's product, an import), a customer's and the reviewer's tokens
    started = time.monotonic()
    real = real_data(http_api, e2e_runtime.api_url, reviewer_token)
    config = tmp_path / "schemathesis.toml"
    document = http_api.request("GET", "/openapi.json").json()
    config.write_text(schemathesis_config(document, real))
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        f"{e2e_runtime.api_url}/openapi.json",
        # moving the clock would change the other tests' world
        "--exclude-path",
        "/dev/clock",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--max-examples",
        str(SCHEMATHESIS_EXAMPLES),
        "--seed",
        str(SCHEMATHESIS_SEED),
        "--request-timeout",
        "20",
        "--generation-database",
        "none",
        "--workers",
        "2",
        "--no-color",
    ]
    # WHEN schemathesis generates requests for every operation of /openapi.json
    try:
        result = subprocess.run(
            command,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=SCHEMATHESIS_BUDGET - (time.monotonic() - started),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        partial = (exc.stdout or b"") + (exc.stderr or b"")
        text = partial.decode(errors="replace") if isinstance(partial, bytes) else str(partial)
        pytest.fail(f"schemathesis ran past {SCHEMATHESIS_BUDGET}s in all:\n{text[-5_000:]}")
    output = result.stdout + result.stderr
    print(report_of(output))
    print(f"schemathesis test: {time.monotonic() - started:.0f}s in all")
    # THEN no answer is a 5xx, and every answer matches its documented schema
    assert result.returncode == 0, output[-20_000:]
