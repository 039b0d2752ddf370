"""The VIES check against a local fake of its API, and no personal data in the logs."""

from __future__ import annotations

import io
import logging
from dataclasses import replace

from chalicelib.adapters.vies import ViesClient
from chalicelib.adapters.vies_registry import ViesVatRegistry
from chalicelib.container import container
from chalicelib.observability import logger as app_logger
from chalicelib.services.applications import ApplicationService
from tests.fakes.vies_server import run_fake_vies
from tests.support.journey import PDF, apply, upload

VAT = "NL004495445B01"


def _service_with_vies(base_url: str) -> ApplicationService:
    root = container()
    service = root.application_service
    return ApplicationService(
        applications=root.applications,
        accounts=root.accounts,
        tokens=root.tokens,
        documents=root.documents,
        workflow=root.workflow,
        identity=root.identity,
        outbox=root.outbox,
        vat_registry=ViesVatRegistry(ViesClient(base_url, timeout_s=2)),
        clock=root.clock,
        settings=replace(service._settings, vies_enabled=True),
    )


def _pending(api):
    applicant = apply(api, vat_number=VAT, document_type="VAT_CERTIFICATE")
    upload(applicant.upload, PDF)
    applicant.wait_for(api, "PENDING_REVIEW")
    return applicant


def test_vies_confirms_a_registered_number(api):
    # GIVEN VIES knows the number
    applicant = _pending(api)
    with run_fake_vies({VAT: {"valid": True, "name": "STUDIO LUMEN"}}) as fake:
        # WHEN the checks run with VIES enabled
        outcome = _service_with_vies(fake).run_checks(applicant.application_id)
    # THEN the VIES check passed, and VIES was asked for the number without its prefix
    assert outcome["vies"] == "PASSED"
    assert fake.requests[-1].json == {"countryCode": "NL", "vatNumber": "004495445B01"}


def test_vies_not_knowing_the_number_fails_the_check(api):
    applicant = _pending(api)
    with run_fake_vies({}) as fake:
        outcome = _service_with_vies(fake).run_checks(applicant.application_id)
    assert outcome["vies"] == "FAILED"


def test_vies_unavailable_is_retryable(api):
    # GIVEN VIES answers "member state unavailable"
    applicant = _pending(api)
    with run_fake_vies({VAT: {"user_error": "MS_UNAVAILABLE"}}) as fake:
        # THEN the check raises the retryable failure the workflow retries on
        from chalicelib.domain.errors import RetryableFailure

        try:
            _service_with_vies(fake).run_checks(applicant.application_id)
        except RetryableFailure:
            pass
        else:
            raise AssertionError("VIES being unavailable must not pass as a result")


def test_no_personal_data_reaches_the_logs(api):
    # GIVEN every log record of the app captured as the Lambda runtime would print it
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(app_logger.registered_formatter)
    app_logger.addHandler(handler)
    try:
        # WHEN an applicant with recognisable personal data goes through to review
        applicant = apply(
            api,
            contact={
                "name": "Zebulon Quixote",
                "email": "zebulon.quixote@private.example",
                "phone": "+31 6 98765432",
            },
        )
        upload(applicant.upload, PDF)
        applicant.wait_for(api, "PENDING_REVIEW")
    finally:
        app_logger.removeHandler(handler)
    # THEN the app logged, but none of that data
    logged = stream.getvalue()
    assert applicant.application_id in logged
    assert "zebulon" not in logged.lower()
    assert "98765432" not in logged
