"""Builders of the review queue's and the decision's answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.handlers.schemas.common import ContactOut
from chalicelib.handlers.schemas.review import CheckOut, DecisionOut, ReviewItemOut
from chalicelib.handlers.views.common import company_out

if TYPE_CHECKING:
    from chalicelib.domain.applications import Application, CheckResult, Contact
    from chalicelib.services.applications import ReviewItem


def contact_out(contact: Contact) -> ContactOut:
    return ContactOut(name=contact.name, email=contact.email, phone=contact.phone)


def check_out(check: CheckResult) -> CheckOut:
    return CheckOut(name=check.name, outcome=check.outcome, detail=check.detail)


def review_item_out(item: ReviewItem) -> ReviewItemOut:
    application = item.application
    form = application.form
    return ReviewItemOut(
        application_id=application.application_id,
        status=application.status,
        created_at=application.created_at,
        company=company_out(form.company),
        contact=contact_out(form.contact),
        language=form.language,
        vat_number=form.vat_number,
        legacy_cps_email=form.legacy_cps_email,
        document_type=form.document_type,
        checks=[check_out(c) for c in application.checks],
        decision_due_by=application.decision_due_by,
        escalated=application.escalated_at is not None,
        document_url=item.document_url,
    )


def decision_out(application: Application) -> DecisionOut:
    assert application.decision is not None
    return DecisionOut(
        application_id=application.application_id,
        decision=application.decision,
        status=application.status,
    )
