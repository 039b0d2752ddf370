"""Issue 8, the local runtime's side of the infrastructure items, over real processes and HTTP.

Item 13: `make run` hung on SIGTERM to its process group (make forwards the group's SIGTERM to
its child: two signals, and the old handler deadlocked on its own threading.Event). The runtime
must stop within seconds on SIGTERM or SIGINT however delivered.
Item 14: a proof document uploaded with the API's presigned POST is stored encrypted with the
documents bucket's customer-managed KMS key (the bucket default), not SSE-S3.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import boto3
import pytest
import requests

from tests.support.http_api import HttpApi
from tests.support.journey import PDF, apply, upload
from tests.support.ports import free_port
from tests.support.runtime_process import (
    REPO_ROOT,
    RuntimeProcess,
    start_runtime_process,
)

pytestmark = pytest.mark.e2e

REVIEWER = ("reviewer@cps-signals.test", "Reviewer-Signals-Pass-2026")
# `make run` with setup taken as done (this venv runs the tests) and this interpreter.
MAKE_RUN = ("make", "--no-print-directory", "-o", ".venv/.installed", "run", f"PY={sys.executable}")
STOPS_WITHIN_S = 15.0  # the runtime's own deadline is 10 s; it usually takes 1 to 3


@pytest.fixture
def grouped_runtime(tmp_path: Path) -> Iterator[RuntimeProcess]:
    """`python -m local_runtime`, healthy, in a process group of its own (as under a shell)."""
    runtime = start_runtime_process(
        tmp_path / "runtime.log", *REVIEWER, startup_timeout=90.0, new_process_group=True
    )
    try:
        yield runtime
    finally:
        runtime.stop(grace=5.0)


def _exit_code_within(process: subprocess.Popen[bytes], seconds: float, log: str) -> int:
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
        raise AssertionError(f"still running {seconds:.0f} s after the signals:\n{log}") from None


# --- item 13 ---------------------------------------------------------------------------------


def test_two_sigterms_to_the_process_group_stop_the_runtime(
    grouped_runtime: RuntimeProcess,
) -> None:
    # GIVEN a running runtime in its own process group
    pgid = os.getpgid(grouped_runtime.process.pid)
    assert pgid == grouped_runtime.process.pid
    # WHEN the group gets SIGTERM twice in quick succession (a terminal's group signal, then
    # make's forwarded one)
    os.killpg(pgid, signal.SIGTERM)
    time.sleep(0.05)
    os.killpg(pgid, signal.SIGTERM)
    # THEN it stops within seconds, cleanly
    code = _exit_code_within(grouped_runtime.process, STOPS_WITHIN_S, grouped_runtime.log_tail())
    assert code == 0, grouped_runtime.log_tail()
    assert "Stopped." in grouped_runtime.log_tail()


def test_a_volley_of_sigint_and_sigterm_to_the_process_stops_the_runtime(
    grouped_runtime: RuntimeProcess,
) -> None:
    # GIVEN a running runtime WHEN Ctrl-C is pressed repeatedly and SIGTERMs arrive meanwhile
    for signum in (signal.SIGINT, signal.SIGINT, signal.SIGTERM, signal.SIGINT, signal.SIGTERM):
        grouped_runtime.process.send_signal(signum)
        time.sleep(0.01)
    # THEN it stops within seconds, cleanly
    code = _exit_code_within(grouped_runtime.process, STOPS_WITHIN_S, grouped_runtime.log_tail())
    assert code == 0, grouped_runtime.log_tail()


def test_a_sigterm_during_start_up_stops_the_runtime(tmp_path: Path) -> None:
    # GIVEN a runtime that is still starting (deploying the template into the embedded AWS)
    log = tmp_path / "runtime.log"
    env = {
        **os.environ,
        "CPS_PORT": str(free_port()),
        "CPS_AWS_PORT": str(free_port()),
        "CPS_REVIEWER_EMAIL": REVIEWER[0],
        "CPS_REVIEWER_PASSWORD": REVIEWER[1],
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "local_runtime"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
    try:
        time.sleep(3.0)  # imports done, the deployment under way
        assert process.poll() is None, log.read_text(errors="replace")
        # WHEN its group gets SIGTERM twice
        os.killpg(process.pid, signal.SIGTERM)
        time.sleep(0.05)
        os.killpg(process.pid, signal.SIGTERM)
        # THEN it stops within seconds
        code = _exit_code_within(process, STOPS_WITHIN_S, log.read_text(errors="replace"))
        assert code == 0, log.read_text(errors="replace")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/health", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def test_make_run_stops_when_its_process_group_gets_sigterm(tmp_path: Path) -> None:
    # GIVEN `make run` (setup taken as done: this venv is the one running the tests) in a
    # process group of its own, as a terminal starts it, and the runtime up
    api_port = free_port()
    env = {
        **os.environ,
        "CPS_PORT": str(api_port),
        "CPS_AWS_PORT": str(free_port()),
        "CPS_REVIEWER_EMAIL": REVIEWER[0],
        "CPS_REVIEWER_PASSWORD": REVIEWER[1],
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "make-run.log"
    with log.open("ab") as out:
        make = subprocess.Popen(
            MAKE_RUN,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
    try:
        deadline = time.monotonic() + 90.0
        while not _healthy(f"http://127.0.0.1:{api_port}"):
            assert make.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.5)
        # WHEN the whole group gets SIGTERM (make forwards it to the runtime: a second one)
        os.killpg(make.pid, signal.SIGTERM)
        # THEN make and the runtime are gone within seconds
        _exit_code_within(make, STOPS_WITHIN_S, log.read_text(errors="replace"))
        time.sleep(0.5)
        with pytest.raises(ProcessLookupError):
            os.killpg(make.pid, 0)  # no process left in the group
        assert not _healthy(f"http://127.0.0.1:{api_port}")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(make.pid, signal.SIGKILL)
        if make.poll() is None:
            make.wait(timeout=10)


# --- item 14: uploads are encrypted with the bucket's KMS key ---------------------------------


def test_an_uploaded_document_is_encrypted_with_the_documents_key(
    http_api: HttpApi, e2e_runtime: RuntimeProcess
) -> None:
    # GIVEN a new application, and its document posted with the presigned POST the API gave
    applicant = apply(http_api)
    assert upload(applicant.upload, PDF) in (200, 201, 204)
    bucket = urlparse(applicant.upload["url"]).path.strip("/").split("/")[0]
    key = applicant.upload["fields"]["key"]
    client = {
        "endpoint_url": e2e_runtime.aws_url,
        "region_name": "eu-west-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",  # the embedded moto server's
    }
    s3, cloudformation = boto3.client("s3", **client), boto3.client("cloudformation", **client)
    # THEN S3 stored it SSE-KMS with the documents key (the bucket's default), not SSE-S3
    head = s3.head_object(Bucket=bucket, Key=key)
    default = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    documents_key = default["Rules"][0]["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"]
    stack = cloudformation.describe_stack_resource(
        StackName="cps-local", LogicalResourceId="DocumentsKey"
    )["StackResourceDetail"]
    assert documents_key.endswith(f":key/{stack['PhysicalResourceId']}")
    assert head.get("ServerSideEncryption") == "aws:kms"
    assert head.get("SSEKMSKeyId") == documents_key
    # AND the form names no encryption of its own (DocumentsBucketPolicy refuses another one)
    assert not [f for f in applicant.upload["fields"] if "server-side-encryption" in f.lower()]
