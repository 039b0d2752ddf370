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

What is attributed to a request
-------------------------------
The request is sent in-process through the emulated API Gateway (`GatewayClient`), which runs
the custom authorizer and then the route in the calling thread. A call counts for the request
when it is made in that thread while the request is in flight. Calls made meanwhile by other
threads (the queue consumers and scheduler of the local runtime, the embedded AWS's own
threads) are kept apart and only reported as a total.

Queue delivery
--------------
The runtime is started without its event pump (`pump=False`); `SerialPump` delivers the same
queues to the same app handlers from ONE thread, in turn. The runtime's pump runs one thread
per queue, and the app's queue handlers share one module-level Powertools `BatchProcessor`
(chalicelib/handlers/events.py), so two batches in flight at once can be handed to the wrong
record handler (seen: `KeyError: 'task'` in `document_uploads`), and the record then waits out
the queues' 360 s visibility timeout. In AWS each Lambda environment runs one invocation at a
time, so serial delivery is also the faithful one.
"""

from __future__ import annotations

import contextlib
import functools
import io
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TextIO

import botocore.session

if TYPE_CHECKING:
    from botocore.model import OperationModel

    from local_runtime.pump import EventPump, QueueConsumer

HOOK_ID = "bench.dynamodb_calls.before_call"
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

    def dynamodb(self) -> Counter[str]:
        return Counter({op: n for (svc, op), n in self.own.items() if svc == DYNAMODB})

    def other_services(self) -> Counter[str]:
        return Counter({f"{svc}.{op}": n for (svc, op), n in self.own.items() if svc != DYNAMODB})

    def background_dynamodb(self) -> int:
        return sum(n for (svc, _), n in self.other_threads.items() if svc == DYNAMODB)


class CallCounter:
    """The botocore hook: counts `before-call` events into the open window, if any."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
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
            else:
                log.other_threads[call] += 1

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


class SerialPump:
    """Delivers every queue's batches to the app's handlers in turn, from one thread."""

    def __init__(self, pump: EventPump, consumers: list[QueueConsumer]) -> None:
        self._pump = pump
        self._consumers = consumers
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-serial-pump", daemon=True)

    def start(self) -> SerialPump:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            delivered = 0
            for consumer in self._consumers:
                try:
                    delivered += self._pump.drain_once(consumer)
                except Exception as exc:  # keep pumping, as Lambda's poller would
                    print(f"[bench pump] {consumer.queue_name}: {type(exc).__name__}: {exc}")
            if not delivered:
                self._stop.wait(0.1)


@dataclass
class RouteResult:
    route: str
    note: str
    statuses: list[int] = field(default_factory=list)
    logs: list[CallLog] = field(default_factory=list)

    def scans(self) -> int:
        return max((log.dynamodb()["Scan"] for log in self.logs), default=0)

    def background_dynamodb(self) -> int:
        return sum(log.background_dynamodb() for log in self.logs)


def measure(route: str, send: Callable[[], _Response], repeats: int, note: str = "") -> RouteResult:
    """Sends the request `repeats` times, counting each one on its own."""
    if not COUNTER.installed:
        raise RuntimeError("install() the hook before any botocore client is created")
    result = RouteResult(route, note)
    for _ in range(repeats):
        with COUNTER.window() as log:
            response = send()
        result.statuses.append(response.status_code)
        result.logs.append(log)
    return result


def _journey_and_measurements(repeats: int) -> tuple[list[RouteResult], dict[tuple[str, str], int]]:
    # Imported here: they start nothing, but pull in moto and Chalice, which the cold import
    # benchmark does not need.
    from local_runtime.pump import EventPump
    from local_runtime.runtime import LocalRuntime, RuntimeConfig
    from tests.support.gateway_client import GatewayClient
    from tests.support.journey import (
        PDF,
        STRONG_PASSWORD,
        application_body,
        apply,
        approve_to_login,
        bearer,
        login,
        upload,
    )
    from tests.support.ports import free_port

    runtime = LocalRuntime(
        RuntimeConfig(
            api_port=free_port(),
            aws_port=free_port(),
            reviewer_email=REVIEWER_EMAIL,
            reviewer_password=REVIEWER_PASSWORD,
            serve_http=False,
            pump=False,  # see "Queue delivery" above: SerialPump instead
        )
    ).start()
    consumers = runtime.queue_consumers()
    pump = SerialPump(EventPump(consumers), consumers).start()
    try:
        assert runtime.app_module is not None
        api = GatewayClient(runtime.app_module.app)
        results: list[RouteResult] = []

        # First, while the app's container is still unbuilt: the first run is a cold container.
        results.append(
            measure(
                "POST /applications",
                lambda: api.request("POST", "/applications", json=application_body()),
                repeats,
                note="1st run is the process's first request",
            )
        )

        # Set-up, not counted: a reviewer, an approved customer who logged in, and
        # applications waiting for review so the review queue is not empty.
        reviewer_token = login(api, REVIEWER_EMAIL, REVIEWER_PASSWORD)
        customer, customer_token = approve_to_login(api, reviewer_token)
        waiting = [apply(api) for _ in range(3)]
        for applicant in waiting:
            upload(applicant.upload, PDF)
        for applicant in waiting:
            applicant.wait_for(api, "PENDING_REVIEW")

        results.append(
            measure(
                "GET /me",
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
        return results, dict(COUNTER.hooked_clients)
    finally:
        pump.stop()
        runtime.stop()


def run(repeats: int = 3) -> tuple[list[RouteResult], dict[tuple[str, str], int]]:
    """Starts the local runtime, walks the journey and measures; the runtime's own output
    (structured logs, EMF metrics, pump messages) is held back and shown only on failure."""
    COUNTER.install()
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            return _journey_and_measurements(repeats)
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
        f"each request sent {repeats}x, runs that differ are shown as a | b)",
        file=out,
    )
    rows = [
        (
            r.route,
            _distinct([str(s) for s in r.statuses]),
            _distinct([str(sum(log.dynamodb().values())) for log in r.logs]),
            _distinct([_format_ops(log.dynamodb()) for log in r.logs]),
            _distinct([_format_ops(log.other_services()) for log in r.logs]),
            r.note,
        )
        for r in results
    ]
    header = ("route", "HTTP", "DynamoDB", "by operation", "other AWS calls", "note")
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
    background = sum(r.background_dynamodb() for r in results)
    print(
        f"Other threads (the serial queue pump, the embedded AWS) made {background} DynamoDB "
        "call(s) while the measured requests were in flight; they are not counted above.",
        file=out,
    )
    by_creator: dict[str, list[str]] = {}
    for (creator, service), n in sorted(hooked.items()):
        by_creator.setdefault(creator, []).append(f"{service} {n}")
    clients = "; ".join(f"{creator}: {', '.join(s)}" for creator, s in by_creator.items())
    print(f"botocore clients hooked, by creator: {clients}", file=out)


def main(repeats: int = 3) -> None:
    results, hooked = run(repeats)
    report(results, hooked)


if __name__ == "__main__":
    main()
