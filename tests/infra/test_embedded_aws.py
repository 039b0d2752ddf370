"""The embedded AWS's server, as the local runtime starts it."""

from __future__ import annotations

import os

import pytest
from moto import backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from local_runtime.aws import list_moto_services_once


def test_a_request_finds_its_service_without_listing_motos_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN moto's services listed once, as the embedded AWS does when it starts
    before = list(backends.list_of_moto_modules())
    list_moto_services_once()
    dispatcher = DomainDispatcherApplication(create_backend_app)
    listings: list[str] = []
    listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path: listings.append(path) or listdir(path))
    # WHEN requests for DynamoDB, SQS and Step Functions look their service up
    found = [dispatcher.get_backend_for_host(host) for host in ("dynamodb", "sqs", "stepfunctions")]
    # THEN each is found, with the same list of services, and no directory was listed
    assert found == ["dynamodb", "sqs", "stepfunctions"]
    assert list(backends.list_of_moto_modules()) == before
    assert listings == []
