"""Old-CPS exports (back office), the customer's migration of the old CPS products and the old
CPS address's confirmation (SPEC §2)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.domain.accounts import LegacyConfirmation
from chalicelib.domain.legacy_imports import ImportStatus
from chalicelib.handlers.schemas.common import IsoDate, Request, Response, Text, UploadOut
from chalicelib.services.legacy import SkipReason

# --- the back office's imports ------------------------------------------------------------------


class LegacyImportCreatedOut(Response):
    import_id: str
    upload: UploadOut


class RejectedRowOut(Response):
    line: int
    reason: str


class LegacyImportOut(Response):
    import_id: str
    status: ImportStatus
    rows: int
    imported: int
    rejected: int
    rejections: list[RejectedRowOut] = Field(description="the first 100; the report has all")
    failure_reason: str | None = Field(
        description="FAILED: why the file could not be read as an export"
    )
    report_url: str | None


# --- the customer's migration -------------------------------------------------------------------


class LegacyProductOut(Response):
    sku: str
    name: str
    serial_number: str | None
    purchase_date: IsoDate | None
    country_of_purchase: str | None
    dealer: str | None
    complete: bool


class SkippedProductOut(LegacyProductOut):
    reason: SkipReason


class MigrationStatusOut(Response):
    available: bool
    confirmation: LegacyConfirmation = Field(
        description="whether the owner of the old CPS address has confirmed it (e-mailed link)"
    )
    migrated: bool
    legacy_products: list[LegacyProductOut]


class MigrationOut(Response):
    migrated: int
    points_added: int
    skipped: list[SkippedProductOut]
    already_migrated: bool


# --- the old CPS address's confirmation ---------------------------------------------------------


class LegacyConfirmIn(Request):
    token: Text = Field(min_length=1, max_length=200)


class LegacyConfirmedOut(Response):
    confirmation: Literal[LegacyConfirmation.CONFIRMED]
