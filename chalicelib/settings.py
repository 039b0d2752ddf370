"""Configuration, read once from the environment and checked: the deployed template's Globals.

Every variable that `Globals.Function.Environment.Variables` of infra/resources.yaml sets (and
its Outputs give the local runtime) is required, and checked for shape: a missing or malformed
one fails the cold start with an error naming it (`CPS_EMAIL_QUEUE_URL: missing`) instead of
an empty default failing later, at the first request that needs it. The two POWERTOOLS_*
variables of the Globals are Powertools' own; it reads them itself.

Optional, with their defaults:
- `AWS_REGION`, else `AWS_DEFAULT_REGION` (Lambda sets both): `eu-west-1`;
- `CPS_VIES_URL`, the EU's VIES REST API: `https://ec.europa.eu/taxation_customs/vies/rest-api`.

A frozen dataclass with a few parsers, not a pydantic model: every function imports this at
its cold start, and importing pydantic and building a first model costs about 0.1 s that the
authorizer and the queue consumers have no other use for.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.domain.seller import DUTCH_ADDRESS, Seller

LOCAL_STAGE = "local"
DEFAULT_REGION = "eu-west-1"
DEFAULT_VIES_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api"
# The seller is Canon Europa N.V., a Dutch company: its country is not a deployment choice.
SELLER_COUNTRY = "NL"


class _Shape:
    """What a variable's value must look like (the whole value), and how an error says it."""

    __slots__ = ("example", "expected", "pattern")

    def __init__(self, expected: str, pattern: re.Pattern[str], example: str) -> None:
        self.expected = expected
        self.pattern = pattern
        self.example = example  # a value of this shape (Settings.example_environment)


def _shape(expected: str, pattern: str, example: str) -> _Shape:
    return _Shape(expected, re.compile(pattern), example)


