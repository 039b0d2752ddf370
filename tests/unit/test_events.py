"""Every SQS entry point of app.py has one shape: `events.consume(<its name>, event)`, with a
consumer in `events.CONSUMERS`; a failed record returns to the queue alone."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from chalice.app import SQSEvent
from chalice.local import LambdaContext

from chalicelib.handlers import events
from chalicelib.observability import logger
from local_runtime.pump import sqs_event
from tests.support.settings_env import import_app

QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:cps-lifecycle"


@pytest.fixture(scope="module")
def app_module() -> Any:
    return import_app()


def sqs_sources(app_module: Any) -> list[Any]:
    return [s for s in app_module.app.event_sources if getattr(s, "queue", None) is not None]


def batch(*bodies: str) -> dict[str, Any]:
    return sqs_event(
        [
            {"MessageId": f"m{i}", "ReceiptHandle": f"r{i}", "Body": body}
            for i, body in enumerate(bodies, start=1)
        ],
        QUEUE_ARN,
    )


def context() -> LambdaContext:
    return LambdaContext(function_name="lifecycle", memory_size=512, max_runtime_ms=60_000)


def consume(name: str, event: dict[str, Any]) -> dict[str, Any]:
    return events.consume(name, SQSEvent(event, context()))


class Renewals:
    """The renewal use case, failing for the memberships it is told to."""

    def __init__(self, failing: set[str]) -> None:
        self.failing = failing
        self.advanced: list[str] = []

    def advance(self, account_id: str, membership_id: str) -> list[str]:
        if membership_id in self.failing:
            raise RuntimeError("injected: the renewal failed")
        self.advanced.append(membership_id)
        return []


def renewal(membership_id: str) -> str:
    return json.dumps({"kind": "membership", "account_id": "a1", "membership_id": membership_id})


@pytest.fixture
def renewals(monkeypatch: pytest.MonkeyPatch) -> Renewals:
    service = Renewals(failing={"bad"})
    monkeypatch.setattr(events, "container", lambda: SimpleNamespace(renewal_service=service))
    return service


def test_every_sqs_entry_point_has_a_consumer_and_every_consumer_an_entry_point(app_module):
    # GIVEN the SQS event sources app.py declares
    names = {source.name for source in sqs_sources(app_module)}
    # WHEN they are compared with the consumers' table
    # THEN they are the same six, one to one
    assert names == set(events.CONSUMERS)
    assert len(names) == 6


def test_every_sqs_entry_point_hands_its_batch_to_consume_under_its_own_name(
    app_module, monkeypatch
):
    # GIVEN a stand-in for the one consume helper that records what it is given
    seen: list[tuple[str, dict[str, Any]]] = []

    def recording_consume(name: str, event: SQSEvent) -> dict[str, Any]:
        seen.append((name, event.to_dict()))
        return {"batchItemFailures": []}

    monkeypatch.setattr(events, "consume", recording_consume)
    for source in sqs_sources(app_module):
        entry_point = getattr(app_module, source.handler_string.split(".")[-1])
        event = batch(json.dumps({"for": source.name}))
        seen.clear()
        # WHEN the entry point is invoked as Lambda invokes it
        result = entry_point(event, context())
        # THEN it passed the batch, untouched, to consume under its event source's name
        assert seen == [(source.name, event)], source.name
        assert result == {"batchItemFailures": []}


def test_one_failed_record_is_reported_alone_and_the_others_are_handled(renewals):
    # GIVEN a batch of three lifecycle messages whose second fails in its use case
    event = batch(renewal("ok-1"), renewal("bad"), renewal("ok-2"))
    # WHEN the batch is consumed
    result = consume("lifecycle", event)
    # THEN only the second returns to the queue, and the other two were done
    assert result == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    assert renewals.advanced == ["ok-1", "ok-2"]


def test_a_message_that_does_not_parse_fails_alone(renewals):
    # GIVEN a batch with a message that is not a lifecycle message between two that are
    event = batch(renewal("ok-1"), "{not json", renewal("ok-2"))
    # WHEN the batch is consumed
    result = consume("lifecycle", event)
    # THEN only that message returns to the queue (and, after its retries, to the DLQ)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    assert renewals.advanced == ["ok-1", "ok-2"]


@pytest.fixture
def app_log() -> Iterator[io.StringIO]:
    """What the app's Powertools logger writes (JSON lines), instead of stdout."""
    stream = io.StringIO()
    previous = logger.registered_handler.setStream(stream)
    yield stream
    logger.registered_handler.setStream(previous)


def test_a_failed_record_is_logged_with_its_message_id(renewals, app_log):
    # GIVEN a batch with one failing message
    event = batch(renewal("ok-1"), renewal("bad"))
    # WHEN the batch is consumed
    consume("lifecycle", event)
    # THEN the failure is logged once, naming the message, under the invocation's name
    lines = [json.loads(line) for line in app_log.getvalue().splitlines()]
    failures = [line for line in lines if line["message"].startswith("Record failed")]
    assert len(failures) == 1
    assert failures[0]["id"] == "m2"
    assert failures[0]["invocation"] == "lifecycle"


def test_a_batch_whose_every_record_fails_fails_whole(renewals):
    # GIVEN a batch in which every message fails
    event = batch(renewal("bad"), "{not json")
    # WHEN the batch is consumed
    # THEN the invocation fails, so the queue redelivers all of it (Powertools' documented rule)
    with pytest.raises(BatchProcessingError):
        consume("lifecycle", event)


def test_an_s3_notification_yields_its_decoded_keys_and_the_test_event_none():
    # GIVEN an S3 notification with a URL-encoded key, and S3's test event
    notification = {"Records": [{"s3": {"object": {"key": "applications/a1/proof+v%C3%A6.pdf"}}}]}
    test_event = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "b"}
    # WHEN each is parsed
    # THEN the key is decoded as S3 encodes it, and the test event has no keys
    assert events.s3_keys(json.dumps(notification)) == ["applications/a1/proof væ.pdf"]
    assert events.s3_keys(json.dumps(test_event)) == []
