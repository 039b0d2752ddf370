"""infra/resources.yaml deploys into moto, as the local runtime does it (infra.local_template)."""

from __future__ import annotations

import ast
import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

import pytest
from moto import mock_aws

from infra.local_template import (
    APPLY_OUTPUT_PREFIX,
    deploy,
    env_from_outputs,
    env_var,
    for_moto,
    is_variable_output,
    output_key,
    referenced_names,
    resolve_conditions,
)
from tests.infra.conftest import MOTO_SKIPS, STACK, TEMPLATE_PATH

pytestmark = pytest.mark.filterwarnings(MOTO_SKIPS)

Client = Callable[[str], Any]

# What local_runtime passes (PaymentProvider=local: no Stripe, no secret).
LOCAL_PARAMETERS = {"Stage": "local", "ViesEnabled": "false", "PaymentProvider": "local"}
STRIPE_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cps/stripe-AbC12d"
LAMBDA_ENVIRONMENT_LIMIT = 4096  # bytes, all variables together (AWS Lambda quota)


# ------------------------------------------------------------------ for_moto (no AWS)


def test_for_moto_removes_what_moto_cannot_create_and_what_refers_to_it() -> None:
    # GIVEN the real template
    # WHEN it is adapted for moto
    template, removed, dropped = for_moto(TEMPLATE_PATH)
    # THEN Cognito and the state machine are handed back, to be created by API, and the
    # catalogue custom resource, whose function (Chalice's) is not in this template, and the
    # web frontend's CloudFront resources (the local runtime serves the site itself) ...
    assert set(removed) == {
        "UserPool",
        "UserPoolClient",
        "ReviewersGroup",
        "ValidationStateMachine",
        "CatalogData",
        "SiteDistribution",
        "SiteRoutingFunction",
        "SiteSecurityHeadersPolicy",
    }
    assert not set(removed) & set(template["Resources"])
    # ... with the outputs that need them (the frontend's URL: by default the distribution's) ...
    assert set(dropped) == {
        "CpsUserPoolId",
        "CpsUserPoolClientId",
        "CpsJwksUrl",
        "CpsTokenIssuer",
        "CpsValidationStateMachineArn",
        "CpsFrontendUrl",
    }
    assert not set(dropped) & set(template["Outputs"])
    # ... and nothing left in the moto template refers to them
    assert not referenced_names(template) & set(removed)
    # AND the SAM parts moto does not apply are gone, and so are the deploy step's outputs
    assert "Transform" not in template
    assert "Globals" not in template
    assert not [k for k in template["Outputs"] if k.startswith("Site")]


def test_for_moto_keeps_the_frontend_url_given_and_drops_the_site_outputs() -> None:
    # GIVEN the real template WHEN it is adapted for moto as the local runtime does it
    template, _, dropped = for_moto(TEMPLATE_PATH, {"FrontendUrl": "http://127.0.0.1:3000"})
    # THEN the frontend's URL is the parameter, which moto resolves itself
    assert "CpsFrontendUrl" not in dropped
    assert template["Outputs"]["CpsFrontendUrl"]["Value"] == {"Ref": "FrontendUrl"}
    # AND every output left is a function variable or a moto-only one
    assert all(
        is_variable_output(k, o) or k.startswith("Moto") for k, o in template["Outputs"].items()
    )


def test_for_moto_inlines_the_state_machine_definition() -> None:
    # GIVEN the state machine, defined by a local file in the template
    # WHEN it is adapted for moto
    template, removed, _ = for_moto(TEMPLATE_PATH)
    properties = removed["ValidationStateMachine"]["Properties"]
    # THEN the file is inlined, the substitution becoming a Ref to the queue
    assert "DefinitionS3Location" not in properties
    assert "DefinitionSubstitutions" not in properties
    separator, parts = properties["DefinitionString"]["Fn::Join"]
    assert separator == ""
    assert {"Ref": "ValidationTasksQueue"} in parts
    text = "".join(p for p in parts if isinstance(p, str))
    assert "${ValidationTasksQueueUrl}" not in text
    assert "$$.Task.Token" in text
    # AND moto resolves those properties in an output, for the runtime to create it by API
    resolved = template["Outputs"]["MotoPropertiesValidationStateMachine"]["Value"]
    assert resolved == {"Fn::ToJsonString": properties}