STAGE = _shape("a stage name (a-z, 0-9, -)", r"[a-z][a-z0-9-]{0,15}", "prod")
REGION = _shape("an AWS region", r"[a-z]{2}(-[a-z]+)+-\d", "eu-west-1")
TABLE = _shape("a DynamoDB table name", r"[A-Za-z0-9_.-]{3,255}", "cps-example")
BUCKET = _shape("an S3 bucket name", r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "cps-example")
URL = _shape("an http(s) URL", r"https?://[^\s/?#]+(/\S*)?", "https://example.com")
QUEUE_URL = _shape(
    "an SQS queue URL (http(s)://host/account/queue)",
    r"https?://[^\s/?#]+/\d{12}/[A-Za-z0-9_-]{1,80}(\.fifo)?",
    "https://sqs.eu-west-1.amazonaws.com/000000000000/cps-example",
)
STATE_MACHINE_ARN = _shape(
    "a Step Functions state machine ARN",
    r"arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}",
    "arn:aws:states:eu-west-1:000000000000:stateMachine:cps-example",
)
SECRET_ARN = _shape(
    "a Secrets Manager secret ARN, or nothing",
    r"(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+)?",
    "",
)
USER_POOL_ID = _shape(
    "a Cognito user pool id (region_id)", r"[\w-]+_[0-9A-Za-z]+", "eu-west-1_example"
)
CLIENT_ID = _shape("a Cognito app client id", r"[\w+]{1,128}", "example")
GROUP = _shape("a Cognito group name", r"[\w+=,.@-]{1,128}", "reviewers")
EMAIL = _shape("an e-mail address", r"[^@\s]+@[^@\s]+\.[^@\s]+", "cps@example.com")
VERSION = _shape("a version (A-Z, a-z, 0-9, . _ -)", r"[A-Za-z0-9._-]{1,32}", "1")
TEXT = _shape("text", r"\S.*", "Example")
VAT_NUMBER = _shape(
    "a VAT number with its country prefix", r"[A-Z]{2}[A-Z0-9]{2,13}", "NL004495445B01"
)
IBAN = _shape("an IBAN without spaces", r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", "NL91ABNA0417164300")
BIC = _shape("a BIC", r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?", "ABNANL2A")
SELLER_ADDRESS = _shape(
    "a Dutch address on one line, without the country (street and number, postcode city)",
    DUTCH_ADDRESS.pattern,
    "Bovenkerkerweg 59, 1185 XB Amstelveen",
)
KVK_NUMBER = _shape("a Dutch Chamber of Commerce (KvK) number: 8 digits", r"[0-9]{8}", "33211437")


class SettingsError(ValueError):
    """The environment does not configure the app: names every variable at fault."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        listed = "; ".join(f"{name}: {problem}" for name, problem in self.problems.items())
        super().__init__(f"The environment does not configure the app: {listed}")


class _Reader:
    """Reads variables, noting every problem; `from_env` raises them all at once."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env
        self.problems: dict[str, str] = {}
        self.required: dict[str, _Shape] = {}

    def get(self, name: str, shape: _Shape, default: str | None = None) -> str:
        if default is None:
            self.required[name] = shape
        value = self._env.get(name)
        if value is None:
            if default is not None:
                return default
            self.problems[name] = "missing"
            return ""
        if value == "" and not shape.pattern.fullmatch(""):
            self.problems[name] = "empty"
        elif not shape.pattern.fullmatch(value):
            self.problems[name] = f"expected {shape.expected}, got {_shown(value)}"
        return value

    def choice(self, name: str, allowed: tuple[str, ...]) -> str:
        expected = " or ".join(repr(a) for a in allowed)
        pattern = re.compile("|".join(map(re.escape, allowed)))
        return self.get(name, _Shape(expected, pattern, allowed[0]))

    def flag(self, name: str) -> bool:
        """Strictly "true" or "false", as the template's AllowedValues."""
        return self.choice(name, ("true", "false")) == "true"


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


@dataclass(frozen=True)
class Settings:
    stage: str
    region: str
    applications_table: str
    accounts_table: str
    tokens_table: str
    idempotency_table: str
    catalog_table: str
    products_table: str
    serial_claims_table: str
    ledger_table: str
    legacy_products_table: str
    legacy_imports_table: str
    memberships_table: str
    membership_numbers_table: str
    invoices_table: str
    counters_table: str
    documents_bucket: str
    email_queue_url: str
    document_uploads_queue_url: str
    validation_tasks_queue_url: str
    legacy_imports_queue_url: str
    invoices_queue_url: str
    lifecycle_queue_url: str
    support_email: str
    validation_state_machine_arn: str
    user_pool_id: str
    user_pool_client_id: str
    jwks_url: str
    token_issuer: str
    reviewers_group: str
    reviewer_mfa_required: bool
    reviewers_email: str
    noreply_email: str
    frontend_url: str
    vies_enabled: bool
    terms_version: str
    payment_provider: str
    stripe_secret_arn: str  # empty: no Stripe key granted (card checkouts fail)
    seller: Seller
    vies_url: str = DEFAULT_VIES_URL

    @property
    def frontend_origin(self) -> str:
        scheme, _, rest = self.frontend_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"

    @property
    def is_local(self) -> bool:
        return self.stage == LOCAL_STAGE

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Raises SettingsError naming each variable that is missing or malformed."""
        settings, problems, _ = _read(os.environ if env is None else env)
        if problems:
            raise SettingsError(problems)
        return settings

    @staticmethod
    def required_variables() -> tuple[str, ...]:
        """The variables without a default: those the template's Globals set."""
        return tuple(_read({})[2])

    @staticmethod
    def example_environment() -> dict[str, str]:
        """A value of the right shape for every required variable: what `chalice package`
        imports app.py with (infra/package.py), where only the routes are read."""
        return {name: shape.example for name, shape in _read({})[2].items()}


def _read(env: Mapping[str, str]) -> tuple[Settings, dict[str, str], dict[str, _Shape]]:
    r = _Reader(env)
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or DEFAULT_REGION
    if not REGION.pattern.fullmatch(region):
        r.problems["AWS_REGION"] = f"expected {REGION.expected}, got {_shown(region)}"
    settings = Settings(
        stage=r.get("CPS_STAGE", STAGE),
        region=region,
        applications_table=r.get("CPS_APPLICATIONS_TABLE", TABLE),
        accounts_table=r.get("CPS_ACCOUNTS_TABLE", TABLE),
        tokens_table=r.get("CPS_TOKENS_TABLE", TABLE),
        idempotency_table=r.get("CPS_IDEMPOTENCY_TABLE", TABLE),
        catalog_table=r.get("CPS_CATALOG_TABLE", TABLE),
        products_table=r.get("CPS_PRODUCTS_TABLE", TABLE),
        serial_claims_table=r.get("CPS_SERIAL_CLAIMS_TABLE", TABLE),
        ledger_table=r.get("CPS_LEDGER_TABLE", TABLE),
        legacy_products_table=r.get("CPS_LEGACY_PRODUCTS_TABLE", TABLE),
        legacy_imports_table=r.get("CPS_LEGACY_IMPORTS_TABLE", TABLE),
        memberships_table=r.get("CPS_MEMBERSHIPS_TABLE", TABLE),
        membership_numbers_table=r.get("CPS_MEMBERSHIP_NUMBERS_TABLE", TABLE),
        invoices_table=r.get("CPS_INVOICES_TABLE", TABLE),
        counters_table=r.get("CPS_COUNTERS_TABLE", TABLE),
        documents_bucket=r.get("CPS_DOCUMENTS_BUCKET", BUCKET),
        email_queue_url=r.get("CPS_EMAIL_QUEUE_URL", QUEUE_URL),
        document_uploads_queue_url=r.get("CPS_DOCUMENT_UPLOADS_QUEUE_URL", QUEUE_URL),
        validation_tasks_queue_url=r.get("CPS_VALIDATION_TASKS_QUEUE_URL", QUEUE_URL),
        legacy_imports_queue_url=r.get("CPS_LEGACY_IMPORTS_QUEUE_URL", QUEUE_URL),
        invoices_queue_url=r.get("CPS_INVOICES_QUEUE_URL", QUEUE_URL),
        lifecycle_queue_url=r.get("CPS_LIFECYCLE_QUEUE_URL", QUEUE_URL),
        support_email=r.get("CPS_SUPPORT_EMAIL", EMAIL),
        validation_state_machine_arn=r.get("CPS_VALIDATION_STATE_MACHINE_ARN", STATE_MACHINE_ARN),
        user_pool_id=r.get("CPS_USER_POOL_ID", USER_POOL_ID),
        user_pool_client_id=r.get("CPS_USER_POOL_CLIENT_ID", CLIENT_ID),
        jwks_url=r.get("CPS_JWKS_URL", URL),
        token_issuer=r.get("CPS_TOKEN_ISSUER", URL),
        reviewers_group=r.get("CPS_REVIEWERS_GROUP", GROUP),
        # "off" only in the local runtime (infra/package.py refuses it for a deployment).
        reviewer_mfa_required=r.choice("CPS_REVIEWER_MFA", ("required", "off")) == "required",
        reviewers_email=r.get("CPS_REVIEWERS_EMAIL", EMAIL),
        noreply_email=r.get("CPS_NOREPLY_EMAIL", EMAIL),
        frontend_url=r.get("CPS_FRONTEND_URL", URL).rstrip("/"),
        vies_enabled=r.flag("CPS_VIES_ENABLED"),
        terms_version=r.get("CPS_TERMS_VERSION", VERSION),
        payment_provider=r.choice("CPS_PAYMENT_PROVIDER", ("stripe", "local")),
        stripe_secret_arn=r.get("CPS_STRIPE_SECRET_ARN", SECRET_ARN),
        seller=Seller(
            name=r.get("CPS_SELLER_NAME", TEXT),
            address=r.get("CPS_SELLER_ADDRESS", SELLER_ADDRESS),
            country=SELLER_COUNTRY,
            vat_number=r.get("CPS_SELLER_VAT_NUMBER", VAT_NUMBER),
            iban=r.get("CPS_SELLER_IBAN", IBAN),
            bic=r.get("CPS_SELLER_BIC", BIC),
            kvk_number=r.get("CPS_SELLER_KVK_NUMBER", KVK_NUMBER),
            contact_email=r.get("CPS_SUPPORT_EMAIL", EMAIL),  # printed on every invoice
        ),
        vies_url=r.get("CPS_VIES_URL", URL, default=DEFAULT_VIES_URL).rstrip("/"),
    )
    return settings, r.problems, r.required
