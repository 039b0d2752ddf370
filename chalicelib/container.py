"""The composition root: the one place that builds adapters and services.

Built lazily on first use and cached for the life of a warm Lambda container, never at import
time, so moto and the tests can set the environment up first.
"""

from __future__ import annotations

import functools
from functools import cached_property
from typing import Any

import boto3
from botocore.config import Config

from chalicelib.adapters.cognito_identity import CognitoIdentityProvider
from chalicelib.adapters.dynamo.accounts import DynamoAccountRepository
from chalicelib.adapters.dynamo.applications import DynamoApplicationRepository
from chalicelib.adapters.dynamo.catalog import DynamoCatalogRepository
from chalicelib.adapters.dynamo.invoices import DynamoInvoiceRepository
from chalicelib.adapters.dynamo.legacy import DynamoLegacyStore
from chalicelib.adapters.dynamo.memberships import DynamoMembershipRepository
from chalicelib.adapters.dynamo.models import (
    AccountModel,
    ApplicationModel,
    CatalogModel,
    CounterModel,
    CurrentMembershipModel,
    GuardModel,
    InvoiceModel,
    LedgerModel,
    LegacyImportModel,
    LegacyProductModel,
    MembershipModel,
    MembershipNumberModel,
    ProductModel,
    PurchaseInvoiceModel,
    SerialClaimModel,
    TokenModel,
    bind_tables,
)
from chalicelib.adapters.dynamo.registrations import DynamoRegistrationStore
from chalicelib.adapters.dynamo.tokens import (
    DynamoLinkRevocations,
    DynamoThrottle,
    DynamoTokenStore,
)
from chalicelib.adapters.health import DependencyHealth
from chalicelib.adapters.idempotency import IdempotentRunner
from chalicelib.adapters.jwt_verifier import JwtVerifier
from chalicelib.adapters.s3_documents import S3DocumentStore
from chalicelib.adapters.ses_mailer import SesMailer
from chalicelib.adapters.sfn_workflow import StepFunctionsWorkflow
from chalicelib.adapters.sqs_outbox import SqsInvoiceRequests, SqsOutbox, SqsWorkQueue
from chalicelib.adapters.vies import ViesClient
from chalicelib.adapters.vies_registry import ViesVatRegistry
from chalicelib.domain.clock import Clock, OffsetClock, SystemClock
from chalicelib.mail.renderer import MailRenderer
from chalicelib.services.applications import ApplicationService, ApplicationSettings
from chalicelib.services.auth import AuthService, AuthSettings
from chalicelib.services.catalog import CatalogService
from chalicelib.services.collection import CollectionService
from chalicelib.services.invoicing import InvoicingService, Seller
from chalicelib.services.legacy import (
    LegacyConfirmationService,
    LegacyImportService,
    MigrationService,
)
from chalicelib.services.mail import MailDelivery
from chalicelib.services.membership import MembershipService
from chalicelib.services.notices import Notices
from chalicelib.services.payments import PaymentProvider
from chalicelib.services.products import ProductService
from chalicelib.services.renewals import DailyJobs, RenewalService
from chalicelib.settings import Settings

_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=3,
    read_timeout=10,
)


