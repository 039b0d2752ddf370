"""Builders of the old-CPS imports' and the migration's answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.handlers.schemas.legacy import (
    LegacyImportOut,
    LegacyProductOut,
    MigrationOut,
    MigrationStatusOut,
    RejectedRowOut,
    SkippedProductOut,
)

if TYPE_CHECKING:
    from chalicelib.domain.legacy_imports import ImportReport
    from chalicelib.services.legacy import LegacyListing, MigrationResult, MigrationStatus


def legacy_import_out(report: ImportReport, report_url: str | None) -> LegacyImportOut:
    return LegacyImportOut(
        import_id=report.import_id,
        status=report.status,
        rows=report.rows,
        imported=report.imported,
        rejected=report.rejected,
        rejections=[RejectedRowOut(line=r.line, reason=r.reason) for r in report.rejections],
        failure_reason=report.failure_reason,
        report_url=report_url,
    )


def _legacy_fields(listing: LegacyListing) -> dict[str, object]:
    d = listing.product.details
    return {
        "sku": listing.product.sku,
        "name": listing.name,
        "serial_number": d.serial_number,
        "purchase_date": d.purchase_date,
        "country_of_purchase": d.country_of_purchase,
        "dealer": d.dealer,
        "complete": not d.missing(),
    }


def migration_status_out(status: MigrationStatus) -> MigrationStatusOut:
    return MigrationStatusOut(
        available=status.available,
        confirmation=status.confirmation,
        migrated=status.migrated,
        legacy_products=[
            LegacyProductOut.model_validate(_legacy_fields(p)) for p in status.legacy_products
        ],
    )


def migration_out(result: MigrationResult) -> MigrationOut:
    return MigrationOut(
        migrated=result.migrated,
        points_added=result.points_added,
        skipped=[
            SkippedProductOut.model_validate({**_legacy_fields(s.listing), "reason": s.reason})
            for s in result.skipped
        ],
        already_migrated=result.already_migrated,
    )
