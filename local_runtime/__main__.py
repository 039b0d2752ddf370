"""`make run`: start the whole system locally and keep it running until Ctrl-C.

SIGTERM or SIGINT, once or several times, to the process or to its process group (make
forwards the group's SIGTERM to its child a second time), stop it within seconds. The main
thread waits on a pipe that the C-level signal handler itself writes to (`set_wakeup_fd`), so
a signal landing just before the wait begins still wakes it; the Python handler only records
the signal and takes no lock (a `threading.Event` set from a handler deadlocks when a second
signal lands while the main thread holds the Event's lock, on its way out of the first wait).
A signal during start-up interrupts it. Once stopping, further stop signals are ignored (a
late one must not kill the exiting interpreter). Shutting down is bounded: past
STOP_DEADLINE_S the process exits anyway (every thread of the runtime is a daemon).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType

from local_runtime.runtime import LocalRuntime, RuntimeConfig

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
STOP_DEADLINE_S = 10.0


class StopRequested(BaseException):
    """Raised in the main thread by the first stop signal while the runtime starts."""


class StopSignals:
    """Turns any number of SIGTERM/SIGINT into one wake-up of the main thread."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self.received: int | None = None
        self.interrupt = True  # while starting: the first signal interrupts the start

    def install(self) -> None:
        """In the main thread. A signal that lands just before `wait` blocks runs the Python
        handler only once the main thread wakes up: the byte the C-level handler writes to
        the wake-up pipe is what wakes it."""
        signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        first = self.received is None
        if first:
            self.received = signum
        if first and self.interrupt:
            raise StopRequested

    def ignore_more(self) -> None:
        """Once stopping, later stop signals change nothing. Ignored, not left to the Python
        handler: as the interpreter exits it puts the default action back for signals with a
        Python handler, and a SIGTERM landing then (make's second one) killed the process."""
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)

    def wait(self) -> int:
        """Blocks until a stop signal was received (at once if one already was). Each pass
        reads the wake-up byte(s); the loop's back edge runs the pending Python handler."""
        self.interrupt = False
        while self.received is None:
            os.read(self._read, 512)
        return self.received


def _exit_after(seconds: float) -> None:
    """The last resort, should a part of the runtime not stop in time."""

    def expire() -> None:
        print(f"Not stopped after {seconds:.0f} s: exiting anyway.", file=sys.stderr, flush=True)
        os._exit(1)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()


def main() -> None:
    stop = StopSignals()
    stop.install()
    runtime = LocalRuntime(_config())
    try:
        runtime.start()
        _announce(runtime)
        stop.wait()
    except StopRequested:  # during start-up: stop what was started
        pass
    stop.ignore_more()
    _exit_after(STOP_DEADLINE_S)
    print("Stopping...", flush=True)
    runtime.stop()
    print("Stopped.", flush=True)


def _config() -> RuntimeConfig:
    return RuntimeConfig(
        api_port=int(os.environ.get("CPS_PORT", "8000")),
        aws_port=int(os.environ.get("CPS_AWS_PORT", "4566")),
        web_port=int(os.environ.get("CPS_WEB_PORT", "3000")),
        reviewer_email=os.environ.get("CPS_REVIEWER_EMAIL", "reviewer@cps.local"),
        reviewer_password=os.environ.get("CPS_REVIEWER_PASSWORD", ""),
        reviewer_mfa=os.environ.get("CPS_REVIEWER_MFA", "off").strip().lower(),
    )


def _announce(runtime: LocalRuntime) -> None:
    config = runtime.config
    given = bool(os.environ.get("CPS_REVIEWER_PASSWORD"))
    print(
        "\nCPS membership platform is running (local stage, embedded AWS)\n"
        f"  Web:            http://127.0.0.1:{config.web_port}   (the web frontend)\n"
        f"  API:            {runtime.api_url}   (health: {runtime.api_url}/health,"
        f" contract: {runtime.api_url}/openapi.json)\n"
        f"  Reviewer login: {config.reviewer_email} / "
        f"{'(CPS_REVIEWER_PASSWORD)' if given else config.reviewer_password}"
        f"   (authenticator app: {config.reviewer_mfa}; CPS_REVIEWER_MFA=required asks for one)\n"
        f"  Mail sent:      {runtime.api_url}/dev/mailbox?to=<address>\n"
        f"  Embedded AWS:   {runtime.aws.endpoint}\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )


if __name__ == "__main__":
    main()
