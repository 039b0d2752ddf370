"""What moto (5.2) cannot take of infra/resources.yaml, and how each gap is bridged.

``infra.local_template`` reads from the tables at the end of this module what it removes,
drops, inlines and applies by API, and the bridges' code is here beside them: the list is
the behaviour, not a description of it. ``RESOURCE_TYPES`` lists whole resources (``CUSTOM``
stands for every custom resource type), ``PROPERTIES`` a type's properties, ``TEMPLATE``
sections and what moto's CloudFormation engine gets wrong. tests/infra/test_moto_gaps.py
fails on a resource type that moto's CloudFormation lacks and that is not listed here.

The application's own moto gaps (``start_execution`` needs a ``name``, presigned-POST
conditions, URL-encoded S3 event keys, SES v2 templates) are bridged in its code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

Client = Callable[[str], Any]  # boto3.client-like: client("s3") is a client of the target
Created = tuple[str, dict[str, str]]  # what Ref gives, the GetAtt attributes


class Bridge(Enum):
    """How the deploy makes up for a gap; the signature of the gap's ``code`` where it has one."""

    CREATED_BY_API = "removed from moto's template; code(properties, client) -> Created"
    LEFT_TO_RUNTIME = "removed from moto's template; the local runtime does its work itself"
    APPLIED_BY_API = "applied once the resource exists; code(client, id, value, properties)"
    INLINED = "replaced by what it stands for before moto sees it; code(properties, base_dir)"
    DROPPED = "left out of what moto gets"
    RESOLVED_BY_US = "evaluated by infra.local_template instead of moto"
    NOT_REPRODUCED = "moto skips it (logging a warning) or ignores it; nothing local needs it"


@dataclass(frozen=True)
class Gap:
    why: str  # what moto does with it
    bridge: Bridge
    code: Callable[..., Any] | None = None


CUSTOM = "Custom::*"


def resource_gap(resource_type: str) -> Gap | None:
    return RESOURCE_TYPES.get(_key(resource_type))


def property_gaps(resource_type: str, bridge: Bridge) -> dict[str, Gap]:
    """The properties of ``resource_type`` bridged by ``bridge``, in the order to bridge them."""
    listed = PROPERTIES.get(_key(resource_type), {})
    return {name: gap for name, gap in listed.items() if gap.bridge is bridge}


def _key(resource_type: str) -> str:
    custom = resource_type.startswith(("Custom::", "AWS::CloudFormation::CustomResource"))
    return CUSTOM if custom else resource_type


def create_by_api(resource_type: str, properties: Mapping[str, Any], client: Client) -> Created:
    """Create a resource moto's CloudFormation cannot, with its (resolved) properties."""
    gap = resource_gap(resource_type)
    if gap is None or gap.code is None:
        raise NotImplementedError(f"{resource_type}: no creator in infra.moto_gaps")
    later = property_gaps(resource_type, Bridge.APPLIED_BY_API)
    created: Created = gap.code({k: v for k, v in properties.items() if k not in later}, client)
    apply_by_api(resource_type, created[0], properties, client)
    return created


def apply_by_api(
    resource_type: str, physical_id: str, properties: Mapping[str, Any], client: Client
) -> None:
    """Apply what the resource's creation did not (moto ignored it, or the API takes it apart)."""
    for name, gap in property_gaps(resource_type, Bridge.APPLIED_BY_API).items():
        if name in properties and gap.code is not None:
            gap.code(client, physical_id, properties[name], properties)


# ------------------------------------------------------------------ created by API


def _create_user_pool(properties: dict[str, Any], client: Client) -> Created:
    cognito = client("cognito-idp")
    kwargs = {"PoolName" if k == "UserPoolName" else k: v for k, v in properties.items()}
    pool = cognito.create_user_pool(**kwargs)["UserPool"]
    provider = f"cognito-idp.{cognito.meta.region_name}.amazonaws.com/{pool['Id']}"
    return pool["Id"], {
        "Arn": pool["Arn"],
        "ProviderName": provider,
        "ProviderURL": f"https://{provider}",
        "UserPoolId": pool["Id"],
    }


