"""Public routes of the application journey: apply, follow the status, upload again."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.container import container
from chalicelib.domain.applications import (
    ALLOWED_DOCUMENT_MIME_TYPES,
    MAX_DOCUMENT_BYTES,
    RawApplicationForm,
)
from chalicelib.handlers.docs import STATUS_TOKEN, doc
from chalicelib.handlers.http import json_response, parse_body
from chalicelib.handlers.schemas import (
    ApplicationCreatedOut,
    ApplicationIn,
    ApplicationStatusOut,
    UploadOut,
)
from chalicelib.services.ports import UploadTicket

applications = Blueprint(__name__)

STATUS_TOKEN_HEADER = "x-status-token"  # noqa: S105 - a header name


def upload_view(
    ticket: UploadTicket,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    accepted_types: list[str] | None = None,
) -> dict[str, object]:
    return {
        "url": ticket.url,
        "fields": ticket.fields,
        "expires_at": ticket.expires_at.isoformat(),
        "max_bytes": max_bytes,
        "accepted_types": accepted_types or sorted(ALLOWED_DOCUMENT_MIME_TYPES),
    }


def _status_token() -> str | None:
    return (applications.current_request.headers or {}).get(STATUS_TOKEN_HEADER)


@applications.route("/applications", methods=["POST"])
@doc(
    summary="Apply for a business account",
    tag="applications",
    security=False,
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
    return json_response(
        {
            **created.application.public_view(),
            "status_token": created.status_token,
            "upload": upload_view(created.upload),
        },
        status=201,
    )


@applications.route("/applications/{application_id}", methods=["GET"])
@doc(
    summary="The application's status (needs its X-Status-Token)",
    tag="applications",
    security=False,
    headers=(STATUS_TOKEN,),
    responses={200: ApplicationStatusOut},
)
def application_status(application_id: str) -> Response:
    application = container().application_service.status(application_id, _status_token())
    return json_response(application.public_view())


@applications.route("/applications/{application_id}/upload", methods=["POST"])
@doc(
    summary="A fresh presigned upload for the proof document",
    tag="applications",
    security=False,
    headers=(STATUS_TOKEN,),
    responses={201: UploadOut, 409: None},
)
def new_upload(application_id: str) -> Response:
    ticket = container().application_service.new_upload_link(application_id, _status_token())
    return json_response(upload_view(ticket), status=201)
