"""infra/resources.yaml: the promises of ARCHITECTURE.md and SPEC §1, read from the template."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint_file
from stdnum import bic, iban
from stdnum.eu import vat

from infra.local_template import env_var, is_variable_output, output_key
from tests.infra.conftest import INFRA, REGION, TEMPLATE_PATH

# Each work queue: its consumer's lambda_timeout (.chalice/config.json) and how many
# receives it gets before its dead-letter queue.
WORK_QUEUES = {
    "cps-document-uploads": (60, 5),
    "cps-emails": (60, 5),
    "cps-validation-tasks": (60, 5),
    "cps-legacy-imports": (900, 3),
    "cps-invoices": (60, 5),
    "cps-lifecycle": (60, 5),
}
FOURTEEN_DAYS_S = 14 * 24 * 3600


def _resources(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def _properties(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    properties: dict[str, Any] = template["Resources"][logical_id]["Properties"]
    return properties


def _variables(template: dict[str, Any]) -> dict[str, Any]:
    variables: dict[str, Any] = template["Globals"]["Function"]["Environment"]["Variables"]
    return variables


# ------------------------------------------------------------------ linters


def test_cfn_lint_finds_nothing() -> None:
    # GIVEN the template WHEN cfn-lint checks it THEN it reports nothing, not even a warning
    matches = lint_file(TEMPLATE_PATH, config=ManualArgs(regions=[REGION]))
    assert [str(m) for m in matches] == []


CHECKOV = Path(__file__).resolve().parents[2] / ".venv-checkov" / "bin" / "checkov"


@pytest.mark.skipif(
    not CHECKOV.exists(), reason="checkov has its own venv: `make lint-infra` creates it"
)
def test_checkov_passes() -> None:
    # GIVEN the template WHEN checkov scans it (skips are written, with reasons, in Metadata)
    result = subprocess.run(
        [
            str(CHECKOV),
            "--quiet",
            "--compact",
            "--skip-download",
            "--framework",
            "cloudformation",
            "--file",
            str(TEMPLATE_PATH),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # THEN no check fails
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_checkov_skip_gives_a_reason(template: dict[str, Any]) -> None:
    # GIVEN every skipped checkov check THEN it says why, in words
    for logical_id, resource in template["Resources"].items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            assert skip["id"].startswith("CKV_"), logical_id
            assert len(skip.get("comment", "").split()) >= 8, f"{logical_id}: {skip['id']}"


# ------------------------------------------------------------------ configuration


def test_globals_variables_and_outputs_are_the_same(template: dict[str, Any]) -> None:
    # GIVEN the functions' environment (Globals) and the stack's variable outputs (those whose
    # Description is the variable's name)
    variables = _variables(template)
    outputs = {k: o for k, o in template["Outputs"].items() if is_variable_output(k, o)}
    # THEN each variable has one output (id: its name in CamelCase) with the same value
    assert {output_key(name) for name in variables} == set(outputs)
    for name, value in variables.items():
        assert outputs[output_key(name)]["Value"] == value, name
        assert outputs[output_key(name)]["Description"] == name


def test_the_other_outputs_are_for_the_deploy_step_and_say_so(template: dict[str, Any]) -> None:
    # GIVEN the outputs that stand for no function variable
    others = {k: o for k, o in template["Outputs"].items() if not is_variable_output(k, o)}
    # THEN they are the web frontend's, for the deploy step (README, "Deploying")
    assert set(others) == {
        "SiteBucketName",
        "SiteDistributionId",
        "SiteDistributionDomainName",
        "SiteOrigin",
        "SiteStripePublishableKey",
    }
    for key, output in others.items():
        # AND each says what it is in a sentence, never a variable's name, so the local
        # runtime (infra.local_template) cannot take it for one
        assert len(output["Description"].split()) >= 5, key
        assert env_var(key) not in _variables(template), key


def test_globals_carry_every_setting_the_app_reads(template: dict[str, Any]) -> None:
    # GIVEN the functions' environment THEN it names every resource and setting
    assert set(_variables(template)) == {
        "CPS_STAGE",
        "CPS_APPLICATIONS_TABLE",
        "CPS_ACCOUNTS_TABLE",
        "CPS_TOKENS_TABLE",
        "CPS_IDEMPOTENCY_TABLE",
        "CPS_CATALOG_TABLE",
        "CPS_PRODUCTS_TABLE",
        "CPS_SERIAL_CLAIMS_TABLE",
        "CPS_LEDGER_TABLE",
        "CPS_LEGACY_PRODUCTS_TABLE",
        "CPS_LEGACY_IMPORTS_TABLE",
        "CPS_MEMBERSHIPS_TABLE",
        "CPS_MEMBERSHIP_NUMBERS_TABLE",
        "CPS_INVOICES_TABLE",
        "CPS_COUNTERS_TABLE",
        "CPS_DOCUMENTS_BUCKET",
        "CPS_EMAIL_QUEUE_URL",
        "CPS_DOCUMENT_UPLOADS_QUEUE_URL",
        "CPS_VALIDATION_TASKS_QUEUE_URL",
        "CPS_LEGACY_IMPORTS_QUEUE_URL",
        "CPS_INVOICES_QUEUE_URL",
        "CPS_LIFECYCLE_QUEUE_URL",
        "CPS_SUPPORT_EMAIL",
        "CPS_VALIDATION_STATE_MACHINE_ARN",
        "CPS_USER_POOL_ID",
        "CPS_USER_POOL_CLIENT_ID",
        "CPS_JWKS_URL",
        "CPS_TOKEN_ISSUER",
        "CPS_REVIEWERS_GROUP",
        "CPS_REVIEWER_MFA",
        "CPS_REVIEWERS_EMAIL",
        "CPS_NOREPLY_EMAIL",
        "CPS_FRONTEND_URL",
        "CPS_VIES_ENABLED",
        "CPS_TERMS_VERSION",
        "CPS_PAYMENT_PROVIDER",
        "CPS_STRIPE_SECRET_ARN",
        "CPS_SELLER_NAME",
        "CPS_SELLER_ADDRESS",
        "CPS_SELLER_VAT_NUMBER",
        "CPS_SELLER_IBAN",
        "CPS_SELLER_BIC",
        "CPS_SELLER_KVK_NUMBER",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
    }
    assert (
        _variables(template)["CPS_REVIEWERS_GROUP"]
        == (_properties(template, "ReviewersGroup")["GroupName"])
    )
    function = template["Globals"]["Function"]
    assert function["Runtime"] == "python3.11"
    assert function["Tracing"] == "Active"
    assert template["Transform"] == "AWS::Serverless-2016-10-31"


def test_parameters_have_the_production_defaults(template: dict[str, Any]) -> None:
    # GIVEN the parameters THEN a deployment without overrides is production
    parameters = template["Parameters"]
    assert parameters["Stage"]["Default"] == "prod"
    assert parameters["NoReplyEmail"]["Default"] == "donotreply@canon-europe.com"
    assert parameters["ReviewersEmail"]["Default"] == "cps-reviewers@canon-europe.com"
    assert parameters["FrontendUrl"]["Default"] == ""  # the stack's own site
    assert parameters["SiteDomainName"]["Default"] == ""
    assert parameters["SiteCertificateArn"]["Default"] == ""
    assert parameters["SitePriceClass"]["Default"] == "PriceClass_100"
    assert parameters["StripePublishableKey"]["Default"] == ""
    assert parameters["ViesEnabled"]["Default"] == "true"
    assert parameters["ViesEnabled"]["AllowedValues"] == ["true", "false"]
    assert parameters["AlarmEmail"]["Default"] == ""
    assert parameters["CatalogDataVersion"]["Default"] == "1"
    assert parameters["TermsVersion"]["Default"] == "2026-01"
    assert parameters["PaymentProvider"]["Default"] == "stripe"
    assert parameters["PaymentProvider"]["AllowedValues"] == ["stripe", "local"]
    assert parameters["StripeSecretArn"]["Default"] == ""
    assert parameters["SellerName"]["Default"] == "Canon Europa N.V."
    assert parameters["SellerAddress"]["Default"] == "Bovenkerkerweg 59, 1185 XB Amstelveen"
    assert parameters["SellerKvkNumber"]["Default"] == "33211437"
    assert parameters["SellerVatNumber"]["Default"] == "NL004495445B01"
    assert parameters["SellerIban"]["Default"] == "NL91ABNA0417164300"
    assert parameters["SellerBic"]["Default"] == "ABNANL2A"


def test_parameters_reach_the_functions_unchanged(template: dict[str, Any]) -> None:
    # GIVEN the settings a deployment chooses THEN each is one variable, the parameter itself
    # (CPS_FRONTEND_URL is FrontendUrl or the site's own URL: tests/infra/test_site_hosting.py)
    variables = _variables(template)
    for name, parameter in (
        ("CPS_STAGE", "Stage"),
        ("CPS_REVIEWERS_EMAIL", "ReviewersEmail"),
        ("CPS_NOREPLY_EMAIL", "NoReplyEmail"),
        ("CPS_VIES_ENABLED", "ViesEnabled"),
        ("CPS_TERMS_VERSION", "TermsVersion"),
        ("CPS_PAYMENT_PROVIDER", "PaymentProvider"),
        ("CPS_STRIPE_SECRET_ARN", "StripeSecretArn"),
        ("CPS_SELLER_NAME", "SellerName"),
        ("CPS_SELLER_ADDRESS", "SellerAddress"),
        ("CPS_SELLER_VAT_NUMBER", "SellerVatNumber"),
        ("CPS_SELLER_IBAN", "SellerIban"),
        ("CPS_SELLER_BIC", "SellerBic"),
        ("CPS_SELLER_KVK_NUMBER", "SellerKvkNumber"),
    ):
        assert variables[name] == {"Ref": parameter}, name


def test_invoice_seller_details_are_checked_when_deploying(template: dict[str, Any]) -> None:
    # GIVEN the seller's details printed on invoices
    parameters = template["Parameters"]
    # THEN the defaults are a valid VAT number, IBAN and BIC (python-stdnum, as the app uses)
    assert vat.is_valid(parameters["SellerVatNumber"]["Default"])
    assert iban.is_valid(parameters["SellerIban"]["Default"])
    assert bic.is_valid(parameters["SellerBic"]["Default"])
    # AND CloudFormation refuses a value of the wrong shape (each default fits its pattern)
    for name in (
        "TermsVersion",
        "StripeSecretArn",
        "SellerAddress",
        "SellerVatNumber",
        "SellerIban",
        "SellerBic",
        "SellerKvkNumber",
    ):
        pattern = parameters[name]["AllowedPattern"]
        assert re.fullmatch(pattern, str(parameters[name]["Default"])), name
    for bad in ("NL 0044 9544 5B01", "nl004495445b01"):
        assert not re.fullmatch(parameters["SellerVatNumber"]["AllowedPattern"], bad)
    assert not re.fullmatch(parameters["SellerIban"]["AllowedPattern"], "NL91 ABNA 0417 1643 00")
    # AND the address is one line without the country, which invoices print in the customer's
    # language (it was printed twice: "Amstelveen, Netherlands", then "Nederland")
    assert not re.fullmatch(
        parameters["SellerAddress"]["AllowedPattern"],
        "Bovenkerkerweg 59, 1185 XB Amstelveen, Netherlands",
    )
    assert parameters["SellerName"]["MinLength"] == parameters["SellerAddress"]["MinLength"] == 1


def test_stripe_secret_parameter_takes_a_secrets_manager_arn_or_nothing(
    template: dict[str, Any],
) -> None:
    # GIVEN the Stripe secret parameter's pattern
    pattern = template["Parameters"]["StripeSecretArn"]["AllowedPattern"]
    # THEN a full secret ARN, or nothing, is accepted; a name or another service's ARN is not
    assert re.fullmatch(pattern, "")
    assert re.fullmatch(
        pattern, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cps/stripe-AbC12d"
    )
    for bad in ("cps/stripe", "arn:aws:ssm:eu-west-1:123456789012:parameter/stripe"):
        assert not re.fullmatch(pattern, bad), bad


def test_named_resources_carry_the_cps_prefix(template: dict[str, Any]) -> None:
    # GIVEN every physical name set in the template THEN it starts with cps-
    name_properties = {
        "AWS::DynamoDB::Table": "TableName",
        "AWS::SQS::Queue": "QueueName",
        "AWS::StepFunctions::StateMachine": "StateMachineName",
        "AWS::Cognito::UserPool": "UserPoolName",
        "AWS::Cognito::UserPoolClient": "ClientName",
        "AWS::SNS::Topic": "TopicName",
        "AWS::CloudWatch::Alarm": "AlarmName",
    }
    for logical_id, resource in template["Resources"].items():
        prop = name_properties.get(resource["Type"])
        if prop:
            assert resource["Properties"][prop].startswith("cps-"), logical_id
    # AND CloudFront's names, unique per account, carry the region too
    for logical_id, config in (
        ("SiteOriginAccessControl", "OriginAccessControlConfig"),
        ("SiteSecurityHeadersPolicy", "ResponseHeadersPolicyConfig"),
        ("SiteRoutingFunction", None),
    ):
        properties = _properties(template, logical_id)
        name = (properties[config] if config else properties)["Name"]["Fn::Sub"]
        assert name.startswith("cps-") and name.endswith("-${AWS::Region}"), logical_id
    for bucket in _resources(template, "AWS::S3::Bucket").values():
        name = bucket["Properties"]["BucketName"]["Fn::Sub"]
        assert name.startswith("cps-")
        assert name.endswith("-${AWS::AccountId}-${AWS::Region}")


# ------------------------------------------------------------------ DynamoDB


def _key_schema(schema: list[dict[str, str]]) -> dict[str, str]:
    return {key["KeyType"]: key["AttributeName"] for key in schema}


def _indexes(properties: dict[str, Any], kind: str) -> dict[str, Any]:
    return {
        index["IndexName"]: (_key_schema(index["KeySchema"]), index["Projection"]["ProjectionType"])
        for index in properties.get(kind, [])
    }


# logical id -> (table name, key, GSIs, LSIs); an index is (key, projection)
TABLES: dict[str, tuple[str, dict[str, str], dict[str, Any], dict[str, Any]]] = {
    "ApplicationsTable": (
        "cps-applications",
        {"HASH": "application_id"},
        {"status-index": ({"HASH": "status", "RANGE": "created_at"}, "ALL")},
        {},
    ),
    "AccountsTable": (
        "cps-accounts",
        {"HASH": "account_id"},
        {
            "email-index": ({"HASH": "email"}, "ALL"),
            "vat-index": ({"HASH": "vat_number"}, "KEYS_ONLY"),
        },
        {},
    ),
    "TokensTable": ("cps-tokens", {"HASH": "token_hash"}, {}, {}),
    "IdempotencyTable": ("cps-idempotency", {"HASH": "id"}, {}, {}),
    "CatalogTable": ("cps-catalog", {"HASH": "catalog", "RANGE": "sku"}, {}, {}),
    "ProductsTable": ("cps-products", {"HASH": "account_id", "RANGE": "product_id"}, {}, {}),
    "SerialClaimsTable": ("cps-serial-claims", {"HASH": "claim_key"}, {}, {}),
    "LedgerTable": (
        "cps-ledger",
        {"HASH": "account_id", "RANGE": "entry_id"},
        {},
        {"by-time": ({"HASH": "account_id", "RANGE": "at"}, "ALL")},
    ),
    "LegacyProductsTable": (
        "cps-legacy-products",
        {"HASH": "email", "RANGE": "row_key"},
        {},
        {},
    ),
    "LegacyImportsTable": ("cps-legacy-imports", {"HASH": "import_id"}, {}, {}),
    "MembershipsTable": (
        "cps-memberships",
        {"HASH": "account_id", "RANGE": "membership_id"},
        {"lifecycle-index": ({"HASH": "life_shard", "RANGE": "life_on"}, "KEYS_ONLY")},
        {},
    ),
    "MembershipNumbersTable": ("cps-membership-numbers", {"HASH": "membership_number"}, {}, {}),
    "InvoicesTable": (
        "cps-invoices",
        {"HASH": "invoice_number"},
        {
            "account-index": ({"HASH": "account_id", "RANGE": "issued_on"}, "ALL"),
            "purchase-index": ({"HASH": "purchase_id"}, "ALL"),
            "collection-index": ({"HASH": "collect_shard", "RANGE": "collect_on"}, "KEYS_ONLY"),
            "receivables-index": ({"HASH": "receivable_status", "RANGE": "due_on"}, "ALL"),
        },
        {},
    ),
    "CountersTable": ("cps-counters", {"HASH": "counter"}, {}, {}),
}
# Records the functions may write but never delete.
RECORD_TABLES = {"MembershipNumbersTable", "InvoicesTable", "CountersTable"}


def test_tables_have_the_stated_keys_and_indexes(template: dict[str, Any]) -> None:
    # GIVEN the tables THEN their keys, GSIs and LSIs are the ones the adapters query
    tables = _resources(template, "AWS::DynamoDB::Table")
    assert set(tables) == set(TABLES)
    for logical_id, (name, key, gsis, lsis) in TABLES.items():
        properties = tables[logical_id]["Properties"]
        assert properties["TableName"] == name
        assert _key_schema(properties["KeySchema"]) == key
        assert _indexes(properties, "GlobalSecondaryIndexes") == gsis, logical_id
        assert _indexes(properties, "LocalSecondaryIndexes") == lsis, logical_id
        # an LSI shares the table's partition key
        for lsi_key, _ in lsis.values():
            assert lsi_key["HASH"] == key["HASH"], logical_id
        indexes = {**gsis, **lsis}
        # every key attribute is declared as a string, and nothing else is declared
        declared = {
            a["AttributeName"]: a["AttributeType"] for a in properties["AttributeDefinitions"]
        }
        used = set(key.values()).union(*(set(k.values()) for k, _ in indexes.values()))
        assert declared == dict.fromkeys(used, "S"), logical_id


def test_tables_are_on_demand_encrypted_recoverable_and_retained(template: dict[str, Any]) -> None:
    # GIVEN each table THEN it is billed per request, encrypted, has PITR, and is kept
    for logical_id, table in _resources(template, "AWS::DynamoDB::Table").items():
        properties = table["Properties"]
        assert properties["BillingMode"] == "PAY_PER_REQUEST", logical_id
        assert properties["SSESpecification"]["SSEEnabled"] is True, logical_id
        pitr = properties["PointInTimeRecoverySpecification"]
        assert pitr["PointInTimeRecoveryEnabled"] is True, logical_id
        assert properties["DeletionProtectionEnabled"] is True, logical_id
        assert table["DeletionPolicy"] == "Retain", logical_id
        assert table["UpdateReplacePolicy"] == "Retain", logical_id


def test_expiring_tables_have_their_ttl_attribute(template: dict[str, Any]) -> None:
    # GIVEN the tokens and idempotency tables THEN DynamoDB expires their items
    for logical_id, attribute in (
        ("TokensTable", "expires_ttl"),
        ("IdempotencyTable", "expiration"),
    ):
        ttl = _properties(template, logical_id)["TimeToLiveSpecification"]
        assert ttl == {"AttributeName": attribute, "Enabled": True}


def test_catalogue_is_loaded_at_deployment_by_chalices_function(template: dict[str, Any]) -> None:
    # GIVEN the catalogue data custom resource
    resource = template["Resources"]["CatalogData"]
    # THEN CloudFormation has the function Chalice generates for catalog_loader fill the
    # catalogue table, again whenever the data version changes
    assert resource["Type"] == "Custom::CatalogData"
    assert resource["Properties"] == {
        "ServiceToken": {"Fn::GetAtt": ["CatalogLoader", "Arn"]},
        "DataVersion": {"Ref": "CatalogDataVersion"},
        "TableName": {"Ref": "CatalogTable"},
    }
    assert "CatalogLoader" not in template["Resources"]  # Chalice's, merged by infra.package
    # AND the only cfn-lint exceptions of the template are the references to Chalice's
    # functions: that one (E1010), and the review-SLA alarm's Ref to ReviewSla (E1020)
    exceptions = {
        logical_id: r["Metadata"]["cfn-lint"]
        for logical_id, r in template["Resources"].items()
        if "cfn-lint" in r.get("Metadata", {})
    }
    assert exceptions == {
        "CatalogData": {"config": {"ignore_checks": ["E1010"]}},
        "ReviewSlaJobMissedAlarm": {"config": {"ignore_checks": ["E1020"]}},
    }


# ------------------------------------------------------------------ S3


def test_buckets_are_private_encrypted_versioned_and_expire_old_data(
    template: dict[str, Any],
) -> None:
    # GIVEN each bucket
    buckets = _resources(template, "AWS::S3::Bucket")
    assert set(buckets) == {"DocumentsBucket", "AccessLogsBucket", "SiteBucket"}
    policies = {
        p["Properties"]["Bucket"]["Ref"]: p["Properties"]["PolicyDocument"]["Statement"]
        for p in _resources(template, "AWS::S3::BucketPolicy").values()
    }
    for logical_id, bucket in buckets.items():
        properties = bucket["Properties"]
        # THEN no public access, no ACLs
        assert all(properties["PublicAccessBlockConfiguration"].values()), logical_id
        assert len(properties["PublicAccessBlockConfiguration"]) == 4
        assert properties["OwnershipControls"]["Rules"] == [
            {"ObjectOwnership": "BucketOwnerEnforced"}
        ]
        assert "AccessControl" not in properties
        # AND encryption at rest, versioning, a lifecycle, and TLS only
        (rule,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("aws:kms", "AES256")
        assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
        assert properties["LifecycleConfiguration"]["Rules"]
        assert any(
            s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            for s in policies[logical_id]
        ), logical_id
        assert bucket["DeletionPolicy"] == "Retain"


def _documents_lifecycle(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        r["Id"]: r
        for r in _properties(template, "DocumentsBucket")["LifecycleConfiguration"]["Rules"]
    }


def test_documents_bucket_lifecycle(template: dict[str, Any]) -> None:
    # GIVEN the documents bucket THEN stale uploads, old document versions, legacy imports
    # and their reports expire
    rules = _documents_lifecycle(template)
    assert set(rules) == {
        "abort-incomplete-multipart-uploads",
        "expire-noncurrent-application-documents",
        "expire-legacy-imports",
        "expire-legacy-import-reports",
        "keep-invoices-infrequent-access",
    }
    abort = rules["abort-incomplete-multipart-uploads"]
    assert abort["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
    assert "Prefix" not in abort  # every stale multipart upload, whatever its key
    documents = rules["expire-noncurrent-application-documents"]
    assert documents["Prefix"] == "applications/"
    assert documents["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30}
    for rule_id, prefix in (
        ("expire-legacy-imports", "legacy-imports/"),
        ("expire-legacy-import-reports", "legacy-import-reports/"),
    ):
        rule = rules[rule_id]
        assert (rule["Prefix"], rule["ExpirationInDays"]) == (prefix, 90)
        # (a versioned bucket only hides an expired object: its data goes 30 days later)
        assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 30}
    assert all(r["Status"] == "Enabled" for r in rules.values())


def test_invoice_pdfs_are_kept_and_moved_to_infrequent_access(template: dict[str, Any]) -> None:
    # GIVEN the documents bucket's lifecycle
    rules = _documents_lifecycle(template)
    # THEN invoices move to STANDARD_IA after 90 days and never expire
    invoices = rules["keep-invoices-infrequent-access"]
    assert invoices["Prefix"] == "invoices/"
    assert invoices["Transitions"] == [{"StorageClass": "STANDARD_IA", "TransitionInDays": 90}]
    expiring = ("ExpirationInDays", "ExpirationDate", "NoncurrentVersionExpiration")
    assert not set(expiring) & set(invoices)
    # AND no rule that expires objects (current or noncurrent) covers invoices/: each names
    # a prefix of its own
    for rule_id, rule in rules.items():
        if set(expiring) & set(rule):
            prefix = rule.get("Prefix", rule.get("Filter", {}).get("Prefix", ""))
            assert prefix, f"{rule_id} expires objects bucket-wide"
            assert not "invoices/".startswith(prefix), rule_id
            assert not prefix.startswith("invoices/"), rule_id
    # AND no function may delete them: no role grants a delete outside applications/
    for role in ROLE_ACTIONS:
        for action in ("s3:DeleteObject", "s3:DeleteObjectVersion"):
            assert not [r for r in _grants(template, role, action) if "/applications/*" not in r]


BUCKET_NOTIFICATIONS = {  # prefix -> (queue, its policy)
    "applications/": ("DocumentUploadsQueue", "DocumentUploadsQueuePolicy"),
    "legacy-imports/": ("LegacyImportsQueue", "LegacyImportsQueuePolicy"),
}


def test_documents_bucket_takes_browser_uploads_and_notifies_the_queues(
    template: dict[str, Any],
) -> None:
    # GIVEN the documents bucket
    bucket = template["Resources"]["DocumentsBucket"]
    properties = bucket["Properties"]
    # THEN browsers may POST (presigned), from the web frontend's origin only (evaluated in
    # tests/infra/test_site_hosting.py)
    (cors,) = properties["CorsConfiguration"]["CorsRules"]
    assert cors["AllowedMethods"] == ["POST"]
    ((origin,),) = [cors["AllowedOrigins"]]
    assert "*" not in str(origin)
    assert origin["Fn::If"][0] == "HasFrontendUrl"
    # AND new objects under applications/ go to the uploads queue, under legacy-imports/
    # to the legacy imports queue
    notifications = properties["NotificationConfiguration"]["QueueConfigurations"]
    found = {}
    for notification in notifications:
        assert notification["Event"] == "s3:ObjectCreated:*"
        ((rule,),) = [notification["Filter"]["S3Key"]["Rules"]]
        assert rule["Name"] == "prefix"
        found[rule["Value"]] = notification["Queue"]["Fn::GetAtt"]
    assert found == {prefix: [queue, "Arn"] for prefix, (queue, _) in BUCKET_NOTIFICATIONS.items()}
    # AND each queue lets this bucket, and only it, send, before S3 checks the target
    assert sorted(bucket["DependsOn"]) == sorted(p for _, p in BUCKET_NOTIFICATIONS.values())
    for queue, policy in BUCKET_NOTIFICATIONS.values():
        policy_properties = _properties(template, policy)
        assert policy_properties["Queues"] == [{"Ref": queue}]
        (statement,) = policy_properties["PolicyDocument"]["Statement"]
        assert statement["Effect"] == "Allow"
        assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
        assert statement["Action"] == "sqs:SendMessage"
        assert statement["Resource"] == {"Fn::GetAtt": [queue, "Arn"]}
        source = statement["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"]
        assert source.endswith(f":::{properties['BucketName']['Fn::Sub']}")
        assert statement["Condition"]["StringEquals"] == {
            "aws:SourceAccount": {"Ref": "AWS::AccountId"}
        }


# ------------------------------------------------------------------ SQS and alarms


def _alarms_on(template: dict[str, Any], metric: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: alarm["Properties"]
        for logical_id, alarm in _resources(template, "AWS::CloudWatch::Alarm").items()
        if alarm["Properties"].get("MetricName") == metric
    }


def test_every_queue_has_a_dead_letter_queue_with_an_alarm(template: dict[str, Any]) -> None:
    # GIVEN the queues, split into work queues and dead-letter queues
    queues = _resources(template, "AWS::SQS::Queue")
    work = {k: q["Properties"] for k, q in queues.items() if "RedrivePolicy" in q["Properties"]}
    dead = {k: q["Properties"] for k, q in queues.items() if "RedrivePolicy" not in q["Properties"]}
    assert {p["QueueName"] for p in work.values()} == set(WORK_QUEUES)
    dlq_alarms = _alarms_on(template, "ApproximateNumberOfMessagesVisible")
    alarmed = {a["Dimensions"][0]["Value"]["Fn::GetAtt"][0]: a for a in dlq_alarms.values()}
    targets = []
    for logical_id, properties in work.items():
        # THEN each work queue gives up after its number of receives, into its own DLQ
        consumer_timeout, receives = WORK_QUEUES[properties["QueueName"]]
        redrive = properties["RedrivePolicy"]
        assert redrive["maxReceiveCount"] == receives, logical_id
        dlq = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
        assert dead[dlq]["QueueName"] == f"{properties['QueueName']}-dlq"
        targets.append(dlq)
        # AND its visibility timeout is 6x its consumer's timeout (infra/package.py checks
        # the consumer's side)
        assert properties["VisibilityTimeout"] == 6 * consumer_timeout, logical_id
        # AND its DLQ keeps messages 14 days and raises an alarm as soon as one arrives
        assert dead[dlq]["MessageRetentionPeriod"] == FOURTEEN_DAYS_S
        alarm = alarmed[dlq]
        assert (alarm["Namespace"], alarm["Dimensions"][0]["Name"]) == ("AWS/SQS", "QueueName")
        assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0)
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert sorted(targets) == sorted(dead)  # one DLQ per queue, none shared, none orphaned
    for logical_id, queue in queues.items():
        assert queue["Properties"]["SqsManagedSseEnabled"] is True, logical_id


def test_alarm_topic_is_encrypted_with_a_key_cloudwatch_may_use(template: dict[str, Any]) -> None:
    # GIVEN the alarm topic THEN its key lets CloudWatch publish (alias/aws/sns would not)
    topic = _properties(template, "AlarmTopic")
    assert topic["KmsMasterKeyId"] == {"Ref": "AlarmTopicKey"}
    key = _properties(template, "AlarmTopicKey")
    assert key["EnableKeyRotation"] is True
    grants = [
        s
        for s in key["KeyPolicy"]["Statement"]
        if s["Principal"].get("Service") == "cloudwatch.amazonaws.com"
    ]
    assert grants and set(grants[0]["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    # AND an e-mail subscribes only when an address is given
    subscription = template["Resources"]["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert template["Conditions"]["HasAlarmEmail"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]
    }


# ------------------------------------------------------------------ Step Functions


def test_state_machine_is_packaged_from_its_file_and_logs_no_personal_data(
    template: dict[str, Any],
) -> None:
    # GIVEN the validation state machine
    properties = _properties(template, "ValidationStateMachine")
    # THEN its definition is the ASL file, with the queue substituted
    assert properties["StateMachineName"] == "cps-application-validation"
    assert properties["StateMachineType"] == "STANDARD"
    assert (INFRA / properties["DefinitionS3Location"]).is_file()
    assert properties["DefinitionSubstitutions"] == {
        "ValidationTasksQueueUrl": {"Ref": "ValidationTasksQueue"}
    }
    # AND it logs errors without execution data, and traces
    logging = properties["LoggingConfiguration"]
    assert (logging["Level"], logging["IncludeExecutionData"]) == ("ERROR", False)
    assert properties["TracingConfiguration"] == {"Enabled": True}


def test_state_machine_role_may_send_to_the_validation_queue_only(
    template: dict[str, Any],
) -> None:
    # GIVEN the state machine's role
    role = _properties(
        template, _properties(template, "ValidationStateMachine")["RoleArn"]["Fn::GetAtt"][0]
    )
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    # THEN its only SQS permission is SendMessage on the validation-tasks queue
    sqs = [s for s in statements if str(s["Action"]).startswith("sqs:")]
    assert sqs == [
        {
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Resource": {"Fn::GetAtt": ["ValidationTasksQueue", "Arn"]},
        }
    ]
    # AND it has nothing else but logs and traces
    actions = {
        a
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert {a.split(":")[0] for a in actions} == {"sqs", "logs", "xray"}


def test_failed_and_timed_out_validations_raise_alarms(template: dict[str, Any]) -> None:
    # GIVEN the Step Functions metrics THEN a failed or timed-out execution raises an alarm
    for metric in ("ExecutionsFailed", "ExecutionsTimedOut"):
        (alarm,) = _alarms_on(template, metric).values()
        assert alarm["Namespace"] == "AWS/States"
        assert alarm["Dimensions"] == [
            {"Name": "StateMachineArn", "Value": {"Ref": "ValidationStateMachine"}}
        ]
        assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 0)
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


# ------------------------------------------------------------------ Cognito


def test_user_pool_lets_only_the_back_end_create_logins(template: dict[str, Any]) -> None:
    # GIVEN the user pool
    pool = _properties(template, "UserPool")
    # THEN logins are e-mail addresses, created by the back end only, with strong passwords
    assert pool["UserPoolName"] == "cps-users"
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    password = pool["Policies"]["PasswordPolicy"]
    assert password["MinimumLength"] == 12
    assert (password["RequireUppercase"], password["RequireLowercase"]) == (True, True)
    assert (password["RequireNumbers"], password["RequireSymbols"]) == (True, False)
    # AND the account id travels in the token; the back end sets it, users cannot write it
    (account_id,) = pool["Schema"]
    assert (account_id["Name"], account_id["AttributeDataType"]) == ("account_id", "String")
    assert account_id["Mutable"] is True  # a retried AdminCreateUser sets it again
    client = _properties(template, "UserPoolClient")
    assert "custom:account_id" not in client.get("WriteAttributes", [])
    # AND only the application resets passwords; the pool cannot be deleted by accident
    assert pool["AccountRecoverySetting"]["RecoveryMechanisms"] == [
        {"Name": "admin_only", "Priority": 1}
    ]
    assert pool["DeletionProtection"] == "ACTIVE"
    assert template["Resources"]["UserPool"]["DeletionPolicy"] == "Retain"


def test_web_client_has_no_secret_and_short_lived_tokens(template: dict[str, Any]) -> None:
    # GIVEN the web client THEN it is public, password-based, and hides who is a user
    client = _properties(template, "UserPoolClient")
    assert client["ClientName"] == "cps-web"
    assert client["GenerateSecret"] is False
    assert {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"} <= set(
        client["ExplicitAuthFlows"]
    )
    assert (client["IdTokenValidity"], client["AccessTokenValidity"]) == (60, 60)
    assert client["RefreshTokenValidity"] == 30
    assert client["TokenValidityUnits"] == {
        "AccessToken": "minutes",
        "IdToken": "minutes",
        "RefreshToken": "days",
    }
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert _properties(template, "ReviewersGroup")["GroupName"] == "reviewers"


# ------------------------------------------------------------------ Lambda roles

# Each function's role and exactly the actions it may call (issue 8 item 10: derived from the
# code each function runs; see the comments of infra/resources.yaml).
CONSUME = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}
OBSERVE = {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"} | {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
}
ROLE_ACTIONS: dict[str, set[str]] = {
    "ApiHandlerRole": OBSERVE
    | {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "s3:PutObject",
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:ListBucket",
        "kms:GenerateDataKey",
        "kms:Decrypt",
        "sqs:SendMessage",
        "sqs:GetQueueAttributes",
        "states:DescribeStateMachine",
        "states:SendTaskSuccess",
        "cognito-idp:AdminGetUser",
        "cognito-idp:AdminSetUserPassword",
        "cognito-idp:AdminUserGlobalSignOut",
        "cognito-idp:DescribeUserPoolClient",
        "secretsmanager:GetSecretValue",
    },
    "JwtAuthRole": OBSERVE,
    "DocumentUploadsRole": OBSERVE
    | CONSUME
    | {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:ListBucket",
        "kms:Decrypt",
        "states:StartExecution",
    },
    "ValidationTasksRole": OBSERVE
    | CONSUME
    | {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "sqs:SendMessage",
        "states:SendTaskSuccess",
        "states:SendTaskFailure",
        "cognito-idp:AdminCreateUser",
        "cognito-idp:AdminUpdateUserAttributes",
    },
    "LegacyImportsRole": OBSERVE
    | CONSUME
    | {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:Query",
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:ListBucket",
        "kms:Decrypt",
        "kms:GenerateDataKey",
    },
    "InvoicesRole": OBSERVE
    | CONSUME
    | {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "s3:PutObject",
        "kms:GenerateDataKey",
        "sqs:SendMessage",
    },
    "LifecycleRole": OBSERVE
    | CONSUME
    | {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:Query",
        "sqs:SendMessage",
        "secretsmanager:GetSecretValue",
    },
    "EmailsRole": OBSERVE
    | CONSUME
    | {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "s3:GetObject",
        "kms:Decrypt",
        "ses:SendRawEmail",
    },
    "CatalogLoaderRole": OBSERVE | {"dynamodb:Query", "dynamodb:BatchWriteItem"},
    "ReviewSlaRole": OBSERVE
    | {"dynamodb:Query", "dynamodb:PutItem", "states:SendTaskHeartbeat", "sqs:SendMessage"},
    "MembershipRenewalsRole": OBSERVE | {"dynamodb:Query", "sqs:SendMessage"},
    "InvoiceCollectionsRole": OBSERVE | {"dynamodb:Query", "sqs:SendMessage"},
}
# The function each role is for (its logs), and the queue it consumes, if any.
ROLE_FUNCTIONS = {
    "ApiHandlerRole": ("APIHandler", None),
    "JwtAuthRole": ("JwtAuth", None),
    "DocumentUploadsRole": ("DocumentUploads", "DocumentUploadsQueue"),
    "ValidationTasksRole": ("ValidationTasks", "ValidationTasksQueue"),
    "LegacyImportsRole": ("LegacyImports", "LegacyImportsQueue"),
    "InvoicesRole": ("Invoices", "InvoicesQueue"),
    "LifecycleRole": ("Lifecycle", "LifecycleQueue"),
    "EmailsRole": ("Emails", "EmailQueue"),
    "CatalogLoaderRole": ("CatalogLoader", None),
    "ReviewSlaRole": ("ReviewSla", None),
    "MembershipRenewalsRole": ("MembershipRenewals", None),
    "InvoiceCollectionsRole": ("InvoiceCollections", None),
}


def _lambda_roles(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        logical_id: role["Properties"]
        for logical_id, role in _resources(template, "AWS::IAM::Role").items()
        if role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
        == {"Service": "lambda.amazonaws.com"}
    }


def _statements(template: dict[str, Any], role: str) -> list[dict[str, Any]]:
    """A role's statements; a conditional one (Fn::If) as it is when its condition holds."""
    statements = []
    for policy in _properties(template, role)["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            if "Fn::If" in statement:
                _, statement, otherwise = statement["Fn::If"]
                assert otherwise == {"Ref": "AWS::NoValue"}
            statements.append(statement)
    return statements


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def _resources_of(statement: dict[str, Any]) -> list[Any]:
    resource = statement["Resource"]
    return resource if isinstance(resource, list) else [resource]


def _grants(template: dict[str, Any], role: str, action: str) -> list[str]:
    """The resources (as text) a role may call `action` on."""
    return [
        str(r)
        for s in _statements(template, role)
        if action in _actions(s)
        for r in _resources_of(s)
    ]


def test_each_function_has_a_role_of_its_own_trusted_by_lambda_only(
    template: dict[str, Any],
) -> None:
    # GIVEN the template's Lambda roles THEN there is one per function, none shared
    assert set(_lambda_roles(template)) == set(ROLE_ACTIONS)
    assert "DefaultRole" not in template["Resources"]
    for role in _lambda_roles(template).values():
        (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
        assert (trust["Effect"], trust["Action"]) == ("Allow", "sts:AssumeRole")
        assert "ManagedPolicyArns" not in role


@pytest.mark.parametrize("role", sorted(ROLE_ACTIONS))
def test_each_role_allows_exactly_what_its_function_calls(
    template: dict[str, Any], role: str
) -> None:
    # GIVEN the role's statements THEN it allows exactly its function's actions, no wildcard,
    # and denies nothing (it grants only what it needs)
    statements = _statements(template, role)
    assert {a for s in statements for a in _actions(s)} == ROLE_ACTIONS[role]
    assert all(s["Effect"] == "Allow" for s in statements)
    # AND each statement names what it is for
    assert all(s.get("Sid") for s in statements)


def test_the_api_may_not_create_logins_nor_grant_groups(template: dict[str, Any]) -> None:
    # GIVEN every role's Cognito actions
    cognito = {
        role: {a for s in _statements(template, role) for a in _actions(s) if "cognito" in a}
        for role in ROLE_ACTIONS
    }
    # THEN no role adds a user to a group (reviewers are added by the operators)
    assert not [r for r, actions in cognito.items() if "cognito-idp:AdminAddUserToGroup" in actions]
    # AND only the API (passwords, sign-out, health) and the approving worker (the login)
    # touch Cognito; the API creates no login
    assert {r for r, actions in cognito.items() if actions} == {
        "ApiHandlerRole",
        "ValidationTasksRole",
    }
    assert "cognito-idp:AdminCreateUser" not in cognito["ApiHandlerRole"]
    assert cognito["ValidationTasksRole"] == {
        "cognito-idp:AdminCreateUser",
        "cognito-idp:AdminUpdateUserAttributes",
    }


def test_roles_reach_named_resources_only(template: dict[str, Any]) -> None:
    # GIVEN every statement with Resource "*"
    for role in ROLE_ACTIONS:
        for statement in _statements(template, role):
            if "*" not in _resources_of(statement):
                continue
            # THEN it holds only actions AWS offers no resource-level permission for
            assert set(_actions(statement)) <= {
                "states:SendTaskSuccess",
                "states:SendTaskFailure",
                "states:SendTaskHeartbeat",
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
            }, (role, statement)
    # AND queries name their index (never index/*), and nothing scans
    for role in ROLE_ACTIONS:
        assert not [r for r in _grants(template, role, "dynamodb:Query") if "index/*" in r]
        assert not _grants(template, role, "dynamodb:Scan")


def test_records_are_never_deleted(template: dict[str, Any]) -> None:
    # GIVEN membership numbers, invoices and counters (and invoice PDFs)
    for role in ROLE_ACTIONS:
        deletes = _grants(template, role, "dynamodb:DeleteItem") + _grants(
            template, role, "dynamodb:BatchWriteItem"
        )
        # THEN no role may delete them, nor batch-write them
        assert not [r for r in deletes for t in RECORD_TABLES if t in r], role
        s3_deletes = _grants(template, role, "s3:DeleteObject") + _grants(
            template, role, "s3:DeleteObjectVersion"
        )
        assert not [r for r in s3_deletes if "/applications/*" not in r], role


def test_each_consumer_reads_its_own_queue_and_logs_to_its_own_group(
    template: dict[str, Any],
) -> None:
    for role, (function, queue) in ROLE_FUNCTIONS.items():
        # THEN a consumer receives from its queue only, and nothing else receives
        receives = _grants(template, role, "sqs:ReceiveMessage")
        assert receives == ([str({"Fn::GetAtt": [queue, "Arn"]})] if queue else []), role
        # AND it writes to its own function's log group only
        (logs,) = _grants(template, role, "logs:PutLogEvents")
        assert logs.endswith(f"log-group:/aws/lambda/${{AWS::StackName}}-{function}-*'}}"), logs


def test_the_stripe_secret_is_read_by_the_charging_roles_only_when_given(
    template: dict[str, Any],
) -> None:
    for role in ROLE_ACTIONS:
        written = [
            s
            for p in _properties(template, role)["Policies"]
            for s in p["PolicyDocument"]["Statement"]
        ]
        conditional = [s for s in written if "Fn::If" in s]
        unconditional = {a for s in written if "Fn::If" not in s for a in _actions(s)}
        # THEN no role reads a secret unconditionally
        assert not {a for a in unconditional if a.startswith("secretsmanager:")}
        if role not in ("ApiHandlerRole", "LifecycleRole"):  # checkout; scheduled charges
            assert not conditional, role
            continue
        # AND the charging roles read that one secret, only when the parameter is given
        ((condition, statement, otherwise),) = [s["Fn::If"] for s in conditional]
        assert condition == "HasStripeSecret"
        assert statement == {
            "Sid": "StripeSecret",
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": {"Ref": "StripeSecretArn"},
        }
        assert otherwise == {"Ref": "AWS::NoValue"}
    assert template["Conditions"]["HasStripeSecret"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "StripeSecretArn"}, ""]}]
    }


def test_the_documents_key_is_used_through_s3_only(template: dict[str, Any]) -> None:
    for role in ROLE_ACTIONS:
        for statement in _statements(template, role):
            if any(a.startswith("kms:") for a in _actions(statement)):
                # THEN every KMS grant is on the documents key, through S3
                assert statement["Resource"] == {"Fn::GetAtt": ["DocumentsKey", "Arn"]}
                assert statement["Condition"] == {
                    "StringEquals": {
                        "kms:ViaService": {"Fn::Sub": "s3.${AWS::Region}.amazonaws.com"}
                    }
                }