def _set_user_pool_mfa(
    client: Client, pool_id: str, enabled_mfas: list[str], properties: Mapping[str, Any]
) -> None:
    if enabled_mfas:
        client("cognito-idp").set_user_pool_mfa_config(
            UserPoolId=pool_id,
            MfaConfiguration=properties.get("MfaConfiguration", "OFF"),
            SoftwareTokenMfaConfiguration={"Enabled": "SOFTWARE_TOKEN_MFA" in enabled_mfas},
        )


def _create_user_pool_client(properties: dict[str, Any], client: Client) -> Created:
    created = client("cognito-idp").create_user_pool_client(**properties)["UserPoolClient"]
    return created["ClientId"], {"ClientId": created["ClientId"], "Name": created["ClientName"]}


def _create_group(properties: dict[str, Any], client: Client) -> Created:
    group = client("cognito-idp").create_group(**properties)["Group"]
    return group["GroupName"], {}


def _create_state_machine(properties: dict[str, Any], client: Client) -> Created:
    kwargs: dict[str, Any] = {
        "name": properties["StateMachineName"],
        "definition": properties["DefinitionString"],
        "roleArn": properties["RoleArn"],
        "type": properties.get("StateMachineType", "STANDARD"),
    }
    for name in ("LoggingConfiguration", "TracingConfiguration"):
        if name in properties:
            kwargs[_camel(name)] = _camel_keys(properties[name])
    arn: str = client("stepfunctions").create_state_machine(**kwargs)["stateMachineArn"]
    return arn, {"Arn": arn, "Name": properties["StateMachineName"]}


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _camel_keys(node: Any) -> Any:
    """CloudFormation's PascalCase keys -> the Step Functions API's camelCase keys."""
    if isinstance(node, list):
        return [_camel_keys(item) for item in node]
    if isinstance(node, dict):
        return {_camel(key): _camel_keys(value) for key, value in node.items()}
    return node


# ------------------------------------------------------------------ inlined


def _inline_definition(properties: dict[str, Any], base_dir: Path) -> None:
    """DefinitionS3Location + DefinitionSubstitutions -> a DefinitionString: an Fn::Join of the
    file's text and the substituted values (not an Fn::Sub: moto's turns the ASL's ``$$.``
    into ``$.``). A location in S3 (a mapping) is left to moto."""
    location = properties["DefinitionS3Location"]
    if not isinstance(location, str):
        return
    del properties["DefinitionS3Location"]
    text = (base_dir / location).read_text(encoding="utf-8")
    substitutions: dict[str, Any] = properties.pop("DefinitionSubstitutions", {})
    names = "|".join(re.escape(name) for name in substitutions)
    # split with a group: text, name, text, name, ..., text
    pieces = re.split(rf"\$\{{({names})\}}", text) if substitutions else [text]
    parts = [substitutions[piece] if i % 2 else piece for i, piece in enumerate(pieces)]
    properties["DefinitionString"] = {"Fn::Join": ["", parts]} if len(parts) > 1 else text


# ------------------------------------------------------------------ applied by API


def _s3_put(method: str, argument: str) -> Callable[..., None]:
    """An applier that hands the property, as it is, to one S3 Put call."""

    def apply(client: Client, bucket: str, value: Any, _: Mapping[str, Any]) -> None:
        getattr(client("s3"), method)(Bucket=bucket, **{argument: value})

    return apply


_LIFECYCLE_KEYS = {
    "Id",
    "Status",
    "Prefix",
    "ExpirationInDays",
    "NoncurrentVersionExpiration",
    "AbortIncompleteMultipartUpload",
    "Transitions",
}


def _lifecycle_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(rule) - _LIFECYCLE_KEYS
    if unknown:  # applied locally only as far as translated: refuse to drop a setting
        raise NotImplementedError(f"lifecycle rule {rule.get('Id')}: {sorted(unknown)}")
    api: dict[str, Any] = {
        "ID": rule.get("Id", ""),
        "Status": rule["Status"],
        "Filter": {"Prefix": rule.get("Prefix", "")},
    }
    if "ExpirationInDays" in rule:
        api["Expiration"] = {"Days": int(rule["ExpirationInDays"])}
    if "NoncurrentVersionExpiration" in rule:
        days = rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
        api["NoncurrentVersionExpiration"] = {"NoncurrentDays": int(days)}
    if "AbortIncompleteMultipartUpload" in rule:
        days = rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]
        api["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": int(days)}
    if "Transitions" in rule:
        api["Transitions"] = [
            {"Days": int(t["TransitionInDays"]), "StorageClass": t["StorageClass"]}
            for t in rule["Transitions"]
        ]
    return api