def test_for_moto_hands_custom_resources_back_with_their_resolved_properties() -> None:
    # GIVEN the catalogue custom resource, served by a Chalice function
    # WHEN the template is adapted for moto
    template, removed, _ = for_moto(TEMPLATE_PATH)
    # THEN it is removed as it is, and nothing refers to the function any more
    assert removed["CatalogData"]["Type"] == "Custom::CatalogData"
    assert removed["CatalogData"]["Properties"]["ServiceToken"] == {
        "Fn::GetAtt": ["CatalogLoader", "Arn"]
    }
    assert "CatalogLoader" not in referenced_names(template)
    # AND its properties, but the function, are resolved in an output for the runtime
    resolved = template["Outputs"]["MotoPropertiesCatalogData"]["Value"]
    assert resolved == {
        "Fn::ToJsonString": {
            "DataVersion": {"Ref": "CatalogDataVersion"},
            "TableName": {"Ref": "CatalogTable"},
        }
    }


def test_for_moto_surfaces_bucket_and_table_settings_moto_ignores() -> None:
    # GIVEN the real template WHEN it is adapted for moto
    template, _, _ = for_moto(TEMPLATE_PATH)
    # THEN every bucket and every table with a TTL gets an output with those settings
    apply_keys = {k for k in template["Outputs"] if k.startswith(APPLY_OUTPUT_PREFIX)}
    assert apply_keys == {
        "MotoApplyDocumentsBucket",
        "MotoApplyAccessLogsBucket",
        "MotoApplySiteBucket",
        "MotoApplyTokensTable",
        "MotoApplyIdempotencyTable",
    }


def _role_statements(template: dict[str, Any]) -> list[Any]:
    role = template["Resources"]["ApiHandlerRole"]["Properties"]  # it charges cards
    return [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]


@pytest.mark.parametrize(
    ("parameters", "secret_statements"),
    [
        (None, []),  # the defaults: no secret
        (LOCAL_PARAMETERS, []),
        (
            {"StripeSecretArn": STRIPE_SECRET},
            [
                {
                    "Sid": "StripeSecret",
                    "Effect": "Allow",
                    "Action": "secretsmanager:GetSecretValue",
                    "Resource": {"Ref": "StripeSecretArn"},
                }
            ],
        ),
    ],
)
def test_for_moto_decides_the_conditions_with_the_parameters(
    parameters: dict[str, str] | None, secret_statements: list[dict[str, Any]]
) -> None:
    # GIVEN the real template, whose Lambda role reads the Stripe secret under a condition
    # WHEN it is adapted for moto with the parameters of a stack
    template, _, _ = for_moto(TEMPLATE_PATH, parameters)
    statements = _role_statements(template)
    # THEN the statement is there only with a secret, and no statement is left empty (moto
    # itself would keep a null where AWS::NoValue drops the list item)
    assert [s for s in statements if s.get("Sid") == "StripeSecret"] == secret_statements
    assert all(isinstance(s, dict) and "Effect" in s for s in statements)
    # AND nothing conditional is left for moto
    assert "Conditions" not in template
    assert '"Fn::If"' not in json.dumps(template)
    assert "AWS::NoValue" not in json.dumps(template)


