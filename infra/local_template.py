"""Deploy infra/resources.yaml into moto: the same template as in AWS, adapted where needed.

moto's CloudFormation (5.2) creates the tables, queues, buckets, state machine, IAM roles,
KMS key, SNS topic and log group of the template, but:

- has no model for ``AWS::Cognito::*``, ``AWS::CloudWatch::Alarm``, ``AWS::SNS::Subscription``,
  ``AWS::S3::BucketPolicy`` or ``AWS::SQS::QueuePolicy``: it logs "No Moto CloudFormation
  support", skips them, and ``Ref`` to them resolves to nothing (``GetAtt`` fails the stack);
- cannot read ``DefinitionS3Location`` (a local file that ``aws cloudformation package``
  uploads in AWS), and creates ``AWS::StepFunctions::StateMachine`` in a backend that moto's
  executing Step Functions engine (``{"stepfunctions": {"execute_state_machine": true}}``)
  does not see: ``start_execution`` then answers StateMachineDoesNotExist;
- ignores, on ``AWS::S3::Bucket``, everything but the name, ``BucketEncryption`` and tags
  (versioning, public-access block, ownership, lifecycle, CORS, notifications, logging),
  and on ``AWS::DynamoDB::Table`` the ``TimeToLiveSpecification`` and point-in-time recovery;
- does not apply ``Transform``/``Globals`` (SAM); they only matter to the Lambda functions,
  which Chalice generates and the local runtime runs in-process;
- would call a custom resource's (``Custom::*``) ``ServiceToken`` function, which is one of
  Chalice's (``CatalogLoader`` for ``Custom::CatalogData``) and so absent from this template;
- keeps ``None`` where ``Fn::If`` picks ``AWS::NoValue`` inside a list (CloudFormation drops
  the item): a conditional statement of an IAM policy became a ``null`` statement.

Pure part (no AWS calls):

``for_moto(template_path, parameters=None) -> MotoTemplate``, a named tuple ``(template,
removed, dropped_outputs)`` that also unpacks as ``template, removed, dropped = for_moto(path)``:

- ``template``: the template as a plain dict, ready for
  ``create_stack(TemplateBody=json.dumps(template))``. ``Transform`` and ``Globals`` are
  removed. The conditions are decided with ``parameters`` (over the defaults), as
  CloudFormation does: each ``Fn::If`` becomes its chosen value, ``AWS::NoValue`` leaves no
  trace (not even in a list), resources and outputs whose condition is false are left out,
  and ``Conditions`` goes. ``Ref``/``GetAtt``/``${...}`` to removed resources left in other
  resources (the
  Lambda role's policy, the alarms) become placeholder ARNs; ``DependsOn`` on them is
  dropped. Extra outputs, which moto resolves after creating the stack, carry what is to
  be done by API: ``MotoApply<LogicalId>`` the settings moto ignores on a bucket or table
  (the queue ARN of a bucket notification resolved...), ``MotoProperties<LogicalId>`` the
  resolved properties of a removed resource that refers to no other removed resource.
- ``removed``: logical id -> resource: the ``AWS::Cognito::*`` resources and the state
  machines, to create by API, and the custom resources, which ``deploy`` does not create
  (the local runtime does their work itself: it calls the catalogue loader after
  deploying). The ``MotoProperties<LogicalId>`` output of a custom resource holds its
  resolved properties without ``ServiceToken``. A state machine's ``DefinitionS3Location`` +
  ``DefinitionSubstitutions`` has become a ``DefinitionString``: an ``Fn::Join`` of the
  file's text and the substituted values (not ``Fn::Sub``: moto's turns the ASL's ``$$.``
  into ``$.``).
- ``dropped_outputs``: output key -> output, the outputs that refer to removed resources,
  to compute once those exist.

Helpers: ``load_template(path)`` parses the YAML (short tags ``!Ref``, ``!Sub``...);
``parameter_values(template, overrides)`` the parameters a stack gets;
``resolve_conditions(template, parameters)`` the condition step of ``for_moto``;
``output_key("CPS_APPLICATIONS_TABLE") == "CpsApplicationsTable"`` and ``env_var`` is its
inverse (CloudFormation output ids must be alphanumeric, so the outputs carry the
environment variables' names in CamelCase); ``env_from_outputs(describe_stacks outputs)``
returns the environment variables.

Impure part, optional for the local runtime and used by tests/infra:

``deploy(stack_name, template_path, client, parameters=None) -> dict[str, str]`` creates the
stack, waits for CREATE_COMPLETE, applies the ``MotoApply*`` settings, creates the removed
resources by API except the custom resources (turn on moto's execution of state machines
before calling it), and returns every environment variable of the template's ``Globals``
(``client`` is ``boto3.client``-like: ``client("s3")`` returns a client for the target, e.g.
``functools.partial(boto3.client, region_name=..., endpoint_url=...)``). Bucket policies,
queue policies, alarms, the e-mail subscription, server access logging and point-in-time
recovery are not reproduced locally.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from cfnlint.decode import decode

CUSTOM_TYPE_PREFIXES = ("Custom::", "AWS::CloudFormation::CustomResource")
REMOVED_TYPE_PREFIXES = (
    "AWS::Cognito::",
    "AWS::StepFunctions::StateMachine",
    *CUSTOM_TYPE_PREFIXES,
)
LOCAL_OUTPUT_PREFIX = "Moto"
APPLY_OUTPUT_PREFIX = f"{LOCAL_OUTPUT_PREFIX}Apply"
PROPERTIES_OUTPUT_PREFIX = f"{LOCAL_OUTPUT_PREFIX}Properties"

_BUCKET_SETTINGS = (
    "VersioningConfiguration",
    "PublicAccessBlockConfiguration",
    "OwnershipControls",
    "LifecycleConfiguration",
    "CorsConfiguration",
    "NotificationConfiguration",
)
_TABLE_SETTINGS = ("TimeToLiveSpecification",)
_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


class MotoTemplate(NamedTuple):
    template: dict[str, Any]
    removed: dict[str, dict[str, Any]]
    dropped_outputs: dict[str, dict[str, Any]]


# ---------------------------------------------------------------------------- pure part


def load_template(template_path: Path) -> dict[str, Any]:
    """Parse a CloudFormation YAML/JSON file into plain dicts and lists."""
    template, problems = decode(str(template_path))
    if problems or template is None:
        raise ValueError(f"{template_path}: {[str(p) for p in problems]}")
    plain: dict[str, Any] = json.loads(json.dumps(template))
    return plain


def output_key(env_var: str) -> str:
    """CPS_APPLICATIONS_TABLE -> CpsApplicationsTable (output ids must be alphanumeric)."""
    return "".join(word.capitalize() for word in env_var.split("_"))


def env_var(key: str) -> str:
    """CpsApplicationsTable -> CPS_APPLICATIONS_TABLE, the inverse of output_key."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).upper()


