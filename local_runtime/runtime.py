"""The whole system in one process: embedded AWS, the deployed template, the app's handlers.

Used by `make run` (python -m local_runtime) and by the tests that need the real stack.
"""

from __future__ import annotations

import importlib
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3

from local_runtime.aws import REGION, EmbeddedAws
from local_runtime.deploy import deploy
from local_runtime.gateway import local_api_server
from local_runtime.pump import EventPump, QueueConsumer, Scheduler
from local_runtime.web import WEB_DIST, WebServer, WebSite

_RATE_SECONDS = {
    "minute": 60,
    "minutes": 60,
    "hour": 3600,
    "hours": 3600,
    "day": 86400,
    "days": 86400,
}


@dataclass
class RuntimeConfig:
    api_port: int = 8000
    aws_port: int = 4566
    reviewer_email: str = "reviewer@cps.local"
    reviewer_password: str = ""
    # "off" keeps the seeded reviewer's login one step (API.md); "required" as when deployed.
    reviewer_mfa: str = "off"
    extra_env: dict[str, str] = field(default_factory=dict)
    serve_http: bool = True
    # The web frontend's port (`make run`: CPS_WEB_PORT, default 3000); None serves no
    # frontend and e-mailed links point at the API, as for the in-process tests.
    web_port: int | None = None
    web_dist: Path = WEB_DIST
    pump: bool = True
    # How long each queue's poll waits for a message (SQS long polling; Lambda's pollers wait
    # the maximum, 20 s): a message wakes the poll at once, and an idle runtime makes one
    # request per queue per wait. Shorter when a test changes a queue's visibility timeout,
    # which a poll reads when it starts.
    poll_wait_seconds: int = 20


def _rate_seconds(expression: str) -> float:
    """`rate(1 hour)` → 3600; a cron expression (the daily jobs) runs daily here. `/dev/jobs`
    runs any job now; `/dev/clock` runs the daily ones for each day it crosses."""
    if expression.startswith("rate(") and expression.endswith(")"):
        value, unit = expression[5:-1].split()
        return int(value) * _RATE_SECONDS[unit.lower()]
    return 86400.0  # the daily cron jobs


def generated_password() -> str:
    return "Rv-" + secrets.token_urlsafe(12) + "9a"


class LocalRuntime:
    def __init__(self, config: RuntimeConfig) -> None:
        self.config = config
        if not config.reviewer_password:
            config.reviewer_password = generated_password()
        self.aws = EmbeddedAws(config.aws_port)
        self.api_url = f"http://127.0.0.1:{config.api_port}"
        # The frontend's base URL: links in e-mails open it and it is the API's CORS origin.
        self.web_url = (
            f"http://127.0.0.1:{config.web_port}" if config.web_port is not None else None
        )
        self.web: WebServer | None = None
        self.env: dict[str, str] = {}
        self.app_module: ModuleType | None = None
        self.pump: EventPump | None = None
        self._scheduler: Scheduler | None = None
        self._server: Any = None
        self._server_thread: threading.Thread | None = None

    def start(self) -> LocalRuntime:
        self.aws.start()
        os.environ["CPS_STAGE"] = "local"
        outputs = deploy(
            {
                "Stage": "local",
                "ViesEnabled": "false",
                "PaymentProvider": "local",
                "ReviewerMfa": self.config.reviewer_mfa,
                **self._template_parameters(),
            },
            self.aws.endpoint,
        )
        self.env = {
            **outputs,
            "CPS_STAGE": "local",
            "CPS_VIES_ENABLED": "false",
            "POWERTOOLS_METRICS_NAMESPACE": "CPS",
            "POWERTOOLS_SERVICE_NAME": "cps",
            **self.config.extra_env,
        }
        os.environ.update(self.env)
        self._seed_reviewer()
        self.app_module = self._import_app()
        self._load_catalog()
        if self.config.pump:
            self.pump = EventPump(self.queue_consumers(), self.config.poll_wait_seconds)
            self.pump.start()
            self._scheduler = Scheduler(self._schedules())
            self._scheduler.start()
        if self.config.serve_http:
            self._server = local_api_server(self.app_module.app, "127.0.0.1", self.config.api_port)
            self._server_thread = threading.Thread(
                target=self._server.server.serve_forever, name="api", daemon=True
            )
            self._server_thread.start()
            if self.config.web_port is not None:
                self.web = WebServer("127.0.0.1", self.config.web_port, self._web_site()).start()
        return self

    def _web_site(self) -> WebSite:
        return WebSite(
            dist=self.config.web_dist,
            api_url=self.api_url,
            stage="local",
            upload_origin=self.aws.endpoint,
        )

    def stop(self) -> None:
        """Stops what was started, also after a start that was interrupted part way."""
        if self.web is not None:
            self.web.stop()
        if self._server is not None:
            if self._server_thread is not None and self._server_thread.is_alive():
                self._server.shutdown()  # waits for serve_forever, which must be running
            self._server.server.server_close()
        if self._scheduler is not None:
            self._scheduler.stop()
        if self.pump is not None:
            self.pump.stop()
        self.aws.stop()

    def queue_consumers(self) -> list[QueueConsumer]:
        assert self.app_module is not None
        consumers = []
        for source in self.app_module.app.event_sources:
            queue = getattr(source, "queue", None)
            if queue is None:
                continue
            handler = getattr(self.app_module, source.handler_string.split(".")[-1])
            consumers.append(QueueConsumer(queue, handler, int(source.batch_size)))
        return consumers

    def _schedules(self) -> list[tuple[str, float, Any]]:
        assert self.app_module is not None
        jobs = []
        for source in self.app_module.app.event_sources:
            expression = getattr(source, "schedule_expression", None)
            if expression is None:
                continue
            handler = getattr(self.app_module, source.handler_string.split(".")[-1])
            jobs.append(
                (
                    source.name,
                    _rate_seconds(
                        str(
                            expression.to_string()
                            if hasattr(expression, "to_string")
                            else expression
                        )
                    ),
                    handler,
                )
            )
        return jobs

    @staticmethod
    def _load_catalog() -> None:
        """What the template's CatalogData custom resource does in AWS at each deployment."""
        from chalicelib.container import container
        from chalicelib.services.catalog import load_packaged_catalog

        load_packaged_catalog(container().catalog)

    def _template_parameters(self) -> dict[str, str]:
        return {"FrontendUrl": self.web_url or self.api_url}

    def _seed_reviewer(self) -> None:
        cognito = boto3.client("cognito-idp", region_name=REGION)
        pool = self.env["CPS_USER_POOL_ID"]
        email = self.config.reviewer_email.lower()
        cognito.admin_create_user(
            UserPoolId=pool,
            Username=email,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
            ],
        )
        cognito.admin_set_user_password(
            UserPoolId=pool, Username=email, Password=self.config.reviewer_password, Permanent=True
        )
        cognito.admin_add_user_to_group(
            UserPoolId=pool, Username=email, GroupName=self.env["CPS_REVIEWERS_GROUP"]
        )

    @staticmethod
    def _import_app() -> ModuleType:
        from chalicelib.container import reset_container
        from chalicelib.handlers.events import reset_event_state

        reset_container()
        reset_event_state()
        # Imported once per process, after the environment is set (it decides the /dev routes):
        # re-importing would register the blueprints twice.
        return importlib.import_module("app")
