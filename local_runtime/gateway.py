"""API Gateway as deployed, emulated over chalice.local.

In AWS the API's gateway responses (infra/gateway_responses.json, added by infra/package.py)
give the gateway's own refusals — no token, refused token, unknown route — the API's error
shape. Chalice's local gateway knows nothing of them, so this layer applies the same table.

CORS: chalice.local answers preflights (OPTIONS) from the routes' CORSConfig (app.py sets
`app.api.cors`, the frontend's origin) and the app's own answers carry its headers, as in API
Gateway. The gateway's own refusals name the origin here too, as deployed, so the browser can
read a 401 (an expired token: the frontend refreshes it) instead of seeing a network error.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from chalice.app import Chalice, CORSConfig
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


# API Gateway refuses a request whose payload is over 10 MB (REQUEST_TOO_LARGE, 413).
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024


def _gateway_response(kind: str, status: int | None = None) -> dict[str, Any]:
    """The table's body; its status, or for DEFAULT_4XX/DEFAULT_5XX (which name none) the
    refusal's own status, as API Gateway does for the response types inheriting from them."""
    spec = GATEWAY_RESPONSES[kind]
    body = {"error": {"code": spec["code"], "message": spec["message"], "fields": {}}}
    return {
        "statusCode": spec.get("status", status),
        "headers": {"Content-Type": "application/json"},
        "multiValueHeaders": {},
        "body": json.dumps(body),
    }


def _default_response(status: int) -> dict[str, Any]:
    return _gateway_response("DEFAULT_5XX" if status >= 500 else "DEFAULT_4XX", status)


class EmulatedApiGateway(LocalGateway):
    def handle_request(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> dict[str, Any]:
        try:
            return super().handle_request(method=method, path=path, headers=headers, body=body)
        except NotAuthorizedError:
            return self._refusal(_gateway_response("UNAUTHORIZED"))
        except ForbiddenError as exc:
            missing = b"Missing Authentication Token" in (exc.body or b"") or b"Credential" in (
                exc.body or b""
            )
            kind = "MISSING_AUTHENTICATION_TOKEN" if missing else "ACCESS_DENIED"
            return self._refusal(_gateway_response(kind))
        except LocalGatewayException as exc:
            return self._refusal(_default_response(exc.CODE or HTTPStatus.BAD_REQUEST))
        except Exception as exc:
            if str(exc) == "Unauthorized":  # the authorizer's 401, API Gateway's convention
                return self._refusal(_gateway_response("UNAUTHORIZED"))
            raise

    def _refusal(self, response: dict[str, Any]) -> dict[str, Any]:
        """The gateway's own refusal, readable by the frontend's origin: the packaged API's
        gateway responses name it too (infra/package.py, REFUSAL_ORIGIN)."""
        cors = self._app_object.api.cors
        if isinstance(cors, CORSConfig):
            response["headers"]["Access-Control-Allow-Origin"] = cors.allow_origin
        return response


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

    def _generic_handle(self) -> None:
        # Refused before the body is read, as API Gateway does: over 10 MB is a 413, an
        # unreadable length a 400, each in the API's error shape with its own status.
        try:
            length = int(self.headers.get("content-length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_PAYLOAD_BYTES:
            self.close_connection = True
            status = HTTPStatus.BAD_REQUEST if length < 0 else HTTPStatus.REQUEST_ENTITY_TOO_LARGE
            self._send_json(status, _default_response(status)["body"].encode())
            return
        super()._generic_handle()

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _generic_handle

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # http.server's own refusals (malformed request line, URI or headers too long...) keep
        # their status, in the API's error shape, as API Gateway's DEFAULT_4XX/5XX responses.
        self.close_connection = True
        if code != HTTPStatus.NOT_IMPLEMENTED:
            self._send_json(code, _default_response(code)["body"].encode())
            return
        # 501, a method http.server has no do_ for: API Gateway answers methods it does not
        # route with its own 4xx; the API's shape here.
        body = json.dumps(
            {
                "error": {
                    "code": "METHOD_NOT_ALLOWED",
                    "message": "Method not allowed.",
                    "fields": {},
                }
            }
        ).encode()
        self._send_json(HTTPStatus.METHOD_NOT_ALLOWED, body)

    def _send_json(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
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
