"""Mails leave through the e-mail queue; its consumer renders and sends them exactly once."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping
from typing import Any

from chalicelib.domain.invoices import InvoiceOrder
from chalicelib.services.ports import EmailRequest

SQS_BATCH = 10


def email_request_to_json(request: EmailRequest) -> str:
    return json.dumps(
        {
            "template": request.template,
            "language": request.language,
            "to": request.to,
            "context": dict(request.context),
            "dedupe_key": request.dedupe_key,
            "attachments": list(request.attachments),
            # Names the one-time link to issue at send time; never the token or its URL.
            "link": dict(request.link) if request.link is not None else None,
        },
        default=str,
    )


def email_request_from_json(body: str) -> EmailRequest:
    data = json.loads(body)
    return EmailRequest(
        template=data["template"],
        language=data["language"],
        to=data["to"],
        context=data["context"],
        dedupe_key=data["dedupe_key"],
        attachments=tuple(data.get("attachments", ())),
        link=data.get("link"),
    )


class SqsOutbox:
    def __init__(self, sqs: Any, queue_url: str) -> None:
        self._sqs = sqs
        self._queue_url = queue_url

    def send(self, request: EmailRequest) -> None:
        self._sqs.send_message(QueueUrl=self._queue_url, MessageBody=email_request_to_json(request))


class SqsInvoiceRequests:
    """Use cases hand invoice orders to the invoice pipeline through the invoices queue."""

    def __init__(self, sqs: Any, queue_url: str) -> None:
        self._sqs = sqs
        self._queue_url = queue_url

    def request(self, order: InvoiceOrder) -> None:
        self._sqs.send_message(QueueUrl=self._queue_url, MessageBody=order.to_json())


class SqsWorkQueue:
    """The daily jobs' fan-out: ten messages a request, each a unit of work for the workers."""

    def __init__(self, sqs: Any, queue_url: str) -> None:
        self._sqs = sqs
        self._queue_url = queue_url

    def dispatch(self, messages: Iterable[Mapping[str, str]]) -> int:
        sent = 0
        pending = iter(messages)
        while batch := list(itertools.islice(pending, SQS_BATCH)):
            response = self._sqs.send_message_batch(
                QueueUrl=self._queue_url,
                Entries=[
                    {"Id": str(i), "MessageBody": json.dumps(dict(m))} for i, m in enumerate(batch)
                ],
            )
            if response.get("Failed"):  # a partial failure fails the job: the run is retried
                raise RuntimeError(f"{len(response['Failed'])} work messages were not queued")
            sent += len(batch)
        return sent
