"""DynamoDB API calls per HTTP request, counted on the local runtime (moto, template, queues).

How the calls are seen
----------------------
Every AWS call botocore makes, whether through a boto3 client or through the client PynamoDB 6
builds for itself (`Connection.session` calls `botocore.session.get_session()` once per thread,
then `session.create_client("dynamodb", ...)`, see pynamodb/connection/base.py), ends in
`BaseClient._make_api_call`, which emits `before-call.<service>.<Operation>` on that client's own
event emitter, once per API call (retries are not re-emitted).

botocore keeps no registry of its sessions or clients, and PynamoDB's sessions are private and
thread-local, so there is nowhere to register a handler once for the whole process. `install()`
therefore wraps the one factory every client comes from, `botocore.session.Session.create_client`,
and registers a `before-call` handler on each new client's `meta.events`. It must run before the
clients exist: here, before the local runtime starts and the app is imported. Rejected
alternatives: PynamoDB's `pre_dynamodb_send` signal (misses boto3 clients, needs blinker),
registering on boto3's default session (misses PynamoDB's sessions), patching
`BaseClient._make_api_call` (private API).

The same clients get an `after-call` handler too, which reads each response of the request's
thread: the items DynamoDB read (`ScannedCount` of a Query or Scan, before any filter; the
items of a GetItem, BatchGetItem or TransactGetItems), the items it returned (`Count`), and
the round trip's wall time from `before-call` to `after-call` (`bench.lifecycle_jobs` uses
these for the daily jobs).

What is attributed to a request
-------------------------------
The request is sent in-process through the emulated API Gateway (`GatewayClient`), which runs
the custom authorizer and then the route in the calling thread. A call counts for the request
when it is made in that thread while the request is in flight. Calls made meanwhile by other
threads (the queue consumers and scheduler of the local runtime, the embedded AWS's own
threads) are kept apart and only reported as a total.

Queue delivery
--------------
The runtime runs with its own event pump, as in `make run`: a thread per queue delivering
batches to the app's real queue handlers. (An earlier version of this bench delivered the queues
from one thread because the handlers shared one Powertools `BatchProcessor`; they now build one
per batch, chalicelib/handlers/events.py, so the workaround is gone.) What the queue handlers do
while a measured request is in flight happens in the pump's threads and is not attributed to the
request, only reported as a total.

Membership sign-up
------------------
A company holds one membership at a time, so the membership routes (`_membership_and_invoices`)
are counted once for each of `repeats` customers (approved, 600 points) rather than `repeats`
times for one: tiers, quote, /me, checkout by card and its idempotent replay, the membership,
then, once the queue handler has issued the invoice, the invoice list and one invoice, /me again,
the auto-renewal switch and the renewal tier, a new card (no invoice due), and, after 500 more
points (EOS R3, set-up), the upgrade to GOLD. Then, `repeats` times for the reviewer, finance's
list of issued invoices, and the test clock moved by 0 days. `run(sections=(CHECKOUT,))`
measures only these.

Lists
-----
A list route (`GET /products`, `GET /points`, ...) should cost one Query per page, besides any
GetItem (the account, for a balance): `report()` checks this for every route measured with
`one_query_per_page=True` and says so loudly when it does not hold.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TextIO

import botocore.session

if TYPE_CHECKING:
    from botocore.model import OperationModel

HOOK_ID = "bench.dynamodb_calls.before_call"
AFTER_HOOK_ID = "bench.dynamodb_calls.after_call"
DYNAMODB = "dynamodb"
REVIEWER_EMAIL = "reviewer@cps.bench"
REVIEWER_PASSWORD = "Reviewer-Bench-2026"

Call = tuple[str, str]  # (service name, operation name), e.g. ("dynamodb", "GetItem")


class _Response(Protocol):
    status_code: int

    def json(self) -> Any: ...


@dataclass
class CallLog:
    """The AWS calls seen while one request was in flight."""

    thread_id: int
    own: Counter[Call] = field(default_factory=Counter)  # made by the request's thread
    other_threads: Counter[Call] = field(default_factory=Counter)
    # Of the own thread's calls, from their responses (`after-call`): items DynamoDB read
    # (`ScannedCount` of a Query or Scan, the items of a GetItem / BatchGetItem /
    # TransactGetItems), items it returned (`Count`, after any filter), and the wall time
    # from `before-call` to `after-call` (the round trip, retries included), in seconds.
    read: Counter[Call] = field(default_factory=Counter)
    returned: Counter[Call] = field(default_factory=Counter)
    seconds: dict[Call, float] = field(default_factory=dict)

    def dynamodb(self) -> Counter[str]:
        return Counter({op: n for (svc, op), n in self.own.items() if svc == DYNAMODB})

    def other_services(self) -> Counter[str]:
        return Counter({f"{svc}.{op}": n for (svc, op), n in self.own.items() if svc != DYNAMODB})

    def background_dynamodb(self) -> int:
        return sum(n for (svc, _), n in self.other_threads.items() if svc == DYNAMODB)

    def items_read(self) -> int:
        return sum(n for (svc, _), n in self.read.items() if svc == DYNAMODB)


def _items(operation: str, parsed: dict[str, Any]) -> tuple[int, int]:
    """(read, returned) by one DynamoDB response; (0, 0) for a write or an error."""
    if operation in ("Query", "Scan"):
        return int(parsed.get("ScannedCount", 0)), int(parsed.get("Count", 0))
    if operation == "GetItem":
        found = int("Item" in parsed)
        return found, found
    if operation == "BatchGetItem":
        found = sum(len(items) for items in parsed.get("Responses", {}).values())
        return found, found
    if operation == "TransactGetItems":
        found = sum(1 for r in parsed.get("Responses", []) if r.get("Item"))
        return found, found
    return 0, 0


class CallCounter:
    """The botocore hook: counts `before-call` events into the open window, if any, and reads
    the own thread's responses (`after-call`: items read, round-trip time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = threading.local()  # the own thread's call in flight: perf_counter()
        self._log: CallLog | None = None
        self._original: Callable[..., Any] | None = None
        self.hooked_clients: Counter[tuple[str, str]] = Counter()  # (created by, service)

    @property
    def installed(self) -> bool:
        return self._original is not None

    def install(self) -> None:
        """Wrap `Session.create_client` so every client created from now on is counted."""
        if self._original is not None:
            return
        original = botocore.session.Session.create_client
        self._original = original

        @functools.wraps(original)
        def create_client(session: botocore.session.Session, *args: Any, **kwargs: Any) -> Any:
            client = original(session, *args, **kwargs)
            client.meta.events.register("before-call", self._on_before_call, unique_id=HOOK_ID)
            client.meta.events.register("after-call", self._on_after_call, unique_id=AFTER_HOOK_ID)
            # Who asked for the client (boto3, pynamodb, ...): shows PynamoDB's are hooked too.
            caller = sys._getframe(1).f_globals.get("__name__", "?").split(".")[0]
            with self._lock:
                self.hooked_clients[caller, client.meta.service_model.service_name] += 1
            return client

        botocore.session.Session.create_client = create_client  # type: ignore[method-assign]

    def uninstall(self) -> None:
        """Stop wrapping new clients (clients already created keep their handler)."""
        if self._original is not None:
            botocore.session.Session.create_client = self._original  # type: ignore[method-assign]
            self._original = None

    def _on_before_call(self, model: OperationModel, **_: Any) -> None:
        # Must return None: a before-call handler's return value would replace the response.
        call = (model.service_model.service_name, model.name)
        with self._lock:
            log = self._log
            if log is None:
                return
            if threading.get_ident() == log.thread_id:
                log.own[call] += 1
                self._started.at = time.perf_counter()
            else:
                log.other_threads[call] += 1

    def _on_after_call(
        self, model: OperationModel, parsed: dict[str, Any] | None = None, **_: Any
    ) -> None:
        ended = time.perf_counter()
        call = (model.service_model.service_name, model.name)
        with self._lock:
            log = self._log
            if log is None or threading.get_ident() != log.thread_id:
                return
            started = getattr(self._started, "at", None)
            self._started.at = None
            if started is not None:
                log.seconds[call] = log.seconds.get(call, 0.0) + (ended - started)
            if call[0] == DYNAMODB and parsed:
                read, returned = _items(call[1], parsed)
                log.read[call] += read
                log.returned[call] += returned

    @contextlib.contextmanager
    def window(self) -> Iterator[CallLog]:
        """Count the calls made while the block runs (one window open at a time)."""
        log = CallLog(thread_id=threading.get_ident())
        with self._lock:
            if self._log is not None:
                raise RuntimeError("a counting window is already open")
            self._log = log
        try:
            yield log
        finally:
            with self._lock:
                self._log = None


