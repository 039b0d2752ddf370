"""Queue and schedule entry points' bodies. app.py declares them (so middleware applies)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from chalicelib.adapters.sqs_outbox import email_request_from_json
from chalicelib.container import container
from chalicelib.domain.errors import DomainError, RetryableFailure
from chalicelib.domain.invoices import InvoiceKind, InvoiceOrder
from chalicelib.observability import count, logger
from chalicelib.services.applications import CHECKS_UNAVAILABLE

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

# Powertools' batch and idempotency utilities are imported where used: every HTTP function
# imports this module through app.py, and they would add ~0.3 s to its cold start.


def _batch(event: dict[str, Any], context: Any, handle: Any) -> dict[str, Any]:
    """Powertools partial batch: only failed records return to the queue (then to its DLQ)."""

    def logged(record: SQSRecord) -> None:
        try:
            handle(record)
        except Exception:
            logger.exception(
                "Record failed; it returns to the queue", extra={"id": record.message_id}
            )
            raise

    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    # A processor per batch: it holds the batch's state, and batches may run side by side.
    return process_partial_response(
        event=event,
        record_handler=logged,
        processor=BatchProcessor(event_type=EventType.SQS),
        context=context,
    )


# --- S3 → SQS: a proof document arrived ---------------------------------------------------------


def _document_uploaded(record: SQSRecord) -> None:
    body = json.loads(record.body)
    if body.get("Event") == "s3:TestEvent":
        return
    for s3_record in body.get("Records", []):
        key = unquote_plus(s3_record["s3"]["object"]["key"])  # S3 event keys arrive URL-encoded
        if key.startswith("applications/"):
            container().application_service.document_uploaded(key)
            count("DocumentsReceived")


def document_uploads(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _batch(event, context, _document_uploaded)


# --- S3 → SQS: an old-CPS export arrived ------------------------------------------------------


def _legacy_export_uploaded(record: SQSRecord) -> None:
    body = json.loads(record.body)
    for s3_record in body.get("Records", []):
        key = unquote_plus(s3_record["s3"]["object"]["key"])
        if key.startswith("legacy-imports/"):
            report = container().legacy_import_service.run(key)
            if report is not None:
                count("LegacyRowsImported", report.imported)
                count("LegacyRowsRejected", report.rejected)


def legacy_imports(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _batch(event, context, _legacy_export_uploaded)


# --- checkout → SQS: issue the purchase's invoice, render it, mail it -------------------------


def _invoice_requested(record: SQSRecord) -> None:
    invoice = container().invoicing_service.issue(InvoiceOrder.from_json(record.body))
    if invoice is not None:
        count("CreditNotesIssued" if invoice.kind is InvoiceKind.CREDIT_NOTE else "InvoicesIssued")


def invoices(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _batch(event, context, _invoice_requested)


# --- daily jobs → SQS: one membership's renewal steps, or one invoice's collection steps ------


def _lifecycle_work(record: SQSRecord) -> None:
    message = json.loads(record.body)
    if message["kind"] == "membership":
        steps = container().renewal_service.advance(message["account_id"], message["membership_id"])
    else:
        steps = container().collection_service.collect(message["invoice_number"])
    if steps:
        logger.info("Lifecycle steps done", extra={"kind": message["kind"], "steps": steps})
        count("LifecycleSteps", len(steps))


def lifecycle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _batch(event, context, _lifecycle_work)


# --- Step Functions → SQS: a step of the validation workflow -----------------------------------


def _validation_task(record: SQSRecord) -> None:
    message = json.loads(record.body)
    task, application_id, token = message["task"], message["application_id"], message["task_token"]
    service = container().application_service
    workflow = container().workflow
    logger.info("Validation task", extra={"task": task, "application_id": application_id})
    try:
        if task == "run_checks":
            workflow.complete_task(token, service.run_checks(application_id))
        elif task == "await_review":
            service.await_review(application_id, token)
        elif task == "approve":
            service.approve(application_id)
            workflow.complete_task(token, {"status": "APPROVED"})
            count("ApplicationsApproved")
        elif task == "reject":
            service.reject(application_id)
            workflow.complete_task(token, {"status": "REJECTED"})
            count("ApplicationsRejected")
        else:
            workflow.fail_task(token, "UnknownTask", f"No worker for task {task!r}")
    except RetryableFailure as exc:
        workflow.fail_task(token, CHECKS_UNAVAILABLE, exc.message)
    except DomainError as exc:
        # A rule says no: retrying the message will not help, the workflow's Catch decides.
        workflow.fail_task(token, exc.code, exc.message)


def validation_tasks(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _batch(event, context, _validation_task)


# --- e-mail queue → SES, once per cause --------------------------------------------------------

_idempotent_delivery: Any = None
_idempotency_config: Any = None


def _config() -> Any:
    global _idempotency_config
    if _idempotency_config is None:
        from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

        _idempotency_config = IdempotencyConfig(
            event_key_jmespath="dedupe_key",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=30 * 24 * 3600,  # a late retry of an old cause sends nothing
        )
    return _idempotency_config


def _delivery() -> Any:
    """Built on first use: the idempotency table's name comes from the environment."""
    global _idempotent_delivery
    if _idempotent_delivery is None:
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            idempotent_function,
        )

        persistence = DynamoDBPersistenceLayer(table_name=container().settings.idempotency_table)

        @idempotent_function(
            data_keyword_argument="request", persistence_store=persistence, config=_config()
        )
        def deliver(request: dict[str, Any]) -> dict[str, str]:
            message_id = container().mail_delivery.deliver(
                email_request_from_json(json.dumps(request))
            )
            count("EmailsSent")
            return {"message_id": message_id}

        _idempotent_delivery = deliver
    return _idempotent_delivery


def _email(record: SQSRecord) -> None:
    _delivery()(request=json.loads(record.body))


def emails(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _config().register_lambda_context(context)
    return _batch(event, context, _email)


def reset_event_state() -> None:
    """Tests rebuild the idempotent delivery after switching tables."""
    global _idempotent_delivery
    _idempotent_delivery = None
