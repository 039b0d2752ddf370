"""Deploy infra/resources.yaml into moto: the same template as in AWS, adapted where needed.

What moto lacks, and how each gap is bridged, is listed in infra/moto_gaps.py; this module
applies that list (``for_moto``, pure; ``deploy``, which calls AWS), evaluating
CloudFormation's intrinsic functions with one ``Evaluator``.

``deploy(stack_name, template_path, client, parameters=None)`` creates the stack, waits for
CREATE_COMPLETE, applies by API what moto ignored, creates by API the resources moto cannot
(turn on moto's execution of state machines first) and returns every environment variable
of the template's ``Globals``. ``client`` is ``boto3.client``-like, e.g.
``functools.partial(boto3.client, region_name=..., endpoint_url=...)``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from infra import moto_gaps
from infra.moto_gaps import Bridge, Client

LOCAL_OUTPUT_PREFIX = "Moto"
APPLY_OUTPUT_PREFIX = f"{LOCAL_OUTPUT_PREFIX}Apply"
PROPERTIES_OUTPUT_PREFIX = f"{LOCAL_OUTPUT_PREFIX}Properties"

# ---------------------------------------------------------------------------- evaluator

NO_VALUE: Any = object()  # what Ref AWS::NoValue gives: the key or list item holding it goes
_SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class IntrinsicError(ValueError):
    """A function the evaluator does not know, or a name it has no value for."""


class _Unresolved(Exception):
    """Raised, in a partial evaluation, where a function cannot be evaluated to the end."""


class Evaluator:
    """CloudFormation's intrinsic functions, evaluated in one walk over a value.

    ``refs``: what ``Ref`` and ``${Name}`` give (parameters, pseudo parameters, physical ids);
    a value may itself be an expression, evaluated in the same scope. ``attributes``: logical
    id -> attribute -> what ``Fn::GetAtt`` and ``${Name.Attribute}`` give. ``conditions``: the
    template's conditions (definitions or decided booleans), decided on first use.
    ``partial``: a function that refers to a name without a value is left for CloudFormation
    (its arguments evaluated as far as they go) instead of failing. ``on_reference`` hears of
    every name referred to, known or not.
    """

    def __init__(
        self,
        refs: Mapping[str, Any] | None = None,
        attributes: Mapping[str, Mapping[str, Any]] | None = None,
        conditions: Mapping[str, Any] | None = None,
        *,
        partial: bool = False,
        on_reference: Callable[[str], None] | None = None,
    ) -> None:
        self.refs = {} if refs is None else refs  # not copied: deploy adds what it creates
        self.attributes = {} if attributes is None else attributes
        self.conditions = conditions
        self.partial = partial
        self._on_reference = on_reference or (lambda name: None)
        self._decided: dict[str, bool] = {}
        # Functions left for CloudFormation so far: a partial result is one that raised it.
        self._unevaluated = 0

    def evaluate(self, node: Any) -> Any:
        if isinstance(node, list):
            return [item for item in map(self.evaluate, node) if item is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, argument),) = node.items()
            if key == "Ref" or key.startswith("Fn::") or _is_condition(key, argument):
                return self._call(key, argument)
        evaluated = {key: self.evaluate(value) for key, value in node.items()}
        return {key: value for key, value in evaluated.items() if value is not NO_VALUE}

    def _call(self, function: str, argument: Any) -> Any:
        if function not in _FUNCTIONS and function not in _OF_VALUES:
            known = ", ".join([*_FUNCTIONS, *_OF_VALUES])
            raise IntrinsicError(f"{function} is not supported (known: {known})")
        try:
            if function in _OF_VALUES:
                return _OF_VALUES[function](*self._plain(argument))
            return _FUNCTIONS[function](self, argument)
        except _Unresolved:
            self._unevaluated += 1
            if isinstance(argument, list):  # an unevaluated Fn::If keeps its AWS::NoValue
                kept = map(self.evaluate, argument)
                return {function: [{"Ref": "AWS::NoValue"} if v is NO_VALUE else v for v in kept]}
            return {function: self.evaluate(argument)}

    def _plain(self, node: Any) -> Any:
        """``node`` evaluated to the end, or _Unresolved (the enclosing function is left)."""
        before = self._unevaluated
        value = self.evaluate(node)
        if self._unevaluated != before:
            raise _Unresolved
        return value

    def _lookup(self, scope: Mapping[str, Any], key: str, expression: str) -> Any:
        try:
            return scope[key]
        except KeyError:
            if self.partial:
                raise _Unresolved from None
            raise IntrinsicError(f"{expression}: no value for {key}") from None

    def _ref(self, name: str) -> Any:
        self._on_reference(name)
        if name == "AWS::NoValue":
            return NO_VALUE
        return self.evaluate(self._lookup(self.refs, name, f"Ref {name}"))

    def _get_att(self, argument: str | list[Any]) -> Any:
        parts = argument.split(".", 1) if isinstance(argument, str) else self._plain(argument)
        name, attribute = parts
        self._on_reference(name)
        expression = f"Fn::GetAtt {name}.{attribute}"
        attributes = self._lookup(self.attributes, name, expression)
        return self.evaluate(self._lookup(attributes, attribute, expression))

    def _sub(self, argument: str | list[Any]) -> Any:
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        values = {name: self.evaluate(value) for name, value in variables.items()}
        left: dict[str, Any] = {}  # variables whose value is left for CloudFormation
        unevaluated = False

        def substitute(match: re.Match[str]) -> str:
            nonlocal unevaluated
            name = match.group(1)
            if name.startswith("!"):  # ${!Literal}: written ${Literal} once all is substituted
                return match.group(0)
            value = values[name] if name in values else self.evaluate(_reference(name))
            if not isinstance(value, dict | list):
                return str(value)
            unevaluated = True
            spliced = value.get("Fn::Sub") if isinstance(value, dict) else None
            if isinstance(spliced, str):  # an unevaluated Sub of its own (a placeholder)
                return spliced
            if name in values:
                left[name] = value
            return match.group(0)

        text = _SUB_VARIABLE.sub(substitute, text)
        if not unevaluated:
            return text.replace("${!", "${")
        self._unevaluated += 1
        return {"Fn::Sub": [text, left] if left else text}

    def _if(self, argument: list[Any]) -> Any:
        name, if_true, if_false = argument
        return self.evaluate(if_true if self._condition(name) else if_false)

    def _condition(self, name: str) -> bool:
        if name not in self._decided:
            if self.conditions is None and self.partial:
                raise _Unresolved  # no conditions given (referenced_names): both branches stay
            definitions = self.conditions or {}
            if name not in definitions:
                raise IntrinsicError(f"condition {name} is not defined")
            self._decided[name] = bool(self._plain(definitions[name]))
        return self._decided[name]

    def _to_json_string(self, argument: Any) -> str:
        return json.dumps(self._plain(argument), separators=(",", ":"))


# Functions of values: their argument list is evaluated to the end, then spread over them.
_OF_VALUES: dict[str, Callable[..., Any]] = {
    "Fn::Join": lambda separator, items: str(separator).join(str(item) for item in items),
    "Fn::Select": lambda index, items: items[int(index)],
    "Fn::Split": lambda separator, text: str(text).split(separator),
    "Fn::Equals": lambda left, right: str(left) == str(right),
    "Fn::Not": lambda value: not value,
    "Fn::And": lambda *values: all(values),
    "Fn::Or": lambda *values: any(values),
}
# Functions that evaluate their argument themselves, as far as they need to.
_FUNCTIONS: dict[str, Callable[[Evaluator, Any], Any]] = {
    "Ref": Evaluator._ref,
    "Condition": Evaluator._condition,
    "Fn::GetAtt": Evaluator._get_att,
    "Fn::Sub": Evaluator._sub,
    "Fn::If": Evaluator._if,
    "Fn::ToJsonString": Evaluator._to_json_string,
}


def _is_condition(key: str, argument: Any) -> bool:
    """``{"Condition": "Name"}`` inside Fn::And/Or/Not (an IAM statement's is a mapping)."""
    return key == "Condition" and isinstance(argument, str)


def _reference(name: str) -> dict[str, Any]:
    """What ``${name}`` stands for in an Fn::Sub."""
    return {"Fn::GetAtt": name.split(".", 1)} if "." in name else {"Ref": name}


def referenced_names(node: Any) -> set[str]:
    """Logical ids, parameters and pseudo parameters a value refers to (Ref, GetAtt, ${...})."""
    names: set[str] = set()
    Evaluator(partial=True, on_reference=names.add).evaluate(node)
    return names


# ---------------------------------------------------------------------------- pure part


class MotoTemplate(NamedTuple):
    """What ``for_moto`` gives; unpacks as ``template, removed, dropped = for_moto(path)``.

    ``template``: for ``create_stack(TemplateBody=json.dumps(template))``: conditions decided
    (``resolve_conditions``), the sections moto_gaps drops gone, references to removed
    resources turned into placeholder ARNs. Its extra outputs, which moto resolves, carry
    what is left to do: ``MotoApply<LogicalId>`` the properties moto ignores of a resource it
    creates, ``MotoProperties<LogicalId>`` the properties of a removed resource that refers
    to no other removed resource. ``removed``: logical id -> resource, those moto_gaps creates
    by API (a state machine's definition inlined) or leaves to the local runtime.
    ``dropped_outputs``: the outputs that refer to removed resources, evaluated once these exist
    (a resource left to the runtime gives its placeholders). Outputs that are no function
    variable (``is_variable_output``) are left out.
    """

    template: dict[str, Any]
    removed: dict[str, dict[str, Any]]
    dropped_outputs: dict[str, dict[str, Any]]


class _TemplateLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML with CloudFormation's short forms (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) read as
    their long forms; libyaml's parser where PyYAML has it."""


def _long_form(loader: yaml.SafeLoader, function: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if function in ("Ref", "Condition"):
        return {function: value}
    if function == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)  # !GetAtt Resource.Attribute
    return {f"Fn::{function}": value}


_TemplateLoader.add_multi_constructor("!", _long_form)


def load_template(template_path: Path) -> dict[str, Any]:
    """Parse a CloudFormation YAML/JSON file into plain dicts and lists (cfn-lint, in the
    tests, checks the template itself: it is not imported here, where it would cost every
    start of the local runtime most of a second)."""
    try:
        text = template_path.read_text(encoding="utf-8")
        template = yaml.load(text, Loader=_TemplateLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as error:
        raise ValueError(f"{template_path}: {error}") from error
    if not isinstance(template, dict):
        raise ValueError(f"{template_path}: not a template (a mapping at the top)")
    plain: dict[str, Any] = json.loads(json.dumps(template))  # fails on a date YAML read
    return plain


def output_key(env_var: str) -> str:
    """CPS_APPLICATIONS_TABLE -> CpsApplicationsTable (output ids must be alphanumeric)."""
    return "".join(word.capitalize() for word in env_var.split("_"))


def env_var(key: str) -> str:
    """CpsApplicationsTable -> CPS_APPLICATIONS_TABLE, the inverse of output_key."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).upper()


def is_variable_output(key: str, output: Mapping[str, Any]) -> bool:
    """An output standing for a function variable: its Description is that variable's name."""
    return output.get("Description") == env_var(key)


def env_from_outputs(outputs: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """describe_stacks' Outputs (OutputKey/OutputValue) -> environment variables."""
    return {
        env_var(o["OutputKey"]): o["OutputValue"]
        for o in outputs
        if not o["OutputKey"].startswith(LOCAL_OUTPUT_PREFIX)
    }


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

    Conditions may refer to parameters only (moto's region and account are not known yet).
    ``Fn::If`` gives way to its chosen value; ``Ref: AWS::NoValue`` removes its key or list
    item; resources and outputs under a false condition are left out; ``Conditions`` goes.
    Every other function is left for moto.
    """
    definitions = template.get("Conditions", {})
    decide = Evaluator(refs=parameters, conditions=definitions)
    decided = {name: decide.evaluate({"Condition": name}) for name in definitions}
    evaluator = Evaluator(conditions=decided, partial=True)
    result: dict[str, Any] = {}
    for section, value in template.items():
        if section == "Conditions":
            continue
        if section in ("Resources", "Outputs"):
            value = {
                key: {k: v for k, v in entry.items() if k != "Condition"}
                for key, entry in value.items()
                if "Condition" not in entry or evaluator.evaluate({"Condition": entry["Condition"]})
            }
        result[section] = evaluator.evaluate(value)
    return result


def for_moto(template_path: Path, parameters: Mapping[str, str] | None = None) -> MotoTemplate:
    """Return the template moto can create, the resources it cannot, and their outputs."""
    template = load_template(template_path)
    template = resolve_conditions(template, parameter_values(template, parameters))
    for section, gap in moto_gaps.TEMPLATE.items():
        if gap.bridge is Bridge.DROPPED:
            template.pop(section, None)
    resources: dict[str, Any] = template["Resources"]
    removed = {
        logical_id: resource
        for logical_id, resource in resources.items()
        if _bridge(resource) in (Bridge.CREATED_BY_API, Bridge.LEFT_TO_RUNTIME)
    }
    for logical_id, resource in removed.items():
        del resources[logical_id]
        properties = resource.get("Properties", {})
        for name, gap in moto_gaps.property_gaps(resource["Type"], Bridge.INLINED).items():
            if name in properties and gap.code is not None:
                gap.code(properties, template_path.parent)

    placeholders = Evaluator(
        refs={logical_id: _placeholder(logical_id) for logical_id in removed},
        attributes={logical_id: _PlaceholderAttributes(logical_id) for logical_id in removed},
        partial=True,
    )
    for logical_id, resource in resources.items():
        resources[logical_id] = kept = placeholders.evaluate(resource)
        depends_on = kept.pop("DependsOn", [])
        depends_on = [depends_on] if isinstance(depends_on, str) else depends_on
        if still := [name for name in depends_on if name not in removed]:
            kept["DependsOn"] = still

    outputs: dict[str, Any] = template.setdefault("Outputs", {})
    for key in [k for k, output in outputs.items() if not is_variable_output(k, output)]:
        del outputs[key]  # moto_gaps.TEMPLATE: outputs that are not function variables
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
        not_for_moto = moto_gaps.property_gaps(resource["Type"], Bridge.DROPPED)
        properties = {
            k: v for k, v in resource.get("Properties", {}).items() if k not in not_for_moto
        }
        if {n for n in referenced_names(properties) if not n.startswith("AWS::")} <= resolvable:
            outputs[f"{PROPERTIES_OUTPUT_PREFIX}{logical_id}"] = {
                "Value": {"Fn::ToJsonString": properties}
            }
    return MotoTemplate(template, removed, dropped)


def _bridge(resource: Mapping[str, Any]) -> Bridge | None:
    gap = moto_gaps.resource_gap(resource["Type"])
    return None if gap is None else gap.bridge


def _placeholder(name: str) -> dict[str, str]:
    return {
        "Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}"
        f":removed/{name}"
    }


class _PlaceholderAttributes(dict[str, Any]):
    """Every attribute of a removed resource: a placeholder ARN."""

    def __init__(self, logical_id: str) -> None:
        super().__init__()
        self.logical_id = logical_id

    def __missing__(self, attribute: str) -> dict[str, str]:
        return _placeholder(f"{self.logical_id}/{attribute}")


def _apply_outputs(resources: Mapping[str, Any]) -> dict[str, Any]:
    """MotoApply<LogicalId>: what moto ignores of a resource it creates, resolved by moto."""
    outputs: dict[str, Any] = {}
    for logical_id, resource in resources.items():
        applied = moto_gaps.property_gaps(resource["Type"], Bridge.APPLIED_BY_API)
        properties = resource.get("Properties", {})
        settings = {name: properties[name] for name in applied if name in properties}
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


# ---------------------------------------------------------------------------- impure part


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
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    for key, value in outputs.items():
        if key.startswith(APPLY_OUTPUT_PREFIX):
            spec = json.loads(value)
            moto_gaps.apply_by_api(spec["Type"], spec["Name"], spec["Properties"], client)

    refs: dict[str, Any] = {
        **parameter_values(moto_template.template, parameters),
        "AWS::Region": cloudformation.meta.region_name,
        "AWS::AccountId": stack["StackId"].split(":")[4],
        "AWS::Partition": "aws",
        "AWS::StackName": stack_name,
        "AWS::URLSuffix": "amazonaws.com",
    }
    attributes: dict[str, dict[str, Any]] = {}
    for logical_id, resource in moto_template.removed.items():
        if _bridge(resource) is Bridge.LEFT_TO_RUNTIME:  # never created: its placeholders
            refs[logical_id] = _placeholder(logical_id)
            attributes[logical_id] = _PlaceholderAttributes(logical_id)
    evaluator = Evaluator(refs, attributes)
    pending = {
        logical_id: resource
        for logical_id, resource in moto_template.removed.items()
        if _bridge(resource) is Bridge.CREATED_BY_API
    }
    while pending:  # each resource after those it refers to
        ready = [
            logical_id
            for logical_id, resource in pending.items()
            if not referenced_names(resource.get("Properties", {})) & set(pending)
        ]
        if not ready:
            raise ValueError(f"circular references among {sorted(pending)}")
        for logical_id in ready:
            resource = pending.pop(logical_id)
            resolved_by_moto = outputs.get(f"{PROPERTIES_OUTPUT_PREFIX}{logical_id}")
            properties = (
                json.loads(resolved_by_moto)
                if resolved_by_moto is not None
                else evaluator.evaluate(resource.get("Properties", {}))
            )
            created = moto_gaps.create_by_api(resource["Type"], properties, client)
            refs[logical_id], attributes[logical_id] = created

    env = env_from_outputs(stack.get("Outputs", []))
    for key, output in moto_template.dropped_outputs.items():
        env[env_var(key)] = str(evaluator.evaluate(output["Value"]))
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
