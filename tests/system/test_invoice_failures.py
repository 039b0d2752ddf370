"""A failing invoice step is retried, or dead-lettered and redriven: never lost, never doubled."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

import boto3

from chalicelib.container import container
from chalicelib.mail.message import MailDeliveryError
from tests.support.journey import eventually, mails_to
from tests.system.silver import checkout, invoices, silver_customer


@contextmanager
def fast_redelivery(queue: str) -> Iterator[str]:
    """Shortens the queue's visibility timeout so a failed message returns within a second."""
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    before = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "1"})
    # A long poll already waiting took the old timeout with it (moto reads it when the poll
    # starts): let those polls end before a message can arrive.
    time.sleep(1.5)
    try:
        yield url
    finally:
        sqs.set_queue_attributes(
            QueueUrl=url,
            Attributes={"VisibilityTimeout": before["Attributes"]["VisibilityTimeout"]},
        )


def _invoice_mails(api, email):
    return [m for m in mails_to(api, email) if m["attachments"]]


def test_pdf_generation_failing_twice_is_retried_and_the_invoice_arrives_once(
    api, reviewer_token, monkeypatch
):
    applicant, token = silver_customer(api, reviewer_token)
    service = container().invoicing_service
    real_render = service._render_pdf
    failures = {"left": 2}

    def flaky(invoice):
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("injected: PDF generation failed")
        return real_render(invoice)

    monkeypatch.setattr(service, "_render_pdf", flaky)
    with fast_redelivery("cps-invoices"):
        assert checkout(api, token, "k").status_code == 201
        eventually(lambda: _invoice_mails(api, applicant.email))
    time.sleep(2)
    assert failures["left"] == 0
    assert len(invoices(api, token)) == 1
    assert len(_invoice_mails(api, applicant.email)) == 1


def test_sending_failing_once_is_retried_and_the_mail_arrives_once(
    api, reviewer_token, monkeypatch
):
    applicant, token = silver_customer(api, reviewer_token)
    delivery = container().mail_delivery
    real_send = delivery._mailer.send
    failures = {"left": 1}

    def flaky(to, mail, attachments=()):
        if failures["left"] and attachments:
            failures["left"] -= 1
            raise MailDeliveryError(retryable=True, code="Throttling")
        return real_send(to, mail, attachments)

    monkeypatch.setattr(delivery._mailer, "send", flaky)
    with fast_redelivery("cps-emails"):
        assert checkout(api, token, "k").status_code == 201
        eventually(lambda: _invoice_mails(api, applicant.email))
    time.sleep(2)
    assert failures["left"] == 0
    assert len(_invoice_mails(api, applicant.email)) == 1


def test_a_step_that_keeps_failing_is_dead_lettered_then_redriven_to_one_invoice(
    api, reviewer_token, monkeypatch
):
    # GIVEN PDF generation that fails every time
    applicant, token = silver_customer(api, reviewer_token)
    service = container().invoicing_service
    real_render = service._render_pdf
    broken = {"on": True}

    def render(invoice):
        if broken["on"]:
            raise RuntimeError("injected: PDF generation keeps failing")
        return real_render(invoice)

    monkeypatch.setattr(service, "_render_pdf", render)
    sqs = boto3.client("sqs")
    dlq = sqs.get_queue_url(QueueName="cps-invoices-dlq")["QueueUrl"]
    with fast_redelivery("cps-invoices") as queue:
        assert checkout(api, token, "k").status_code == 201
        # THEN after its retries the request waits in the dead-letter queue (where the alarm is)
        parked = eventually(
            lambda: sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10).get("Messages"),
            timeout=90,
        )
        assert _invoice_mails(api, applicant.email) == []
        # WHEN the fault is fixed and the message redriven
        broken["on"] = False
        for message in parked:
            assert json.loads(message["Body"])["order_id"]
            sqs.send_message(QueueUrl=queue, MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=dlq, ReceiptHandle=message["ReceiptHandle"])
        # THEN the invoice arrives, once
        eventually(lambda: _invoice_mails(api, applicant.email))
    time.sleep(2)
    assert len(invoices(api, token)) == 1
    assert len(_invoice_mails(api, applicant.email)) == 1
