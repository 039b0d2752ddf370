"""The back office's review: the queue of applications with their checks, the decision."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from chalicelib.domain.applications import ApplicationStatus, CheckOutcome, Decision, DocumentType
from chalicelib.handlers.schemas.common import (
    CompanyOut,
    ContactOut,
    IsoDate,
    IsoDateTime,
    Request,
    Response,
    Text,
)


class DecisionIn(Request):
    # A rejection needs a reason for the applicant, more than blanks (else a 422).
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"decision": {"const": "APPROVE"}}},
                {
                    "required": ["reason"],
                    "properties": {"reason": {"type": "string", "pattern": "\\S"}},
                },
            ]
        }
    )

    decision: Decision
    reason: Text | None = Field(
        default=None,
        json_schema_extra={"maxLength": 1000},
        description="Needed to reject; at most 1,000 characters once blanks are collapsed",
    )


class CheckOut(Response):
    name: str
    outcome: CheckOutcome
    detail: str


class ReviewItemOut(Response):
    application_id: str
    status: ApplicationStatus
    created_at: IsoDateTime
    company: CompanyOut
    contact: ContactOut
    language: str
    vat_number: str | None
    legacy_cps_email: str | None
    document_type: DocumentType
    checks: list[CheckOut]
    decision_due_by: IsoDate | None
    escalated: bool
    document_url: str | None


class ReviewListOut(Response):
    items: list[ReviewItemOut]
    next_cursor: str | None


class DecisionOut(Response):
    application_id: str
    decision: Decision
    status: ApplicationStatus
