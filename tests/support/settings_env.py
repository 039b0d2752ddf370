"""A complete, valid environment for `Settings.from_env`: what the template's Globals give a
function (as deployed in moto with the default parameters), for tests that build the settings
without deploying anything."""

from __future__ import annotations

from types import ModuleType

from chalicelib.settings import Settings

ACCOUNT = "123456789012"
REGION = "eu-west-1"
USER_POOL_ID = f"{REGION}_cba1999dd0d24a1ababf6c53c3c4717a"
ISSUER = f"https://cognito-idp.{REGION}.amazonaws.com/{USER_POOL_ID}"


def _queue(name: str) -> str:
    return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"


COMPLETE_ENV: dict[str, str] = {
    "CPS_STAGE": "prod",
    "CPS_APPLICATIONS_TABLE": "cps-applications",
    "CPS_ACCOUNTS_TABLE": "cps-accounts",
    "CPS_TOKENS_TABLE": "cps-tokens",
    "CPS_IDEMPOTENCY_TABLE": "cps-idempotency",
    "CPS_CATALOG_TABLE": "cps-catalog",
    "CPS_PRODUCTS_TABLE": "cps-products",
    "CPS_SERIAL_CLAIMS_TABLE": "cps-serial-claims",
    "CPS_LEDGER_TABLE": "cps-ledger",
    "CPS_LEGACY_PRODUCTS_TABLE": "cps-legacy-products",
    "CPS_LEGACY_IMPORTS_TABLE": "cps-legacy-imports",
    "CPS_MEMBERSHIPS_TABLE": "cps-memberships",
    "CPS_MEMBERSHIP_NUMBERS_TABLE": "cps-membership-numbers",
    "CPS_INVOICES_TABLE": "cps-invoices",
    "CPS_COUNTERS_TABLE": "cps-counters",
    "CPS_DOCUMENTS_BUCKET": f"cps-documents-{ACCOUNT}-{REGION}",
    "CPS_EMAIL_QUEUE_URL": _queue("cps-emails"),
    "CPS_DOCUMENT_UPLOADS_QUEUE_URL": _queue("cps-document-uploads"),
    "CPS_VALIDATION_TASKS_QUEUE_URL": _queue("cps-validation-tasks"),
    "CPS_LEGACY_IMPORTS_QUEUE_URL": _queue("cps-legacy-imports"),
    "CPS_INVOICES_QUEUE_URL": _queue("cps-invoices"),
    "CPS_LIFECYCLE_QUEUE_URL": _queue("cps-lifecycle"),
    "CPS_SUPPORT_EMAIL": "cps-support@canon-europe.com",
    "CPS_VALIDATION_STATE_MACHINE_ARN": (
        f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:cps-application-validation"
    ),
    "CPS_USER_POOL_ID": USER_POOL_ID,
    "CPS_USER_POOL_CLIENT_ID": "1388d3381dad46fcb6aa91bc5d",
    "CPS_JWKS_URL": f"{ISSUER}/.well-known/jwks.json",
    "CPS_TOKEN_ISSUER": ISSUER,
    "CPS_REVIEWERS_GROUP": "reviewers",
    "CPS_REVIEWER_MFA": "required",
    "CPS_REVIEWERS_EMAIL": "cps-reviewers@canon-europe.com",
    "CPS_NOREPLY_EMAIL": "donotreply@canon-europe.com",
    "CPS_FRONTEND_URL": "https://www.canon-europe.com/pro/cps",
    "CPS_VIES_ENABLED": "true",
    "CPS_TERMS_VERSION": "2026-01",
    "CPS_PAYMENT_PROVIDER": "stripe",
    "CPS_STRIPE_SECRET_ARN": "",
    "CPS_SELLER_NAME": "Canon Europa N.V.",
    "CPS_SELLER_ADDRESS": "Bovenkerkerweg 59, 1185 XB Amstelveen",
    "CPS_SELLER_VAT_NUMBER": "NL004495445B01",
    "CPS_SELLER_IBAN": "NL91ABNA0417164300",
    "CPS_SELLER_BIC": "ABNANL2A",
    "CPS_SELLER_KVK_NUMBER": "33211437",
}


def complete_env(**overrides: str) -> dict[str, str]:
    """The complete environment (AWS_REGION included), with some variables replaced."""
    return {**COMPLETE_ENV, "AWS_REGION": REGION, **overrides}


def valid_settings(**overrides: str) -> Settings:
    return Settings.from_env(complete_env(**overrides))


def import_app() -> ModuleType:
    """`import app` with the complete environment (app.py reads the settings when imported;
    the module is imported once per process, and the environment is restored after).

    As the local stage: a local runtime started later in the same process (tests/system, run
    with tests/unit in one pytest command) reuses the imported module, and only the local stage
    registers the /dev routes its tests call."""
    import pytest  # not at the top: bench/ reads COMPLETE_ENV

    with pytest.MonkeyPatch.context() as env:
        for name, value in complete_env(CPS_STAGE="local").items():
            env.setenv(name, value)
        import app

    return app
