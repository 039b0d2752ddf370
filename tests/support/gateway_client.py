"""Calls the app through the emulated API Gateway in-process (authorizer and gateway responses
included), the way chalice.test.Client does, with the answers shaped like requests'. Each answer
must be one the app's /openapi.json documents (tests/support/contract.py)."""

from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass
from typing import Any

from chalice.app import Chalice
from chalice.config import Config

from local_runtime.gateway import EmulatedApiGateway
from tests.support.contract import ApiContract, contract_for


@dataclass
class GatewayResponse:
    status_code: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return jsonlib.loads(self.body or b"null")


class GatewayClient:
    def __init__(self, app: Chalice) -> None:
        config = Config(chalice_stage="local", user_provided_params={}, config_from_disk={})
        self._gateway = EmulatedApiGateway(app, config)
        self._app_key = f"in-process:{id(app)}"

    @property
    def contract(self) -> ApiContract:
        def fetch() -> Any:
            answer = self._send("GET", "/openapi.json", None, None)
            assert answer.status_code == 200, answer.body[:500]
            return answer.json()

        return contract_for(self._app_key, fetch)

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
    ) -> GatewayResponse:
        response = self._send(method, path, json, headers, body)
        self.contract.check(method, path, response.status_code, response.headers, response.body)
        return response

    def _send(
        self,
        method: str,
        path: str,
        json: Any,
        headers: dict[str, str] | None,
        body: bytes | None = None,
    ) -> GatewayResponse:
        all_headers = {"Host": "localhost", **(headers or {})}
        if json is not None:
            body = jsonlib.dumps(json).encode()
            all_headers.setdefault("Content-Type", "application/json")
        response = self._gateway.handle_request(
            method=method, path=path, headers=all_headers, body=body
        )
        raw = response["body"]
        if isinstance(raw, str):
            raw = raw.encode()
        return GatewayResponse(response["statusCode"], response["headers"], raw or b"")
