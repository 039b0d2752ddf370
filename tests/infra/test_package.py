"""infra/package.py: Chalice's template merged with infra/resources.yaml, then completed.

Two kinds of test:
- on a small Chalice app written into a temporary directory (the packaging mechanics);
- ``test_the_real_project_packages``: ``app.py`` and ``.chalice/config.json`` of this
  repository, packaged for real (Chalice builds the deployment zip, which downloads the
  Lambda wheels of requirements.txt). It fails, not skips, while app.py cannot be packaged.
"""

from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file

from infra.local_template import load_template
from infra.package import (
    GATEWAY_RESPONSES,
    PROJECT_DIR,
    PackagingError,
    check,
    clean_out,
    load,
    next_commands,
    package,
    post_process,
)
from tests.infra.conftest import REGION, TEMPLATE_PATH

SMALL_APP = """
from chalice import Chalice, Rate

app = Chalice(app_name="cps")


@app.route("/health")
def health():
    return {"ok": True}


@app.on_sqs_message(queue="cps-emails", batch_size=10, name="emails")
def send_emails(event):
    return {"batchItemFailures": []}


@app.on_sqs_message(queue="cps-invoices", batch_size=1, name="invoices")
def issue_invoices(event):
    return {"batchItemFailures": []}


@app.on_sqs_message(queue="cps-legacy-imports", batch_size=1, name="legacy_imports")
def on_legacy_import(event):
    return {"batchItemFailures": []}


@app.lambda_function(name="catalog_loader")
def catalog_loader(event, context):
    return None


@app.schedule(Rate(1, unit=Rate.HOURS))
def review_sla(event):
    return None
"""

SMALL_CONFIG = {
    "version": "2.0",
    "app_name": "cps",
    "xray": True,
    # as .chalice/config.json: a role per function, ours replacing Chalice's placeholder
    "autogen_policy": False,
    "iam_policy_file": str(PROJECT_DIR / "infra" / "chalice_role_placeholder.json"),
    "stages": {
        "prod": {
            "api_gateway_stage": "api",
            "lambda_timeout": 25,
            "lambda_functions": {
                "emails": {"lambda_timeout": 60},
                "invoices": {"lambda_timeout": 60},
                "legacy_imports": {"lambda_timeout": 900},
            },
        }
    },
}


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    return load_template(TEMPLATE_PATH)


@pytest.fixture(scope="module")
def small_app_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small app, packaged once for this module; returns the merged template's path."""
    project = tmp_path_factory.mktemp("small-app")
    (project / "app.py").write_text(textwrap.dedent(SMALL_APP), encoding="utf-8")
    (project / "requirements.txt").write_text("", encoding="utf-8")
    (project / ".chalice").mkdir()
    (project / ".chalice" / "config.json").write_text(json.dumps(SMALL_CONFIG), encoding="utf-8")
    return package("prod", project / "build" / "prod", project_dir=project, region=REGION)


def _functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        k: r for k, r in template["Resources"].items() if r["Type"] == "AWS::Serverless::Function"
    }


def _sqs_events(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        event["Properties"]
        for function in _functions(template).values()
        for event in function["Properties"].get("Events", {}).values()
        if event["Type"] == "SQS"
    ]


