"""Applications in DynamoDB, saved optimistically with a version number."""

from __future__ import annotations

from datetime import date, datetime

from pynamodb.exceptions import PutError, QueryError

from chalicelib.adapters.dynamo.conditions import is_condition_failure
from chalicelib.adapters.dynamo.cursor import InvalidCursor, decode_cursor, encode_cursor
from chalicelib.adapters.dynamo.models import ApplicationModel, CheckAttribute, bind
from chalicelib.domain.applications import (
    Application,
    ApplicationForm,
    ApplicationStatus,
    CheckResult,
    Company,
    Contact,
    Decision,
    DocumentType,
)
from chalicelib.domain.errors import Conflict
from chalicelib.services.ports import Page


def to_item(
    application: Application, model: type[ApplicationModel] = ApplicationModel
) -> ApplicationModel:
    form = application.form
    item = model(
        application_id=application.application_id,
        status=application.status.value,
        created_at=application.created_at.isoformat(),
        status_token_hash=application.status_token_hash,
        company_name=form.company.name,
        street=form.company.street,
        postcode=form.company.postcode,
        city=form.company.city,
        country=form.company.country,
        contact_name=form.contact.name,
        contact_email=form.contact.email,
        contact_phone=form.contact.phone,
        language=form.language,
        document_type=form.document_type.value,
        vat_number=form.vat_number,
        legacy_cps_email=form.legacy_cps_email,
        upload_id=application.upload_id,
        document_key=application.document_key,
        document_version_id=application.document_version_id,
        document_content_type=application.document_content_type,
        uploaded_at=application.uploaded_at,
        decision_due_by=(
            application.decision_due_by.isoformat() if application.decision_due_by else None
        ),
        reason=application.reason,
        checks=[CheckAttribute(**c.as_dict()) for c in application.checks] or None,
        review_task_token=application.review_task_token,
        escalated_at=application.escalated_at,
        decision=application.decision.value if application.decision else None,
        decision_reason=application.decision_reason,
        decided_by=application.decided_by,
        decided_at=application.decided_at,
        account_id=application.account_id,
    )
    if application.version is not None:
        item.version = application.version
    return item


def from_item(item: ApplicationModel) -> Application:
    return Application(
        application_id=item.application_id,
        form=ApplicationForm(
            company=Company(item.company_name, item.street, item.postcode, item.city, item.country),
            contact=Contact(item.contact_name, item.contact_email, item.contact_phone),
            language=item.language,
            document_type=DocumentType(item.document_type),
            vat_number=item.vat_number,
            legacy_cps_email=item.legacy_cps_email,
        ),
        status=ApplicationStatus(item.status),
        status_token_hash=item.status_token_hash,
        created_at=datetime.fromisoformat(item.created_at),
        upload_id=item.upload_id,
        document_key=item.document_key,
        document_version_id=item.document_version_id,
        document_content_type=item.document_content_type,
        uploaded_at=item.uploaded_at,
        decision_due_by=date.fromisoformat(item.decision_due_by) if item.decision_due_by else None,
        reason=item.reason,
        checks=tuple(CheckResult(c.name, c.outcome, c.detail) for c in item.checks or ()),
        review_task_token=item.review_task_token,
        escalated_at=item.escalated_at,
        decision=Decision(item.decision) if item.decision else None,
        decision_reason=item.decision_reason,
        decided_by=item.decided_by,
        decided_at=item.decided_at,
        account_id=item.account_id,
        version=item.version,
    )


class DynamoApplicationRepository:
    def __init__(self, region: str, *, applications: str) -> None:
        self._applications = bind(ApplicationModel, applications, region)

    def add(self, application: Application) -> None:
        self.save(application)

    def get(self, application_id: str) -> Application | None:
        try:
            return from_item(self._applications.get(application_id, consistent_read=True))
        except ApplicationModel.DoesNotExist:
            return None

    def save(self, application: Application) -> Application:
        item = to_item(application, self._applications)
        try:
            item.save()  # VersionAttribute adds the condition "version unchanged"
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("The application was changed meanwhile; try again.") from exc
            raise
        return from_item(item)

    def list_by_status(self, status: ApplicationStatus, limit: int, cursor: str | None) -> Page:
        results = self._applications.status_index.query(
            status.value,
            limit=limit,
            last_evaluated_key=decode_cursor(cursor, partition=("status", status.value)),
        )
        try:
            items = [from_item(i) for i in results]
        except QueryError as exc:
            if getattr(exc, "cause_response_code", None) == "ValidationException":
                raise InvalidCursor(
                    "The cursor is not valid.", fields={"cursor": "invalid"}
                ) from exc
            raise
        return Page(items, encode_cursor(results.last_evaluated_key))
