"""The embedded AWS: moto's server on loopback, with Step Functions really executing."""

from __future__ import annotations

import logging
import os
import threading

import requests
from moto.server import ThreadedMotoServer

from local_runtime.atomic_dynamodb import make_dynamodb_writes_atomic

REGION = "eu-west-1"


def aws_environment(port: int) -> dict[str, str]:
    """What boto3, PynamoDB and moto's Step Functions engine need to find the embedded AWS."""
    endpoint = f"http://127.0.0.1:{port}"
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL": endpoint,
        "MOTO_PORT": str(port),  # moto's state-machine engine calls back to this port
        "MOTO_ALLOW_NONEXISTENT_REGION": "false",
        # Authenticator codes are checked as Cognito checks them (TOTP, 30 s steps).
        "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP": "true",
    }


def list_moto_services_once() -> None:
    """moto's server finds each request's service by listing its own package directory (a
    listdir, and an isdir per entry) on every request: about 5 % of a runtime's CPU in the
    end-to-end tests. The directory does not change while the server runs."""
    from moto import backends

    if getattr(backends.list_of_moto_modules, "listed_once", False):
        return
    services = tuple(backends.list_of_moto_modules())

    def listed() -> tuple[str, ...]:
        return services

    listed.listed_once = True  # type: ignore[attr-defined]
    backends.list_of_moto_modules = listed


def share_botocore_data() -> None:
    """Every botocore session makes a data loader of its own, and a loader parses each JSON
    file it is asked for anew: in a runtime's start, endpoints.json (1 MB) six times and the
    EC2 model (moto's EC2 backends, through its CloudFormation) three times, about 0.8 s of
    its 5 s of CPU. Here every session shares one loader per data path. Within a session
    botocore already hands the same loaded objects to every client, so sharing them between
    the sessions of one process adds no new way to change them."""
    from botocore import loaders, session

    if getattr(session.create_loader, "shared", False):
        return
    made: dict[str | None, loaders.Loader] = {}
    lock = threading.Lock()

    def shared_loader(search_path_string: str | None = None) -> loaders.Loader:
        with lock:
            if search_path_string not in made:
                made[search_path_string] = loaders.create_loader(search_path_string)
            return made[search_path_string]

    shared_loader.shared = True  # type: ignore[attr-defined]
    session.create_loader = shared_loader


class EmbeddedAws:
    def __init__(self, port: int) -> None:
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self._started = False

    def start(self) -> None:
        make_dynamodb_writes_atomic()
        list_moto_services_once()
        share_botocore_data()
        os.environ.update(aws_environment(self.port))
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per emulated AWS call
        self._started = True
        self._server.start()
        requests.post(
            f"{self.endpoint}/moto-api/config",
            json={"stepfunctions": {"execute_state_machine": True}},
            timeout=10,
        ).raise_for_status()

    def stop(self) -> None:
        if self._started:  # moto's stop() fails on a server that was never started
            self._server.stop()
            self._started = False
