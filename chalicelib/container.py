"""The composition root: the one place that builds adapters and services.

Wiring only. Built lazily on first use and cached for the life of a warm Lambda container, never
at import time, so moto and the tests can set the environment up first. Each adapter and service
is imported inside the property that builds it: importing this module loads nothing but the
settings, and a function loads what its first event needs (the authorizer: the JWT verifier).
"""

from __future__ import annotations

import functools
from functools import cached_property
from typing import TYPE_CHECKING, Any

from chalicelib.settings import Settings

if TYPE_CHECKING:
    from chalicelib.adapters.cognito_identity import CognitoIdentityProvider
    from chalicelib.adapters.dynamo.accounts import DynamoAccountRepository
    from chalicelib.adapters.dynamo.applications import DynamoApplicationRepository
    from chalicelib.adapters.dynamo.catalog import DynamoCatalogRepository
    from chalicelib.adapters.dynamo.invoices import DynamoInvoiceRepository
    from chalicelib.adapters.dynamo.legacy import DynamoLegacyStore
    from chalicelib.adapters.dynamo.memberships import DynamoMembershipRepository
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
    from chalicelib.adapters.sfn_workflow import StepFunctionsWorkflow
    from chalicelib.adapters.sqs_outbox import SqsInvoiceRequests, SqsOutbox
    from chalicelib.domain.clock import Clock
    from chalicelib.services.applications import ApplicationService
    from chalicelib.services.auth import AuthService
    from chalicelib.services.catalog import CatalogService
    from chalicelib.services.collection import CollectionService
    from chalicelib.services.invoicing import InvoicingService
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


