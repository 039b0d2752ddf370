"""`python -m local_runtime` as a child process on free loopback ports, for the end-to-end tests.

The child is the same program `make run` starts: moto's server, the template deployed into it,
the queue consumers and the API over HTTP. Its output goes to a log file whose tail is shown
when it does not come up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.support.ports import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


class RuntimeDidNotStart(RuntimeError):
    pass


@dataclass(eq=False)
class RuntimeProcess:
    api_url: str
    aws_url: str
    web_url: str  # the web frontend (a page saying how to build it when web/dist is absent)
    reviewer_email: str
    reviewer_password: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def logged_errors(self, since: int = 0, limit: int = 200) -> str:
        """The error records and tracebacks logged from byte `since` on (a failed test shows
        them: the 500 it got says nothing of its cause)."""
        try:
            with self.log_path.open("rb") as log:
                log.seek(since)
                lines = log.read().decode(errors="replace").splitlines()
        except OSError:
            return ""
        kept: list[str] = []
        in_traceback = False
        for line in lines:
            if line.startswith("Traceback"):
                in_traceback = True
            if in_traceback or '"level":"ERROR"' in line or "Caught exception" in line:
                kept.append(line)
            if in_traceback and line and not line[0].isspace() and not line.startswith("Traceback"):
                in_traceback = False  # the exception's own line ends the block
        return "\n".join(kept[-limit:])

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM (the runtime shuts down cleanly), then SIGKILL if it does not end in time."""
        if self in LIVE:
            LIVE.remove(self)
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


LIVE: list[RuntimeProcess] = []  # started and not stopped, in this pytest process


def _healthy(api_url: str) -> bool:
    try:
        response = requests.get(f"{api_url}/health", timeout=2)
    except requests.RequestException:
        return False
    if response.status_code != 200:
        return False
    try:
        return response.json() == {"status": "ok"}
    except ValueError:
        return False


def _port_was_taken(log_path: Path, since: int) -> bool:
    with log_path.open("rb") as log:
        log.seek(since)
        return b"Address already in use" in log.read()


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM if the test process dies without cleaning up (SIGKILL)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _another_free_port(*taken: int) -> int:
    port = free_port()
    while port in taken:
        port = free_port()
    return port


def _launch(
    log_path: Path,
    reviewer_email: str,
    reviewer_password: str,
    new_process_group: bool = False,
    extra_env: Mapping[str, str] | None = None,
) -> RuntimeProcess:
    api_port = free_port()
    aws_port = _another_free_port(api_port)
    web_port = _another_free_port(api_port, aws_port)
    env = {
        **os.environ,
        "CPS_PORT": str(api_port),
        "CPS_AWS_PORT": str(aws_port),
        "CPS_WEB_PORT": str(web_port),
        "CPS_REVIEWER_EMAIL": reviewer_email,
        "CPS_REVIEWER_PASSWORD": reviewer_password,
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "local_runtime"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
            # its own group, as `make run` in a terminal: signals can go to the whole group
            process_group=0 if new_process_group else None,
        )
    return RuntimeProcess(
        api_url=f"http://127.0.0.1:{api_port}",
        aws_url=f"http://127.0.0.1:{aws_port}",
        web_url=f"http://127.0.0.1:{web_port}",
        reviewer_email=reviewer_email,
        reviewer_password=reviewer_password,
        log_path=log_path,
        process=process,
    )


def start_runtime_process(
    log_path: Path,
    reviewer_email: str,
    reviewer_password: str,
    startup_timeout: float = 60.0,
    attempts: int = 2,
    new_process_group: bool = False,
    extra_env: Mapping[str, str] | None = None,
) -> RuntimeProcess:
    """Starts the runtime and waits (at most `startup_timeout` s in all) until /health is ok.

    A child that dies because a port was taken (a free port can be taken by someone else
    between finding it and binding it) is retried on new ports. On failure the child is always
    stopped and the error carries the tail of its output.
    """
    deadline = time.monotonic() + startup_timeout
    last: RuntimeProcess | None = None
    for _ in range(attempts):
        log_start = log_path.stat().st_size if log_path.exists() else 0
        runtime = last = _launch(
            log_path, reviewer_email, reviewer_password, new_process_group, extra_env
        )
        try:
            while time.monotonic() < deadline and runtime.alive():
                if _healthy(runtime.api_url):
                    LIVE.append(runtime)
                    return runtime
                time.sleep(0.5)
        except BaseException:
            runtime.stop()
            raise
        runtime.stop()
        if time.monotonic() >= deadline or not _port_was_taken(log_path, log_start):
            break
    assert last is not None
    message = (
        f"local_runtime did not answer GET /health with 200 {{'status': 'ok'}} within "
        f"{startup_timeout:.0f}s (exit code {last.process.returncode}); "
        f"last lines of {last.log_path}:\n{last.log_tail()}"
    )
    print(message, file=sys.stderr)
    raise RuntimeDidNotStart(message)
