"""The one idempotency factory, on moto's DynamoDB: an e-mail is sent once per cause however
often its message is delivered, a purchase runs once per key, and the stored keys are the ones
written before the factory existed (so records already in the table still count)."""

from __future__ import annotations

import hashlib
import json
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from chalice.app import SQSEvent
from chalice.local import LambdaContext

from chalicelib.adapters.idempotency import IdempotentRunner
from chalicelib.adapters.sqs_outbox import email_request_to_json
from chalicelib.domain.errors import ValidationFailed
from chalicelib.handlers import events
from chalicelib.services.ports import EmailRequest
from local_runtime.pump import sqs_event
from tests.support.tables import create_tables

TABLE = "cps-idempotency"
QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:cps-emails"


class Mailbox:
    """The mail delivery use case: records what it sent, failing the first `failures` times."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.sent: list[str] = []

    def deliver(self, request: EmailRequest) -> str:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("injected: SES throttled")
        self.sent.append(request.dedupe_key)
        return f"ses-{len(self.sent)}"


@pytest.fixture
def table(aws: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    create_tables(boto3.client("dynamodb"), TABLE)
    events.reset_event_state()
    yield boto3.resource("dynamodb").Table(TABLE)
    events.reset_event_state()


def use_mailbox(monkeypatch: pytest.MonkeyPatch, mailbox: Mailbox) -> None:
    fake = SimpleNamespace(
        settings=SimpleNamespace(idempotency_table=TABLE),
        mail_delivery=mailbox,
        client=boto3.client,
    )
    monkeypatch.setattr(events, "container", lambda: fake)


def mail(dedupe_key: str) -> str:
    return email_request_to_json(
        EmailRequest(
            template="password_reset",
            language="da",
            to="mette@example.dk",
            context={"contact_name": "Mette", "link_expires_hours": 2},
            dedupe_key=dedupe_key,
        )
    )


def lambda_context() -> LambdaContext:
    return LambdaContext(function_name="cps", memory_size=512, max_runtime_ms=60_000)


def delivery(message_id: str, body: str) -> SQSEvent:
    """One SQS delivery of a message: a redelivery has the same body under a new receipt."""
    event = sqs_event(
        [{"MessageId": message_id, "ReceiptHandle": f"r-{message_id}", "Body": body}], QUEUE_ARN
    )
    return SQSEvent(event, lambda_context())


def md5_of(value: str) -> str:
    return hashlib.md5(json.dumps(value).encode()).hexdigest()  # Powertools hashes the key with md5


def test_a_redelivered_mail_message_is_sent_once(table, monkeypatch):
    # GIVEN a mail request that was delivered and sent
    mailbox = Mailbox()
    use_mailbox(monkeypatch, mailbox)
    body = mail("reset:a1:1")
    assert events.consume("emails", delivery("m1", body)) == {"batchItemFailures": []}
    # WHEN SQS delivers the same message again
    again = events.consume("emails", delivery("m1", body))
    # THEN the redelivery succeeds without sending a second mail
    assert again == {"batchItemFailures": []}
    assert mailbox.sent == ["reset:a1:1"]


def test_a_mail_whose_sending_failed_is_sent_on_its_retry(table, monkeypatch):
    # GIVEN a mail request whose first sending fails
    mailbox = Mailbox(failures=1)
    use_mailbox(monkeypatch, mailbox)
    body = mail("reset:a1:2")
    with pytest.raises(BatchProcessingError):  # its batch's only record: the batch fails
        events.consume("emails", delivery("m1", body))
    # WHEN the queue retries it
    retried = events.consume("emails", delivery("m1", body))
    # THEN the failure was not remembered as done: the retry sends it, once
    assert retried == {"batchItemFailures": []}
    assert mailbox.sent == ["reset:a1:2"]


def test_a_mail_is_remembered_under_the_key_it_was_stored_under_before(table, monkeypatch):
    # GIVEN the e-mail consumer's Lambda function
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "cps-prod-emails")
    use_mailbox(monkeypatch, Mailbox())
    # WHEN it sends a mail
    events.consume("emails", delivery("m1", mail("reset:a1:3")))
    # THEN its record has the id Powertools derived before uses were named
    ids = [item["id"] for item in table.scan()["Items"]]
    prefix = "cps-prod-emails.chalicelib.handlers.events._delivery.<locals>.deliver"
    assert ids == [f"{prefix}#{md5_of('reset:a1:3')}"]


def test_a_purchase_is_remembered_under_the_key_it_was_stored_under_before(table, monkeypatch):
    # GIVEN the API's Lambda function and a purchase
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "cps-prod")
    runner = IdempotentRunner(TABLE)
    # WHEN it runs
    runner.run("account-1", "key-1", {"tier": "gold"}, lambda: {"ok": True}, lambda_context())
    # THEN its record has the id Powertools derived before uses were named
    ids = [item["id"] for item in table.scan()["Items"]]
    prefix = "cps-prod.chalicelib.adapters.idempotency.IdempotentRunner.run.<locals>.once"
    assert ids == [f"{prefix}#{md5_of('account-1:key-1')}"]


def test_a_purchase_repeated_with_its_key_runs_once_and_replays_its_result(table):
    # GIVEN a purchase that ran with a key
    runner = IdempotentRunner(TABLE)
    runs: list[int] = []

    def buy() -> dict[str, Any]:
        runs.append(1)
        return {"purchase": len(runs)}

    first = runner.run("account-1", "key-1", {"tier": "gold"}, buy, lambda_context())
    # WHEN the same request comes again with that key
    again = runner.run("account-1", "key-1", {"tier": "gold"}, buy, lambda_context())
    # THEN it is not run again: the first result is replayed
    assert again == first == {"purchase": 1}
    assert runs == [1]


def test_a_key_reused_with_another_request_is_refused(table):
    # GIVEN a purchase that ran with a key
    runner = IdempotentRunner(TABLE)
    runner.run("account-1", "key-1", {"tier": "gold"}, lambda: {"purchase": 1}, lambda_context())
    # WHEN the key comes again with another body
    # THEN it is refused as a validation failure naming the header
    with pytest.raises(ValidationFailed) as refused:
        runner.run(
            "account-1", "key-1", {"tier": "platinum"}, lambda: {"purchase": 2}, lambda_context()
        )
    assert "Idempotency-Key" in refused.value.fields


def test_the_same_key_of_another_account_is_another_purchase(table):
    # GIVEN a purchase that ran with a key for one account
    runner = IdempotentRunner(TABLE)
    runner.run("account-1", "key-1", {"tier": "gold"}, lambda: {"purchase": 1}, lambda_context())
    # WHEN another account uses the same key
    other = runner.run(
        "account-2", "key-1", {"tier": "gold"}, lambda: {"purchase": 2}, lambda_context()
    )
    # THEN it runs: keys are scoped to the account
    assert other == {"purchase": 2}
