"""Issue 8 item 6, the local runtime's side: local_runtime/gateway.py answers the gateway's own
refusals as the packaged API does, in the API's error shape with the refusal's own status (a
413 stays a 413; only the table's fixed ones, 401/403/404, are set by it).

The emulation serves a small Chalice app on loopback, in-process: no AWS is involved.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import pytest
from chalice import Chalice

from local_runtime.gateway import MAX_PAYLOAD_BYTES, local_api_server
from tests.support.ports import free_port


@pytest.fixture(scope="module")
def gateway() -> Iterator[tuple[str, int]]:
    app = Chalice(app_name="gateway-test")

    @app.route("/echo", methods=["POST"])
    def echo() -> dict[str, int]:
        return {"bytes": len(app.current_request.raw_body or b"")}

    port = free_port()
    server = local_api_server(app, "127.0.0.1", port)
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1", port
    server.shutdown()
    server.server.server_close()


def _exchange(address: tuple[str, int], request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Sends raw bytes (a body may be announced and never sent); returns status, headers, body."""
    with socket.create_connection(address, timeout=10) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            headers = dict(
                line.decode().split(": ", 1) for line in head.split(b"\r\n")[1:] if b": " in line
            )
            if "Content-Length" in headers and len(body) >= int(headers["Content-Length"]):
                break
    status = int(head.split(b" ")[1])
    return status, headers, body


def _error(body: bytes) -> dict[str, object]:
    error: dict[str, object] = json.loads(body)["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


def test_a_body_over_10_mb_is_413_in_the_apis_shape(gateway: tuple[str, int]) -> None:
    # GIVEN a POST announcing a body over API Gateway's 10 MB limit (it is never sent)
    request = (
        f"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {MAX_PAYLOAD_BYTES + 1}\r\n\r\n"
    ).encode()
    # WHEN it reaches the emulated gateway
    status, headers, body = _exchange(gateway, request)
    # THEN it is refused as API Gateway does, 413 (not rewritten to 400), in the error shape
    assert status == 413
    assert headers["Content-Type"] == "application/json"
    assert _error(body)["code"] == "MALFORMED_REQUEST"


def test_a_body_within_the_limit_reaches_the_app(gateway: tuple[str, int]) -> None:
    payload = b'{"a": 1}'
    request = (
        b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
        + payload
    )
    status, _, body = _exchange(gateway, request)
    assert (status, json.loads(body)) == (200, {"bytes": len(payload)})


def test_a_request_line_too_long_keeps_its_status_in_the_apis_shape(
    gateway: tuple[str, int],
) -> None:
    # GIVEN a request whose URI http.server refuses (414) WHEN it is sent
    status, headers, body = _exchange(gateway, b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")
    # THEN the status stays 414, with the API's error shape instead of an HTML page
    assert status == 414
    assert headers["Content-Type"] == "application/json"
    assert _error(body)["code"] == "MALFORMED_REQUEST"


def test_the_fixed_statuses_stay_as_the_table_says(gateway: tuple[str, int]) -> None:
    # GIVEN an unknown route THEN it is the table's 404, in the error shape
    status, _, body = _exchange(gateway, b"GET /nowhere HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert status == 404
    assert _error(body)["code"] == "NOT_FOUND"