COUNTER = CallCounter()


@dataclass
class RouteResult:
    route: str
    note: str
    one_query_per_page: bool = False  # a list route: checked by report()
    statuses: list[int] = field(default_factory=list)
    logs: list[CallLog] = field(default_factory=list)

    def scans(self) -> int:
        return max((log.dynamodb()["Scan"] for log in self.logs), default=0)

    def background_dynamodb(self) -> int:
        return sum(log.background_dynamodb() for log in self.logs)

    def page_problems(self) -> list[str]:
        """Runs of a list route that did not cost exactly one Query (besides any GetItem)."""
        problems = []
        for run, log in enumerate(self.logs, start=1):
            ops = log.dynamodb()
            if ops["Query"] != 1 or set(ops) - {"Query", "GetItem"}:
                problems.append(f"run {run}: {_format_ops(ops)}")
        return problems


def measure(
    route: str,
    send: Callable[[], _Response],
    repeats: int,
    note: str = "",
    *,
    one_query_per_page: bool = False,
) -> RouteResult:
    """Sends the request `repeats` times, counting each one on its own."""
    return measure_each(route, [send] * repeats, note, one_query_per_page=one_query_per_page)


def measure_each(
    route: str,
    sends: Sequence[Callable[[], _Response]],
    note: str = "",
    *,
    one_query_per_page: bool = False,
) -> RouteResult:
    """One run per `send`, each counted on its own: the same route for several customers."""
    if not COUNTER.installed:
        raise RuntimeError("install() the hook before any botocore client is created")
    result = RouteResult(route, note, one_query_per_page)
    for send in sends:
        with COUNTER.window() as log:
            response = send()
        result.statuses.append(response.status_code)
        result.logs.append(log)
    return result


