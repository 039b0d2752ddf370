"""Build the deployable SAM template: Chalice's functions merged with infra/resources.yaml.

    python -m infra.package --stage prod --out build/prod

1. ``chalice package --stage <stage> --merge-template infra/resources.yaml <out>``: the
   functions, API and event sources from app.py, deep-merged with our resources (a
   resource with the logical id of one of Chalice's, ``DefaultRole``, replaces its
   properties key by key).
2. Post-processing of ``<out>/sam.yaml`` (or ``sam.json``):
   - every SQS event source gets ``FunctionResponseTypes: [ReportBatchItemFailures]``
     (the handlers return Powertools partial-batch responses; Chalice cannot say so);
   - an SQS event source naming one of the template's queues refers to it by
     ``Fn::GetAtt`` instead of an ARN string, so CloudFormation creates the queue first;
   - the API's gateway responses (its own refusals: no token, refused token, unknown
     route...) get the API's error shape, from infra/gateway_responses.json, as an
     ``x-amazon-apigateway-gateway-responses`` extension of the API definition (part of the
     definition, so every deployment of the API carries them; local_runtime/gateway.py
     applies the same table over chalice.local);
   - cfn-lint's E1010 exception of infra/resources.yaml (a ``GetAtt`` to a function that
     only Chalice generates, ``CatalogLoader``) is dropped: the merged template is linted
     in full;
   - checks that fail the build: every function runs with ``DefaultRole`` and that role
     carries exactly the policies of infra/resources.yaml (not Chalice's generated one);
     every function is traced (``"xray": true`` in .chalice/config.json); every resource
     infra/resources.yaml refers to without defining it (``CatalogLoader``) was generated
     by Chalice; and the consumer of each of our queues has a sixth of the queue's
     visibility timeout as its timeout (``lambda_functions.<name>.lambda_timeout``).
3. ``infra/statemachines/`` is copied beside the template, where the relative
   ``DefinitionS3Location`` points, for ``aws cloudformation package`` to upload.
4. Prints the two commands that upload and deploy it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from infra.local_template import env_var, load_template, referenced_names

PROJECT_DIR = Path(__file__).resolve().parent.parent
TEMPLATE = PROJECT_DIR / "infra" / "resources.yaml"
STATE_MACHINES = PROJECT_DIR / "infra" / "statemachines"
GATEWAY_RESPONSES = PROJECT_DIR / "infra" / "gateway_responses.json"
REST_API = "RestAPI"  # Chalice's logical id for the API
ROLE = "DefaultRole"
VISIBILITY_PER_TIMEOUT = 6  # queue visibility timeout / consumer timeout (AWS guidance)
LINT_EXCEPTION = "E1010"  # GetAtt to a resource only Chalice generates
PACKAGE_OUTPUTS = (
    "sam.yaml",
    "sam.json",
    "deployment.zip",
    "statemachines",
    "layer-deployment.zip",
    "packaged.yaml",  # written by `aws cloudformation package` (see next_commands)
)


class PackagingError(RuntimeError):
    """The merged template is not what infra/resources.yaml promises."""


def run_chalice_package(project_dir: Path, stage: str, out: Path, region: str) -> None:
    """Run the venv's Chalice in a child process (it imports app.py)."""
    command = [
        sys.executable,
        "-c",
        "import sys; from chalice.cli import main; sys.exit(main())",
        "--project-dir",
        str(project_dir),
        "package",
        "--stage",
        stage,
        "--merge-template",
        str(TEMPLATE),
        str(out),
    ]
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", region)}
    subprocess.run(command, check=True, env=env)  # noqa: S603 - fixed interpreter and args


def template_file(out: Path) -> Path:
    for name in ("sam.yaml", "sam.json"):
        if (out / name).is_file():
            return out / name
    raise PackagingError(f"chalice package wrote no sam.yaml or sam.json in {out}")


