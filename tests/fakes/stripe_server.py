"""A local fake of the parts of Stripe's HTTP API (v1) that the payment adapter uses.

    with run_fake_stripe() as stripe_url:
        StripePayments("sk_test_fake", api_base=stripe_url).authorise_card(...)
        stripe_url.requests[-1].form["confirm"] == "true"

``run_fake_stripe`` yields a ``FakeStripe``: a ``str`` (the base URL, for ``api_base``) that also
carries the ``requests`` it received and the objects it created (``customers``,
``payment_methods``, ``setup_intents``, ``payment_intents``).

Endpoints: ``POST /v1/customers``, ``POST /v1/setup_intents``, ``POST /v1/payment_intents``,
with form-encoded bodies as Stripe's SDKs send them (``metadata[account_id]=...``,
``payment_method_types[0]=card``, ``confirm=true``) and JSON replies shaped like Stripe's
objects and errors. Like Stripe:

* ``Authorization: Bearer sk_test_...`` is required (401 otherwise);
* ``Idempotency-Key``: the same key on the same endpoint with the same parameters replays the
  first reply (same status and body, header ``Idempotent-Replayed: true``) and creates nothing;
  with other parameters it is a 400 ``idempotency_error``;
* Stripe's test payment methods (``TEST_CARDS``): a SetupIntent or PaymentIntent given one
  creates a new ``pm_...`` from it (as Stripe does), which then behaves like the test card.

Outages, for the "provider unavailable" paths: ``fail(status=500)`` (or 429, 503...) answers
every request (or the next ``times``, or only those to ``path``) with that status without
executing it; ``hang(seconds)`` holds requests that long and then answers 503 without executing
them; ``recover()`` ends both.
"""

from __future__ import annotations

import json
import secrets
import string
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["TEST_CARDS", "FakeStripe", "RecordedRequest", "TestCard", "run_fake_stripe"]


@dataclass(frozen=True)
class TestCard:
    """How one of Stripe's test payment methods behaves.

    ``setup`` / ``charge``: "ok", "requires_action", or a decline as ``(code, decline_code,
    message)``. Off-session, a card that needs authentication is declined with
    ``authentication_required`` (Stripe cannot ask the customer).
    """

    __test__ = False  # not a pytest test class

    brand: str
    last4: str
    setup: str | tuple[str, str, str] = "ok"
    charge: str | tuple[str, str, str] = "ok"


_GENERIC = ("card_declined", "generic_decline", "Your card was declined.")
_FUNDS = ("card_declined", "insufficient_funds", "Your card has insufficient funds.")
_AUTH = (
    "authentication_required",
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)

TEST_CARDS: dict[str, TestCard] = {
    "pm_card_visa": TestCard("visa", "4242"),
    "pm_card_mastercard": TestCard("mastercard", "4444"),
    "pm_card_chargeDeclined": TestCard("visa", "0002", _GENERIC, _GENERIC),
    "pm_card_visa_chargeDeclined": TestCard("visa", "0002", _GENERIC, _GENERIC),
    "pm_card_chargeDeclinedInsufficientFunds": TestCard("visa", "9995", _FUNDS, _FUNDS),
    "pm_card_visa_chargeDeclinedInsufficientFunds": TestCard("visa", "9995", _FUNDS, _FUNDS),
    "pm_card_authenticationRequired": TestCard("visa", "3184", "requires_action", _AUTH),
    # Saving the card succeeds; charging the customer later is declined.
    "pm_card_chargeCustomerFail": TestCard("visa", "0341", "ok", _GENERIC),
    # Saving the card succeeds; its issuer asks for authentication on a later charge (3DS).
    "pm_card_authenticationRequiredChargeOnly": TestCard("visa", "3155", "ok", _AUTH),
}


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    form: dict[str, str]  # the flat form fields: {"metadata[account_id]": "acc-1", ...}
    status: int | None = None  # the status answered (None while held, or never answered)
    replayed: bool = False  # answered from the idempotency store

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    @property
    def idempotency_key(self) -> str | None:
        return self.header("Idempotency-Key")


@dataclass
class _Stored:
    path: str
    form: dict[str, str]
    status: int
    body: dict[str, Any]


