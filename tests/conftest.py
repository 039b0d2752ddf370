"""Shared pytest set-up."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

from tests.support.runtime_process import LIVE

# Tests never assert wall-clock times: Hypothesis' per-example deadline (200 ms by default) is
# one, and fails at random on a loaded 2-core machine.
settings.register_profile("cps", deadline=None)
settings.load_profile("cps")


@pytest.fixture(autouse=True)
def _app_logs_reach_caplog(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Powertools' "cps" logger does not hand records to the root logger; caplog listens there."""
    app_logger = logging.getLogger("cps")
    app_logger.addHandler(caplog.handler)
    yield
    app_logger.removeHandler(caplog.handler)


_LOG_SIZES = pytest.StashKey[dict[int, int]]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_LOG_SIZES] = {id(runtime): runtime.log_size() for runtime in LIVE}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """A failed test over HTTP shows what its runtimes logged as errors while it ran (a runtime
    started by its set-up: since the start), for a 500 names no cause."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        sizes = item.stash.get(_LOG_SIZES, {})
        for runtime in LIVE:
            if errors := runtime.logged_errors(since=sizes.get(id(runtime), 0)):
                report.sections.append((f"errors logged by {runtime.api_url}", errors))
