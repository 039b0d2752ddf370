"""Public routes of the application journey: apply, follow the status, upload again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Response

from chalicelib.container import container
from chalicelib.domain.applications import (
    ALLOWED_DOCUMENT_MIME_TYPES,
    MAX_DOCUMENT_BYTES,
    RawApplicationForm,
)
from chalicelib.handlers.docs import STATUS_TOKEN, doc
from chalicelib.handlers.http import parse_body, respond
from chalicelib.handlers.routing import Access, ApiBlueprint
from chalicelib.handlers.schemas.applications import (
    ApplicationCreatedOut,
    ApplicationIn,
    ApplicationStatusOut,
)
from chalicelib.handlers.schemas.common import UploadOut
from chalicelib.handlers.views.applications import application_created_out, application_status_out
from chalicelib.handlers.views.common import upload_out

if TYPE_CHECKING:
    from chalicelib.services.ports import UploadTicket

applications = ApiBlueprint(__name__)

STATUS_TOKEN_HEADER = "x-status-token"  # noqa: S105 - a header name


def document_upload_out(ticket: UploadTicket) -> UploadOut:
    return upload_out(ticket, MAX_DOCUMENT_BYTES, sorted(ALLOWED_DOCUMENT_MIME_TYPES))


def _status_token() -> str | None:
    return (applications.current_request.headers or {}).get(STATUS_TOKEN_HEADER)


@applications.route("/applications", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="Apply for a business account",
    tag="applications",
    request=ApplicationIn,
    responses={201: ApplicationCreatedOut},
)
def apply() -> Response:
    body = parse_body(applications, ApplicationIn)
    created = container().application_service.apply(
        RawApplicationForm(
            company_name=body.company.name,
            street=body.company.street,
            postcode=body.company.postcode,
            city=body.company.city,
            country=body.company.country,
            contact_name=body.contact.name,
            contact_email=body.contact.email,
            contact_phone=body.contact.phone,
            language=body.language,
            document_type=body.document_type,
            authorised=body.authorised,
            vat_number=body.vat_number,
            legacy_cps_email=body.legacy_cps_email,
        )
    )
    return respond(
        application_created_out(created, document_upload_out(created.upload)), status=201
    )


@applications.route("/applications/{application_id}", methods=["GET"], access=Access.PUBLIC)
@doc(
    summary="The application's status (needs its X-Status-Token)",
    tag="applications",
    headers=(STATUS_TOKEN,),
    responses={200: ApplicationStatusOut},
)
def application_status(application_id: str) -> Response:
    application = container().application_service.status(application_id, _status_token())
    return respond(application_status_out(application))


@applications.route("/applications/{application_id}/upload", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="A fresh presigned upload for the proof document",
    tag="applications",
    headers=(STATUS_TOKEN,),
    responses={201: UploadOut, 409: None},
)
def new_upload(application_id: str) -> Response:
    ticket = container().application_service.new_upload_link(application_id, _status_token())
    return respond(document_upload_out(ticket), status=201)
