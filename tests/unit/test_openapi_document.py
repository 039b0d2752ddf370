"""/openapi.json says what the routes do: statuses, parameters, headers (schemathesis relies on it;
tests/e2e/test_schemathesis.py checks the running API against it)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from chalice import Response
from openapi_spec_validator import validate

from chalicelib.handlers.docs import IDEMPOTENCY_KEY
from chalicelib.handlers.errors import normalise_error_response
from chalicelib.handlers.membership import _IDEMPOTENCY_KEY
from chalicelib.handlers.openapi import build_document
from tests.support.settings_env import import_app

METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build_document(import_app().app)


def operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)


def test_every_operation_documents_the_statuses_any_route_can_answer(
    document: dict[str, Any],
) -> None:
    for name, operation in operations(document):
        statuses = set(operation["responses"])
        assert {"400", "404", "413", "415", "422"} <= statuses, name
        if operation.get("security"):
            assert {"401", "403"} <= statuses, name


def test_every_answer_documents_its_correlation_id_and_success_requires_it(
    document: dict[str, Any],
) -> None:
    headers = document["components"]["headers"]
    for name, operation in operations(document):
        for status, response in operation["responses"].items():
            ref = response["headers"]["X-Correlation-Id"]["$ref"].rsplit("/", 1)[-1]
            assert headers[ref]["required"] is (int(status) < 400), (name, status)


def test_every_list_declares_its_limit_and_cursor_with_their_rules(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    lists = [
        (name, operation)
        for name, operation in operations(document)
        if (ref := operation["responses"].get("200", {}).get("content", {}))
        and "next_cursor"
        in schemas.get(
            ref.get("application/json", {}).get("schema", {}).get("$ref", "/").rsplit("/", 1)[-1],
            {},
        ).get("properties", {})
        and name != "GET /dev/mailbox"  # one page
    ]
    assert len(lists) >= 6
    for name, operation in lists:
        query = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
        assert query.get("limit", {}).get("type") == "integer", name
        assert "pattern" in query.get("cursor", {}), name


def test_a_chalice_405_keeps_its_allow_header() -> None:
    # GIVEN Chalice's own answer to a method the route does not offer
    chalice_405 = Response(
        body={"Code": "MethodNotAllowedError", "Message": "Unsupported method: DELETE"},
        status_code=405,
        headers={"Allow": "GET"},
    )
    # WHEN it is put in the API's error shape
    response = normalise_error_response(chalice_405)
    # THEN it still names the methods that are allowed (RFC 9110)
    assert response.headers["Allow"] == "GET"
    assert response.body["error"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    "key",
    ["k", "k" * 255, "k" * 256, "", " ", "a key", " padded ", "tab\tinside", "é", "x\x7f", "~!"],
)
def test_the_idempotency_key_rule_is_the_documented_one(key: str) -> None:
    # GIVEN a key as the handler reads it (HTTP drops the blanks around a header value)
    read = key.strip(" \t")
    # THEN the handler takes it exactly when /openapi.json says it is valid
    documented = jsonschema.Draft202012Validator(IDEMPOTENCY_KEY.schema).is_valid(read)
    assert bool(_IDEMPOTENCY_KEY.fullmatch(read)) is documented, json.dumps(key)
