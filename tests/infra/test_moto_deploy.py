"""infra/resources.yaml deploys into moto, as the local runtime does it (infra.local_template)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_plus

import pytest

from infra.local_template import (
    APPLY_OUTPUT_PREFIX,
    env_from_outputs,
    env_var,
    for_moto,
    output_key,
)
from tests.infra.conftest import MOTO_SKIPS, STACK, TEMPLATE_PATH

pytestmark = pytest.mark.filterwarnings(MOTO_SKIPS)

Client = Callable[[str], Any]


# ------------------------------------------------------------------ for_moto (no AWS)


def _all_references(node: Any) -> set[str]:
    """Every name used in a Ref, a GetAtt or a ${...} of Fn::Sub."""
    from infra.local_template import _referenced_names

    return _referenced_names(node)


def test_for_moto_removes_what_moto_cannot_create_and_what_refers_to_it() -> None:
    # GIVEN the real template
    # WHEN it is adapted for moto
    template, removed, dropped = for_moto(TEMPLATE_PATH)
    # THEN Cognito and the state machine are handed back, to be created by API ...
    assert set(removed) == {
        "UserPool",
        "UserPoolClient",
        "ReviewersGroup",
        "ValidationStateMachine",
    }
    assert not set(removed) & set(template["Resources"])
    # ... with the outputs that need them ...
    assert set(dropped) == {
        "CpsUserPoolId",
        "CpsUserPoolClientId",
        "CpsJwksUrl",
        "CpsTokenIssuer",
        "CpsValidationStateMachineArn",
    }
    assert not set(dropped) & set(template["Outputs"])
    # ... and nothing left in the moto template refers to them
    assert not _all_references(template) & set(removed)
    # AND the SAM parts moto does not apply are gone
    assert "Transform" not in template
    assert "Globals" not in template


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


def test_for_moto_surfaces_bucket_and_table_settings_moto_ignores() -> None:
    # GIVEN the real template WHEN it is adapted for moto
    template, _, _ = for_moto(TEMPLATE_PATH)
    # THEN every bucket and every table with a TTL gets an output with those settings
    apply_keys = {k for k in template["Outputs"] if k.startswith(APPLY_OUTPUT_PREFIX)}
    assert apply_keys == {
        "MotoApplyDocumentsBucket",
        "MotoApplyAccessLogsBucket",
        "MotoApplyTokensTable",
        "MotoApplyIdempotencyTable",
    }


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
    # AND the TTLs moto's CloudFormation skips were applied by API
    for table, attribute in (("cps-tokens", "expires_ttl"), ("cps-idempotency", "expiration")):
        ttl = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": attribute}


def test_queues_exist_with_their_dead_letter_queues(
    deployed: dict[str, str], client: Client
) -> None:
    # GIVEN the deployed stack
    sqs = client("sqs")
    for variable, name in (
        ("CPS_DOCUMENT_UPLOADS_QUEUE_URL", "cps-document-uploads"),
        ("CPS_EMAIL_QUEUE_URL", "cps-emails"),
        ("CPS_VALIDATION_TASKS_QUEUE_URL", "cps-validation-tasks"),
    ):
        # WHEN a queue's attributes are read
        attributes = sqs.get_queue_attributes(QueueUrl=deployed[variable], AttributeNames=["All"])[
            "Attributes"
        ]
        # THEN it has its name, 6x the consumers' timeout, and a DLQ after 5 receives
        assert attributes["QueueArn"].endswith(f":{name}")
        assert attributes["VisibilityTimeout"] == "360"
        redrive = json.loads(attributes["RedrivePolicy"])
        assert redrive["deadLetterTargetArn"].endswith(f":{name}-dlq")
        assert int(redrive["maxReceiveCount"]) == 5


def test_documents_bucket_is_configured_and_notifies_uploads(
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
    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert {r["ID"] for r in rules} == {
        "expire-noncurrent-versions",
        "abort-incomplete-multipart-uploads",
        "expire-legacy-imports",
    }
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"][0]["AllowedMethods"] == ["POST"]
    # WHEN a document is uploaded under applications/, and another file elsewhere
    s3.put_object(Bucket=bucket, Key="legacy-imports/export.csv", Body=b"x")
    s3.put_object(Bucket=bucket, Key="applications/a-1/proof.pdf", Body=b"%PDF-1.7")
    # THEN only the application document reaches the uploads queue
    messages = sqs.receive_message(
        QueueUrl=deployed["CPS_DOCUMENT_UPLOADS_QUEUE_URL"], MaxNumberOfMessages=10
    ).get("Messages", [])
    keys = [  # event keys arrive URL-encoded (moto even encodes "/")
        unquote_plus(record["s3"]["object"]["key"])
        for message in messages
        for record in json.loads(message["Body"]).get("Records", [])
    ]
    assert keys == ["applications/a-1/proof.pdf"]


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
