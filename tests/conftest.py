"""Shared pytest set-up."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from hypothesis import settings

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