class Container:
    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        self._clock = clock

    def client(self, service: str) -> Any:
        return _client(service, self.settings.region)

    @cached_property
    def clock(self) -> Clock:
        if self._clock is not None:
            return self._clock
        from chalicelib.domain.clock import OffsetClock, SystemClock

        # Only the local stage may move time (POST /dev/clock); deployed stages run on real time.
        return OffsetClock() if self.settings.is_local else SystemClock()

    # --- storage: each repository on this stage's tables ---------------------------------------

    @cached_property
    def applications(self) -> DynamoApplicationRepository:
        from chalicelib.adapters.dynamo.applications import DynamoApplicationRepository

        s = self.settings
        return DynamoApplicationRepository(s.region, applications=s.applications_table)

    @cached_property
    def accounts(self) -> DynamoAccountRepository:
        from chalicelib.adapters.dynamo.accounts import DynamoAccountRepository

        return DynamoAccountRepository(self.settings.region, accounts=self.settings.accounts_table)

    @cached_property
    def tokens(self) -> DynamoTokenStore:
        from chalicelib.adapters.dynamo.tokens import DynamoTokenStore

        return DynamoTokenStore(self.settings.region, tokens=self.settings.tokens_table)

    @cached_property
    def throttle(self) -> DynamoThrottle:
        from chalicelib.adapters.dynamo.tokens import DynamoThrottle

        return DynamoThrottle(self.settings.region, tokens=self.settings.tokens_table)

    @cached_property
    def link_revocations(self) -> DynamoLinkRevocations:
        from chalicelib.adapters.dynamo.tokens import DynamoLinkRevocations

        return DynamoLinkRevocations(self.settings.region, tokens=self.settings.tokens_table)

    @cached_property
    def catalog(self) -> DynamoCatalogRepository:
        from chalicelib.adapters.dynamo.catalog import DynamoCatalogRepository

        return DynamoCatalogRepository(self.settings.region, catalog=self.settings.catalog_table)

    @cached_property
    def registrations(self) -> DynamoRegistrationStore:
        from chalicelib.adapters.dynamo.registrations import DynamoRegistrationStore

        s = self.settings
        return DynamoRegistrationStore(
            s.region,
            products=s.products_table,
            serial_claims=s.serial_claims_table,
            ledger=s.ledger_table,
            accounts=s.accounts_table,
        )

    @cached_property
    def legacy(self) -> DynamoLegacyStore:
        from chalicelib.adapters.dynamo.legacy import DynamoLegacyStore

        s = self.settings
        return DynamoLegacyStore(
            s.region, products=s.legacy_products_table, imports=s.legacy_imports_table
        )

    @cached_property
    def memberships(self) -> DynamoMembershipRepository:
        from chalicelib.adapters.dynamo.memberships import DynamoMembershipRepository

        s = self.settings
        return DynamoMembershipRepository(
            s.region,
            memberships=s.memberships_table,
            membership_numbers=s.membership_numbers_table,
        )

    @cached_property
    def invoices(self) -> DynamoInvoiceRepository:
        from chalicelib.adapters.dynamo.invoices import DynamoInvoiceRepository

        s = self.settings
        return DynamoInvoiceRepository(
            s.region, invoices=s.invoices_table, counters=s.counters_table
        )

    @cached_property
    def checkout_idempotency(self) -> IdempotentRunner:
        from chalicelib.adapters.idempotency import IdempotentRunner

        return IdempotentRunner(self.settings.idempotency_table, client=self.client("dynamodb"))

    # --- other AWS services and providers ------------------------------------------------------

    @cached_property
    def documents(self) -> S3DocumentStore:
        from chalicelib.adapters.s3_documents import S3DocumentStore

        return S3DocumentStore(self.client("s3"), self.settings.documents_bucket)

    @cached_property
    def workflow(self) -> StepFunctionsWorkflow:
        from chalicelib.adapters.sfn_workflow import StepFunctionsWorkflow

        return StepFunctionsWorkflow(
            self.client("stepfunctions"), self.settings.validation_state_machine_arn
        )

    @cached_property
    def identity(self) -> CognitoIdentityProvider:
        from chalicelib.adapters.cognito_identity import CognitoIdentityProvider

        return CognitoIdentityProvider(
            self.client("cognito-idp"),
            self.settings.user_pool_id,
            self.settings.user_pool_client_id,
        )

    @cached_property
    def outbox(self) -> SqsOutbox:
        from chalicelib.adapters.sqs_outbox import SqsOutbox

        return SqsOutbox(self.client("sqs"), self.settings.email_queue_url)

    @cached_property
    def invoice_orders(self) -> SqsInvoiceRequests:
        from chalicelib.adapters.sqs_outbox import SqsInvoiceRequests

        return SqsInvoiceRequests(self.client("sqs"), self.settings.invoices_queue_url)

    @cached_property
    def token_verifier(self) -> JwtVerifier:
        from chalicelib.adapters.jwt_verifier import JwtVerifier

        s = self.settings
        return JwtVerifier(s.jwks_url, s.token_issuer, s.user_pool_client_id)

    @cached_property
    def health(self) -> DependencyHealth:
        from chalicelib.adapters.health import aws_dependency_health

        s = self.settings
        return aws_dependency_health(
            self.client,
            applications_table=s.applications_table,
            bucket=s.documents_bucket,
            queue_url=s.email_queue_url,
            state_machine_arn=s.validation_state_machine_arn,
            user_pool_id=s.user_pool_id,
            user_pool_client_id=s.user_pool_client_id,
        )

    @cached_property
    def payments(self) -> PaymentProvider:
        # Imported here: only the checkout and collections need a provider; Stripe's SDK is heavy.
        if self.settings.payment_provider == "local":
            from chalicelib.adapters.local_payments import LocalPayments

            return LocalPayments()
        from chalicelib.adapters.stripe_payments import StripePayments

        return StripePayments.from_secret(
            self.client("secretsmanager"), self.settings.stripe_secret_arn
        )

    # --- use cases -----------------------------------------------------------------------------

    @cached_property
    def application_service(self) -> ApplicationService:
        from chalicelib.adapters.vies import ViesClient
        from chalicelib.adapters.vies_registry import ViesVatRegistry
        from chalicelib.services.applications import ApplicationService, ApplicationSettings

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
    def catalog_service(self) -> CatalogService:
        from chalicelib.services.catalog import CatalogService

        return CatalogService(catalog=self.catalog, clock=self.clock)

    @cached_property
    def product_service(self) -> ProductService:
        from chalicelib.services.products import ProductService

        return ProductService(
            catalog=self.catalog,
            registrations=self.registrations,
            accounts=self.accounts,
            outbox=self.outbox,
            clock=self.clock,
            frontend_url=self.settings.frontend_url,
        )

    @cached_property
    def legacy_import_service(self) -> LegacyImportService:
        from chalicelib.services.legacy import LegacyImportService

        return LegacyImportService(
            legacy=self.legacy, catalog=self.catalog, documents=self.documents, clock=self.clock
        )

    @cached_property
    def migration_service(self) -> MigrationService:
        from chalicelib.services.legacy import MigrationService

        return MigrationService(
            legacy=self.legacy,
            accounts=self.accounts,
            products=self.product_service,
            catalog=self.catalog,
        )

    @cached_property
    def legacy_confirmation_service(self) -> LegacyConfirmationService:
        from chalicelib.services.legacy import LegacyConfirmationService

        return LegacyConfirmationService(
            accounts=self.accounts,
            tokens=self.tokens,
            outbox=self.outbox,
            clock=self.clock,
            frontend_url=self.settings.frontend_url,
            throttle=self.throttle,
        )

    @cached_property
    def notices(self) -> Notices:
        from chalicelib.services.notices import Notices

        return Notices(self.outbox, self.settings.frontend_url)

    @cached_property
    def membership_service(self) -> MembershipService:
        from chalicelib.services.membership import MembershipService

        return MembershipService(
            accounts=self.accounts,
            memberships=self.memberships,
            payments=lambda: self.payments,
            orders=self.invoice_orders,
            invoices=self.invoices,
            collection=self.collection_service,
            clock=self.clock,
            terms_version=self.settings.terms_version,
        )

    @cached_property
    def collection_service(self) -> CollectionService:
        from chalicelib.services.collection import CollectionService

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
        from chalicelib.services.renewals import RenewalService

        return RenewalService(
            memberships=self.memberships,
            accounts=self.accounts,
            orders=self.invoice_orders,
            notices=self.notices,
            clock=self.clock,
        )

    @cached_property
    def daily_jobs(self) -> DailyJobs:
        from chalicelib.adapters.sqs_outbox import SqsWorkQueue
        from chalicelib.services.renewals import DailyJobs

        return DailyJobs(
            memberships=self.memberships,
            invoices=self.invoices,
            work=SqsWorkQueue(self.client("sqs"), self.settings.lifecycle_queue_url),
            clock=self.clock,
        )

    @cached_property
    def invoicing_service(self) -> InvoicingService:
        # Fonts, lxml, saxonche and factur-x load on first use: the API function builds this
        # service to read invoices, and has not the e-invoice layer (requirements-einvoice.txt).
        from chalicelib.adapters.einvoice import FacturXEInvoicing
        from chalicelib.invoice_pdf.render import render_invoice_pdf
        from chalicelib.services.invoicing import InvoicingService

        return InvoicingService(
            invoices=self.invoices,
            memberships=self.memberships,
            accounts=self.accounts,
            documents=self.documents,
            outbox=self.outbox,
            render_pdf=render_invoice_pdf,
            e_invoicing=FacturXEInvoicing(),
            seller=self.settings.seller,
            notices=self.notices,
            clock=self.clock,
        )

    @cached_property
    def auth_service(self) -> AuthService:
        from chalicelib.services.auth import AuthService, AuthSettings

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
            throttle=self.throttle,
            revocations=self.link_revocations,
            verifier=self.token_verifier,
        )

    @cached_property
    def mail_delivery(self) -> MailDelivery:
        from chalicelib.adapters.ses_mailer import SesMailer
        from chalicelib.mail.renderer import MailRenderer
        from chalicelib.services.mail import MailDelivery

        s = self.settings
        return MailDelivery(
            renderer=MailRenderer(s.noreply_email, s.support_email),
            mailer=SesMailer(self.client("ses"), s.noreply_email),
            documents=self.documents,
            tokens=self.tokens,
            frontend_url=s.frontend_url,
        )


@functools.cache
def _client(service: str, region: str) -> Any:
    import boto3
    from botocore.config import Config

    config = Config(
        retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=10
    )
    return boto3.client(service, region_name=region, config=config)


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