def test_resolve_conditions_does_what_cloudformation_does() -> None:
    # GIVEN a template with conditions on parameters, used by Fn::If, resources and outputs
    template = {
        "Parameters": {"A": {"Type": "String"}, "B": {"Type": "String"}},
        "Conditions": {
            "HasA": {"Fn::Not": [{"Fn::Equals": [{"Ref": "A"}, ""]}]},
            "Both": {"Fn::And": [{"Condition": "HasA"}, {"Fn::Equals": [{"Ref": "B"}, "yes"]}]},
            "Either": {"Fn::Or": [{"Condition": "HasA"}, {"Fn::Equals": [{"Ref": "B"}, "yes"]}]},
        },
        "Resources": {
            "Kept": {
                "Type": "T",
                "Properties": {
                    "List": ["x", {"Fn::If": ["HasA", "a", {"Ref": "AWS::NoValue"}]}],
                    "Key": {"Fn::If": ["Both", "both", {"Ref": "AWS::NoValue"}]},
                    "Either": {"Fn::If": ["Either", "either", "neither"]},
                },
            },
            "OnlyWithA": {"Type": "T", "Condition": "HasA"},
        },
        "Outputs": {"O": {"Condition": "Both", "Value": "v"}, "P": {"Value": {"Ref": "A"}}},
    }
    # WHEN the conditions are decided with A empty and B "yes"
    resolved = resolve_conditions(template, {"A": "", "B": "yes"})
    # THEN the false branches leave nothing behind, not even a list item
    assert resolved["Resources"] == {
        "Kept": {"Type": "T", "Properties": {"List": ["x"], "Either": "either"}}
    }
    assert resolved["Outputs"] == {"P": {"Value": {"Ref": "A"}}}
    assert "Conditions" not in resolved
    # AND with A given, the true branches are taken and the conditional resource is kept
    resolved = resolve_conditions(template, {"A": "a", "B": "yes"})
    assert resolved["Resources"]["Kept"]["Properties"] == {
        "List": ["x", "a"],
        "Key": "both",
        "Either": "either",
    }
    assert resolved["Resources"]["OnlyWithA"] == {"Type": "T"}
    assert set(resolved["Outputs"]) == {"O", "P"}
    # AND a condition on anything but a parameter is refused, not guessed
    with pytest.raises(ValueError, match="AWS::Region"):
        resolve_conditions(
            {
                "Conditions": {"InIreland": {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}},
                "Resources": {"R": {"Type": "T", "Condition": "InIreland"}},
            },
            {},
        )


def test_output_keys_map_back_to_environment_variables(template: dict[str, Any]) -> None:
    # GIVEN every variable of Globals
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    for name in variables:
        # WHEN turned into an output id and back THEN nothing is lost
        assert output_key(name).isalnum()
        assert env_var(output_key(name)) == name
    # AND the runtime's conversion skips the moto-only outputs
    assert env_from_outputs(
        [
            {"OutputKey": "CpsStage", "OutputValue": "prod"},
            {"OutputKey": "MotoApplyTokensTable", "OutputValue": "{}"},
        ]
    ) == {"CPS_STAGE": "prod"}


# ------------------------------------------------------------------ deployed in moto