# What `run()` measures: the application journey with the product routes, and the membership
# sign-up (tiers, quote, checkout, membership, invoices). `python -m bench --only checkout` runs
# the second alone.
JOURNEY = "journey"
CHECKOUT = "checkout"
SECTIONS = (JOURNEY, CHECKOUT)


def _journey_and_measurements(
    repeats: int, sections: Collection[str] = SECTIONS
) -> tuple[list[RouteResult], dict[tuple[str, str], int]]:
    # Imported here: they start nothing, but pull in moto and Chalice, which the cold import
    # benchmark does not need.
    from local_runtime.runtime import LocalRuntime, RuntimeConfig
    from tests.support.gateway_client import GatewayClient
    from tests.support.journey import application_body, login
    from tests.support.ports import free_port

    runtime = LocalRuntime(
        RuntimeConfig(
            api_port=free_port(),
            aws_port=free_port(),
            reviewer_email=REVIEWER_EMAIL,
            reviewer_password=REVIEWER_PASSWORD,
            serve_http=False,
        )
    ).start()
    try:
        assert runtime.app_module is not None
        api = GatewayClient(runtime.app_module.app)
        results: list[RouteResult] = []

        if JOURNEY in sections:
            # First, while the app's container is still unbuilt: the first run is a cold
            # container.
            results.append(
                measure(
                    "POST /applications",
                    lambda: api.request("POST", "/applications", json=application_body()),
                    repeats,
                    note="1st run is the process's first request",
                )
            )

        reviewer_token = login(api, REVIEWER_EMAIL, REVIEWER_PASSWORD)  # set-up, not counted
        if JOURNEY in sections:
            results.extend(_applications_and_products(api, reviewer_token, repeats))
        if CHECKOUT in sections:
            results.extend(_membership_and_invoices(api, reviewer_token, repeats))
        return results, dict(COUNTER.hooked_clients)
    finally:
        runtime.stop()


