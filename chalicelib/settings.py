"""Configuration, read once from the environment (set by the deployed template's Globals)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

LOCAL_STAGE = "local"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


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
    invoices_queue_url: str
    lifecycle_queue_url: str
    support_email: str
    terms_version: str
    payment_provider: str
    stripe_secret_arn: str
    seller_name: str
    seller_address: str
    seller_vat_number: str
    seller_iban: str
    seller_bic: str
    documents_bucket: str
    email_queue_url: str
    validation_state_machine_arn: str
    user_pool_id: str
    user_pool_client_id: str
    jwks_url: str
    token_issuer: str
    reviewers_group: str
    reviewers_email: str
    reviewer_mfa_required: bool
    noreply_email: str
    frontend_url: str
    vies_enabled: bool
    vies_url: str

    @property
    def frontend_origin(self) -> str:
        scheme, _, rest = self.frontend_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"

    @property
    def is_local(self) -> bool:
        return self.stage == LOCAL_STAGE

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        return cls(
            stage=e.get("CPS_STAGE", "prod"),
            region=e.get("AWS_REGION") or e.get("AWS_DEFAULT_REGION") or "eu-west-1",
            applications_table=e.get("CPS_APPLICATIONS_TABLE", "cps-applications"),
            accounts_table=e.get("CPS_ACCOUNTS_TABLE", "cps-accounts"),
            tokens_table=e.get("CPS_TOKENS_TABLE", "cps-tokens"),
            idempotency_table=e.get("CPS_IDEMPOTENCY_TABLE", "cps-idempotency"),
            catalog_table=e.get("CPS_CATALOG_TABLE", "cps-catalog"),
            products_table=e.get("CPS_PRODUCTS_TABLE", "cps-products"),
            serial_claims_table=e.get("CPS_SERIAL_CLAIMS_TABLE", "cps-serial-claims"),
            ledger_table=e.get("CPS_LEDGER_TABLE", "cps-ledger"),
            legacy_products_table=e.get("CPS_LEGACY_PRODUCTS_TABLE", "cps-legacy-products"),
            legacy_imports_table=e.get("CPS_LEGACY_IMPORTS_TABLE", "cps-legacy-imports"),
            memberships_table=e.get("CPS_MEMBERSHIPS_TABLE", "cps-memberships"),
            membership_numbers_table=e.get(
                "CPS_MEMBERSHIP_NUMBERS_TABLE", "cps-membership-numbers"
            ),
            invoices_table=e.get("CPS_INVOICES_TABLE", "cps-invoices"),
            counters_table=e.get("CPS_COUNTERS_TABLE", "cps-counters"),
            invoices_queue_url=e.get("CPS_INVOICES_QUEUE_URL", ""),
            lifecycle_queue_url=e.get("CPS_LIFECYCLE_QUEUE_URL", ""),
            support_email=e.get("CPS_SUPPORT_EMAIL", "cps-support@canon-europe.com"),
            terms_version=e.get("CPS_TERMS_VERSION", "2026-01"),
            payment_provider=e.get("CPS_PAYMENT_PROVIDER", "stripe"),
            stripe_secret_arn=e.get("CPS_STRIPE_SECRET_ARN", ""),
            seller_name=e.get("CPS_SELLER_NAME", "Canon Europa N.V."),
            seller_address=e.get(
                "CPS_SELLER_ADDRESS", "Bovenkerkerweg 59, 1185 XB Amstelveen, Netherlands"
            ),
            seller_vat_number=e.get("CPS_SELLER_VAT_NUMBER", "NL004495445B01"),
            seller_iban=e.get("CPS_SELLER_IBAN", "NL91ABNA0417164300"),
            seller_bic=e.get("CPS_SELLER_BIC", "ABNANL2A"),
            documents_bucket=e.get("CPS_DOCUMENTS_BUCKET", ""),
            email_queue_url=e.get("CPS_EMAIL_QUEUE_URL", ""),
            validation_state_machine_arn=e.get("CPS_VALIDATION_STATE_MACHINE_ARN", ""),
            user_pool_id=e.get("CPS_USER_POOL_ID", ""),
            user_pool_client_id=e.get("CPS_USER_POOL_CLIENT_ID", ""),
            jwks_url=e.get("CPS_JWKS_URL", ""),
            token_issuer=e.get("CPS_TOKEN_ISSUER", ""),
            reviewers_group=e.get("CPS_REVIEWERS_GROUP", "reviewers"),
            reviewers_email=e.get("CPS_REVIEWERS_EMAIL", "cps-reviewers@canon-europe.com"),
            # Only the local runtime may turn it off (infra/package.py refuses "off").
            reviewer_mfa_required=e.get("CPS_REVIEWER_MFA", "required").strip().lower() != "off",
            noreply_email=e.get("CPS_NOREPLY_EMAIL", "donotreply@canon-europe.com"),
            frontend_url=e.get("CPS_FRONTEND_URL", "https://www.canon-europe.com/pro/cps").rstrip(
                "/"
            ),
            vies_enabled=_flag(e.get("CPS_VIES_ENABLED", "true")),
            vies_url=e.get(
                "CPS_VIES_URL", "https://ec.europa.eu/taxation_customs/vies/rest-api"
            ).rstrip("/"),
        )