def _functions(template: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            yield logical_id, resource


def _queue_ids_by_name(template: Mapping[str, Any]) -> dict[str, str]:
    return {
        resource["Properties"]["QueueName"]: logical_id
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::SQS::Queue"
        and isinstance(resource.get("Properties", {}).get("QueueName"), str)
    }


def post_process(template: dict[str, Any], resources: Mapping[str, Any]) -> list[str]:
    """Complete the merged template in place; returns the SQS event sources changed.

    ``resources`` is infra/resources.yaml as loaded by ``load_template``.
    """
    queues = _queue_ids_by_name(template)
    changed = []
    for logical_id, function in _functions(template):
        for event_id, event in function["Properties"].get("Events", {}).items():
            if event["Type"] != "SQS":
                continue
            properties = event["Properties"]
            properties["FunctionResponseTypes"] = ["ReportBatchItemFailures"]
            arn = properties["Queue"]
            if isinstance(arn, dict) and isinstance(arn.get("Fn::Sub"), str):
                name = arn["Fn::Sub"].rsplit(":", 1)[-1]
                if name in queues:
                    properties["Queue"] = {"Fn::GetAtt": [queues[name], "Arn"]}
            changed.append(f"{logical_id}.{event_id}")
    api = template["Resources"].get(REST_API)
    if api is not None:
        definition = api["Properties"]["DefinitionBody"]
        definition.setdefault("x-amazon-apigateway-gateway-responses", {}).update(
            gateway_responses(json.loads(GATEWAY_RESPONSES.read_text(encoding="utf-8")))
        )
    for resource in template["Resources"].values():
        _drop_lint_exception(resource)
    check(template, resources)
    return changed


def _drop_lint_exception(resource: dict[str, Any]) -> None:
    metadata = resource.get("Metadata", {})
    config = metadata.get("cfn-lint", {}).get("config", {})
    ignored = config.get("ignore_checks")
    if not isinstance(ignored, list) or LINT_EXCEPTION not in ignored:
        return
    ignored.remove(LINT_EXCEPTION)
    if not ignored:
        del config["ignore_checks"]
    if not config:
        del metadata["cfn-lint"]["config"]
    if not metadata["cfn-lint"]:
        del metadata["cfn-lint"]
    if not metadata:
        del resource["Metadata"]


def gateway_responses(table: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """infra/gateway_responses.json -> API Gateway's gateway-responses extension."""
    return {
        response_type: {
            "statusCode": str(spec["status"]),
            "responseParameters": {"gatewayresponse.header.Content-Type": "'application/json'"},
            "responseTemplates": {
                "application/json": json.dumps(
                    {"error": {"code": spec["code"], "message": spec["message"], "fields": {}}}
                )
            },
        }
        for response_type, spec in table.items()
    }


def check(template: Mapping[str, Any], resources: Mapping[str, Any]) -> None:
    """Fail when Chalice's settings would undo what infra/resources.yaml declares."""
    problems = []
    functions = dict(_functions(template))
    if not functions:
        problems.append("no AWS::Serverless::Function: did app.py load?")
    for logical_id, function in functions.items():
        properties = function["Properties"]
        if properties.get("Role") != {"Fn::GetAtt": [ROLE, "Arn"]}:
            problems.append(
                f"{logical_id} does not run with {ROLE} (Role: {properties.get('Role')}); in "
                ".chalice/config.json leave autogen_policy unset/true and manage_iam_role unset, "
                "for the stage and every function"
            )
        if properties.get("Tracing", "Active") != "Active":
            problems.append(
                f'{logical_id} has Tracing {properties["Tracing"]}: set "xray": true in '
                ".chalice/config.json"
            )
    ours = resources["Resources"][ROLE]["Properties"]
    merged = template["Resources"].get(ROLE, {}).get("Properties", {})
    for key in ("AssumeRolePolicyDocument", "Policies"):
        if json.dumps(merged.get(key), sort_keys=True) != json.dumps(ours[key], sort_keys=True):
            problems.append(f"{ROLE}.{key} is not the one of infra/resources.yaml")
    for name in sorted(expected_from_chalice(resources)):
        if name not in template["Resources"]:
            problems.append(
                f"infra/resources.yaml refers to {name}, which Chalice did not generate: "
                f'app.py needs @app.lambda_function(name="{env_var(name).lower()}")'
            )
    problems.extend(_consumer_timeout_problems(template, resources))
    if problems:
        raise PackagingError("\n".join(problems))


def expected_from_chalice(resources: Mapping[str, Any]) -> set[str]:
    """Names infra/resources.yaml refers to but does not define: Chalice must generate them."""
    defined = set(resources["Resources"]) | set(resources.get("Parameters", {}))
    return {
        name
        for name in referenced_names(resources["Resources"])
        if name not in defined and not name.startswith("AWS::")
    }


def _consumer_timeout_problems(
    template: Mapping[str, Any], resources: Mapping[str, Any]
) -> list[str]:
    problems = []
    for logical_id, function in _functions(template):
        timeout = function["Properties"].get("Timeout")
        for event in function["Properties"].get("Events", {}).values():
            queue = event["Properties"].get("Queue") if event["Type"] == "SQS" else None
            if not (isinstance(queue, dict) and "Fn::GetAtt" in queue):
                continue
            queue_id = queue["Fn::GetAtt"][0]
            properties = resources["Resources"].get(queue_id, {}).get("Properties", {})
            visibility = properties.get("VisibilityTimeout")
            if visibility is None or timeout == visibility / VISIBILITY_PER_TIMEOUT:
                continue
            problems.append(
                f"{logical_id} reads {properties['QueueName']} (visibility timeout "
                f"{visibility} s) with a {timeout} s timeout: in .chalice/config.json set "
                f'"lambda_functions": {{"{env_var(logical_id).lower()}": {{"lambda_timeout": '
                f"{visibility // VISIBILITY_PER_TIMEOUT}}}}}"
            )
    return problems


def load(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return loaded


def dump(template: Mapping[str, Any], path: Path) -> None:
    if path.suffix == ".json":
        text = json.dumps(template, indent=2) + "\n"
    else:
        text = yaml.safe_dump(dict(template), sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")


def clean_out(out: Path) -> None:
    """Empty a previous package output; refuse to touch a directory holding anything else."""
    if not out.exists():
        return
    strangers = [p.name for p in out.iterdir() if p.name not in PACKAGE_OUTPUTS]
    if strangers:
        raise PackagingError(f"{out} holds files that are not a package output: {strangers}")
    shutil.rmtree(out)


def package(
    stage: str, out: Path, project_dir: Path = PROJECT_DIR, region: str = "eu-west-1"
) -> Path:
    """Build <out>/sam.yaml (or .json) ready for `aws cloudformation package`; returns it."""
    clean_out(out)
    run_chalice_package(project_dir, stage, out, region)
    path = template_file(out)
    template = load(path)
    changed = post_process(template, load_template(TEMPLATE))
    dump(template, path)
    shutil.copytree(STATE_MACHINES, out / "statemachines")
    print(f"{path}: ReportBatchItemFailures on {', '.join(changed) or 'no SQS event source'}")
    return path


def next_commands(path: Path, stage: str) -> str:
    packaged = path.with_name("packaged.yaml")
    return "\n".join(
        [
            "Next, with credentials for the target account and region:",
            f"  aws cloudformation package --template-file {path} \\",
            "      --s3-bucket <artifact-bucket> --s3-prefix cps \\",
            f"      --output-template-file {packaged}",
            f"  aws cloudformation deploy --template-file {packaged} --stack-name cps-{stage} \\",
            f"      --parameter-overrides Stage={stage} \\",
            "          StripeSecretArn=<ARN of the secret holding the Stripe API key> \\",
            "      --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND",
            "(StripeSecretArn is needed once, then kept by later deployments: without it, no",
            "function may read the Stripe key and card checkouts fail.)",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.package", description=__doc__)
    parser.add_argument("--stage", default="prod")
    parser.add_argument("--out", type=Path, help="default: build/<stage>")
    parser.add_argument("--project-dir", type=Path, default=PROJECT_DIR)
    parser.add_argument("--region", default="eu-west-1", help="if AWS_DEFAULT_REGION is unset")
    args = parser.parse_args(argv)
    out: Path = (args.out or Path("build") / args.stage).resolve()
    try:
        path = package(args.stage, out, args.project_dir.resolve(), args.region)
    except (PackagingError, subprocess.CalledProcessError) as error:
        print(f"infra.package: {error}", file=sys.stderr)
        return 1
    print(next_commands(path, args.stage))
    return 0


if __name__ == "__main__":
    sys.exit(main())