def _applications_and_products(api: Any, reviewer_token: str, repeats: int) -> list[RouteResult]:
    """The application journey's routes, then the product routes (SPEC §1, §2)."""
    from tests.support.journey import PDF, STRONG_PASSWORD, apply, approve_to_login, bearer, upload

    # Set-up, not counted: an approved customer who logged in, and applications waiting for
    # review so the review queue is not empty.
    results: list[RouteResult] = []
    customer, customer_token = approve_to_login(api, reviewer_token)
    waiting = [apply(api) for _ in range(3)]
    for applicant in waiting:
        upload(applicant.upload, PDF)
    for applicant in waiting:
        applicant.wait_for(api, "PENDING_REVIEW")

    results.append(
        measure(
            "GET /me [approved]",
            lambda: api.request("GET", "/me", headers=bearer(customer_token)),
            repeats,
            note="approved customer; authorizer included",
        )
    )
    results.append(
        measure(
            "GET /review/applications",
            lambda: api.request("GET", "/review/applications", headers=bearer(reviewer_token)),
            repeats,
            note=f">= {len(waiting)} items pending review; authorizer included",
            one_query_per_page=True,
        )
    )
    results.append(
        measure(
            "POST /auth/login",
            lambda: api.request(
                "POST",
                "/auth/login",
                json={"email": customer.email, "password": STRONG_PASSWORD},
            ),
            repeats,
            note="approved customer",
        )
    )
    status_of = waiting[0]
    results.append(
        measure(
            "GET /applications/{id}",
            lambda: api.request(
                "GET",
                f"/applications/{status_of.application_id}",
                headers={"X-Status-Token": status_of.status_token},
            ),
            repeats,
            note="applicant's status poll",
        )
    )
    results.extend(_products_and_points(api, customer_token, reviewer_token, repeats))
    return results


# Products for the product routes. The small one earns 10 points, so the 2 x repeats completions
# below keep the account under the 500-point invitation (measured apart, with the big one).
SMALL_SKU = "SPEEDLITE-TRANSMITTER-ST-E10"
BIG_SKU = "EOS-R5-MARK-II-BODY"  # 350 points
DETAILS = {"purchase_date": "2024-03-01", "country_of_purchase": "NL", "dealer": "Kamera Express"}


def _products_and_points(
    api: Any, customer_token: str, reviewer_token: str, repeats: int
) -> list[RouteResult]:
    """My Products, points and the catalogue (SPEC §2), for the approved customer."""
    from tests.support.journey import approve_to_login, bearer

    auth = bearer(customer_token)
    serials = (f"BENCH{n:06d}" for n in itertools.count(1))  # a serial is registered only once

    def register(body: dict[str, Any], into: list[str] | None = None) -> _Response:
        response = api.request("POST", "/products", json=body, headers=auth)
        if into is not None and response.status_code == 201:
            into.append(response.json()["product_id"])
        return response

    results = [
        measure(
            "POST /products [complete]",
            lambda: register({"sku": SMALL_SKU, "serial_number": next(serials), **DETAILS}),
            repeats,
            note="earns points: one TransactWriteItems (product, serial claim, ledger, balance)",
        )
    ]
    incomplete: list[str] = []
    results.append(
        measure(
            "POST /products [incomplete]",
            lambda: register({"sku": SMALL_SKU}, into=incomplete),
            repeats,
            note="no details: no serial claim, no points",
        )
    )
    to_complete = iter(list(incomplete))
    completed: list[str] = []

    def complete_one() -> _Response:
        product_id = next(to_complete)
        completed.append(product_id)
        return api.request(
            "PATCH",
            f"/products/{product_id}",
            json={"serial_number": next(serials), **DETAILS},
            headers=auth,
        )

    results.append(
        measure(
            "PATCH /products/{id}",
            complete_one,
            repeats,
            note="completes an incomplete product: earns points",
        )
    )
    owned = 2 * repeats
    # Uncounted: that a 2-item page of this list really is a full page with a next one.
    has_next = api.request("GET", "/products?limit=2", headers=auth).json().get("next_cursor")
    results.append(
        measure(
            "GET /products",
            lambda: api.request("GET", "/products", headers=auth),
            repeats,
            note=f"{owned} products, one page",
            one_query_per_page=True,
        )
    )
    results.append(
        measure(
            "GET /products?limit=2",
            lambda: api.request("GET", "/products?limit=2", headers=auth),
            repeats,
            note=f"first page of {owned} products, next_cursor {'set' if has_next else 'NOT set'}",
            one_query_per_page=True,
        )
    )
    results.append(
        measure(
            "GET /points",
            lambda: api.request("GET", "/points", headers=auth),
            repeats,
            note=f"balance and {owned}-entry ledger, one page",
            one_query_per_page=True,
        )
    )
    results.append(
        measure(
            "GET /catalog?q=r5 mark ii",
            lambda: api.request("GET", "/catalog?q=r5%20mark%20ii", headers=auth),
            repeats,
            note="catalogue partition read whole, searched in memory",
            one_query_per_page=True,
        )
    )
    results.append(
        measure(
            "GET /me [products]",
            lambda: api.request("GET", "/me", headers=auth),
            repeats,
            note="same customer, now with products and points",
        )
    )
    to_remove = iter(completed)
    results.append(
        measure(
            "DELETE /products/{id}",
            lambda: api.request("DELETE", f"/products/{next(to_remove)}", headers=auth),
            repeats,
            note="a completed product: its points are taken back",
        )
    )

    # Reaching 500 points happens once per company: one run, on a second customer who holds
    # 350 points already (set-up, not counted).
    _, newcomer_token = approve_to_login(api, reviewer_token)
    newcomer = bearer(newcomer_token)
    body = {"sku": BIG_SKU, **DETAILS}
    first = api.request(
        "POST", "/products", json={**body, "serial_number": next(serials)}, headers=newcomer
    )
    assert first.status_code == 201, first.json()
    results.append(
        measure(
            "POST /products [reaches 500]",
            lambda: api.request(
                "POST", "/products", json={**body, "serial_number": next(serials)}, headers=newcomer
            ),
            1,
            note="350 -> 700 points: + invitation (mail queued, flag set); 1 run",
        )
    )
    return results