@dataclass
class _Outage:
    status: int = 500
    hang_s: float = 0.0
    remaining: int | None = None  # None: until recover()
    path: str | None = None  # None: every endpoint


@dataclass
class _State:
    requests: list[RecordedRequest] = field(default_factory=list)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    payment_methods: dict[str, dict[str, Any]] = field(default_factory=dict)
    setup_intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    payment_intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    card_of: dict[str, TestCard] = field(default_factory=dict)  # pm id -> its test card
    idempotency: dict[str, _Stored] = field(default_factory=dict)
    outage: _Outage | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)
    stopping: threading.Event = field(default_factory=threading.Event)


class FakeStripe(str):
    """The base URL of a running fake, with what it received and created."""

    _state: _State

    def __new__(cls, base_url: str, state: _State) -> FakeStripe:
        obj = super().__new__(cls, base_url)
        obj._state = state
        return obj

    @property
    def base_url(self) -> str:
        return str(self)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def customers(self) -> dict[str, dict[str, Any]]:
        with self._state.lock:
            return dict(self._state.customers)

    @property
    def payment_methods(self) -> dict[str, dict[str, Any]]:
        with self._state.lock:
            return dict(self._state.payment_methods)

    @property
    def setup_intents(self) -> dict[str, dict[str, Any]]:
        with self._state.lock:
            return dict(self._state.setup_intents)

    @property
    def payment_intents(self) -> dict[str, dict[str, Any]]:
        with self._state.lock:
            return dict(self._state.payment_intents)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def fail(self, status: int = 500, *, times: int | None = None, path: str | None = None) -> None:
        """Answer the next ``times`` requests (all, when None) to ``path`` (any, when None) with
        ``status``, executing none."""
        with self._state.lock:
            self._state.outage = _Outage(status=status, remaining=times, path=path)

    def hang(self, seconds: float, *, times: int | None = None, path: str | None = None) -> None:
        """Hold the next ``times`` requests (all, when None) to ``path`` (any, when None)
        ``seconds``, then answer 503 without executing them."""
        with self._state.lock:
            self._state.outage = _Outage(status=503, hang_s=seconds, remaining=times, path=path)

    def recover(self) -> None:
        with self._state.lock:
            self._state.outage = None


def _new_id(prefix: str) -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(24))


def _error(status: int, error_type: str, message: str, **extra: Any) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"type": error_type, "message": message, **extra}}


def _missing(param: str, object_name: str, value: str) -> tuple[int, dict[str, Any]]:
    return _error(
        400,
        "invalid_request_error",
        f"No such {object_name}: '{value}'",
        code="resource_missing",
        param=param,
    )