def env_from_outputs(outputs: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """describe_stacks' Outputs (OutputKey/OutputValue) -> environment variables."""
    return {
        env_var(o["OutputKey"]): o["OutputValue"]
        for o in outputs
        if not o["OutputKey"].startswith(LOCAL_OUTPUT_PREFIX)
    }


def for_moto(template_path: Path, parameters: Mapping[str, str] | None = None) -> MotoTemplate:
    """Return the template moto can create, the resources it cannot, and their outputs."""
    template = load_template(template_path)
    template = resolve_conditions(template, parameter_values(template, parameters))
    template.pop("Transform", None)
    template.pop("Globals", None)
    resources: dict[str, Any] = template["Resources"]
    for resource in resources.values():
        if resource["Type"] == "AWS::StepFunctions::StateMachine":
            _inline_definition(resource["Properties"], template_path.parent)

    removed = {
        logical_id: resource
        for logical_id, resource in resources.items()
        if resource["Type"].startswith(REMOVED_TYPE_PREFIXES)
    }
    for logical_id in removed:
        del resources[logical_id]

    for logical_id, resource in resources.items():
        resources[logical_id] = _replace_references(resource, set(removed))
        depends_on = resource.get("DependsOn")
        if depends_on is not None:
            names = [depends_on] if isinstance(depends_on, str) else depends_on
            kept = [name for name in names if name not in removed]
            if kept:
                resources[logical_id]["DependsOn"] = kept
            else:
                del resources[logical_id]["DependsOn"]

    outputs: dict[str, Any] = template.setdefault("Outputs", {})
    dropped = {
        key: output
        for key, output in outputs.items()
        if referenced_names(output.get("Value")) & set(removed)
    }
    for key in dropped:
        del outputs[key]
    outputs.update(_apply_outputs(resources))
    resolvable = set(resources) | set(template.get("Parameters", {}))
    for logical_id, resource in removed.items():
        properties = resource.get("Properties", {})
        if is_custom(resource):
            properties = {k: v for k, v in properties.items() if k != "ServiceToken"}
        names = {n for n in referenced_names(properties) if not n.startswith("AWS::")}
        if names <= resolvable:
            outputs[f"{PROPERTIES_OUTPUT_PREFIX}{logical_id}"] = {
                "Value": {"Fn::ToJsonString": properties}
            }
    return MotoTemplate(template, removed, dropped)


def parameter_values(
    template: Mapping[str, Any], overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Each parameter's value in a stack created with ``overrides``: given, else its default."""
    return {
        **{
            name: str(spec.get("Default", ""))
            for name, spec in template.get("Parameters", {}).items()
        },
        **(overrides or {}),
    }


def resolve_conditions(
    template: Mapping[str, Any], parameters: Mapping[str, str]
) -> dict[str, Any]:
    """The template as CloudFormation sees it once the conditions are decided.

    Conditions may use ``Fn::Equals``, ``Fn::Not``, ``Fn::And``, ``Fn::Or``, ``Condition`` and
    ``Ref`` to parameters. ``Fn::If`` gives way to its chosen value; ``Ref: AWS::NoValue``
    removes its key or list item; resources and outputs under a false condition are left
    out; the ``Conditions`` section goes.
    """
    definitions: dict[str, Any] = template.get("Conditions", {})
    decided: dict[str, bool] = {}

    def condition(name: str) -> bool:
        if name not in decided:
            if name not in definitions:
                raise ValueError(f"unknown condition {name}")
            decided[name] = bool(evaluate(definitions[name]))
        return decided[name]

    def evaluate(node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        (function, argument), *_ = node.items()
        if function == "Ref":
            if argument not in parameters:
                raise ValueError(f"condition refers to {argument}, not a parameter")
            return parameters[argument]
        if function == "Condition":
            return condition(argument)
        if function == "Fn::Equals":
            left, right = (evaluate(item) for item in argument)
            return str(left) == str(right)
        if function == "Fn::Not":
            return not evaluate(argument[0])
        if function == "Fn::And":
            return all(evaluate(item) for item in argument)
        if function == "Fn::Or":
            return any(evaluate(item) for item in argument)
        raise NotImplementedError(f"{function} in a condition")

    def resolve(node: Any) -> Any:
        if isinstance(node, list):
            return [item for item in (resolve(item) for item in node) if item is not _NO_VALUE]
        if not isinstance(node, dict):
            return node
        if node == {"Ref": "AWS::NoValue"}:
            return _NO_VALUE
        if len(node) == 1 and "Fn::If" in node:
            name, if_true, if_false = node["Fn::If"]
            return resolve(if_true if condition(name) else if_false)
        resolved = {key: resolve(value) for key, value in node.items()}
        return {key: value for key, value in resolved.items() if value is not _NO_VALUE}

    result: dict[str, Any] = {}
    for section, value in template.items():
        if section == "Conditions":
            continue
        if section in ("Resources", "Outputs"):
            value = {
                key: {k: v for k, v in entry.items() if k != "Condition"}
                for key, entry in value.items()
                if "Condition" not in entry or condition(entry["Condition"])
            }
        result[section] = resolve(value)
    return result


_NO_VALUE = object()


def is_custom(resource: Mapping[str, Any]) -> bool:
    """A custom resource: its work is done by a function of Chalice's, not by CloudFormation."""
    resource_type: str = resource["Type"]
    return resource_type.startswith(CUSTOM_TYPE_PREFIXES)


def _apply_outputs(resources: Mapping[str, Any]) -> dict[str, Any]:
    outputs: dict[str, Any] = {}
    for logical_id, resource in resources.items():
        wanted = {
            "AWS::S3::Bucket": _BUCKET_SETTINGS,
            "AWS::DynamoDB::Table": _TABLE_SETTINGS,
        }.get(resource["Type"], ())
        properties = resource.get("Properties", {})
        settings = {name: properties[name] for name in wanted if name in properties}
        if settings:
            outputs[f"{APPLY_OUTPUT_PREFIX}{logical_id}"] = {
                "Value": {
                    "Fn::ToJsonString": {
                        "Type": resource["Type"],
                        "Name": {"Ref": logical_id},
                        "Properties": settings,
                    }
                }
            }
    return outputs


def _inline_definition(properties: dict[str, Any], base_dir: Path) -> None:
    location = properties.pop("DefinitionS3Location", None)
    if not isinstance(location, str):
        if location is not None:
            properties["DefinitionS3Location"] = location
        return
    text = (base_dir / location).read_text(encoding="utf-8")
    substitutions: dict[str, Any] = properties.pop("DefinitionSubstitutions", {})
    parts: list[Any] = []
    position = 0
    for match in _SUB_VARIABLE.finditer(text):
        if match.group(1) in substitutions:
            parts.extend([text[position : match.start()], substitutions[match.group(1)]])
            position = match.end()
    parts.append(text[position:])
    properties["DefinitionString"] = {"Fn::Join": ["", parts]} if len(parts) > 1 else text


def _placeholder(name: str, attribute: str | None = None) -> dict[str, str]:
    suffix = f"{name}/{attribute}" if attribute else name
    return {
        "Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}"
        f":removed/{suffix}"
    }


def _replace_references(node: Any, removed: set[str]) -> Any:
    if isinstance(node, list):
        return [_replace_references(item, removed) for item in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        (function, argument), *_ = node.items()
        if function == "Ref" and argument in removed:
            return _placeholder(argument)
        if function == "Fn::GetAtt":
            name, attribute = _getatt_parts(argument)
            if name in removed:
                return _placeholder(name, attribute)
        if function == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else argument

            def swap(match: re.Match[str]) -> str:
                name = match.group(1).split(".", 1)[0]
                if name in removed and name not in variables:
                    return f"removed-{match.group(1).replace('.', '-')}"
                return match.group(0)

            new_text = _SUB_VARIABLE.sub(swap, text)
            new_variables = _replace_references(variables, removed)
            return {"Fn::Sub": [new_text, new_variables] if new_variables else new_text}
    return {key: _replace_references(value, removed) for key, value in node.items()}


def _getatt_parts(argument: Any) -> tuple[str, str]:
    if isinstance(argument, str):
        name, _, attribute = argument.partition(".")
        return name, attribute
    return str(argument[0]), str(argument[1])


def referenced_names(node: Any) -> set[str]:
    """Logical ids (and parameters) a value refers to through Ref, GetAtt or Sub."""
    if isinstance(node, list):
        return set().union(*(referenced_names(item) for item in node))
    if not isinstance(node, dict):
        return set()
    names: set[str] = set()
    for function, argument in node.items():
        if function == "Ref" and isinstance(argument, str):
            names.add(argument)
        elif function == "Fn::GetAtt":
            names.add(_getatt_parts(argument)[0])
        elif function == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else argument
            names |= {m.group(1).split(".", 1)[0] for m in _SUB_VARIABLE.finditer(text)}
            names -= set(variables)
            names |= referenced_names(variables)
        else:
            names |= referenced_names(argument)
    return names


# ---------------------------------------------------------------------------- impure part

Client = Callable[[str], Any]


def deploy(
    stack_name: str,
    template_path: Path,
    client: Client,
    parameters: Mapping[str, str] | None = None,
    timeout_s: float = 30.0,
) -> dict[str, str]:
    """Create the stack in moto, finish what moto skips, return the environment variables."""
    moto_template = for_moto(template_path, parameters)
    cloudformation = client("cloudformation")
    cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(moto_template.template),
        Parameters=[
            {"ParameterKey": key, "ParameterValue": value}
            for key, value in (parameters or {}).items()
        ],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    stack = _wait_for_stack(cloudformation, stack_name, timeout_s)
    outputs = stack.get("Outputs", [])
    for output in outputs:
        if output["OutputKey"].startswith(APPLY_OUTPUT_PREFIX):
            _apply_settings(json.loads(output["OutputValue"]), client)

    context = _Context(
        parameters=parameter_values(moto_template.template, parameters),
        pseudo={
            "AWS::Region": cloudformation.meta.region_name,
            "AWS::AccountId": stack["StackId"].split(":")[4],
            "AWS::Partition": "aws",
            "AWS::StackName": stack_name,
            "AWS::URLSuffix": "amazonaws.com",
        },
    )
    resolved = {
        o["OutputKey"].removeprefix(PROPERTIES_OUTPUT_PREFIX): json.loads(o["OutputValue"])
        for o in outputs
        if o["OutputKey"].startswith(PROPERTIES_OUTPUT_PREFIX)
    }
    _create_removed(moto_template.removed, resolved, client, context)
    env = env_from_outputs(outputs)
    for key, output in moto_template.dropped_outputs.items():
        env[env_var(key)] = str(context.resolve(output["Value"]))
    return env


def _wait_for_stack(cloudformation: Any, stack_name: str, timeout_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        stack: dict[str, Any] = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
        status = stack["StackStatus"]
        if status == "CREATE_COMPLETE":
            return stack
        if not status.endswith("IN_PROGRESS") or time.monotonic() > deadline:
            raise RuntimeError(f"stack {stack_name} is {status}: {stack.get('StackStatusReason')}")
        time.sleep(0.2)


def _apply_settings(spec: Mapping[str, Any], client: Client) -> None:
    name, properties = spec["Name"], spec["Properties"]
    if spec["Type"] == "AWS::DynamoDB::Table":
        ttl = properties["TimeToLiveSpecification"]
        client("dynamodb").update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={
                "AttributeName": ttl["AttributeName"],
                "Enabled": bool(ttl.get("Enabled", True)),
            },
        )
        return
    s3 = client("s3")
    if "VersioningConfiguration" in properties:
        s3.put_bucket_versioning(
            Bucket=name, VersioningConfiguration=properties["VersioningConfiguration"]
        )
    if "PublicAccessBlockConfiguration" in properties:
        s3.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration=properties["PublicAccessBlockConfiguration"],
        )
    if "OwnershipControls" in properties:
        s3.put_bucket_ownership_controls(
            Bucket=name, OwnershipControls=properties["OwnershipControls"]
        )
    if "LifecycleConfiguration" in properties:
        s3.put_bucket_lifecycle_configuration(
            Bucket=name,
            LifecycleConfiguration={
                "Rules": [_lifecycle_rule(r) for r in properties["LifecycleConfiguration"]["Rules"]]
            },
        )
    if "CorsConfiguration" in properties:
        s3.put_bucket_cors(
            Bucket=name,
            CORSConfiguration={
                "CORSRules": [_cors_rule(r) for r in properties["CorsConfiguration"]["CorsRules"]]
            },
        )
    if "NotificationConfiguration" in properties:
        s3.put_bucket_notification_configuration(
            Bucket=name,
            NotificationConfiguration={
                "QueueConfigurations": [
                    _queue_notification(q)
                    for q in properties["NotificationConfiguration"].get("QueueConfigurations", [])
                ]
            },
        )


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


def _cors_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    renamed = {"Id": "ID", "ExposedHeaders": "ExposeHeaders", "MaxAge": "MaxAgeSeconds"}
    return {renamed.get(key, key): value for key, value in rule.items()}


def _queue_notification(config: Mapping[str, Any]) -> dict[str, Any]:
    api: dict[str, Any] = {"QueueArn": config["Queue"], "Events": [config["Event"]]}
    rules = config.get("Filter", {}).get("S3Key", {}).get("Rules", [])
    if rules:
        api["Filter"] = {"Key": {"FilterRules": rules}}
    return api


class _Context:
    """Resolves the few intrinsic functions the Cognito resources and their outputs use."""

    def __init__(self, parameters: Mapping[str, str], pseudo: Mapping[str, str]) -> None:
        self.refs: dict[str, str] = {**parameters, **pseudo}
        self.attributes: dict[str, dict[str, str]] = {}

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (function, argument), *_ = node.items()
            if function == "Ref":
                return self.refs[argument]
            if function == "Fn::GetAtt":
                name, attribute = _getatt_parts(argument)
                return self.attributes[name][attribute]
            if function == "Fn::Sub":
                text, variables = (argument, {}) if isinstance(argument, str) else argument
                values = {key: str(self.resolve(value)) for key, value in variables.items()}
                return _SUB_VARIABLE.sub(
                    lambda m: values[m.group(1)] if m.group(1) in values else self._sub(m), text
                )
            if function == "Fn::Join":
                separator, items = argument
                return separator.join(str(item) for item in self.resolve(items))
            if function.startswith("Fn::"):
                raise NotImplementedError(f"{function} in a resource created by API")
        return {key: self.resolve(value) for key, value in node.items()}

    def _sub(self, match: re.Match[str]) -> str:
        name, _, attribute = match.group(1).partition(".")
        return self.attributes[name][attribute] if attribute else self.refs[name]


def _create_removed(
    removed: Mapping[str, Any],
    resolved: Mapping[str, Any],
    client: Client,
    context: _Context,
) -> None:
    """Create the removed resources by API, each after those it refers to (not custom ones)."""
    pending = {
        logical_id: resource for logical_id, resource in removed.items() if not is_custom(resource)
    }
    while pending:
        ready = [
            logical_id
            for logical_id, resource in pending.items()
            if not (referenced_names(resource.get("Properties", {})) & set(pending))
        ]
        if not ready:
            raise ValueError(f"circular references among {sorted(pending)}")
        for logical_id in ready:
            resource = pending.pop(logical_id)
            create = _CREATORS.get(resource["Type"])
            if create is None:
                raise NotImplementedError(f"{logical_id}: {resource['Type']} by API")
            properties = resolved.get(logical_id)
            if properties is None:
                properties = context.resolve(resource.get("Properties", {}))
            ref, attributes = create(properties, client, context)
            context.refs[logical_id], context.attributes[logical_id] = ref, attributes


Created = tuple[str, dict[str, str]]  # what Ref returns, the GetAtt attributes


def _create_user_pool(properties: dict[str, Any], client: Client, context: _Context) -> Created:
    kwargs = dict(properties)
    kwargs["PoolName"] = kwargs.pop("UserPoolName")
    enabled_mfas = kwargs.pop("EnabledMfas", [])  # CloudFormation's; the API sets it apart
    cognito = client("cognito-idp")
    pool = cognito.create_user_pool(**kwargs)["UserPool"]
    if enabled_mfas:
        cognito.set_user_pool_mfa_config(
            UserPoolId=pool["Id"],
            MfaConfiguration=kwargs.get("MfaConfiguration", "OFF"),
            SoftwareTokenMfaConfiguration={"Enabled": "SOFTWARE_TOKEN_MFA" in enabled_mfas},
        )
    provider = f"cognito-idp.{context.refs['AWS::Region']}.amazonaws.com/{pool['Id']}"
    return pool["Id"], {
        "Arn": pool["Arn"],
        "ProviderName": provider,
        "ProviderURL": f"https://{provider}",
        "UserPoolId": pool["Id"],
    }


def _create_user_pool_client(
    properties: dict[str, Any], client: Client, context: _Context
) -> Created:
    created = client("cognito-idp").create_user_pool_client(**properties)["UserPoolClient"]
    return created["ClientId"], {"ClientId": created["ClientId"], "Name": created["ClientName"]}


def _create_group(properties: dict[str, Any], client: Client, context: _Context) -> Created:
    group = client("cognito-idp").create_group(**properties)["Group"]
    return group["GroupName"], {}


def _create_state_machine(properties: dict[str, Any], client: Client, context: _Context) -> Created:
    kwargs: dict[str, Any] = {
        "name": properties["StateMachineName"],
        "definition": properties["DefinitionString"],
        "roleArn": properties["RoleArn"],
        "type": properties.get("StateMachineType", "STANDARD"),
    }
    for cfn_name, api_name in (
        ("LoggingConfiguration", "loggingConfiguration"),
        ("TracingConfiguration", "tracingConfiguration"),
    ):
        if cfn_name in properties:
            kwargs[api_name] = _lower_first(properties[cfn_name])
    arn: str = client("stepfunctions").create_state_machine(**kwargs)["stateMachineArn"]
    return arn, {"Arn": arn, "Name": properties["StateMachineName"]}


def _lower_first(node: Any) -> Any:
    """CloudFormation's PascalCase keys -> the Step Functions API's camelCase keys."""
    if isinstance(node, list):
        return [_lower_first(item) for item in node]
    if isinstance(node, dict):
        return {key[:1].lower() + key[1:]: _lower_first(value) for key, value in node.items()}
    return node


_CREATORS: dict[str, Callable[[dict[str, Any], Client, _Context], Created]] = {
    "AWS::Cognito::UserPool": _create_user_pool,
    "AWS::Cognito::UserPoolClient": _create_user_pool_client,
    "AWS::Cognito::UserPoolGroup": _create_group,
    "AWS::StepFunctions::StateMachine": _create_state_machine,
}