def _put_lifecycle(client: Client, bucket: str, value: Any, _: Mapping[str, Any]) -> None:
    rules = [_lifecycle_rule(rule) for rule in value["Rules"]]
    client("s3").put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": rules}
    )


def _put_cors(client: Client, bucket: str, value: Any, _: Mapping[str, Any]) -> None:
    renamed = {"Id": "ID", "ExposedHeaders": "ExposeHeaders", "MaxAge": "MaxAgeSeconds"}
    rules = [{renamed.get(k, k): v for k, v in rule.items()} for rule in value["CorsRules"]]
    client("s3").put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": rules})


def _queue_notification(config: Mapping[str, Any]) -> dict[str, Any]:
    api: dict[str, Any] = {"QueueArn": config["Queue"], "Events": [config["Event"]]}
    rules = config.get("Filter", {}).get("S3Key", {}).get("Rules", [])
    if rules:
        api["Filter"] = {"Key": {"FilterRules": rules}}
    return api


def _put_notifications(client: Client, bucket: str, value: Any, _: Mapping[str, Any]) -> None:
    queues = [_queue_notification(q) for q in value.get("QueueConfigurations", [])]
    client("s3").put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"QueueConfigurations": queues}
    )


def _update_time_to_live(client: Client, table: str, value: Any, _: Mapping[str, Any]) -> None:
    client("dynamodb").update_time_to_live(
        TableName=table,
        TimeToLiveSpecification={
            "AttributeName": value["AttributeName"],
            "Enabled": bool(value.get("Enabled", True)),
        },
    )


# ------------------------------------------------------------------ the tables

_NO_MODEL = (
    "moto's CloudFormation has no model for it: it logs 'No Moto CloudFormation support' and "
    "skips it; Ref to it gives nothing and GetAtt fails the stack"
)
_IGNORED = "moto's CloudFormation creates the resource without it"
_SERVED_LOCALLY = (
    "moto's CloudFormation has no model for it (nor moto's CloudFront API for a response "
    "headers policy); the local runtime serves web/dist itself on FrontendUrl "
    "(local_runtime/web.py): the app's routes answered with index.html, its own security "
    "headers. A Ref or GetAtt to it (the distribution's domain, when no FrontendUrl is given) "
    "gives a placeholder"
)

RESOURCE_TYPES: dict[str, Gap] = {
    "AWS::Cognito::UserPool": Gap(_NO_MODEL, Bridge.CREATED_BY_API, _create_user_pool),
    "AWS::Cognito::UserPoolClient": Gap(_NO_MODEL, Bridge.CREATED_BY_API, _create_user_pool_client),
    "AWS::Cognito::UserPoolGroup": Gap(_NO_MODEL, Bridge.CREATED_BY_API, _create_group),
    "AWS::StepFunctions::StateMachine": Gap(
        "moto's CloudFormation creates it in a backend that moto's executing Step Functions "
        "engine ({'stepfunctions': {'execute_state_machine': true}}) does not see: "
        "start_execution then answers StateMachineDoesNotExist",
        Bridge.CREATED_BY_API,
        _create_state_machine,
    ),
    CUSTOM: Gap(
        "moto would call its ServiceToken, a function of Chalice's (CatalogLoader for "
        "Custom::CatalogData) and so absent from this template; the local runtime loads the "
        "catalogue itself after deploying (its properties are resolved in an output)",
        Bridge.LEFT_TO_RUNTIME,
    ),
    "AWS::CloudWatch::Alarm": Gap(_NO_MODEL, Bridge.NOT_REPRODUCED),
    "AWS::SNS::Subscription": Gap(_NO_MODEL, Bridge.NOT_REPRODUCED),
    "AWS::S3::BucketPolicy": Gap(_NO_MODEL, Bridge.NOT_REPRODUCED),
    "AWS::SQS::QueuePolicy": Gap(_NO_MODEL, Bridge.NOT_REPRODUCED),
    # The web frontend's hosting (the site bucket itself is created, and stays empty).
    "AWS::CloudFront::Distribution": Gap(_SERVED_LOCALLY, Bridge.LEFT_TO_RUNTIME),
    "AWS::CloudFront::Function": Gap(_SERVED_LOCALLY, Bridge.LEFT_TO_RUNTIME),
    "AWS::CloudFront::ResponseHeadersPolicy": Gap(_SERVED_LOCALLY, Bridge.LEFT_TO_RUNTIME),
    "AWS::CloudFront::OriginAccessControl": Gap(
        _NO_MODEL + "; the local web server reads web/dist from disk, it signs no request",
        Bridge.NOT_REPRODUCED,
    ),
}

