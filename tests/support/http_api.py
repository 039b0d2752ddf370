"""The journey helpers' `Api` over real HTTP (requests), and the API's error shape as a check.

Every answer is checked against the running API's /openapi.json (tests/support/contract.py).
"""

from __future__ import annotations

from typing import Any

import requests

from tests.support.contract import ApiContract, contract_for

DEFAULT_TIMEOUT = 30.0


class HttpApi:
    """`request(method, path, json=None, headers=None)` against a base URL; every call has a
    timeout. `data` sends raw bytes (malformed bodies) instead of JSON. Each answer must be one
    the API's /openapi.json documents for that operation and status (else ContractViolation)."""

    def __init__(self, base_url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()

    @property
    def contract(self) -> ApiContract:
        def fetch() -> dict[str, Any]:
            answer = self._session.get(f"{self.base_url}/openapi.json", timeout=self.timeout)
            answer.raise_for_status()
            document: dict[str, Any] = answer.json()
            return document

        return contract_for(self.base_url, fetch)

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        headers: dict[str, str] | None = None,
        data: bytes | str | None = None,
        params: dict[str, str] | None = None,
    ) -> requests.Response:
        response = self._session.request(
            method,
            f"{self.base_url}{path}",
            json=json,
            data=data,
            params=params,
            headers=headers,
            timeout=self.timeout,
            allow_redirects=False,
        )
        self.contract.check(
            method, response.url, response.status_code, response.headers, response.content
        )
        return response

    def close(self) -> None:
        self._session.close()


def error_of(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Asserts `response` is `status` in the shape `{"error": {"code", "message", "fields"}}`
    and returns the inner error object."""
    body_text = getattr(response, "text", "")
    assert response.status_code == status, (
        f"expected {status}, got {response.status_code}: {body_text[:500]}"
    )
    try:
        body = response.json()
    except ValueError as exc:
        raise AssertionError(f"the {status} answer is not JSON: {body_text[:500]!r}") from exc
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert isinstance(error, dict), body
    assert {"code", "message", "fields"} <= set(error), body
    assert isinstance(error["code"], str) and error["code"], body
    assert isinstance(error["message"], str) and error["message"], body
    assert isinstance(error["fields"], dict), body
    if code is not None:
        assert error["code"] == code, body
    return error
