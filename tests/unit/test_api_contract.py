"""The test clients' check of every answer against /openapi.json (tests/support/contract.py):
an undocumented status, an extra or missing field or a value outside its enum fails."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.handlers.openapi import build_document
from tests.support.contract import ApiContract, ContractViolation
from tests.support.settings_env import import_app

JSON = {"Content-Type": "application/json", "X-Correlation-Id": "c-1"}
HEALTHY = {"status": "ok"}
ERROR = {"error": {"code": "NOT_FOUND", "message": "No such product.", "fields": {}}}


@pytest.fixture(scope="module")
def contract() -> ApiContract:
    return ApiContract(build_document(import_app().app))


def body(data: Any) -> bytes:
    return json.dumps(data).encode()


def test_a_documented_answer_passes(contract: ApiContract) -> None:
    contract.check("GET", "http://api.test/health", 200, JSON, body(HEALTHY))
    contract.check("GET", "/products/p-1?x=1", 404, JSON, body(ERROR))
    contract.check("DELETE", "/products/p-1", 204, {"X-Correlation-Id": "c-1"}, b"")


def test_an_undocumented_status_fails(contract: ApiContract) -> None:
    with pytest.raises(ContractViolation, match="not documented"):
        contract.check("GET", "/health", 201, JSON, body(HEALTHY))


def test_an_extra_field_fails(contract: ApiContract) -> None:
    with pytest.raises(ContractViolation, match="Additional properties"):
        contract.check("GET", "/health", 200, JSON, body({**HEALTHY, "uptime": 3}))


def test_a_missing_field_or_a_value_outside_its_enum_fails(contract: ApiContract) -> None:
    with pytest.raises(ContractViolation, match="required"):
        contract.check("GET", "/products/p-1", 404, JSON, body({"error": {"code": "X"}}))
    points = {"balance": 5, "next_cursor": None}
    entry = {
        "entry_id": "p#award",
        "at": "2026-03-02T09:00:00+00:00",
        "delta": 5,
        "reason": "FOUND_ON_THE_STREET",
        "product_id": "p",
    }
    with pytest.raises(ContractViolation, match="FOUND_ON_THE_STREET"):
        contract.check("GET", "/points", 200, JSON, body({**points, "ledger": [entry]}))


def test_a_wrong_format_fails(contract: ApiContract) -> None:
    application = {
        "application_id": "a1",
        "status": "PENDING_REVIEW",
        "reason": None,
        "decision_due_by": "24/11/2026",
    }
    with pytest.raises(ContractViolation, match="decision_due_by"):
        contract.check("GET", "/applications/a1", 200, JSON, body(application))


def test_a_success_without_its_required_header_fails(contract: ApiContract) -> None:
    with pytest.raises(ContractViolation, match="X-Correlation-Id"):
        contract.check("GET", "/health", 200, {"Content-Type": "application/json"}, body(HEALTHY))


def test_an_operation_the_document_lacks_may_only_refuse(contract: ApiContract) -> None:
    contract.check("TRACE", "/health", 405, JSON, body(ERROR))
    with pytest.raises(ContractViolation, match="no GET /nowhere"):
        contract.check("GET", "/nowhere", 200, JSON, body(HEALTHY))
    with pytest.raises(ContractViolation, match="'error' is a required property"):
        contract.check("GET", "/nowhere", 404, JSON, body({"Message": "Not Found"}))


def test_the_document_closes_every_response_object(contract: ApiContract) -> None:
    # GIVEN /openapi.json WHEN the schemas of the answers are read
    schemas = contract.document["components"]["schemas"]
    answers = {
        response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        for item in contract.document["paths"].values()
        for operation in item.values()
        for response in operation["responses"].values()
        if "application/json" in response.get("content", {})  # not an XML document's
    }
    seen: set[str] = set()
    while answers:
        name = answers.pop()
        seen.add(name)
        schema = schemas[name]
        text = json.dumps(schema)
        answers |= {ref for ref in _refs(text) if ref not in seen}
        # THEN each object of an answer lists exactly its fields (the document's own is open)
        if "properties" in schema:
            assert schema.get("additionalProperties") is False, name
    assert {"MembershipOut", "InvoiceOut", "QuoteOut", "ErrorBody", "MoneyOut"} <= seen


def _refs(text: str) -> set[str]:
    marker = '"#/components/schemas/'
    return {part.split('"', 1)[0] for part in text.split(marker)[1:]}
