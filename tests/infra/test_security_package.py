"""Issue 8 on the packaged template (`python -m infra.package`): items 4, 6, 10, 11 and 14.

The small app of test_package.py is packaged once for most checks; this repository's app.py is
packaged once more (Chalice builds its deployment zip) for what only the real routes and
functions show.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from chalicelib.container import Container
from chalicelib.domain.clock import SystemClock
from infra.local_template import load_template
from infra.package import (
    PROJECT_DIR,
    PUBLIC_THROTTLE,
    STAGE_THROTTLE,
    PackagingError,
    check,
    load,
    main,
    package,
)
from tests.infra.conftest import (
    REGION,
    TEMPLATE_PATH,
    real_package_template,
    small_package_template,
)
from tests.support.settings_env import valid_settings

PUBLIC_ROUTES = {  # served without a token (API.md)
    ("/applications", "POST"),
    ("/applications/{application_id}", "GET"),
    ("/applications/{application_id}/upload", "POST"),
    ("/auth/login", "POST"),
    ("/auth/refresh", "POST"),
    ("/auth/password", "POST"),
    ("/auth/password-reset", "POST"),
    ("/health", "GET"),
    ("/openapi.json", "GET"),
}


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    return load_template(TEMPLATE_PATH)


@pytest.fixture(scope="module")
def small() -> dict[str, Any]:
    return load(small_package_template())


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return load(real_package_template())


def _functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        k: r for k, r in template["Resources"].items() if r["Type"] == "AWS::Serverless::Function"
    }


def _api(template: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = template["Resources"]["RestAPI"]["Properties"]
    return properties


# ------------------------------------------------------------------ item 6


def test_the_default_gateway_responses_keep_the_refusals_status(small: dict[str, Any]) -> None:
    # GIVEN the packaged API's gateway responses
    responses = _api(small)["DefinitionBody"]["x-amazon-apigateway-gateway-responses"]
    # THEN DEFAULT_4XX/5XX set the body only: a 429 (THROTTLED) or 413 (REQUEST_TOO_LARGE)
    # inherits their shape and keeps its own status
    for default in ("DEFAULT_4XX", "DEFAULT_5XX"):
        assert "statusCode" not in responses[default]
        body = json.loads(responses[default]["responseTemplates"]["application/json"])
        assert set(body["error"]) == {"code", "message", "fields"}
    # AND the responses that do name a status are those with a fixed one
    assert {k: v.get("statusCode") for k, v in responses.items() if "statusCode" in v} == {
        "UNAUTHORIZED": "401",
        "ACCESS_DENIED": "403",
        "MISSING_AUTHENTICATION_TOKEN": "404",
    }


# ------------------------------------------------------------------ item 4


def test_the_stage_is_throttled_and_public_methods_more_so(small: dict[str, Any]) -> None:
    # GIVEN the packaged API's stage settings
    settings = _api(small)["MethodSettings"]
    # THEN every method has the stage's limits, and the public one (/health) stricter ones
    assert settings[0] == {
        "ResourcePath": "/*",
        "HttpMethod": "*",
        "ThrottlingRateLimit": STAGE_THROTTLE[0],
        "ThrottlingBurstLimit": STAGE_THROTTLE[1],
    }
    assert settings[1:] == [
        {
            "ResourcePath": "/~1health",
            "HttpMethod": "GET",
            "ThrottlingRateLimit": PUBLIC_THROTTLE[0],
            "ThrottlingBurstLimit": PUBLIC_THROTTLE[1],
        }
    ]
    assert 0 < PUBLIC_THROTTLE[0] < STAGE_THROTTLE[0] <= STAGE_THROTTLE[1] <= 5000
    assert PUBLIC_THROTTLE[0] <= PUBLIC_THROTTLE[1] < STAGE_THROTTLE[1]


# ------------------------------------------------------------------ item 10


def test_functions_sharing_a_role_fail_the_build(
    small: dict[str, Any], resources: dict[str, Any]
) -> None:
    # GIVEN a packaged template where two functions run with the same role
    template = copy.deepcopy(small)
    first, second = list(_functions(template).values())[:2]
    second["Properties"]["Role"] = first["Properties"]["Role"]
    # WHEN it is checked THEN the build fails: each function has a role of its own
    with pytest.raises(PackagingError, match="share"):
        check(template, resources)


def test_a_role_chalice_generated_fails_the_build(
    small: dict[str, Any], resources: dict[str, Any]
) -> None:
    # GIVEN a packaged template where a role kept Chalice's placeholder policy (a function
    # infra/resources.yaml has no role for)
    template = copy.deepcopy(small)
    role = template["Resources"]["EmailsRole"]["Properties"]
    role["Policies"] = [{"PolicyName": "EmailsRolePolicy", "PolicyDocument": {}}]
    # WHEN it is checked THEN the build fails
    with pytest.raises(PackagingError, match="EmailsRole is not merged"):
        check(template, resources)


# ------------------------------------------------------------------ item 11


def test_the_local_stage_is_never_packaged(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # WHEN `make package STAGE=local` runs THEN it refuses, before building anything
    with pytest.raises(PackagingError, match="local runtime only"):
        package("local", tmp_path / "local", project_dir=PROJECT_DIR, region=REGION)
    assert not (tmp_path / "local").exists()
    assert main(["--stage", "local", "--out", str(tmp_path / "cli")]) == 1
    assert "local runtime only" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("variable", "value"), [("CPS_STAGE", "local"), ("CPS_PAYMENT_PROVIDER", "local")]
)
def test_a_function_configured_for_local_fails_the_build(
    small: dict[str, Any], resources: dict[str, Any], variable: str, value: str
) -> None:
    # GIVEN a packaged template whose config gives a function the local stage or provider
    template = copy.deepcopy(small)
    function = next(iter(_functions(template).values()))
    function["Properties"].setdefault("Environment", {}).setdefault("Variables", {})[variable] = (
        value
    )
    # WHEN it is checked THEN the build fails
    with pytest.raises(PackagingError, match=f"{variable}=local"):
        check(template, resources)


def test_a_packaged_stack_refuses_the_local_stage_and_payment_provider(
    small: dict[str, Any],
) -> None:
    # GIVEN the packaged template's parameters (CloudFormation validates them at deployment)
    parameters = small["Parameters"]
    # THEN Stage may be any other lower-case name, but not local
    pattern = re.compile(parameters["Stage"]["AllowedPattern"])
    assert pattern.fullmatch("prod") and pattern.fullmatch("staging")
    assert pattern.fullmatch(parameters["Stage"]["Default"])
    assert not pattern.fullmatch("local")
    assert pattern.fullmatch("locale")
    # AND the payment provider is Stripe only
    assert parameters["PaymentProvider"]["AllowedValues"] == ["stripe"]
    assert parameters["PaymentProvider"]["Default"] == "stripe"


def test_a_packaged_stack_always_requires_reviewer_mfa(small: dict[str, Any]) -> None:
    # GIVEN the packaged template's parameters
    mfa = small["Parameters"]["ReviewerMfa"]
    # THEN reviewers without an authenticator app cannot be deployed
    assert mfa["AllowedValues"] == ["required"]
    assert mfa["Default"] == "required"


def test_only_the_local_stage_moves_the_clock() -> None:
    # GIVEN the composition root of a deployed stage THEN its clock is the system's
    assert isinstance(Container(valid_settings(CPS_STAGE="prod")).clock, SystemClock)
    assert isinstance(Container(valid_settings(CPS_STAGE="staging")).clock, SystemClock)


# ------------------------------------------------------------------ item 14


def test_every_function_and_the_api_have_an_error_alarm(small: dict[str, Any]) -> None:
    alarms = {
        k: r["Properties"]
        for k, r in small["Resources"].items()
        if r["Type"] == "AWS::CloudWatch::Alarm"
    }
    # THEN each function's Lambda errors raise an alarm on the alarm topic
    for function in _functions(small):
        alarm = alarms[f"{function}ErrorsAlarm"]
        assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "Errors")
        assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function}}]
        assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0)
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    # AND so do the API's server errors, on its stage
    api = alarms["ApiServerErrorsAlarm"]
    assert (api["Namespace"], api["MetricName"]) == ("AWS/ApiGateway", "5XXError")
    assert api["Dimensions"] == [
        {"Name": "ApiName", "Value": _api(small)["DefinitionBody"]["info"]["title"]},
        {"Name": "Stage", "Value": _api(small)["StageName"]},
    ]
    assert api["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    # AND a review-SLA run that did not complete for 3 hours raises one too
    missed = alarms["ReviewSlaJobMissedAlarm"]
    assert [m["Id"] for m in missed["Metrics"]] == ["invocations", "errors", "completed"]
    for metric in missed["Metrics"][:2]:
        assert metric["MetricStat"]["Metric"]["Dimensions"] == [
            {"Name": "FunctionName", "Value": {"Ref": "ReviewSla"}}
        ]
    assert missed["Metrics"][2]["Expression"] == "invocations - errors"
    assert (missed["ComparisonOperator"], missed["Threshold"]) == ("LessThanThreshold", 1)
    assert missed["TreatMissingData"] == "breaching"
    assert "Metadata" not in small["Resources"]["ReviewSlaJobMissedAlarm"]  # linted in full


def test_documents_are_encrypted_with_the_buckets_own_key(small: dict[str, Any]) -> None:
    resources = small["Resources"]
    # GIVEN the documents bucket THEN its default encryption is SSE-KMS with DocumentsKey
    bucket = resources["DocumentsBucket"]["Properties"]
    (rule,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": {"Fn::GetAtt": ["DocumentsKey", "Arn"]},
    }
    assert rule["BucketKeyEnabled"] is True
    key = resources["DocumentsKey"]
    assert key["Type"] == "AWS::KMS::Key"
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"
    # AND the bucket refuses a write that names another encryption
    statements = {
        s["Sid"]: s
        for s in resources["DocumentsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    }
    other = statements["DenyOtherEncryption"]
    assert (other["Effect"], other["Action"]) == ("Deny", "s3:PutObject")
    assert other["Condition"]["StringNotEquals"] == {"s3:x-amz-server-side-encryption": "aws:kms"}
    another = statements["DenyAnotherKey"]["Condition"]["StringNotEquals"]
    assert another == {
        "s3:x-amz-server-side-encryption-aws-kms-key-id": {"Fn::GetAtt": ["DocumentsKey", "Arn"]}
    }
    assert statements["DenyTheAwsManagedKey"]["Condition"] == {
        "Null": {
            "s3:x-amz-server-side-encryption": "false",
            "s3:x-amz-server-side-encryption-aws-kms-key-id": "true",
        }
    }


# ------------------------------------------------------------------ the real project


def test_the_real_package_is_hardened(real: dict[str, Any], resources: dict[str, Any]) -> None:
    """`make package` on this repository: items 4, 10, 11 and 14 on its real routes."""
    functions = _functions(real)
    # item 10: each function runs with its own role, the one infra/resources.yaml defines
    roles = {k: f["Properties"]["Role"]["Fn::GetAtt"][0] for k, f in functions.items()}
    assert len(set(roles.values())) == len(roles)
    for role in roles.values():
        assert real["Resources"][role] == resources["Resources"][role]
    assert roles["APIHandler"] == "ApiHandlerRole"
    # item 11: no /dev route, no local configuration, in a deployed stage
    definition = _api(real)["DefinitionBody"]
    assert not [path for path in definition["paths"] if path.startswith("/dev")]
    for function in functions.values():
        variables = function["Properties"].get("Environment", {}).get("Variables", {})
        assert variables.get("CPS_STAGE") == "prod"
        assert variables.get("CPS_PAYMENT_PROVIDER", "stripe") != "local"
    # item 4: the public routes are each throttled below the stage
    throttled = {
        (s["ResourcePath"], s["HttpMethod"])
        for s in _api(real)["MethodSettings"]
        if (s["ThrottlingRateLimit"], s["ThrottlingBurstLimit"]) == PUBLIC_THROTTLE
    }
    assert {("/" + path.replace("/", "~1"), method) for path, method in PUBLIC_ROUTES} <= throttled
    assert ("/~1me", "GET") not in throttled  # behind the authorizer: the stage's limits
    # item 14: every function has its errors alarm
    for function in functions:
        assert real["Resources"][f"{function}ErrorsAlarm"]["Type"] == "AWS::CloudWatch::Alarm"