# The membership sign-up (SPEC §3, §4). EOS R1 earns 600 points: SILVER (500+), not GOLD.
R1_SKU = "EOS-R1-BODY"
# Registered after the checkout (set-up) for the upgrade: EOS R3 earns 500 more, 1,100 in all:
# GOLD (1,000+) opens, PLATINUM (1,600+) does not.
R3_SKU = "EOS-R3-BODY"
CHECKOUT_BODY = {
    "tier": "SILVER",
    "auto_renew": True,
    "purchase_order_number": "PO-BENCH-1",
    "accept_terms": True,
    "terms_version": "2026-01",
    "payment": {"method": "CARD", "payment_method_token": "pm_card_visa"},
}


def _membership_and_invoices(api: Any, reviewer_token: str, repeats: int) -> list[RouteResult]:
    """Tiers, quote, checkout by card (first call and idempotent replay), the membership card,
    the invoice the checkout requested, and /me before and after; then the membership year's
    routes: the auto-renewal switch and the renewal tier, a new card, an upgrade to GOLD,
    finance's receivables and the test clock. A company holds one membership at a time, so
    each run is another customer: `repeats` approved Dutch customers with 600 points each
    (set-up, not counted), and every customer route is counted once per customer."""
    from tests.support.journey import approve_to_login, bearer, eventually

    auths: list[dict[str, str]] = []
    for _ in range(repeats):
        _, token = approve_to_login(api, reviewer_token)
        auth = bearer(token)
        registered = api.request(
            "POST",
            "/products",
            json={"sku": R1_SKU, "serial_number": uuid.uuid4().hex[:12], **DETAILS},
            headers=auth,
        )
        assert registered.status_code == 201, registered.json()
        auths.append(auth)

    def each(
        method: str, path: str, body: Any = None, key: Callable[[int], str] | None = None
    ) -> list[Callable[[], _Response]]:
        def send(n: int) -> _Response:
            headers = {**auths[n], **({"Idempotency-Key": key(n)} if key else {})}
            return api.request(method, path, json=body, headers=headers)

        return [functools.partial(send, n) for n in range(len(auths))]

    key = "bench-checkout-{}".format
    results = [
        measure_each("GET /tiers", each("GET", "/tiers"), note="600 points: SILVER open"),
        measure_each(
            "POST /checkout/quote",
            each("POST", "/checkout/quote", {"tier": "SILVER"}),
            note="SILVER, NL customer: Dutch VAT",
        ),
        measure_each(
            "GET /me [no membership]",
            each("GET", "/me"),
            note="the same customers, before checkout",
        ),
        measure_each(
            "POST /checkout [card, first]",
            each("POST", "/checkout", CHECKOUT_BODY, key=key),
            note="idempotency record, membership (TransactWriteItems), invoice requested",
        ),
        measure_each(
            "POST /checkout [replay]",
            each("POST", "/checkout", CHECKOUT_BODY, key=key),
            note="same key and body: the first result replayed",
        ),
        measure_each("GET /membership", each("GET", "/membership"), note="the card"),
    ]

    # Set-up, not counted: the invoice queue handler has issued each customer's invoice.
    numbers = [
        eventually(
            lambda auth=auth: api.request("GET", "/invoices", headers=auth).json()["items"],
            timeout=60,
        )[0]["invoice_number"]
        for auth in auths
    ]
    results.append(
        measure_each(
            "GET /invoices",
            each("GET", "/invoices"),
            note="1 invoice issued, one page; PDF link presigned (no AWS call)",
            one_query_per_page=True,
        )
    )
    results.append(
        measure_each(
            "GET /invoices/{n}",
            [
                functools.partial(api.request, "GET", f"/invoices/{number}", headers=auth)
                for number, auth in zip(numbers, auths, strict=True)
            ],
            note="one invoice, PDF link presigned (no AWS call)",
        )
    )
    results.append(
        measure_each(
            "GET /me [with membership]",
            each("GET", "/me"),
            note="the same customers, after checkout: the card is read too",
        )
    )
    results.append(
        measure_each(
            "PATCH /membership [auto_renew off]",
            each("PATCH", "/membership", {"auto_renew": False}),
            note="auto-renewal off (no renewal invoiced yet: no credit note)",
        )
    )
    results.append(
        measure_each(
            "PATCH /membership [renewal_tier]",
            each("PATCH", "/membership", {"renewal_tier": "SILVER"}),
            note="the next term's tier: SILVER (600 points)",
        )
    )
    results.append(
        measure_each(
            "PUT /membership/payment-method",
            each("PUT", "/membership/payment-method", {"payment_method_token": "pm_card_visa"}),
            note="new card; the open invoice is not due yet: nothing charged",
        )
    )

    # Set-up, not counted: 500 more points (EOS R3), 1,100 in all: GOLD is open.
    for auth in auths:
        registered = api.request(
            "POST",
            "/products",
            json={"sku": R3_SKU, "serial_number": uuid.uuid4().hex[:12], **DETAILS},
            headers=auth,
        )
        assert registered.status_code == 201, registered.json()
        balance = api.request("GET", "/points", headers=auth).json()["balance"]
        assert balance >= 1000, balance
    upgrade_key = "bench-upgrade-{}".format
    results.append(
        measure_each(
            "POST /membership/upgrade",
            each("POST", "/membership/upgrade", {"tier": "GOLD"}, key=upgrade_key),
            note="SILVER -> GOLD, 1,100 points: idempotency record, membership, invoice requested",
        )
    )

    # Set-up, not counted: the invoice queue handler has issued each upgrade invoice, so
    # finance's list holds a known number of invoices.
    for auth in auths:
        eventually(
            lambda auth=auth: (
                len(api.request("GET", "/invoices", headers=auth).json()["items"]) >= 2
            ),
            timeout=60,
        )
    issued = 2 * len(auths)
    results.append(
        measure(
            "GET /finance/invoices?status=ISSUED",
            lambda: api.request(
                "GET", "/finance/invoices?status=ISSUED", headers=bearer(reviewer_token)
            ),
            len(auths),
            note=f"reviewer; {issued} invoices issued, not yet due (one page)",
            one_query_per_page=True,
        )
    )
    results.append(
        measure(
            "POST /dev/clock [advance_days 0]",
            lambda: api.request("POST", "/dev/clock", json={"advance_days": 0}),
            len(auths),
            note="local stage only; no day crossed, so no daily job runs",
        )
    )
    return results