def test_stack_is_created_and_every_global_variable_is_set(
    deployed: dict[str, str], client: Client, template: dict[str, Any]
) -> None:
    # GIVEN the template deployed in moto (fixture)
    # WHEN the stack is described
    stack = client("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]
    # THEN it is complete and the runtime gets every variable the functions get in AWS
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert set(deployed) == set(template["Globals"]["Function"]["Environment"]["Variables"])
    assert deployed["CPS_APPLICATIONS_TABLE"] == "cps-applications"
    assert deployed["CPS_DOCUMENTS_BUCKET"] == "cps-documents-123456789012-eu-west-1"
    assert deployed["CPS_TOKEN_ISSUER"] == (
        f"https://cognito-idp.eu-west-1.amazonaws.com/{deployed['CPS_USER_POOL_ID']}"
    )
    assert deployed["CPS_JWKS_URL"] == deployed["CPS_TOKEN_ISSUER"] + "/.well-known/jwks.json"
    # AND the membership settings carry the parameters' defaults
    assert deployed["CPS_MEMBERSHIPS_TABLE"] == "cps-memberships"
    assert deployed["CPS_INVOICES_TABLE"] == "cps-invoices"
    assert deployed["CPS_TERMS_VERSION"] == "2026-01"
    assert deployed["CPS_PAYMENT_PROVIDER"] == "stripe"
    assert deployed["CPS_STRIPE_SECRET_ARN"] == ""
    assert deployed["CPS_SELLER_IBAN"] == "NL91ABNA0417164300"
    # AND without FrontendUrl the frontend is the distribution's domain, which moto does not
    # make (the local runtime passes its own URL): a placeholder stands for it
    assert deployed["CPS_FRONTEND_URL"] == (
        "https://arn:aws:cloudformation:eu-west-1:123456789012:removed/SiteDistribution/DomainName"
    )
    # AND the functions' environment stays well within Lambda's 4 KB, with room for the
    # variables of .chalice/config.json and a long secret ARN
    size = len(json.dumps({**deployed, "CPS_STRIPE_SECRET_ARN": STRIPE_SECRET + "x" * 40}))
    assert size <= LAMBDA_ENVIRONMENT_LIMIT * 3 // 4, size


def test_tables_exist_with_their_keys_indexes_and_ttl(
    deployed: dict[str, str], client: Client
) -> None:
    # GIVEN the deployed stack
    dynamodb = client("dynamodb")
    # WHEN the tables are described THEN keys and indexes are those of the template
    applications = dynamodb.describe_table(TableName="cps-applications")["Table"]
    assert applications["KeySchema"] == [{"AttributeName": "application_id", "KeyType": "HASH"}]
    assert applications["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    (status_index,) = applications["GlobalSecondaryIndexes"]
    assert status_index["IndexName"] == "status-index"
    assert status_index["KeySchema"] == [
        {"AttributeName": "status", "KeyType": "HASH"},
        {"AttributeName": "created_at", "KeyType": "RANGE"},
    ]
    accounts = dynamodb.describe_table(TableName="cps-accounts")["Table"]
    indexes = {i["IndexName"]: i for i in accounts["GlobalSecondaryIndexes"]}
    assert indexes["email-index"]["Projection"]["ProjectionType"] == "ALL"
    assert indexes["vat-index"]["Projection"]["ProjectionType"] == "KEYS_ONLY"
    # AND the product, points and legacy tables are there, with the ledger's LSI
    for table, key in (
        ("cps-catalog", [("catalog", "HASH"), ("sku", "RANGE")]),
        ("cps-products", [("account_id", "HASH"), ("product_id", "RANGE")]),
        ("cps-serial-claims", [("claim_key", "HASH")]),
        ("cps-ledger", [("account_id", "HASH"), ("entry_id", "RANGE")]),
        ("cps-legacy-products", [("email", "HASH"), ("row_key", "RANGE")]),
        ("cps-legacy-imports", [("import_id", "HASH")]),
        ("cps-memberships", [("account_id", "HASH"), ("membership_id", "RANGE")]),
        ("cps-membership-numbers", [("membership_number", "HASH")]),
        ("cps-invoices", [("invoice_number", "HASH")]),
        ("cps-counters", [("counter", "HASH")]),
    ):
        described = dynamodb.describe_table(TableName=table)["Table"]
        assert described["KeySchema"] == [
            {"AttributeName": name, "KeyType": kind} for name, kind in key
        ], table
    ledger = dynamodb.describe_table(TableName="cps-ledger")["Table"]
    (by_time,) = ledger["LocalSecondaryIndexes"]
    assert by_time["IndexName"] == "by-time"
    assert by_time["KeySchema"] == [
        {"AttributeName": "account_id", "KeyType": "HASH"},
        {"AttributeName": "at", "KeyType": "RANGE"},
    ]
    assert by_time["Projection"]["ProjectionType"] == "ALL"
    # AND the memberships' and invoices' GSIs are there, for Query
    for table, index, key, projection in (
        (
            "cps-memberships",
            "lifecycle-index",
            [("life_shard", "HASH"), ("life_on", "RANGE")],
            "KEYS_ONLY",
        ),
        ("cps-invoices", "account-index", [("account_id", "HASH"), ("issued_on", "RANGE")], "ALL"),
        ("cps-invoices", "purchase-index", [("purchase_id", "HASH")], "ALL"),
        (
            "cps-invoices",
            "collection-index",
            [("collect_shard", "HASH"), ("collect_on", "RANGE")],
            "KEYS_ONLY",
        ),
        (
            "cps-invoices",
            "receivables-index",
            [("receivable_status", "HASH"), ("due_on", "RANGE")],
            "ALL",
        ),
    ):
        described = dynamodb.describe_table(TableName=table)["Table"]
        indexes = {i["IndexName"]: i for i in described["GlobalSecondaryIndexes"]}
        assert indexes[index]["KeySchema"] == [
            {"AttributeName": name, "KeyType": kind} for name, kind in key
        ], index
        assert indexes[index]["Projection"]["ProjectionType"] == projection, index
    # AND the TTLs moto's CloudFormation skips were applied by API
    for table, attribute in (("cps-tokens", "expires_ttl"), ("cps-idempotency", "expiration")):
        ttl = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": attribute}


def test_queues_exist_with_their_dead_letter_queues(
    deployed: dict[str, str], client: Client
) -> None:
    # GIVEN the deployed stack
    sqs = client("sqs")
    for variable, name, visibility, receives in (
        ("CPS_DOCUMENT_UPLOADS_QUEUE_URL", "cps-document-uploads", 360, 5),
        ("CPS_EMAIL_QUEUE_URL", "cps-emails", 360, 5),
        ("CPS_VALIDATION_TASKS_QUEUE_URL", "cps-validation-tasks", 360, 5),
        ("CPS_LEGACY_IMPORTS_QUEUE_URL", "cps-legacy-imports", 5400, 3),
        ("CPS_INVOICES_QUEUE_URL", "cps-invoices", 360, 5),
        ("CPS_LIFECYCLE_QUEUE_URL", "cps-lifecycle", 360, 5),
    ):
        # WHEN a queue's attributes are read
        attributes = sqs.get_queue_attributes(QueueUrl=deployed[variable], AttributeNames=["All"])[
            "Attributes"
        ]
        # THEN it has its name, 6x its consumer's timeout, and a DLQ after its receives
        assert attributes["QueueArn"].endswith(f":{name}")
        assert attributes["VisibilityTimeout"] == str(visibility), name
        redrive = json.loads(attributes["RedrivePolicy"])
        assert redrive["deadLetterTargetArn"].endswith(f":{name}-dlq")
        assert int(redrive["maxReceiveCount"]) == receives, name


def _object_keys(sqs: Any, queue_url: str) -> list[str]:
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    return [  # event keys arrive URL-encoded (moto even encodes "/")
        unquote_plus(record["s3"]["object"]["key"])
        for message in messages
        for record in json.loads(message["Body"]).get("Records", [])
    ]


def test_documents_bucket_is_configured_and_notifies_both_queues(
    deployed: dict[str, str], client: Client
) -> None:
    # GIVEN the deployed stack
    s3, sqs = client("s3"), client("sqs")
    bucket = deployed["CPS_DOCUMENTS_BUCKET"]
    # THEN the bucket carries the template's settings (most of them applied by API)
    encryption = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    algorithm = encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
    assert algorithm == "aws:kms"
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]}
    assert set(rules) == {
        "abort-incomplete-multipart-uploads",
        "expire-noncurrent-application-documents",
        "expire-legacy-imports",
        "expire-legacy-import-reports",
        "keep-invoices-infrequent-access",
    }
    reports = rules["expire-legacy-import-reports"]
    assert (reports["Filter"], reports["Expiration"]) == (
        {"Prefix": "legacy-import-reports/"},
        {"Days": 90},
    )
    invoices = rules["keep-invoices-infrequent-access"]
    assert invoices["Filter"] == {"Prefix": "invoices/"}
    assert invoices["Transitions"] == [{"Days": 90, "StorageClass": "STANDARD_IA"}]
    assert "Expiration" not in invoices
    assert "NoncurrentVersionExpiration" not in invoices
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"][0]["AllowedMethods"] == ["POST"]
    # AND both notifications are in place (one configuration, two queues)
    configurations = s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"]
    assert sorted(
        (c["Filter"]["Key"]["FilterRules"][0]["Value"], c["QueueArn"].rsplit(":", 1)[-1])
        for c in configurations
    ) == [("applications/", "cps-document-uploads"), ("legacy-imports/", "cps-legacy-imports")]
    # WHEN a document is uploaded under applications/, an export under legacy-imports/,
    # and a report elsewhere
    s3.put_object(Bucket=bucket, Key="legacy-imports/export.csv", Body=b"x")
    s3.put_object(Bucket=bucket, Key="legacy-import-reports/export.json", Body=b"{}")
    s3.put_object(Bucket=bucket, Key="applications/a-1/proof.pdf", Body=b"%PDF-1.7")
    # THEN each queue gets its own prefix's object, and nothing else
    uploads = _object_keys(sqs, deployed["CPS_DOCUMENT_UPLOADS_QUEUE_URL"])
    imports = _object_keys(sqs, deployed["CPS_LEGACY_IMPORTS_QUEUE_URL"])
    assert (uploads, imports) == (["applications/a-1/proof.pdf"], ["legacy-imports/export.csv"])


