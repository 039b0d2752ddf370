"""A moto-backed world for product and points tests: real tables and adapters, fake mail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import boto3

from chalicelib.adapters.dynamo.accounts import DynamoAccountRepository
from chalicelib.adapters.dynamo.legacy import DynamoLegacyStore
from chalicelib.adapters.dynamo.models import LedgerModel, ProductModel, SerialClaimModel, bind
from chalicelib.container import Container
from chalicelib.domain.accounts import Account
from chalicelib.domain.applications import Company
from chalicelib.domain.catalog import packaged_catalog
from chalicelib.domain.clock import FixedClock
from chalicelib.services.legacy import MigrationService
from chalicelib.services.ports import EmailRequest
from chalicelib.services.products import ProductService
from tests.support.settings_env import valid_settings
from tests.support.tables import create_tables

REGION = "eu-west-1"


@dataclass
class RecordingOutbox:
    sent: list[EmailRequest] = field(default_factory=list)

    def send(self, request: EmailRequest) -> None:
        self.sent.append(request)


@dataclass
class ProductsWorld:
    clock: FixedClock
    outbox: RecordingOutbox
    accounts: DynamoAccountRepository
    service: ProductService
    legacy: DynamoLegacyStore
    migration: MigrationService
    ledger_items: type[LedgerModel]
    claim_items: type[SerialClaimModel]
    product_items: type[ProductModel]

    def new_account(self, points: int = 0) -> str:
        account_id = f"acc-{uuid.uuid4().hex[:12]}"
        self.accounts.add(
            Account(
                account_id=account_id,
                company=Company("Studio Lumen", "Keizersgracht 1", "1015 CJ", "Amsterdam", "NL"),
                vat_number=None,
                contact_name="Anna",
                email=f"{account_id}@example.com",
                phone="+31 20 123 4567",
                language="nl",
                legacy_cps_email=f"{account_id}@old-cps.example",
                application_id=account_id,
                created_at=self.clock.now(),
                points=points,
                legacy_confirmed_at=self.clock.now(),  # the old address confirmed (SPEC §2)
            )
        )
        return account_id

    def balance(self, account_id: str) -> int:
        account = self.accounts.get(account_id)
        assert account is not None
        return account.points

    def ledger_sum(self, account_id: str) -> int:
        return sum(int(e.delta) for e in self.ledger_items.query(account_id))

    def claims(self) -> dict[str, str]:
        return {c.claim_key: c.account_id for c in self.claim_items.scan()}

    def products(self, account_id: str) -> list[ProductModel]:
        return list(self.product_items.query(account_id))


def build_world(at: datetime | None = None) -> ProductsWorld:
    """Call inside moto's mock_aws: creates the tables from the template and loads the catalogue."""
    create_tables(boto3.client("dynamodb", region_name=REGION))
    root = Container(valid_settings(AWS_REGION=REGION))
    catalog = root.catalog
    catalog.replace_all(packaged_catalog())
    clock = FixedClock(at or datetime(2026, 11, 22, 10, tzinfo=UTC))
    outbox = RecordingOutbox()
    accounts = root.accounts
    service = ProductService(
        catalog=catalog,
        registrations=root.registrations,
        accounts=accounts,
        outbox=outbox,
        clock=clock,
        frontend_url="https://cps.example",
    )
    legacy = root.legacy
    migration = MigrationService(
        legacy=legacy, accounts=accounts, products=service, catalog=catalog
    )
    s = root.settings
    return ProductsWorld(
        clock,
        outbox,
        accounts,
        service,
        legacy,
        migration,
        ledger_items=bind(LedgerModel, s.ledger_table, s.region),
        claim_items=bind(SerialClaimModel, s.serial_claims_table, s.region),
        product_items=bind(ProductModel, s.products_table, s.region),
    )
