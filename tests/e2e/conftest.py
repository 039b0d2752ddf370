"""End-to-end fixtures: `python -m local_runtime` as a child process, reached over real HTTP.

One runtime per test session (per xdist worker); a module that moves the application clock
(process-wide, forward only) takes its own, module-scoped runtime instead (`isolated_*`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.http_api import HttpApi
from tests.support.journey import Applicant, approve_to_login, login
from tests.support.runtime_process import (
    RuntimeDidNotStart,
    RuntimeProcess,
    start_runtime_process,
)

REVIEWER_EMAIL = "reviewer@cps-e2e.test"
REVIEWER_PASSWORD = "Reviewer-E2e-Pass-2026"
STARTUP_TIMEOUT = 60.0

# The longest modules, longest first (`--durations`): xdist hands out whole files in collection
# order (see pytest_configure), so these start first and the run does not end on one of them.
LONGEST_FIRST = (
    "test_membership_year.py",
    "test_schemathesis.py",
    "test_membership_journey.py",
    "test_membership_bad_input.py",
    "test_crafted_input.py",
    "test_invoice_numbering.py",
    "test_products_concurrency.py",
    "test_security_infra.py",
    "test_membership_access.py",
)


def pytest_configure(config: pytest.Config) -> None:
    """xdist's loadfile would hand out the files with the most tests first, whatever the
    collection order: the one-test schemathesis module came last and the run ended on it
    alone, a minute and a half after the other worker had finished."""
    config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest as is


def _run(log_dir: Path) -> Iterator[RuntimeProcess]:
    try:
        runtime = start_runtime_process(
            log_dir / "local_runtime.log",
            reviewer_email=REVIEWER_EMAIL,
            reviewer_password=REVIEWER_PASSWORD,
            startup_timeout=STARTUP_TIMEOUT,
        )
    except RuntimeDidNotStart as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield runtime
    finally:
        runtime.stop()


@pytest.fixture(scope="session")
def e2e_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeProcess]:
    yield from _run(tmp_path_factory.mktemp("runtime"))


@pytest.fixture(scope="session")
def http_api(e2e_runtime: RuntimeProcess) -> Iterator[HttpApi]:
    api = HttpApi(e2e_runtime.api_url)
    yield api
    api.close()


@pytest.fixture(scope="session")
def reviewer_token(http_api: HttpApi) -> str:
    return login(http_api, REVIEWER_EMAIL, REVIEWER_PASSWORD)


@pytest.fixture(scope="session")
def customer(http_api: HttpApi, reviewer_token: str) -> tuple[Applicant, str]:
    """An approved applicant who has set a password: (applicant, ID token)."""
    return approve_to_login(http_api, reviewer_token)


@pytest.fixture(scope="session")
def customer_token(customer: tuple[Applicant, str]) -> str:
    return customer[1]


# A runtime of its own, for the modules that move the clock.


@pytest.fixture(scope="module")
def isolated_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeProcess]:
    yield from _run(tmp_path_factory.mktemp("isolated-runtime"))


@pytest.fixture(scope="module")
def isolated_api(isolated_runtime: RuntimeProcess) -> Iterator[HttpApi]:
    api = HttpApi(isolated_runtime.api_url)
    yield api
    api.close()


@pytest.fixture(scope="module")
def isolated_reviewer_token(isolated_api: HttpApi) -> str:
    return login(isolated_api, REVIEWER_EMAIL, REVIEWER_PASSWORD)