def test_state_machine_is_created_with_the_queue_substituted(
    deployed: dict[str, str], client: Client
) -> None:
    # GIVEN the deployed stack
    # WHEN the state machine is described
    machine = client("stepfunctions").describe_state_machine(
        stateMachineArn=deployed["CPS_VALIDATION_STATE_MACHINE_ARN"]
    )
    # THEN it is the validation workflow, sending to the validation-tasks queue
    assert machine["name"] == "cps-application-validation"
    definition = json.loads(machine["definition"])
    parameters = definition["States"]["RunAutomatedChecks"]["Parameters"]
    assert parameters["QueueUrl"] == deployed["CPS_VALIDATION_TASKS_QUEUE_URL"]
    assert parameters["MessageBody"]["task_token.$"] == "$$.Task.Token"


def test_catalogue_custom_resource_is_left_to_the_local_runtime(
    deployed: dict[str, str], client: Client
) -> None:
    # GIVEN the deployed stack
    # WHEN its resources are listed
    resources = client("cloudformation").list_stack_resources(StackName=STACK)
    logical_ids = {r["LogicalResourceId"] for r in resources["StackResourceSummaries"]}
    # THEN the catalogue table is there, but deploy neither created the custom resource
    # nor loaded anything: the local runtime calls the loader itself
    assert "CatalogTable" in logical_ids
    assert "CatalogData" not in logical_ids
    assert client("dynamodb").scan(TableName=deployed["CPS_CATALOG_TABLE"])["Count"] == 0
    # AND the stack gives the runtime the custom resource's properties, resolved
    outputs = {
        o["OutputKey"]: o["OutputValue"]
        for o in client("cloudformation").describe_stacks(StackName=STACK)["Stacks"][0]["Outputs"]
    }
    assert json.loads(outputs["MotoPropertiesCatalogData"]) == {
        "DataVersion": "1",
        "TableName": "cps-catalog",
    }