def _assert_packaged(path: Path, resources: dict[str, Any]) -> dict[str, Any]:
    template = load(path)
    # Chalice's functions and API are there, beside every resource of ours
    assert _functions(template)
    assert "RestAPI" in template["Resources"]
    assert set(resources["Resources"]) <= set(template["Resources"])
    assert template["Globals"] == resources["Globals"]
    assert set(resources["Outputs"]) <= set(template["Outputs"])
    # every SQS event source reports partial batch failures
    events = _sqs_events(template)
    assert events
    for event in events:
        assert event["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    # every function runs with a role of its own, ours as written (not Chalice's placeholder)
    roles = [f["Properties"]["Role"]["Fn::GetAtt"][0] for f in _functions(template).values()]
    assert len(set(roles)) == len(roles)
    assert "DefaultRole" not in template["Resources"]
    for name in roles:
        assert template["Resources"][name] == resources["Resources"][name]
    for function in _functions(template).values():
        assert function["Properties"]["Tracing"] == "Active"
    # the gateway's own refusals answer in the API's error shape
    responses = template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"][
        "x-amazon-apigateway-gateway-responses"
    ]
    table = json.loads(GATEWAY_RESPONSES.read_text(encoding="utf-8"))
    assert set(responses) == set(table)
    for response_type, spec in table.items():
        response = responses[response_type]
        assert response.get("statusCode") == (str(spec["status"]) if "status" in spec else None)
        body = json.loads(response["responseTemplates"]["application/json"])
        assert body == {"error": {"code": spec["code"], "message": spec["message"], "fields": {}}}
    # the catalogue is loaded by Chalice's function, and the merged template is linted
    # without the exception infra/resources.yaml needs on its own
    catalog_data = template["Resources"]["CatalogData"]
    assert catalog_data["Properties"]["ServiceToken"] == {"Fn::GetAtt": ["CatalogLoader", "Arn"]}
    assert template["Resources"]["CatalogLoader"]["Type"] == "AWS::Serverless::Function"
    assert "Metadata" not in catalog_data
    # the state machine's file sits where DefinitionS3Location points
    location = template["Resources"]["ValidationStateMachine"]["Properties"]["DefinitionS3Location"]
    assert (path.parent / location).is_file()
    # and the whole is valid (cfn-lint runs the SAM transform)
    assert [str(m) for m in lint_file(path, config=ManualArgs(regions=[REGION]))] == []
    return template


# ------------------------------------------------------------------ a small app


def test_small_app_is_merged_and_completed(
    small_app_package: Path, resources: dict[str, Any]
) -> None:
    # GIVEN a Chalice app with a route, SQS handlers, a plain function and a schedule,
    # packaged
    # THEN the merged template holds both, completed
    template = _assert_packaged(small_app_package, resources)
    # AND the SQS event sources refer to our queues, so CloudFormation creates them first
    queues = sorted(event["Queue"]["Fn::GetAtt"][0] for event in _sqs_events(template))
    assert queues == ["EmailQueue", "InvoicesQueue", "LegacyImportsQueue"]
    # AND the legacy import runs up to 900 s, a sixth of its queue's visibility timeout
    legacy_imports = template["Resources"]["LegacyImports"]["Properties"]
    assert legacy_imports["Timeout"] == 900
    assert legacy_imports["Events"]["LegacyImportsSqsEventSource"]["Properties"]["BatchSize"] == 1


def test_next_commands_upload_and_deploy_with_the_needed_capabilities(
    small_app_package: Path,
) -> None:
    # GIVEN a packaged template WHEN the next steps are printed
    text = next_commands(small_app_package, "prod")
    # THEN they package (uploads the zip and the ASL) and deploy with IAM and SAM allowed
    assert f"aws cloudformation package --template-file {small_app_package}" in text
    assert "aws cloudformation deploy" in text
    assert "--capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND" in text
    assert "Stage=prod" in text
    # AND they name the Stripe secret, without which card checkouts cannot work
    assert "StripeSecretArn=" in text


# ------------------------------------------------------------------ checks (no Chalice run)


def test_a_function_with_a_role_not_ours_fails_the_build(
    small_app_package: Path, resources: dict[str, Any]
) -> None:
    # GIVEN a merged template where a function runs with a role infra/resources.yaml does not
    # define (Chalice's shared DefaultRole, autogen_policy left on)
    template = copy.deepcopy(load(small_app_package))
    _, function = next(iter(_functions(template).items()))
    template["Resources"]["DefaultRole"] = {"Type": "AWS::IAM::Role", "Properties": {}}
    function["Properties"]["Role"] = {"Fn::GetAtt": ["DefaultRole", "Arn"]}
    # WHEN it is checked THEN the build fails and says which setting to keep
    with pytest.raises(PackagingError, match="autogen_policy"):
        check(template, resources)


def test_an_untraced_function_fails_the_build(
    small_app_package: Path, resources: dict[str, Any]
) -> None:
    # GIVEN a merged template where Chalice wrote Tracing: PassThrough (no "xray": true)
    template = copy.deepcopy(load(small_app_package))
    next(iter(_functions(template).values()))["Properties"]["Tracing"] = "PassThrough"
    # WHEN it is checked THEN the build fails and says which setting to change
    with pytest.raises(PackagingError, match='"xray": true'):
        check(template, resources)


