"""Old-CPS exports (back office) and the customer's "Migrate products" action."""

from __future__ import annotations

from dataclasses import asdict

from chalice import Blueprint, Response

from chalicelib.container import container
from chalicelib.handlers.applications import upload_view
from chalicelib.handlers.docs import doc
from chalicelib.handlers.gate import jwt_auth
from chalicelib.handlers.http import account_id, json_response, parse_body, reviewer
from chalicelib.handlers.schemas import (
    AcceptedOut,
    LegacyConfirmedOut,
    LegacyConfirmIn,
    LegacyImportCreatedOut,
    LegacyImportOut,
    MigrationOut,
    MigrationStatusOut,
)
from chalicelib.services.legacy import MAX_EXPORT_BYTES

legacy = Blueprint(__name__)

REPORT_LINK_SECONDS = 5 * 60


@legacy.route("/ops/legacy-imports", methods=["POST"], authorizer=jwt_auth)
@doc(
    summary="A presigned upload for an old-CPS export (CSV); the upload starts the import",
    tag="ops",
    responses={201: LegacyImportCreatedOut},
)
def new_legacy_import() -> Response:
    created = container().legacy_import_service.new_import(reviewer(legacy))
    return json_response(
        {
            "import_id": created.import_id,
            "upload": upload_view(created.upload, MAX_EXPORT_BYTES, ["text/csv"]),
        },
        status=201,
    )


@legacy.route("/ops/legacy-imports/{import_id}", methods=["GET"], authorizer=jwt_auth)
@doc(
    summary="An import's report: counts and each rejected row with its reason",
    tag="ops",
    responses={200: LegacyImportOut},
)
def legacy_import_report(import_id: str) -> Response:
    reviewer(legacy)
    report = container().legacy_import_service.report(import_id)
    return json_response(
        {
            "import_id": report.import_id,
            "status": report.status.value,
            "rows": report.rows,
            "imported": report.imported,
            "rejected": report.rejected,
            "rejections": [asdict(r) for r in report.rejections],
            "failure_reason": report.failure_reason,
            "report_url": (
                container().documents.download_url(report.report_key, REPORT_LINK_SECONDS)
                if report.report_key
                else None
            ),
        }
    )


@legacy.route("/migration", methods=["GET"], authorizer=jwt_auth)
@doc(
    summary="Whether old CPS products can be migrated, and which",
    tag="products",
    responses={200: MigrationStatusOut},
)
def migration_status() -> Response:
    return json_response(container().migration_service.status(account_id(legacy)))


@legacy.route("/migration", methods=["POST"], authorizer=jwt_auth)
@doc(
    summary="Migrate the old CPS products, once",
    tag="products",
    responses={200: MigrationOut, 409: None},
)
def migrate() -> Response:
    result = container().migration_service.migrate(account_id(legacy))
    return json_response(asdict(result))


@legacy.route("/migration/confirmation", methods=["POST"], authorizer=jwt_auth)
@doc(
    summary="A new confirmation link to the old CPS address, voiding earlier ones (1 per 15 min)",
    tag="products",
    responses={202: AcceptedOut, 409: None},
)
def resend_migration_confirmation() -> Response:
    container().legacy_confirmation_service.resend(account_id(legacy))
    return json_response({"status": "accepted"}, status=202)


@legacy.route("/migration/confirm", methods=["POST"])
@doc(
    summary="Public: the owner of the old CPS address confirms with the e-mailed one-time link",
    tag="products",
    security=False,
    request=LegacyConfirmIn,
    responses={200: LegacyConfirmedOut, 422: None},
    response_headers={"Cache-Control": {"const": "no-store"}},
)
def confirm_migration() -> Response:
    body = parse_body(legacy, LegacyConfirmIn)
    container().legacy_confirmation_service.confirm(body.token)
    return json_response({"confirmation": "CONFIRMED"}, headers={"Cache-Control": "no-store"})