def test_cognito_pool_client_and_reviewers_group_are_created_by_api(
    deployed: dict[str, str], client: Client
) -> None:
    # GIVEN the deployed stack
    cognito = client("cognito-idp")
    pool_id = deployed["CPS_USER_POOL_ID"]
    # WHEN the pool, its client and groups are described
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    app_client = cognito.describe_user_pool_client(
        UserPoolId=pool_id, ClientId=deployed["CPS_USER_POOL_CLIENT_ID"]
    )["UserPoolClient"]
    groups = cognito.list_groups(UserPoolId=pool_id)["Groups"]
    # THEN they are the template's
    assert pool["Name"] == "cps-users"
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert any(a["Name"] == "custom:account_id" for a in pool["SchemaAttributes"])
    assert app_client["ClientName"] == "cps-web"
    assert "ClientSecret" not in app_client
    assert [g["GroupName"] for g in groups] == [deployed["CPS_REVIEWERS_GROUP"]]


def test_user_pool_mfa_is_set_apart_from_its_creation(
    deployed: dict[str, str], client: Client
) -> None:
    # GIVEN the deployed user pool, whose EnabledMfas the CreateUserPool API does not take
    # WHEN its MFA configuration is read
    mfa = client("cognito-idp").get_user_pool_mfa_config(UserPoolId=deployed["CPS_USER_POOL_ID"])
    # THEN it is the template's: optional, with authenticator apps (software tokens)
    assert mfa["MfaConfiguration"] == "OPTIONAL"
    assert mfa["SoftwareTokenMfaConfiguration"] == {"Enabled": True}


