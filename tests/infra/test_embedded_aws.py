"""The embedded AWS's server, as the local runtime starts it."""

from __future__ import annotations

import os
from pathlib import Path

import boto3
import pytest
from botocore import session
from botocore.loaders import JSONFileLoader
from moto import backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from local_runtime.aws import list_moto_services_once, share_botocore_data


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


def test_botocore_sessions_share_the_data_they_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN botocore's data shared, as the embedded AWS does when it starts (undone after)
    monkeypatch.setattr(session, "create_loader", session.create_loader)
    share_botocore_data()
    parsed: list[str] = []
    load_file = JSONFileLoader.load_file
    monkeypatch.setattr(
        JSONFileLoader,
        "load_file",
        lambda loader, path: (
            parsed.append(Path(path).parent.name + "/" + Path(path).name) or load_file(loader, path)
        ),
    )
    # WHEN three sessions (the app's, moto's, the runtime's) each make an SQS client
    for _ in range(3):
        boto3.session.Session(region_name="eu-west-1").client("sqs")
    # THEN the endpoints and the SQS model were each parsed once, not once a session
    assert parsed.count("data/endpoints") == 1, parsed
    assert parsed.count("2012-11-05/service-2") == 1, parsed
