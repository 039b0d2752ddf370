"""Metrics flushed by threads side by side (the local runtime serves requests in threads)."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from chalicelib.observability import count, flush_metrics, metrics


def test_two_threads_flushing_at_once_print_the_metric_once_and_neither_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a counted metric, and a flush that another thread's flush overtakes while it
    # serialises the set
    count("ApplicationsSubmitted")
    serialise = metrics.provider.serialize_metric_set
    errors: list[BaseException] = []

    def other_flush() -> None:
        try:
            flush_metrics()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    other = threading.Thread(target=other_flush)

    def overtaken(*args: Any, **kwargs: Any) -> Any:
        if not other.is_alive() and other.ident is None:
            other.start()
            other.join(timeout=1.0)  # it would finish here if it did not wait for this flush
        return serialise(*args, **kwargs)

    monkeypatch.setattr(metrics.provider, "serialize_metric_set", overtaken)
    # WHEN both flush
    flush_metrics()
    other.join()
    # THEN neither failed and the metric went out once
    assert errors == []
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    assert [line["ApplicationsSubmitted"] for line in lines] == [[1.0]]


def test_a_flush_with_nothing_counted_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN no metric counted WHEN flushed THEN no EMF line is printed
    metrics.clear_metrics()
    flush_metrics()
    assert capsys.readouterr().out == ""
