"""Integration tests run against moto's in-process mock of AWS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from local_runtime.atomic_dynamodb import make_dynamodb_writes_atomic


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    make_dynamodb_writes_atomic()
    with mock_aws():
        yield
