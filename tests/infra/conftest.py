"""Fixtures for the infrastructure tests: the template, and the template deployed in moto."""

from __future__ import annotations

import fcntl
import functools
import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local_template import deploy, load_template

INFRA = Path(__file__).resolve().parents[2] / "infra"
TEMPLATE_PATH = INFRA / "resources.yaml"
ASL_PATH = INFRA / "statemachines" / "validation.asl.json"
REGION = "eu-west-1"
STACK = "cps-test"

# moto says so for every resource type its CloudFormation skips (alarms, policies...).
MOTO_SKIPS = "ignore:Tried to parse AWS.* not supported:UserWarning"


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    return load_template(TEMPLATE_PATH)


@pytest.fixture(scope="session")
def asl() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(ASL_PATH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and region, so nothing can reach a real account."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture
def client() -> Callable[[str], Any]:
    return functools.partial(boto3.client, region_name=REGION)


@pytest.fixture
def deployed(aws_env: None, client: Callable[[str], Any]) -> Iterator[dict[str, str]]:
    """The template deployed in moto; yields the Lambda environment variables."""
    with mock_aws():
        yield deploy(STACK, TEMPLATE_PATH, client)


@pytest.fixture
def deployed_running(aws_env: None, client: Callable[[str], Any]) -> Iterator[dict[str, str]]:
    """Same, with moto's Step Functions engine really executing the state machines."""
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield deploy(STACK, TEMPLATE_PATH, client)


PROJECT_DIR = INFRA.parent


# What `make package` is made of: the app as Chalice packages it, the infrastructure code and
# template that complete it, the pins. Bytecode caches derive from the sources.
PACKAGE_INPUTS = ("app.py", "chalicelib", "vendor", ".chalice/config.json", "infra")
PACKAGE_PINS = ("requirements.txt", "requirements-einvoice.txt")
BUILD_CACHE = PROJECT_DIR / "build" / "cache"


def package_inputs_key(project: Path = PROJECT_DIR) -> str:
    """A digest of everything the real package's bytes depend on: every input file's path and
    content, the installed distributions (Chalice, pip and the pinned wheels) and this Python.
    The package build is deterministic (tests/infra/test_package.py), so the same key means
    the same package."""
    digest = hashlib.sha256()
    paths = [project / name for name in PACKAGE_PINS]
    for name in PACKAGE_INPUTS:
        root = project / name
        paths.extend([root] if root.is_file() else sorted(root.rglob("*")))
    for path in paths:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(project)}\0".encode())
            digest.update(path.read_bytes())
    for dist in sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
    ):
        digest.update(f"{dist}\0".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:24]


def _built_once(name: str, build: Callable[[Path], Path], under: Path | None = None) -> Path:
    """`build(root)` once, shared by the modules (and xdist workers) that read it: the first
    caller builds under a lock, the others wait for it and read the same files. Under a
    temporary folder of this test run, or under `under` for as long as `name` (which then
    carries a key of the build's inputs) is what is asked for: a build with another name
    there replaces it."""
    if under is None:
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid{os.getpid()}"
        root = Path(tempfile.gettempdir()) / f"cps-{name}-{run}"
    else:
        root = under / name
    root.mkdir(parents=True, exist_ok=True)
    template = root / "template-path.txt"  # written last: a build cut short is built again
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            template.write_text(str(build(root)), encoding="utf-8")
            if under is not None:
                prefix = name.rsplit("-", 1)[0] + "-"
                for stale in under.glob(prefix + "*"):
                    if stale != root:
                        shutil.rmtree(stale, ignore_errors=True)
    return Path(template.read_text(encoding="utf-8"))


def real_package_template() -> Path:
    """`make package STAGE=prod` of this repository (a build takes half a minute of CPU), kept
    in build/cache/ under the key of its inputs: built again once any of them changes."""
    from infra.package import package

    return _built_once(
        f"real-package-{package_inputs_key()}",
        lambda root: package("prod", root / "prod", project_dir=PROJECT_DIR, region=REGION),
        under=BUILD_CACHE,
    )


def small_package_template() -> Path:
    """The small app (tests/infra/small_app.py) packaged: the merged template's path."""
    from infra.package import package
    from tests.infra.small_app import write_small_app

    return _built_once(
        "small-package",
        lambda root: package(
            "prod", root / "prod", project_dir=write_small_app(root / "app"), region=REGION
        ),
    )
