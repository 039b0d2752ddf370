"""The integration tests share one in-process local runtime per test worker: moto's server with
the real template deployed, the event pump running the app's queue handlers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local_runtime.runtime import LocalRuntime, RuntimeConfig
from tests.support.gateway_client import GatewayClient
from tests.support.journey import login
from tests.support.ports import free_port

REVIEWER_EMAIL = "reviewer@cps.test"
REVIEWER_PASSWORD = "Reviewer-Pass-2026"


@pytest.fixture(scope="session")
def runtime() -> Iterator[LocalRuntime]:
    started = LocalRuntime(
        RuntimeConfig(
            api_port=free_port(),
            aws_port=free_port(),
            reviewer_email=REVIEWER_EMAIL,
            reviewer_password=REVIEWER_PASSWORD,
            # test_invoice_failures.py shortens a queue's visibility timeout, which the polls
            # waiting then still hold: short polls end within a second.
            poll_wait_seconds=1,
        )
    ).start()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def api(runtime: LocalRuntime) -> GatewayClient:
    assert runtime.app_module is not None
    return GatewayClient(runtime.app_module.app)


@pytest.fixture(scope="session")
def reviewer_token(api: GatewayClient) -> str:
    return login(api, REVIEWER_EMAIL, REVIEWER_PASSWORD)
