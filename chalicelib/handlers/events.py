"""The queue consumers: one table (`CONSUMERS`) and one way to consume a batch (`consume`).

Every SQS entry point in app.py is `return events.consume("<its name>", event)`. A consumer
says how a record's body becomes a message (`parse`), the business call for one message
(`handle`) and, where a redelivery must not repeat that call, what makes two messages the same
(`once`, an idempotency use). `consume` does the rest, the same for every queue:
- Powertools' partial batch response: a record whose parse or handle raises is logged with its
  message id and reported in `batchItemFailures`; the others are deleted. The failed record
  returns to the queue after its visibility timeout and, past the queue's maxReceiveCount,
  moves to its DLQ, where an alarm fires. A batch in which every record failed fails whole
  (Powertools raises), which SQS treats the same way.
- log keys `invocation=<name>` and a correlation id per invocation; metrics flushed at its end.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import unquote_plus

from chalicelib.adapters.idempotency import IdempotencyUse, Idempotent, idempotent
from chalicelib.container import container
from chalicelib.domain.errors import DomainError, RetryableFailure
from chalicelib.observability import count, logger, with_invocation_logging

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from chalice.app import SQSEvent

    from chalicelib.domain.invoices import InvoiceOrder
    from chalicelib.services.ports import EmailRequest

# Every function of the app imports this module through app.py, and each queue's function uses
# one consumer: what a consumer needs beyond this module (Powertools' batch and idempotency
# utilities, the messages' domain classes, its use case through the container) is imported in
# the functions that use it, so that a function loads only its own consumer's modules.

M = TypeVar("M")


@dataclass(frozen=True)
class Consumer(Generic[M]):
    """One queue's messages: parsed, then handled; with `once`, handled once per key (the
    handler's parameter is then named `request` and it returns what a repeat gets back)."""

    parse: Callable[[str], M]  # a record's body → the message
    handle: Callable[[M], Any]  # the business call for one message
    once: IdempotencyUse | None = None  # set: a message with a key seen before is not handled


def consume(name: str, event: SQSEvent) -> dict[str, Any]:
    """The body of every SQS entry point: `name` is its function's name in app.py."""
    consumer = CONSUMERS[name]
    return with_invocation_logging(
        name, lambda: _process(name, consumer, event.to_dict(), event.context)
    )


def _process(
    name: str, consumer: Consumer[Any], event: dict[str, Any], context: Any
) -> dict[str, Any]:
    handle = _handler(name, consumer, context)

    def record_handler(record: SQSRecord) -> None:
        try:
            handle(consumer.parse(record.body))
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
        record_handler=record_handler,
        processor=BatchProcessor(event_type=EventType.SQS),
        context=context,
    )


_idempotent: dict[str, Idempotent[Any]] = {}


def _handler(name: str, consumer: Consumer[Any], context: Any) -> Callable[[Any], Any]:
    if consumer.once is None:
        return consumer.handle
    once = _idempotent.get(name)
    if once is None:  # built on first use: the table's name comes from the environment
        root = container()
        once = idempotent(
            consumer.handle,
            consumer.once,
            root.settings.idempotency_table,
            root.client("dynamodb"),
        )
        _idempotent[name] = once
    once.register_lambda_context(context)  # before the batch, so in-progress records expire
    return once


def reset_event_state() -> None:
    """Tests rebuild the idempotent handlers after switching tables."""
    _idempotent.clear()


# --- parsing ------------------------------------------------------------------------------------


def s3_keys(body: str) -> list[str]:
    """An S3 event notification's object keys, decoded (S3 event keys arrive URL-encoded).
    S3's `s3:TestEvent`, sent when a notification is set up, has none."""
    return [unquote_plus(r["s3"]["object"]["key"]) for r in json.loads(body).get("Records", [])]


@dataclass(frozen=True)
class ValidationTask:
    """A step of the validation workflow, sent by Step Functions with its task token."""

    task: str
    application_id: str
    token: str

    @classmethod
    def from_json(cls, body: str) -> ValidationTask:
        message = json.loads(body)
        return cls(message["task"], message["application_id"], message["task_token"])


# --- S3 → SQS: a proof document arrived ---------------------------------------------------------


def document_uploaded(keys: list[str]) -> None:
    for key in keys:
        if key.startswith("applications/"):
            container().application_service.document_uploaded(key)
            count("DocumentsReceived")


# --- S3 → SQS: an old-CPS export arrived ------------------------------------------------------


def legacy_export_uploaded(keys: list[str]) -> None:
    for key in keys:
        if key.startswith("legacy-imports/"):
            report = container().legacy_import_service.run(key)
            if report is not None:
                count("LegacyRowsImported", report.imported)
                count("LegacyRowsRejected", report.rejected)


# --- checkout → SQS: issue the purchase's invoice, render it, mail it -------------------------


def invoice_order(body: str) -> InvoiceOrder:
    from chalicelib.domain.invoices import InvoiceOrder

    return InvoiceOrder.from_json(body)


def invoice_requested(order: InvoiceOrder) -> None:
    from chalicelib.domain.invoices import InvoiceKind

    invoice = container().invoicing_service.issue(order)
    if invoice is not None:
        count("CreditNotesIssued" if invoice.kind is InvoiceKind.CREDIT_NOTE else "InvoicesIssued")


# --- daily jobs → SQS: one membership's renewal steps, or one invoice's collection steps ------


def lifecycle_work(message: dict[str, str]) -> None:
    if message["kind"] == "membership":
        steps = container().renewal_service.advance(message["account_id"], message["membership_id"])
    else:
        steps = container().collection_service.collect(message["invoice_number"])
    if steps:
        logger.info("Lifecycle steps done", extra={"kind": message["kind"], "steps": steps})
        count("LifecycleSteps", len(steps))


# --- Step Functions → SQS: a step of the validation workflow -----------------------------------


def validation_task(message: ValidationTask) -> None:
    from chalicelib.services.applications import CHECKS_UNAVAILABLE

    task, application_id, token = message.task, message.application_id, message.token
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


# --- e-mail queue → SES, once per cause --------------------------------------------------------

# Once per cause (`dedupe_key`) for 30 days: a late retry of an old cause sends nothing. The
# prefix is the one Powertools derived from this delivery's function before uses were named.
EMAIL_DELIVERY = IdempotencyUse(
    prefix="chalicelib.handlers.events._delivery.<locals>.deliver",
    key="dedupe_key",
    expires_after_s=30 * 24 * 3600,
)


def email_request(body: str) -> EmailRequest:
    from chalicelib.adapters.sqs_outbox import email_request_from_json

    return email_request_from_json(body)


def email_requested(request: EmailRequest) -> dict[str, str]:
    message_id = container().mail_delivery.deliver(request)
    count("EmailsSent")
    return {"message_id": message_id}  # kept with the key: a redelivery gets it back


# --- the table: app.py's SQS entry points, by name ---------------------------------------------

CONSUMERS: dict[str, Consumer[Any]] = {
    "document_uploads": Consumer(parse=s3_keys, handle=document_uploaded),
    "validation_tasks": Consumer(parse=ValidationTask.from_json, handle=validation_task),
    "legacy_imports": Consumer(parse=s3_keys, handle=legacy_export_uploaded),
    "invoices": Consumer(parse=invoice_order, handle=invoice_requested),
    "lifecycle": Consumer(parse=json.loads, handle=lifecycle_work),
    "emails": Consumer(parse=email_request, handle=email_requested, once=EMAIL_DELIVERY),
}
