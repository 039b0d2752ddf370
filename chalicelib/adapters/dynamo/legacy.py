"""Old-CPS products and the records of their imports."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from chalicelib.adapters.dynamo.models import (
    LegacyImportModel,
    LegacyProductModel,
    RejectionAttribute,
    bind,
)
from chalicelib.domain.legacy import LegacyProduct, RejectedRow
from chalicelib.domain.legacy_imports import REJECTIONS_KEPT_INLINE, ImportReport, ImportStatus
from chalicelib.domain.products import ProductDetails


def _report_from(item: LegacyImportModel) -> ImportReport:
    return ImportReport(
        import_id=item.import_id,
        status=ImportStatus(item.status),
        requested_by=item.requested_by,
        requested_at=item.requested_at,
        finished_at=item.finished_at,
        rows=int(item.rows or 0),
        imported=int(item.imported or 0),
        rejected=int(item.rejected or 0),
        rejections=[RejectedRow(int(r.line), r.reason) for r in item.rejections or ()],
        report_key=item.report_key,
        failure_reason=item.failure_reason,
    )


class DynamoLegacyStore:
    def __init__(self, region: str, *, products: str, imports: str) -> None:
        self._products = bind(LegacyProductModel, products, region)
        self._imports = bind(LegacyImportModel, imports, region)

    def save_products(self, products: Iterable[LegacyProduct]) -> None:
        """Batched (25 a request); the keys are stable, so a re-import rewrites the same items.

        A row repeated in the export would put one key twice in a request, which DynamoDB
        refuses outright: the last of the repeats wins.
        """
        unique = {(p.email, p.row_key): p for p in products}
        with self._products.batch_write() as batch:
            for p in unique.values():
                d = p.details
                batch.save(
                    self._products(
                        email=p.email,
                        row_key=p.row_key,
                        sku=p.sku,
                        serial_number=d.serial_number,
                        purchase_date=d.purchase_date.isoformat() if d.purchase_date else None,
                        country_of_purchase=d.country_of_purchase,
                        dealer=d.dealer,
                    )
                )

    def products_for(self, email: str) -> list[LegacyProduct]:
        return [
            LegacyProduct(
                email=item.email,
                row_key=item.row_key,
                sku=item.sku,
                details=ProductDetails(
                    serial_number=item.serial_number,
                    purchase_date=(
                        date.fromisoformat(item.purchase_date) if item.purchase_date else None
                    ),
                    country_of_purchase=item.country_of_purchase,
                    dealer=item.dealer,
                ),
            )
            for item in self._products.query(email)
        ]

    def save_report(self, report: ImportReport) -> None:
        self._imports(
            import_id=report.import_id,
            status=report.status.value,
            requested_by=report.requested_by,
            requested_at=report.requested_at,
            finished_at=report.finished_at,
            rows=report.rows,
            imported=report.imported,
            rejected=report.rejected,
            rejections=[
                RejectionAttribute(line=r.line, reason=r.reason)
                for r in report.rejections[:REJECTIONS_KEPT_INLINE]
            ]
            or None,
            report_key=report.report_key,
            failure_reason=report.failure_reason,
        ).save()

    def report(self, import_id: str) -> ImportReport | None:
        try:
            return _report_from(self._imports.get(import_id, consistent_read=True))
        except LegacyImportModel.DoesNotExist:
            return None