class Container:
    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self._clock = clock
        bind_tables(
            {
                ApplicationModel: settings.applications_table,
                AccountModel: settings.accounts_table,
                TokenModel: settings.tokens_table,
                GuardModel: settings.tokens_table,
                CatalogModel: settings.catalog_table,
                ProductModel: settings.products_table,
                SerialClaimModel: settings.serial_claims_table,
                LedgerModel: settings.ledger_table,
                LegacyProductModel: settings.legacy_products_table,
                LegacyImportModel: settings.legacy_imports_table,
                MembershipModel: settings.memberships_table,
                CurrentMembershipModel: settings.memberships_table,
                MembershipNumberModel: settings.membership_numbers_table,
                InvoiceModel: settings.invoices_table,
                PurchaseInvoiceModel: settings.counters_table,
                CounterModel: settings.counters_table,
            },
            settings.region,
        )

    def client(self, service: str) -> Any:
        return _client(service, self.settings.region)

    @cached_property
    def clock(self) -> Clock:
        if self._clock is not None:
            return self._clock
        # Only the local stage may move time (POST /dev/clock); deployed stages run on real time.
        return OffsetClock() if self.settings.is_local else SystemClock()

    @cached_property
    def applications(self) -> DynamoApplicationRepository:
        return DynamoApplicationRepository()

    @cached_property
    def accounts(self) -> DynamoAccountRepository:
        return DynamoAccountRepository()

    @cached_property
    def tokens(self) -> DynamoTokenStore:
        return DynamoTokenStore()

    @cached_property
    def documents(self) -> S3DocumentStore:
        return S3DocumentStore(self.client("s3"), self.settings.documents_bucket)

    @cached_property
    def workflow(self) -> StepFunctionsWorkflow:
        return StepFunctionsWorkflow(
            self.client("stepfunctions"), self.settings.validation_state_machine_arn
        )

    @cached_property
    def identity(self) -> CognitoIdentityProvider:
        return CognitoIdentityProvider(
            self.client("cognito-idp"),
            self.settings.user_pool_id,
            self.settings.user_pool_client_id,
        )

    @cached_property
    def outbox(self) -> SqsOutbox:
        return SqsOutbox(self.client("sqs"), self.settings.email_queue_url)

    @cached_property
    def token_verifier(self) -> JwtVerifier:
        s = self.settings
        return JwtVerifier(s.jwks_url, s.token_issuer, s.user_pool_client_id)

    @cached_property
    def health(self) -> DependencyHealth:
        s = self.settings
        return DependencyHealth(
            {
                "dynamodb": lambda: self.client("dynamodb").get_item(
                    TableName=s.applications_table, Key={"application_id": {"S": "health"}}
                ),
                "s3": lambda: self.client("s3").head_bucket(Bucket=s.documents_bucket),
                "sqs": lambda: self.client("sqs").get_queue_attributes(
                    QueueUrl=s.email_queue_url, AttributeNames=["QueueArn"]
                ),
                "stepfunctions": lambda: self.client("stepfunctions").describe_state_machine(
                    stateMachineArn=s.validation_state_machine_arn
                ),
                "cognito": lambda: self.client("cognito-idp").describe_user_pool_client(
                    UserPoolId=s.user_pool_id, ClientId=s.user_pool_client_id
                ),
            }
        )

    @cached_property
    def application_service(self) -> ApplicationService:
        s = self.settings
        return ApplicationService(
            applications=self.applications,
            accounts=self.accounts,
            tokens=self.tokens,
            documents=self.documents,
            workflow=self.workflow,
            identity=self.identity,
            outbox=self.outbox,
            vat_registry=ViesVatRegistry(ViesClient(s.vies_url)),
            clock=self.clock,
            settings=ApplicationSettings(
                frontend_url=s.frontend_url,
                reviewers_email=s.reviewers_email,
                vies_enabled=s.vies_enabled,
            ),
        )

    @cached_property
    def catalog(self) -> DynamoCatalogRepository:
        return DynamoCatalogRepository()

    @cached_property
    def catalog_service(self) -> CatalogService:
        return CatalogService(catalog=self.catalog, clock=self.clock)

    @cached_property
    def product_service(self) -> ProductService:
        return ProductService(
            catalog=self.catalog,
            registrations=DynamoRegistrationStore(self.settings.region),
            accounts=self.accounts,
            outbox=self.outbox,
            clock=self.clock,
            frontend_url=self.settings.frontend_url,
        )

    @cached_property
    def legacy(self) -> DynamoLegacyStore:
        return DynamoLegacyStore()

    @cached_property
    def legacy_import_service(self) -> LegacyImportService:
        return LegacyImportService(
            legacy=self.legacy, catalog=self.catalog, documents=self.documents, clock=self.clock
        )

    @cached_property
    def migration_service(self) -> MigrationService:
        return MigrationService(
            legacy=self.legacy,
            accounts=self.accounts,
            products=self.product_service,
            catalog=self.catalog,
        )

    @cached_property
    def legacy_confirmation_service(self) -> LegacyConfirmationService:
        return LegacyConfirmationService(
            accounts=self.accounts,
            tokens=self.tokens,
            outbox=self.outbox,
            clock=self.clock,
            frontend_url=self.settings.frontend_url,
            throttle=DynamoThrottle(),
        )

    @cached_property
    def payments(self) -> PaymentProvider:
        # Imported here: only the checkout needs a provider, and Stripe's SDK is heavy to load.
        if self.settings.payment_provider == "local":
            from chalicelib.adapters.local_payments import LocalPayments

            return LocalPayments()
        from chalicelib.adapters.stripe_payments import StripePayments

        secret = self.client("secretsmanager").get_secret_value(
            SecretId=self.settings.stripe_secret_arn
        )["SecretString"]
        return StripePayments(api_key=secret)

    @cached_property
    def memberships(self) -> DynamoMembershipRepository:
        return DynamoMembershipRepository(self.settings.region)

    @cached_property
    def invoices(self) -> DynamoInvoiceRepository:
        return DynamoInvoiceRepository(self.settings.region)

    @cached_property
    def invoice_orders(self) -> SqsInvoiceRequests:
        return SqsInvoiceRequests(self.client("sqs"), self.settings.invoices_queue_url)

    @cached_property
    def notices(self) -> Notices:
        return Notices(self.outbox, self.settings.frontend_url)

    @cached_property
    def membership_service(self) -> MembershipService:
        return MembershipService(
            accounts=self.accounts,
            memberships=self.memberships,
            payments=self.payments,
            orders=self.invoice_orders,
            invoices=self.invoices,
            collection=self.collection_service,
            clock=self.clock,
            terms_version=self.settings.terms_version,
        )

    @cached_property
    def collection_service(self) -> CollectionService:
        return CollectionService(
            invoices=self.invoices,
            memberships=self.memberships,
            accounts=self.accounts,
            payments=lambda: self.payments,
            orders=self.invoice_orders,
            notices=self.notices,
            clock=self.clock,
        )

    @cached_property
    def renewal_service(self) -> RenewalService:
        return RenewalService(
            memberships=self.memberships,
            accounts=self.accounts,
            orders=self.invoice_orders,
            notices=self.notices,
            clock=self.clock,
        )

    @cached_property
    def daily_jobs(self) -> DailyJobs:
        return DailyJobs(
            memberships=self.memberships,
            invoices=self.invoices,
            work=SqsWorkQueue(self.client("sqs"), self.settings.lifecycle_queue_url),
            clock=self.clock,
        )

    @cached_property
    def checkout_idempotency(self) -> IdempotentRunner:
        return IdempotentRunner(self.settings.idempotency_table)

    @cached_property
    def invoicing_service(self) -> InvoicingService:
        from chalicelib.invoice_pdf.render import render_invoice_pdf  # fonts load on first use

        s = self.settings
        return InvoicingService(
            invoices=self.invoices,
            memberships=self.memberships,
            accounts=self.accounts,
            documents=self.documents,
            outbox=self.outbox,
            render_pdf=render_invoice_pdf,
            seller=Seller(
                name=s.seller_name,
                address=s.seller_address,
                country="NL",
                vat_number=s.seller_vat_number,
                iban=s.seller_iban,
                bic=s.seller_bic,
            ),
            notices=self.notices,
            clock=self.clock,
        )

    @cached_property
    def auth_service(self) -> AuthService:
        return AuthService(
            accounts=self.accounts,
            tokens=self.tokens,
            identity=self.identity,
            outbox=self.outbox,
            clock=self.clock,
            settings=AuthSettings(
                frontend_url=self.settings.frontend_url,
                reviewers_group=self.settings.reviewers_group,
                reviewer_mfa_required=self.settings.reviewer_mfa_required,
            ),
            throttle=DynamoThrottle(),
            revocations=DynamoLinkRevocations(),
            verifier=self.token_verifier,
        )

    @cached_property
    def mail_delivery(self) -> MailDelivery:
        return MailDelivery(
            renderer=MailRenderer(self.settings.noreply_email, self.settings.support_email),
            mailer=SesMailer(self.client("ses"), self.settings.noreply_email),
            documents=self.documents,
            tokens=self.tokens,
            frontend_url=self.settings.frontend_url,
        )


@functools.cache
def _client(service: str, region: str) -> Any:
    return boto3.client(service, region_name=region, config=_CLIENT_CONFIG)


_container: Container | None = None


def container() -> Container:
    global _container
    if _container is None:
        _container = Container(Settings.from_env())
    return _container


def reset_container(new: Container | None = None) -> None:
    """Tests and the local runtime rebuild the root after changing the environment."""
    global _container
    _client.cache_clear()
    _container = new