PROPERTIES: dict[str, dict[str, Gap]] = {
    "AWS::S3::Bucket": {  # moto applies the name, BucketEncryption and tags only
        "VersioningConfiguration": Gap(
            _IGNORED,
            Bridge.APPLIED_BY_API,
            _s3_put("put_bucket_versioning", "VersioningConfiguration"),
        ),
        "PublicAccessBlockConfiguration": Gap(
            _IGNORED,
            Bridge.APPLIED_BY_API,
            _s3_put("put_public_access_block", "PublicAccessBlockConfiguration"),
        ),
        "OwnershipControls": Gap(
            _IGNORED,
            Bridge.APPLIED_BY_API,
            _s3_put("put_bucket_ownership_controls", "OwnershipControls"),
        ),
        "LifecycleConfiguration": Gap(_IGNORED, Bridge.APPLIED_BY_API, _put_lifecycle),
        "CorsConfiguration": Gap(_IGNORED, Bridge.APPLIED_BY_API, _put_cors),
        "NotificationConfiguration": Gap(_IGNORED, Bridge.APPLIED_BY_API, _put_notifications),
        "LoggingConfiguration": Gap(_IGNORED, Bridge.NOT_REPRODUCED),
    },
    "AWS::DynamoDB::Table": {
        "TimeToLiveSpecification": Gap(_IGNORED, Bridge.APPLIED_BY_API, _update_time_to_live),
        "PointInTimeRecoverySpecification": Gap(_IGNORED, Bridge.NOT_REPRODUCED),
    },
    "AWS::Cognito::UserPool": {
        "EnabledMfas": Gap(
            "CloudFormation's property: the CreateUserPool API does not take it "
            "(SetUserPoolMfaConfig does)",
            Bridge.APPLIED_BY_API,
            _set_user_pool_mfa,
        ),
    },
    "AWS::StepFunctions::StateMachine": {
        "DefinitionS3Location": Gap(
            "a local file, which `aws cloudformation package` uploads in AWS: moto cannot read it",
            Bridge.INLINED,
            _inline_definition,
        ),
    },
    CUSTOM: {
        "ServiceToken": Gap(
            "a function of Chalice's, absent from this template: moto cannot resolve it",
            Bridge.DROPPED,
        ),
    },
}

TEMPLATE: dict[str, Gap] = {
    "Transform": Gap(
        "moto does not apply SAM; it only shapes the Lambda functions, which Chalice "
        "generates and the local runtime runs in-process",
        Bridge.DROPPED,
    ),
    "Globals": Gap("SAM's section for the Lambda functions (see Transform)", Bridge.DROPPED),
    "Conditions": Gap(
        "moto keeps None where Fn::If picks AWS::NoValue inside a list (CloudFormation drops "
        "the item): a conditional statement of an IAM policy became a null statement",
        Bridge.RESOLVED_BY_US,
    ),
    "Ref and Fn::GetAtt to a removed resource": Gap(
        "Ref gives nothing, GetAtt fails the stack: they become placeholder ARNs "
        "(arn:...:cloudformation:<region>:<account>:removed/<LogicalId>[/<Attribute>]), and "
        "DependsOn on them goes",
        Bridge.RESOLVED_BY_US,
    ),
    "Outputs referring to a removed resource": Gap(
        "moto cannot resolve them: they are evaluated once the removed resources exist (a "
        "resource left to the runtime, never created, gives its placeholder ARNs)",
        Bridge.RESOLVED_BY_US,
    ),
    "Outputs that are not function variables": Gap(
        "the deploy step's outputs (site bucket, distribution: their Description is a sentence, "
        "not a variable name); the local runtime has no deploy step and serves the site itself",
        Bridge.DROPPED,
    ),
}
