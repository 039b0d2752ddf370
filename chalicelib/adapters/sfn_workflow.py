"""The validation state machine: started once per accepted upload, driven by task tokens."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

logger = Logger(service="cps", child=True)  # one service name: records reach its handler

_GONE = ("TaskTimedOut", "TaskDoesNotExist", "InvalidToken")


class StepFunctionsWorkflow:
    def __init__(self, sfn: Any, state_machine_arn: str) -> None:
        self._sfn = sfn
        self._arn = state_machine_arn

    def start_validation(self, application_id: str, execution_name: str) -> None:
        try:
            self._sfn.start_execution(
                stateMachineArn=self._arn,
                name=execution_name,
                input=json.dumps({"application_id": application_id}),
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ExecutionAlreadyExists":
                raise
            logger.info("Validation already started", extra={"execution": execution_name})

    def complete_task(self, task_token: str, output: Mapping[str, Any]) -> None:
        self._call_token("send_task_success", taskToken=task_token, output=json.dumps(output))

    def fail_task(self, task_token: str, error: str, cause: str) -> None:
        self._call_token("send_task_failure", taskToken=task_token, error=error, cause=cause[:250])

    def heartbeat(self, task_token: str) -> bool:
        return self._call_token("send_task_heartbeat", taskToken=task_token)

    def _call_token(self, operation: str, **kwargs: Any) -> bool:
        """False when the wait is over (timed out, replaced): the workflow has moved on."""
        try:
            getattr(self._sfn, operation)(**kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in _GONE:
                logger.warning("Task token no longer valid", extra={"operation": operation})
                return False
            raise
        return True