def test_a_user_created_like_the_app_does_can_log_in(
    deployed: dict[str, str], client: Client
) -> None:
    # GIVEN the deployed user pool
    cognito = client("cognito-idp")
    pool_id, client_id = deployed["CPS_USER_POOL_ID"], deployed["CPS_USER_POOL_CLIENT_ID"]
    # WHEN a login is created with its account id and a password is set
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="buyer@example.com",
        UserAttributes=[
            {"Name": "email", "Value": "buyer@example.com"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:account_id", "Value": "acc-1"},
        ],
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username="buyer@example.com", Password="Correct-Horse-9", Permanent=True
    )
    # (as chalicelib's Cognito adapter does: InitiateAuth with the public client)
    result = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "buyer@example.com", "PASSWORD": "Correct-Horse-9"},
    )
    # THEN the user logs in and the id token carries the account id
    token = result["AuthenticationResult"]["IdToken"]
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["custom:account_id"] == "acc-1"
    assert claims["iss"] == deployed["CPS_TOKEN_ISSUER"]


# ------------------------------------------------------------------ parameters, in moto


def _role_policy(client: Client, stack: str) -> dict[str, Any]:
    resources = client("cloudformation").list_stack_resources(StackName=stack)
    (role,) = [
        r["PhysicalResourceId"]
        for r in resources["StackResourceSummaries"]
        if r["LogicalResourceId"] == "ApiHandlerRole"
    ]
    document = client("iam").get_role_policy(RoleName=role, PolicyName="api-handler")[
        "PolicyDocument"
    ]
    # moto keeps a CloudFormation role's inline policy as the repr of a dict
    parsed: dict[str, Any] = ast.literal_eval(document) if isinstance(document, str) else document
    return parsed


@pytest.mark.parametrize(
    ("parameters", "provider", "secret"),
    [
        (LOCAL_PARAMETERS, "local", ""),
        ({"StripeSecretArn": STRIPE_SECRET}, "stripe", STRIPE_SECRET),
    ],
    ids=["local-runtime", "stripe-secret"],
)
def test_payment_parameters_reach_the_functions_and_their_role(
    aws_env: None,
    client: Client,
    parameters: dict[str, str],
    provider: str,
    secret: str,
) -> None:
    with mock_aws():
        # GIVEN the template deployed in moto with a stack's payment parameters
        env = deploy(STACK, TEMPLATE_PATH, client, parameters)
        # THEN the functions get them
        assert (env["CPS_PAYMENT_PROVIDER"], env["CPS_STRIPE_SECRET_ARN"]) == (provider, secret)
        # AND the Lambda role reads that one secret only when one is given, and its policy
        # is whole (no null statement where the condition said no)
        statements = _role_policy(client, STACK)["Statement"]
        assert all(isinstance(s, dict) and "Effect" in s for s in statements)
        reads = [s for s in statements if "secretsmanager:GetSecretValue" in str(s["Action"])]
        expected = [{"Sid": "StripeSecret", "Effect": "Allow"}] if secret else []
        assert [{"Sid": s["Sid"], "Effect": s["Effect"]} for s in reads] == expected
        if secret:
            assert reads[0]["Resource"] == secret
