"""`make run`: start the whole system locally and keep it running until Ctrl-C."""

from __future__ import annotations

import os
import signal
import threading

from local_runtime.runtime import LocalRuntime, RuntimeConfig


def main() -> None:
    password = os.environ.get("CPS_REVIEWER_PASSWORD", "")
    config = RuntimeConfig(
        api_port=int(os.environ.get("CPS_PORT", "8000")),
        aws_port=int(os.environ.get("CPS_AWS_PORT", "4566")),
        reviewer_email=os.environ.get("CPS_REVIEWER_EMAIL", "reviewer@cps.local"),
        reviewer_password=password,
    )
    runtime = LocalRuntime(config).start()
    print(
        "\nCPS membership platform is running (local stage, embedded AWS)\n"
        f"  API:            {runtime.api_url}   (health: {runtime.api_url}/health,"
        f" contract: {runtime.api_url}/openapi.json)\n"
        f"  Reviewer login: {config.reviewer_email} / "
        f"{config.reviewer_password if not password else '(CPS_REVIEWER_PASSWORD)'}\n"
        f"  Mail sent:      {runtime.api_url}/dev/mailbox?to=<address>\n"
        f"  Embedded AWS:   {runtime.aws.endpoint}\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    runtime.stop()


if __name__ == "__main__":
    main()
