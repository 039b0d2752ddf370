"""The repositories' PynamoDB connections share the process's one botocore session."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import boto3
import botocore.session
import pynamodb.connection.base
import pytest

from chalicelib.container import Container
from tests.support.settings_env import valid_settings
from tests.support.tables import create_tables

REGION = "eu-west-1"


def test_the_first_calls_of_each_repository_in_threads_make_no_botocore_session(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the tables, and the repositories of a new composition root
    create_tables(boto3.client("dynamodb", region_name=REGION))
    sessions_made: list[botocore.session.Session] = []

    def counted() -> botocore.session.Session:
        sessions_made.append(session := botocore.session.get_session())
        return session

    monkeypatch.setattr(pynamodb.connection.base, "get_session", counted)  # PynamoDB's own
    root = Container(valid_settings(AWS_REGION=REGION))
    calls: list[Callable[[], Any]] = [
        lambda: root.accounts.find_by_email("someone@example.com"),
        lambda: root.memberships.latest("an-account"),
        lambda: root.memberships.earliest_due(),
        lambda: root.invoices.get("CPS-2026-000001"),
        lambda: root.invoices.earliest_due(),
        lambda: root.applications.get("an-application"),
    ]
    errors: list[BaseException] = []

    def call(read: Callable[[], Any]) -> None:
        try:
            read()
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    # WHEN each repository makes its first call, each in a thread of its own (as the local
    # runtime's requests do)
    threads = [threading.Thread(target=call, args=(read,)) for read in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # THEN every call was answered, and PynamoDB made no botocore session of its own (a new
    # session loads botocore's data again: 0.1 s at each model's first call)
    assert errors == []
    assert sessions_made == []
