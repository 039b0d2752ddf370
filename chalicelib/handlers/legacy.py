"""Old-CPS exports (back office) and the customer's "Migrate products" action."""

from __future__ import annotations

from chalice import Response

from chalicelib.container import container
from chalicelib.domain.accounts import LegacyConfirmation
from chalicelib.handlers.docs import doc
from chalicelib.handlers.http import account_id, parse_body, respond, reviewer
from chalicelib.handlers.routing import Access, ApiBlueprint
from chalicelib.handlers.schemas.common import AcceptedOut
from chalicelib.handlers.schemas.legacy import (
    LegacyConfirmedOut,
    LegacyConfirmIn,
    LegacyImportCreatedOut,
    LegacyImportOut,
    MigrationOut,
    MigrationStatusOut,
)
from chalicelib.handlers.views.common import upload_out
from chalicelib.handlers.views.legacy import legacy_import_out, migration_out, migration_status_out
from chalicelib.services.legacy import MAX_EXPORT_BYTES

legacy = ApiBlueprint(__name__)

REPORT_LINK_SECONDS = 5 * 60


@legacy.route("/ops/legacy-imports", methods=["POST"], access=Access.REVIEWER)
@doc(
    summary="A presigned upload for an old-CPS export (CSV); the upload starts the import",
    tag="ops",
    responses={201: LegacyImportCreatedOut},
)
def new_legacy_import() -> Response:
    created = container().legacy_import_service.new_import(reviewer(legacy))
    return respond(
        LegacyImportCreatedOut(
            import_id=created.import_id,
            upload=upload_out(created.upload, MAX_EXPORT_BYTES, ["text/csv"]),
        ),
        status=201,
    )


@legacy.route("/ops/legacy-imports/{import_id}", methods=["GET"], access=Access.REVIEWER)
@doc(
    summary="An import's report: counts and each rejected row with its reason",
    tag="ops",
    responses={200: LegacyImportOut},
)
def legacy_import_report(import_id: str) -> Response:
    report = container().legacy_import_service.report(import_id)
    report_url = (
        container().documents.download_url(report.report_key, REPORT_LINK_SECONDS)
        if report.report_key
        else None
    )
    return respond(legacy_import_out(report, report_url))


@legacy.route("/migration", methods=["GET"], access=Access.CUSTOMER)
@doc(
    summary="Whether old CPS products can be migrated, and which",
    tag="products",
    responses={200: MigrationStatusOut},
)
def migration_status() -> Response:
    return respond(migration_status_out(container().migration_service.status(account_id(legacy))))


@legacy.route("/migration", methods=["POST"], access=Access.CUSTOMER)
@doc(
    summary="Migrate the old CPS products, once",
    tag="products",
    responses={200: MigrationOut, 409: None},
)
def migrate() -> Response:
    return respond(migration_out(container().migration_service.migrate(account_id(legacy))))


@legacy.route("/migration/confirmation", methods=["POST"], access=Access.CUSTOMER)
@doc(
    summary="A new confirmation link to the old CPS address, voiding earlier ones (1 per 15 min)",
    tag="products",
    responses={202: AcceptedOut, 409: None},
)
def resend_migration_confirmation() -> Response:
    container().legacy_confirmation_service.resend(account_id(legacy))
    return respond(AcceptedOut(status="accepted"), status=202)


@legacy.route("/migration/confirm", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="Public: the owner of the old CPS address confirms with the e-mailed one-time link",
    tag="products",
    request=LegacyConfirmIn,
    responses={200: LegacyConfirmedOut, 422: None},
    response_headers={"Cache-Control": {"const": "no-store"}},
)
def confirm_migration() -> Response:
    body = parse_body(legacy, LegacyConfirmIn)
    container().legacy_confirmation_service.confirm(body.token)
    return respond(
        LegacyConfirmedOut(confirmation=LegacyConfirmation.CONFIRMED),
        headers={"Cache-Control": "no-store"},
    )
