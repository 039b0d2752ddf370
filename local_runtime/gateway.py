"""API Gateway as deployed, emulated over chalice.local.

In AWS the API's gateway responses (infra/gateway_responses.json, added by infra/package.py)
give the gateway's own refusals — no token, refused token, unknown route — the API's error
shape. Chalice's local gateway knows nothing of them, so this layer applies the same table.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from chalice.app import Chalice
from chalice.config import Config
from chalice.local import (
    ChaliceRequestHandler,
    CustomLocalChalice,
    ForbiddenError,
    LocalChalice,
    LocalDevServer,
    LocalGateway,
    LocalGatewayException,
    NotAuthorizedError,
)

GATEWAY_RESPONSES = json.loads(
    (Path(__file__).resolve().parent.parent / "infra" / "gateway_responses.json").read_text()
)


def _gateway_response(kind: str) -> dict[str, Any]:
    spec = GATEWAY_RESPONSES[kind]
    body = {"error": {"code": spec["code"], "message": spec["message"], "fields": {}}}
    return {
        "statusCode": spec["status"],
        "headers": {"Content-Type": "application/json"},
        "multiValueHeaders": {},
        "body": json.dumps(body),
    }


class EmulatedApiGateway(LocalGateway):
    def handle_request(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> dict[str, Any]:
        try:
            return super().handle_request(method=method, path=path, headers=headers, body=body)
        except NotAuthorizedError:
            return _gateway_response("UNAUTHORIZED")
        except ForbiddenError as exc:
            missing = b"Missing Authentication Token" in (exc.body or b"") or b"Credential" in (
                exc.body or b""
            )
            return _gateway_response("MISSING_AUTHENTICATION_TOKEN" if missing else "ACCESS_DENIED")
        except LocalGatewayException:
            return _gateway_response("DEFAULT_4XX")
        except Exception as exc:
            if str(exc) == "Unauthorized":  # the authorizer's 401, API Gateway's convention
                return _gateway_response("UNAUTHORIZED")
            raise


class _Handler(ChaliceRequestHandler):
    def __init__(
        self,
        request: bytes,
        client_address: tuple[str, int],
        server: Any,
        app_object: Chalice,
        config: Config,
    ) -> None:
        self.local_gateway = EmulatedApiGateway(app_object, config)
        BaseHTTPRequestHandler.__init__(self, request, client_address, server)  # type: ignore[arg-type]

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_IMPLEMENTED:  # 501: a method http.server has no do_ for
            super().send_error(code, message, explain)
            return
        # API Gateway answers methods it does not route with its own 4xx; the API's shape here.
        body = json.dumps(
            {
                "error": {
                    "code": "METHOD_NOT_ALLOWED",
                    "message": "Method not allowed.",
                    "fields": {},
                }
            }
        ).encode()
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the app logs each request itself, structured and without personal data


def local_api_server(app: Chalice, host: str, port: int) -> LocalDevServer:
    # As chalice.local.create_local_server does: the current request becomes thread-local, so
    # the threaded server can serve requests side by side.
    CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
    app.__class__ = CustomLocalChalice
    config = Config(chalice_stage="local", user_provided_params={}, config_from_disk={})
    return LocalDevServer(app, config, host, port, handler_cls=_Handler)
