"""Importing the old CPS system's export, and migrating a customer's old products (SPEC §2)."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass
from itertools import islice
from typing import Any

from chalicelib.domain.clock import Clock
from chalicelib.domain.errors import Conflict, NotFound, SerialTaken
from chalicelib.domain.legacy import LegacyProduct, parse_rows
from chalicelib.domain.legacy_imports import ImportReport, ImportStatus
from chalicelib.domain.products import Source
from chalicelib.services.ports import (
    AccountRepository,
    CatalogRepository,
    DocumentStore,
    LegacyStore,
    UploadTicket,
)
from chalicelib.services.products import ProductService

IMPORT_PREFIX = "legacy-imports/"
REPORT_PREFIX = "legacy-import-reports/"
MAX_EXPORT_BYTES = 200 * 1024 * 1024
UPLOAD_LINK_SECONDS = 30 * 60
WRITE_BATCH = 500  # rows handed to the store at a time (it writes 25 per request)


@dataclass(frozen=True)
class NewImport:
    import_id: str
    upload: UploadTicket


class LegacyImportService:
    def __init__(
        self,
        *,
        legacy: LegacyStore,
        catalog: CatalogRepository,
        documents: DocumentStore,
        clock: Clock,
    ) -> None:
        self._legacy = legacy
        self._catalog = catalog
        self._documents = documents
        self._clock = clock

    def new_import(self, reviewer: str) -> NewImport:
        import_id = uuid.uuid4().hex
        self._legacy.save_report(
            ImportReport(import_id, ImportStatus.AWAITING_FILE, reviewer, self._clock.now())
        )
        ticket = self._documents.upload_ticket(
            f"{IMPORT_PREFIX}{import_id}.csv", MAX_EXPORT_BYTES, UPLOAD_LINK_SECONDS
        )
        return NewImport(import_id, ticket)

    def report(self, import_id: str) -> ImportReport:
        report = self._legacy.report(import_id)
        if report is None:
            raise NotFound("No such import.")
        return report

    def run(self, key: str) -> ImportReport | None:
        """The export arrived (S3 → SQS): stream it, keep the valid rows, report the others."""
        import_id = key.removeprefix(IMPORT_PREFIX).removesuffix(".csv")
        report = self._legacy.report(import_id)
        if report is None or report.status is ImportStatus.COMPLETED:
            return report  # unknown upload, or a redelivered event: nothing to do again
        report = ImportReport(
            import_id, ImportStatus.IMPORTING, report.requested_by, report.requested_at
        )
        self._legacy.save_report(report)
        known = frozenset(p.sku for p in self._catalog.all())
        outcomes = parse_rows(self._documents.lines(key), known, self._clock.now().date())
        while batch := list(islice(outcomes, WRITE_BATCH)):
            for outcome in batch:
                report.count(outcome)
            self._legacy.save_products(p for p in batch if isinstance(p, LegacyProduct))
        report.status = ImportStatus.COMPLETED
        report.finished_at = self._clock.now()
        report.report_key = f"{REPORT_PREFIX}{import_id}.json"
        self._documents.put(
            report.report_key,
            json.dumps(
                {
                    "import_id": import_id,
                    "rows": report.rows,
                    "imported": report.imported,
                    "rejected": [asdict(r) for r in report.rejections],
                }
            ).encode(),
            "application/json",
        )
        self._legacy.save_report(report)
        return report


@dataclass(frozen=True)
class MigrationResult:
    migrated: int
    points_added: int
    skipped: list[dict[str, Any]]
    already_migrated: bool = False


class MigrationService:
    def __init__(
        self,
        *,
        legacy: LegacyStore,
        accounts: AccountRepository,
        products: ProductService,
        catalog: CatalogRepository,
    ) -> None:
        self._legacy = legacy
        self._accounts = accounts
        self._products = products
        self._catalog = catalog

    def status(self, account_id: str) -> dict[str, Any]:
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFound("There is no business account for this login.")
        legacy = (
            self._legacy.products_for(account.legacy_cps_email) if account.legacy_cps_email else []
        )
        names = self._names()
        return {
            "available": bool(legacy) and not account.migrated,
            "migrated": account.migrated,
            "legacy_products": [self._legacy_view(p, names) for p in legacy],
        }

    def migrate(self, account_id: str) -> MigrationResult:
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFound("There is no business account for this login.")
        if account.migrated:
            return MigrationResult(0, 0, [], already_migrated=True)
        if not account.legacy_cps_email:
            raise Conflict(
                "No old CPS e-mail address was given with the application: register your "
                "products again or contact CPS Priority Support.",
            )
        migrated = points = 0
        skipped: list[dict[str, Any]] = []
        names = self._names()
        for legacy in self._legacy.products_for(account.legacy_cps_email):
            product_id = (
                "mig-" + hashlib.sha256(f"{account_id}|{legacy.row_key}".encode()).hexdigest()[:24]
            )
            if self._products.exists(account_id, product_id):
                continue  # brought over by an earlier, interrupted run
            try:
                registration = self._products.register(
                    account_id,
                    legacy.sku,
                    legacy.details,
                    source=Source.MIGRATED,
                    product_id=product_id,
                )
            except SerialTaken:
                skipped.append(
                    {**self._legacy_view(legacy, names), "reason": "SERIAL_ALREADY_REGISTERED"}
                )
                continue
            except Conflict:
                continue  # a concurrent migration registered it first
            migrated += 1
            points += registration.points
        self._accounts.mark_migrated(account_id)
        return MigrationResult(migrated, points, skipped)

    def _names(self) -> dict[str, str]:
        return {p.sku: p.name for p in self._catalog.all()}

    @staticmethod
    def _legacy_view(product: LegacyProduct, names: dict[str, str]) -> dict[str, Any]:
        d = product.details
        return {
            "sku": product.sku,
            "name": names.get(product.sku, product.sku),
            "serial_number": d.serial_number,
            "purchase_date": d.purchase_date.isoformat() if d.purchase_date else None,
            "country_of_purchase": d.country_of_purchase,
            "dealer": d.dealer,
            "complete": not d.missing(),
        }
