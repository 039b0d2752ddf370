"""The local runtime's queue pollers (local_runtime/pump.py) on moto: long polls, and a stop
that lets a batch in progress finish without waiting for the polls that are only waiting."""

from __future__ import annotations

import threading
from typing import Any

import boto3
from moto import mock_aws

from local_runtime.pump import EventPump, QueueConsumer

REGION = "eu-west-1"


def test_stop_lets_a_batch_in_progress_finish_and_leaves_waiting_polls_behind(
    aws_env: None,
) -> None:
    with mock_aws():
        # GIVEN two queues polled for 20 s each, one with a message whose handler is working
        sqs = boto3.client("sqs", region_name=REGION)
        busy_url = sqs.create_queue(QueueName="busy")["QueueUrl"]
        sqs.create_queue(QueueName="idle")
        started, release, finished = threading.Event(), threading.Event(), threading.Event()

        def slow(event: dict[str, Any], context: Any) -> dict[str, Any]:
            started.set()
            release.wait(timeout=10)
            finished.set()
            return {"batchItemFailures": []}

        pump = EventPump(
            [QueueConsumer("busy", slow, 1), QueueConsumer("idle", lambda e, c: None, 1)],
            wait_seconds=20,
        )
        sqs.send_message(QueueUrl=busy_url, MessageBody="{}")
        pump.start()
        assert started.wait(timeout=10)
        # WHEN the runtime stops while the handler is still at work
        stopping = threading.Thread(target=pump.stop)
        stopping.start()
        release.set()
        stopping.join(timeout=10)
        # THEN the batch finished and its message was deleted before stop returned
        assert not stopping.is_alive() and finished.is_set()
        attributes = sqs.get_queue_attributes(
            QueueUrl=busy_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        assert set(attributes.values()) == {"0"}
        # AND the idle queue's poller was not waited for: it is still in its 20-second poll
        idle = next(t for t in threading.enumerate() if t.name == "pump-idle")
        assert idle.is_alive()