def test_a_missing_catalogue_loader_fails_the_build(
    small_app_package: Path, resources: dict[str, Any]
) -> None:
    # GIVEN a merged template without the function the catalogue custom resource calls
    template = copy.deepcopy(load(small_app_package))
    del template["Resources"]["CatalogLoader"]
    # WHEN it is checked THEN the build fails and says what app.py lacks
    with pytest.raises(PackagingError, match=r'@app.lambda_function\(name="catalog_loader"\)'):
        check(template, resources)


def test_the_stripe_secret_statement_survives_the_merge(
    small_app_package: Path, resources: dict[str, Any]
) -> None:
    # GIVEN the merged template WHEN the API role's statements are read
    role = load(small_app_package)["Resources"]["ApiHandlerRole"]["Properties"]
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    # THEN the conditional Stripe secret statement is there as written, with its condition
    (conditional,) = [s for s in statements if "Fn::If" in s]
    assert conditional["Fn::If"][0] == "HasStripeSecret"
    assert "HasStripeSecret" in load(small_app_package)["Conditions"]


def test_a_consumer_timeout_out_of_step_with_its_queue_fails_the_build(
    small_app_package: Path, resources: dict[str, Any]
) -> None:
    # GIVEN a merged template where the legacy import kept the default 60 s timeout
    template = copy.deepcopy(load(small_app_package))
    template["Resources"]["LegacyImports"]["Properties"]["Timeout"] = 60
    # WHEN it is checked THEN the build fails and names the setting and its value
    expected = r'cps-legacy-imports.*"legacy_imports": \{"lambda_timeout": 900\}'
    with pytest.raises(PackagingError, match=expected):
        check(template, resources)


def _function(role: str) -> dict[str, Any]:
    return {
        "Type": "AWS::Serverless::Function",
        "Properties": {"Role": {"Fn::GetAtt": [role, "Arn"]}, "Tracing": "Active"},
    }


def test_sqs_event_sources_of_unknown_queues_keep_their_arn(resources: dict[str, Any]) -> None:
    # GIVEN a merged template whose handler reads a queue this template does not own
    template = copy.deepcopy(resources)
    # (with the functions infra/resources.yaml refers to)
    template["Resources"]["CatalogLoader"] = _function("CatalogLoaderRole")
    template["Resources"]["ReviewSla"] = _function("ReviewSlaRole")
    arn = {"Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:elsewhere"}
    template["Resources"]["Handler"] = {
        "Type": "AWS::Serverless::Function",
        "Properties": {
            "Role": {"Fn::GetAtt": ["EmailsRole", "Arn"]},
            "Tracing": "Active",
            "Events": {"E": {"Type": "SQS", "Properties": {"Queue": arn, "BatchSize": 1}}},
        },
    }
    # WHEN it is post-processed
    changed = post_process(template, resources)
    # THEN it reports partial failures, and the ARN is left as it was
    event = template["Resources"]["Handler"]["Properties"]["Events"]["E"]["Properties"]
    assert changed == ["Handler.E"]
    assert event == {
        "Queue": arn,
        "BatchSize": 1,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
    }


def test_out_directory_with_other_files_is_not_wiped(tmp_path: Path) -> None:
    # GIVEN an output directory that holds something else than a previous package
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    # WHEN it is to be cleaned THEN packaging refuses, and the file stays
    with pytest.raises(PackagingError, match=r"notes\.txt"):
        clean_out(tmp_path)
    assert (tmp_path / "notes.txt").exists()


# ------------------------------------------------------------------ the real project


def test_the_real_project_packages(tmp_path: Path, resources: dict[str, Any]) -> None:
    """`make package` on this repository. Needs app.py, .chalice/config.json, and network.

    Fails (never skips) while app.py cannot be imported or the config is missing: the
    deployable artefact is what this whole repository is for.
    """
    # GIVEN this repository's app.py and .chalice/config.json
    assert (PROJECT_DIR / "app.py").is_file(), "app.py is missing"
    assert (PROJECT_DIR / ".chalice" / "config.json").is_file(), ".chalice/config.json is missing"
    # WHEN it is packaged
    path = package("prod", tmp_path / "prod", project_dir=PROJECT_DIR, region=REGION)
    # THEN the merged template has its functions, our resources, and the completions
    _assert_packaged(path, resources)