class _Api:
    """Stripe's behaviour for the three endpoints; called under the state lock."""

    def __init__(self, state: _State) -> None:
        self.state = state

    def customers(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        customer = {
            "id": _new_id("cus_"),
            "object": "customer",
            "created": int(time.time()),
            "email": form.get("email"),
            "description": form.get("description"),
            "metadata": _nested(form, "metadata"),
            "invoice_settings": {"default_payment_method": None},
            "livemode": False,
        }
        self.state.customers[customer["id"]] = customer
        return 200, customer

    def setup_intents(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        customer_id = form.get("customer")
        if customer_id and customer_id not in self.state.customers:
            return _missing("customer", "customer", customer_id)
        pm_id, problem = self._payment_method(form.get("payment_method"), customer_id)
        if problem:
            return problem
        intent: dict[str, Any] = {
            "id": _new_id("seti_"),
            "object": "setup_intent",
            "created": int(time.time()),
            "customer": customer_id,
            "payment_method": pm_id,
            "payment_method_types": _listed(form, "payment_method_types") or ["card"],
            "usage": form.get("usage", "off_session"),
            "metadata": _nested(form, "metadata"),
            "status": "requires_payment_method" if pm_id is None else "requires_confirmation",
            "last_setup_error": None,
            "next_action": None,
            "livemode": False,
        }
        intent["client_secret"] = f"{intent['id']}_secret_{secrets.token_hex(8)}"
        self.state.setup_intents[intent["id"]] = intent
        if pm_id is None or form.get("confirm") != "true":
            return 200, intent
        outcome = self.state.card_of[pm_id].setup
        if outcome == "ok":
            intent["status"] = "succeeded"
            if customer_id:
                self.state.payment_methods[pm_id]["customer"] = customer_id
            return 200, intent
        if outcome == "requires_action":
            intent["status"] = "requires_action"
            intent["next_action"] = {"type": "use_stripe_sdk", "use_stripe_sdk": {}}
            return 200, intent
        code, decline_code, message = outcome  # type: ignore[misc]
        intent["status"] = "requires_payment_method"
        intent["payment_method"] = None
        error = {"code": code, "decline_code": decline_code, "message": message}
        intent["last_setup_error"] = {"type": "card_error", **error}
        return _error(
            402, "card_error", message, **_card_error(error, pm_id, "setup_intent", intent)
        )

    def payment_intents(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        try:
            amount = int(form.get("amount", ""))
        except ValueError:
            return _error(
                400,
                "invalid_request_error",
                "Missing required param: amount.",
                code="parameter_missing",
                param="amount",
            )
        currency = form.get("currency", "")
        if currency != currency.lower() or len(currency) != 3:
            return _error(
                400,
                "invalid_request_error",
                f"Invalid currency: {currency}.",
                code="parameter_invalid_string",
                param="currency",
            )
        if amount < 50:
            return _error(
                400,
                "invalid_request_error",
                "Amount must be at least 0.50.",
                code="amount_too_small",
                param="amount",
            )
        customer_id = form.get("customer")
        if customer_id and customer_id not in self.state.customers:
            return _missing("customer", "customer", customer_id)
        pm_id, problem = self._payment_method(form.get("payment_method"), customer_id)
        if problem:
            return problem
        intent: dict[str, Any] = {
            "id": _new_id("pi_"),
            "object": "payment_intent",
            "created": int(time.time()),
            "amount": amount,
            "amount_received": 0,
            "currency": currency,
            "customer": customer_id,
            "description": form.get("description"),
            "payment_method": pm_id,
            "payment_method_types": _listed(form, "payment_method_types") or ["card"],
            "metadata": _nested(form, "metadata"),
            "status": "requires_payment_method" if pm_id is None else "requires_confirmation",
            "last_payment_error": None,
            "next_action": None,
            "livemode": False,
        }
        intent["client_secret"] = f"{intent['id']}_secret_{secrets.token_hex(8)}"
        self.state.payment_intents[intent["id"]] = intent
        if pm_id is None or form.get("confirm") != "true":
            return 200, intent
        outcome = self.state.card_of[pm_id].charge
        off_session = form.get("off_session") in {"true", "one_off", "recurring"}
        if outcome == "requires_action" and off_session:
            outcome = _AUTH
        if outcome == "ok":
            intent["status"] = "succeeded"
            intent["amount_received"] = amount
            intent["latest_charge"] = _new_id("ch_")
            return 200, intent
        if outcome == "requires_action":
            intent["status"] = "requires_action"
            intent["next_action"] = {"type": "use_stripe_sdk", "use_stripe_sdk": {}}
            return 200, intent
        code, decline_code, message = outcome  # type: ignore[misc]
        intent["status"] = "requires_payment_method"
        error = {"code": code, "decline_code": decline_code, "message": message}
        intent["last_payment_error"] = {"type": "card_error", **error}
        return _error(
            402, "card_error", message, **_card_error(error, pm_id, "payment_intent", intent)
        )

    def _payment_method(
        self, value: str | None, customer_id: str | None
    ) -> tuple[str | None, tuple[int, dict[str, Any]] | None]:
        """The pm id a request names: a test token makes a new one, as at Stripe."""
        if not value:
            return None, None
        if value in TEST_CARDS:
            card = TEST_CARDS[value]
            pm = {
                "id": _new_id("pm_"),
                "object": "payment_method",
                "type": "card",
                "card": {
                    "brand": card.brand,
                    "last4": card.last4,
                    "exp_month": 12,
                    "exp_year": 2034,
                    "country": "NL",
                },
                "customer": None,
                "livemode": False,
            }
            self.state.payment_methods[pm["id"]] = pm
            self.state.card_of[pm["id"]] = card
            return pm["id"], None
        pm = self.state.payment_methods.get(value)
        if pm is None:
            return None, _missing("payment_method", "PaymentMethod", value)
        if pm["customer"] and customer_id and pm["customer"] != customer_id:
            return None, _error(
                400,
                "invalid_request_error",
                "The provided PaymentMethod belongs to another Customer.",
                param="payment_method",
            )
        return value, None


def _card_error(
    error: dict[str, Any], pm_id: str, intent_field: str, intent: dict[str, Any]
) -> dict[str, Any]:
    extra = {k: v for k, v in error.items() if k != "message"}
    return {
        **extra,
        "param": "",
        "doc_url": f"https://stripe.com/docs/error-codes/{error['code'].replace('_', '-')}",
        "payment_method": {"id": pm_id, "object": "payment_method", "type": "card"},
        intent_field: intent,
    }


def _nested(form: dict[str, str], name: str) -> dict[str, str]:
    prefix = f"{name}["
    return {k[len(prefix) : -1]: v for k, v in form.items() if k.startswith(prefix)}


def _listed(form: dict[str, str], name: str) -> list[str]:
    prefix = f"{name}["
    keyed = [(k, v) for k, v in form.items() if k.startswith(prefix)]
    return [v for _, v in sorted(keyed, key=lambda kv: int(kv[0][len(prefix) : -1] or 0))]


_ROUTES = {
    "/v1/customers": "customers",
    "/v1/setup_intents": "setup_intents",
    "/v1/payment_intents": "payment_intents",
}


def _handler(state: _State) -> type[BaseHTTPRequestHandler]:
    api = _Api(state)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            form = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
            path = urlsplit(self.path).path
            record = RecordedRequest(self.command, path, dict(self.headers.items()), raw, form)
            with state.lock:
                state.requests.append(record)
                outage = state.outage
                if outage is not None and outage.path not in (None, path):
                    outage = None
                if outage is not None and outage.remaining is not None:
                    outage.remaining -= 1
                    if outage.remaining <= 0:
                        state.outage = None
            if outage is not None:
                if outage.hang_s:
                    # Interruptible, so stopping the fake does not wait for held requests.
                    state.stopping.wait(outage.hang_s)
                self._answer(
                    record,
                    *_error(
                        outage.status,
                        "invalid_request_error" if outage.status == 429 else "api_error",
                        "Too many requests." if outage.status == 429 else "Fake outage.",
                        **({"code": "rate_limit"} if outage.status == 429 else {}),
                    ),
                )
                return
            auth = self.headers.get("Authorization") or ""
            if not auth.startswith("Bearer sk_test_"):
                self._answer(
                    record, *_error(401, "invalid_request_error", "Invalid API Key provided.")
                )
                return
            route = _ROUTES.get(path)
            if route is None or self.command != "POST":
                self._answer(
                    record,
                    *_error(404, "invalid_request_error", f"Unrecognized request URL ({path})."),
                )
                return
            key = self.headers.get("Idempotency-Key")
            with state.lock:
                stored = state.idempotency.get(key) if key else None
                if stored is not None:
                    if stored.path != path or stored.form != form:
                        self._answer(
                            record,
                            *_error(
                                400,
                                "idempotency_error",
                                "Keys for idempotent requests can only be used with the same "
                                "parameters they were first used with.",
                            ),
                        )
                        return
                    record.replayed = True
                    self._answer(record, stored.status, stored.body)
                    return
                status, body = getattr(api, route)(form)
                if key and status < 500:
                    state.idempotency[key] = _Stored(
                        path, form, status, json.loads(json.dumps(body))
                    )
            self._answer(record, status, body)

        def _answer(self, record: RecordedRequest, status: int, body: dict[str, Any]) -> None:
            record.status = status
            payload = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Request-Id", _new_id("req_"))
                if record.replayed:
                    self.send_header("Idempotent-Replayed", "true")
                key = record.idempotency_key
                if key:
                    self.send_header("Idempotency-Key", key)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout); nothing to answer

    return Handler


@contextmanager
def run_fake_stripe() -> Iterator[FakeStripe]:
    """Run the fake on 127.0.0.1 (a free port) in a thread; yields its base URL (a FakeStripe)."""
    state = _State()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-stripe", daemon=True
    )
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield FakeStripe(f"http://{host}:{port}", state)
    finally:
        state.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