def run(
    repeats: int = 3, sections: Collection[str] = SECTIONS
) -> tuple[list[RouteResult], dict[tuple[str, str], int]]:
    """Starts the local runtime, walks the journey and measures (`sections`: JOURNEY, CHECKOUT
    or both); the runtime's own output (structured logs, EMF metrics, pump messages) is held
    back and shown only on failure."""
    COUNTER.install()
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            return _journey_and_measurements(repeats, sections)
    except BaseException:
        # Without the per-request INFO lines, which would hide any warning or error.
        lines = [line for line in captured.getvalue().splitlines() if '"level":"INFO"' not in line]
        tail = "\n".join(lines[-60:])
        print(f"--- local runtime output (last lines, INFO left out) ---\n{tail}", file=sys.stderr)
        raise


def _format_ops(ops: Counter[str]) -> str:
    return ", ".join(f"{op} {n}" for op, n in sorted(ops.items())) or "-"


def _distinct(values: list[str]) -> str:
    unique = list(dict.fromkeys(values))
    return unique[0] if len(unique) == 1 else " | ".join(unique)


def report(
    results: list[RouteResult], hooked: dict[tuple[str, str], int], out: TextIO = sys.stdout
) -> None:
    repeats = max((len(r.logs) for r in results), default=0)
    print("DynamoDB calls per HTTP request", file=out)
    print(
        "(local runtime, in-process through the emulated API Gateway; authorizer included; "
        f"each request sent {repeats}x, the membership routes once for each of {repeats} "
        "customers; runs that differ are shown as a | b)",
        file=out,
    )
    rows = [
        (
            r.route,
            _distinct([str(s) for s in r.statuses]),
            _distinct([str(sum(log.dynamodb().values())) for log in r.logs]),
            _distinct([_format_ops(log.dynamodb()) for log in r.logs]),
            _distinct([str(log.items_read()) for log in r.logs]),
            _distinct([_format_ops(log.other_services()) for log in r.logs]),
            r.note,
        )
        for r in results
    ]
    header = ("route", "HTTP", "DynamoDB", "by operation", "items read", "other AWS calls", "note")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("{:<" + str(w) + "}" for w in widths)
    print(line.format(*header).rstrip(), file=out)
    print(line.format(*("-" * w for w in widths)), file=out)
    for row in rows:
        print(line.format(*row).rstrip(), file=out)

    scanning = [r for r in results if r.scans()]
    print(file=out)
    if scanning:
        for r in scanning:
            print(
                f"!!! SCAN !!! {r.route} makes {r.scans()} Scan call(s) per request: it reads the "
                "whole table; use a Query on a key or an index instead.",
                file=out,
            )
    else:
        print("No Scan on any measured route.", file=out)
    lists = [r for r in results if r.one_query_per_page]
    if lists:
        print("List calls cost one Query per page (besides any GetItem):", file=out)
        for r in lists:
            problems = r.page_problems()
            if problems:
                print(
                    f"  !!! NOT ONE QUERY PER PAGE !!! {r.route}: {'; '.join(problems)}", file=out
                )
            else:
                ops = _distinct([_format_ops(log.dynamodb()) for log in r.logs])
                print(f"  ok  {r.route}: {ops} in each of {len(r.logs)} run(s)", file=out)
    me = [r for r in results if r.route.split(" [")[0] == "GET /me"]
    if len(me) > 1:
        costs = "; ".join(
            f"{r.route.removeprefix('GET /me').strip(' []')} "
            f"{_distinct([str(sum(log.dynamodb().values())) for log in r.logs])}"
            for r in me
        )
        print(f"GET /me, DynamoDB calls by the customer's state: {costs}", file=out)
    background = sum(r.background_dynamodb() for r in results)
    print(
        f"Other threads (the queue pump, the embedded AWS) made {background} DynamoDB "
        "call(s) while the measured requests were in flight; they are not counted above.",
        file=out,
    )
    by_creator: dict[str, list[str]] = {}
    for (creator, service), n in sorted(hooked.items()):
        by_creator.setdefault(creator, []).append(f"{service} {n}")
    clients = "; ".join(f"{creator}: {', '.join(s)}" for creator, s in by_creator.items())
    print(f"botocore clients hooked, by creator: {clients}", file=out)


def main(repeats: int = 3, sections: Collection[str] = SECTIONS) -> None:
    results, hooked = run(repeats, sections)
    report(results, hooked)


if __name__ == "__main__":
    main()
