"""Mails leave through the e-mail queue; its consumer renders and sends them exactly once."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.services.ports import EmailRequest


def email_request_to_json(request: EmailRequest) -> str:
    return json.dumps(
        {
            "template": request.template,
            "language": request.language,
            "to": request.to,
            "context": dict(request.context),
            "dedupe_key": request.dedupe_key,
            "attachments": list(request.attachments),
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
    )


class SqsOutbox:
    def __init__(self, sqs: Any, queue_url: str) -> None:
        self._sqs = sqs
        self._queue_url = queue_url

    def send(self, request: EmailRequest) -> None:
        self._sqs.send_message(QueueUrl=self._queue_url, MessageBody=email_request_to_json(request))


class SqsInvoiceRequests:
    """Checkout hands the invoice to its pipeline through the invoices queue."""

    def __init__(self, sqs: Any, queue_url: str) -> None:
        self._sqs = sqs
        self._queue_url = queue_url

    def request_invoice(self, account_id: str, purchase_id: str) -> None:
        self._sqs.send_message(
            QueueUrl=self._queue_url,
            MessageBody=json.dumps({"account_id": account_id, "purchase_id": purchase_id}),
        )
