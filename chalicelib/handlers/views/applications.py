"""Builders of the application journey's answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.handlers.schemas.applications import ApplicationCreatedOut, ApplicationStatusOut

if TYPE_CHECKING:
    from chalicelib.domain.applications import Application
    from chalicelib.handlers.schemas.common import UploadOut
    from chalicelib.services.applications import NewApplication


def application_status_out(application: Application) -> ApplicationStatusOut:
    return ApplicationStatusOut(
        application_id=application.application_id,
        status=application.status,
        reason=application.reason,
        decision_due_by=application.decision_due_by,
    )


def application_created_out(created: NewApplication, upload: UploadOut) -> ApplicationCreatedOut:
    application = created.application
    return ApplicationCreatedOut(
        application_id=application.application_id,
        status=application.status,
        reason=application.reason,
        decision_due_by=application.decision_due_by,
        status_token=created.status_token,
        upload=upload,
    )
