"""Deploys infra/resources.yaml — the template AWS gets — into the embedded AWS.

moto's CloudFormation takes most of it; what it cannot (Cognito, bucket notifications, the ASL
file reference) `infra.local_template.for_moto` sets aside and this module creates by API from
the very same properties.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import boto3

from infra.local_template import for_moto
from local_runtime.aws import REGION

TEMPLATE = Path(__file__).resolve().parent.parent / "infra" / "resources.yaml"
STACK_NAME = "cps-local"


def _create_cognito(resources: dict[str, dict[str, Any]]) -> dict[str, str]:
    cognito = boto3.client("cognito-idp", region_name=REGION)
    by_type = {r["Type"]: r.get("Properties", {}) for r in resources.values()}
    pool_props = dict(by_type["AWS::Cognito::UserPool"])
    pool_props.pop("DeletionProtection", None)
    pool_props["PoolName"] = pool_props.pop("UserPoolName")
    pool_id = cognito.create_user_pool(**pool_props)["UserPool"]["Id"]

    client_props = dict(by_type["AWS::Cognito::UserPoolClient"])
    client_props.pop("UserPoolId", None)
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, **client_props)[
        "UserPoolClient"
    ]["ClientId"]

    group_props = dict(by_type["AWS::Cognito::UserPoolGroup"])
    group_props.pop("UserPoolId", None)
    cognito.create_group(UserPoolId=pool_id, **group_props)
    return {"user_pool_id": pool_id, "client_id": client_id, "group": group_props["GroupName"]}


def _apply_bucket_notifications(template: dict[str, Any], outputs: dict[str, str]) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    for resource in template["Resources"].values():
        if resource["Type"] != "AWS::S3::Bucket":
            continue
        notification = resource.get("Properties", {}).get("NotificationConfiguration")
        if not notification:
            continue
        queue_configs = []
        for config in notification.get("QueueConfigurations", []):
            queue_name = _queue_name_of(config["Queue"], template)
            url = sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
            entry: dict[str, Any] = {"QueueArn": arn, "Events": [config["Event"]]}
            if "Filter" in config:
                entry["Filter"] = {"Key": {"FilterRules": config["Filter"]["S3Key"]["Rules"]}}
            queue_configs.append(entry)
        s3.put_bucket_notification_configuration(
            Bucket=outputs["CPS_DOCUMENTS_BUCKET"],
            NotificationConfiguration={"QueueConfigurations": queue_configs},
        )


def _queue_name_of(reference: Any, template: dict[str, Any]) -> str:
    """`!GetAtt Queue.Arn` in the template → that queue's QueueName property."""
    if isinstance(reference, dict) and "Fn::GetAtt" in reference:
        target = reference["Fn::GetAtt"]
        logical_id = target[0] if isinstance(target, list) else target.split(".")[0]
        return str(template["Resources"][logical_id]["Properties"]["QueueName"])
    raise ValueError(f"Unsupported queue reference in bucket notification: {reference!r}")


def deploy(parameters: dict[str, str], endpoint: str) -> dict[str, str]:
    """Returns the stack's outputs: the app's environment variables."""
    template, cognito_resources = for_moto(TEMPLATE)[:2]
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    import json

    cloudformation.create_stack(
        StackName=STACK_NAME,
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    for _ in range(300):
        stack = cloudformation.describe_stacks(StackName=STACK_NAME)["Stacks"][0]
        if stack["StackStatus"].endswith("_COMPLETE") or stack["StackStatus"].endswith("_FAILED"):
            break
        time.sleep(0.1)
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise RuntimeError(f"Local stack failed: {stack['StackStatus']}")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}

    cognito = _create_cognito(cognito_resources)
    outputs["CPS_USER_POOL_ID"] = cognito["user_pool_id"]
    outputs["CPS_USER_POOL_CLIENT_ID"] = cognito["client_id"]
    outputs["CPS_REVIEWERS_GROUP"] = cognito["group"]
    outputs["CPS_TOKEN_ISSUER"] = (
        f"https://cognito-idp.{REGION}.amazonaws.com/{cognito['user_pool_id']}"
    )
    # The pool's keys, served by the embedded AWS instead of cognito-idp.amazonaws.com.
    outputs["CPS_JWKS_URL"] = f"{endpoint}/{cognito['user_pool_id']}/.well-known/jwks.json"

    _apply_bucket_notifications(template, outputs)
    boto3.client("ses", region_name=REGION).verify_email_identity(
        EmailAddress=outputs["CPS_NOREPLY_EMAIL"]
    )
    return outputs
