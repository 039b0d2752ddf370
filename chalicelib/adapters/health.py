"""Asks each dependency one cheap question; /health reports the ones that do not answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger

logger = Logger(service="cps", child=True)  # one service name: records reach its handler


class DependencyHealth:
    def __init__(self, probes: dict[str, Callable[[], Any]]) -> None:
        self._probes = probes

    def failing(self) -> list[str]:
        failing = []
        for name, probe in self._probes.items():
            try:
                probe()
            except Exception:  # any failure means "not answering"; the name is what matters
                logger.warning("Dependency not answering", extra={"dependency": name})
                failing.append(name)
        return failing


def aws_dependency_health(
    client: Callable[[str], Any],
    *,
    applications_table: str,
    bucket: str,
    queue_url: str,
    state_machine_arn: str,
    user_pool_id: str,
    user_pool_client_id: str,
) -> DependencyHealth:
    """One read-only call per AWS dependency; `client(service)` gives the (cached) client
    when a probe runs, so building this costs no client."""
    return DependencyHealth(
        {
            "dynamodb": lambda: client("dynamodb").get_item(
                TableName=applications_table, Key={"application_id": {"S": "health"}}
            ),
            "s3": lambda: client("s3").head_bucket(Bucket=bucket),
            "sqs": lambda: client("sqs").get_queue_attributes(
                QueueUrl=queue_url, AttributeNames=["QueueArn"]
            ),
            "stepfunctions": lambda: client("stepfunctions").describe_state_machine(
                stateMachineArn=state_machine_arn
            ),
            "cognito": lambda: client("cognito-idp").describe_user_pool_client(
                UserPoolId=user_pool_id, ClientId=user_pool_client_id
            ),
        }
    )
