"""The application journey: the form, the application's status, its proof document's upload."""

from __future__ import annotations

from pydantic import Field, StrictBool

from chalicelib.domain.applications import ApplicationStatus, DocumentType
from chalicelib.handlers.schemas.common import IsoDate, Request, Response, Text, UploadOut


class CompanyIn(Request):
    name: Text
    street: Text
    postcode: Text
    city: Text
    country: Text = Field(description="ISO 3166-1 alpha-2, e.g. NL")


class ContactIn(Request):
    name: Text
    email: Text
    phone: Text


class ApplicationIn(Request):
    company: CompanyIn
    vat_number: Text | None = None
    contact: ContactIn
    language: Text = Field(description="en, nl, de, da or lv")
    legacy_cps_email: Text | None = None
    document_type: DocumentType
    authorised: StrictBool = Field(
        json_schema_extra={"const": True},
        description="The applicant declares they may act for the company (else a 422)",
    )


class ApplicationStatusOut(Response):
    application_id: str
    status: ApplicationStatus
    reason: str | None
    decision_due_by: IsoDate | None


class ApplicationCreatedOut(ApplicationStatusOut):
    status_token: str
    upload: UploadOut
