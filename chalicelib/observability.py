"""Structured logs with a correlation id, and metrics, for every kind of invocation.

No personal data is logged: only ids, routes, status codes and counts.

Powertools is imported with this module, when app.py is (about 30 ms of a cold start, a third of
`import app`): every function that imports app.py logs at its first call (the HTTP middleware,
`with_invocation_logging`), so deferring it would move that time, not save it. The authorizer's
function imports its own module (handlers/gate.py), not this one.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger(service="cps")
metrics = Metrics(namespace="CPS", service="cps")

CORRELATION_HEADER = "x-correlation-id"

# The metric set is the process's: a Lambda runs one invocation at a time, the local runtime
# serves requests and consumers side by side in threads, so adding and flushing take turns (one
# thread's flush clearing the set while another serialises it fails that request with a 500).
_metric_set_lock = threading.Lock()


def count(name: str, value: int = 1) -> None:
    with _metric_set_lock:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def completed(job: str, run: Callable[[], dict[str, int]]) -> Callable[[], dict[str, int]]:
    """A scheduled job that counts its completed runs (`<job>Completed`) and what it queued;
    the template alarms on a day without a completed run."""

    def counted() -> dict[str, int]:
        result = run()
        count(f"{job}Completed")
        count(f"{job}Queued", result.get("queued", 0))
        return result

    return counted


def flush_metrics() -> None:
    # EMF lines go to stdout; an invocation that recorded no metric prints nothing.
    with _metric_set_lock:
        if metrics.metric_set:
            metrics.flush_metrics()


def correlation_id_from(headers: dict[str, str] | None, request_id: str | None) -> str:
    supplied = (headers or {}).get(CORRELATION_HEADER, "")
    if supplied and len(supplied) <= 100 and supplied.replace("-", "").isalnum():
        return supplied
    return request_id or uuid.uuid4().hex


def start_invocation(**keys: str | None) -> None:
    """Per-invocation log keys, thread-safe so the local runtime's threads do not mix them."""
    logger.thread_safe_clear_keys()
    logger.thread_safe_append_keys(**keys)


def with_invocation_logging(kind: str, call: Callable[[], Any]) -> Any:
    start_invocation(invocation=kind, correlation_id=uuid.uuid4().hex)
    try:
        return call()
    finally:
        flush_metrics()
