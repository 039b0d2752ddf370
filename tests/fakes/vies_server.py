"""A local fake of the VIES REST API (``POST .../check-vat-number``) on 127.0.0.1.

    with run_fake_vies({"NL822569759B01": {"name": "ACME B.V."}}) as base_url:
        ViesClient(base_url).check("NL822569759B01")

``run_fake_vies`` yields a ``FakeVies``: a ``str`` (the base URL, so it can be passed wherever a
URL is expected) that also carries the ``registry`` (editable while running) and the
``requests`` it received.

Registry keys are canonical VAT numbers (VIES country code + number, Greece "EL..."). A number
in the registry is valid; any other number is invalid. An entry may instead ask for a failure:

* ``{"user_error": "MS_UNAVAILABLE"}`` - a 200 reply with that ``userError`` (valid false);
* ``{"error_wrapper": "MS_MAX_CONCURRENT_REQ", "status": 200}`` - VIES's other error shape,
  ``{"actionSucceed": false, "errorWrappers": [{"error": ...}]}``;
* ``{"status": 500}`` - that HTTP status with a small JSON body;
* ``{"sleep_s": 2.0}`` - wait that long before replying (to exceed a client's timeout);
* ``{"raw_body": "<html>..."}`` - reply 200 with that text instead of JSON.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BASE_PATH = "/taxation_customs/vies/rest-api"


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any = None


@dataclass
class _State:
    registry: dict[str, dict[str, Any]]
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)


class FakeVies(str):
    """The base URL of a running fake, with its registry and the requests it received."""

    registry: dict[str, dict[str, Any]]
    _state: _State

    def __new__(cls, base_url: str, state: _State) -> FakeVies:
        obj = super().__new__(cls, base_url)
        obj._state = state
        obj.registry = state.registry
        return obj

    @property
    def base_url(self) -> str:
        return str(self)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    def behave(self, canonical_vat: str, **behaviour: Any) -> None:
        """Set how the fake answers for one number (see the module docstring)."""
        self.registry[canonical_vat] = dict(behaviour)


def _handler(state: _State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

        def do_GET(self) -> None:
            self._record(b"")
            self._send(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parsed = self._record(raw)
            if not self.path.rstrip("/").endswith("/check-vat-number"):
                self._send(404, {"error": "not found"})
                return
            if not isinstance(parsed, dict):
                self._send(400, _error_wrappers("INVALID_INPUT"))
                return
            country = str(parsed.get("countryCode") or "")
            number = str(parsed.get("vatNumber") or "")
            if not country or not number:
                self._send(400, _error_wrappers("INVALID_INPUT"))
                return
            self._answer(country, number, state.registry.get(country + number))

        def _answer(self, country: str, number: str, entry: dict[str, Any] | None) -> None:
            if entry and entry.get("sleep_s"):
                # Interruptible, so stopping the fake does not wait for sleeping handlers.
                state.stopping.wait(float(entry["sleep_s"]))
            if entry and "raw_body" in entry:
                self._send_raw(int(entry.get("status", 200)), str(entry["raw_body"]).encode())
                return
            if entry and "error_wrapper" in entry:
                self._send(int(entry.get("status", 200)), _error_wrappers(entry["error_wrapper"]))
                return
            if entry and "user_error" in entry:
                reply = _reply(country, number, valid=False, user_error=str(entry["user_error"]))
                self._send(int(entry.get("status", 200)), reply)
                return
            if entry and "status" in entry:
                self._send(int(entry["status"]), {"error": "fake failure"})
                return
            if entry is not None:
                reply = _reply(
                    country,
                    number,
                    valid=True,
                    user_error="VALID",
                    name=entry.get("name", "---"),
                    address=entry.get("address", "---"),
                )
            else:
                reply = _reply(country, number, valid=False, user_error="INVALID")
            self._send(200, reply)

        def _record(self, raw: bytes) -> Any:
            try:
                parsed = json.loads(raw) if raw else None
            except ValueError:
                parsed = None
            with state.lock:
                state.requests.append(
                    RecordedRequest(self.command, self.path, dict(self.headers), raw, parsed)
                )
            return parsed

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            self._send_raw(status, json.dumps(payload).encode(), "application/json")

        def _send_raw(self, status: int, body: bytes, content_type: str = "text/html") -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout); nothing to answer

    return Handler


def _reply(
    country: str,
    number: str,
    *,
    valid: bool,
    user_error: str,
    name: str = "---",
    address: str = "---",
) -> dict[str, Any]:
    """The shape of a real check-vat-number reply."""
    return {
        "countryCode": country,
        "vatNumber": number,
        "requestDate": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "valid": valid,
        "requestIdentifier": "",
        "name": name,
        "address": address,
        "traderName": "---",
        "traderStreet": "---",
        "traderPostalCode": "---",
        "traderCity": "---",
        "traderCompanyType": "---",
        "traderNameMatch": "NOT_PROCESSED",
        "traderStreetMatch": "NOT_PROCESSED",
        "traderPostalCodeMatch": "NOT_PROCESSED",
        "traderCityMatch": "NOT_PROCESSED",
        "traderCompanyTypeMatch": "NOT_PROCESSED",
        "userError": user_error,
    }


def _error_wrappers(error: str) -> dict[str, Any]:
    return {"actionSucceed": False, "errorWrappers": [{"error": error, "message": None}]}


@contextmanager
def run_fake_vies(registry: dict[str, dict[str, Any]] | None = None) -> Iterator[FakeVies]:
    """Run the fake on 127.0.0.1 (a free port) in a thread; yields its base URL (a FakeVies)."""
    state = _State(registry=dict(registry or {}))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-vies", daemon=True
    )
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield FakeVies(f"http://{host}:{port}{BASE_PATH}", state)
    finally:
        state.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
