"""Lambda's event source mappings and EventBridge schedules, emulated.

Long-polls each queue the app consumes and calls the app's real handler with a Lambda-shaped
event; deletes only what the handler did not report as failed, so visibility timeouts,
redelivery and the DLQs behave as in AWS.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from chalice.local import LambdaContext

from local_runtime.aws import REGION


@dataclass(frozen=True)
class QueueConsumer:
    queue_name: str
    handler: Callable[[dict[str, Any], Any], Any]
    batch_size: int


def _lambda_context(name: str) -> LambdaContext:
    return LambdaContext(function_name=name, memory_size=512, max_runtime_ms=60_000)


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": m.get("MessageAttributes", {}),
                "md5OfBody": m.get("MD5OfBody") or hashlib.md5(m["Body"].encode()).hexdigest(),  # noqa: S324
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


BATCH_GRACE_S = 5.0


class EventPump:
    def __init__(self, consumers: list[QueueConsumer], wait_seconds: int = 20) -> None:
        self._consumers = consumers
        self._wait = wait_seconds
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._in_batch: set[threading.Thread] = set()  # pollers running the app's handler
        self._in_batch_lock = threading.Lock()
        self._sqs = boto3.client("sqs", region_name=REGION)

    def start(self) -> None:
        for consumer in self._consumers:
            thread = threading.Thread(
                target=self._run, args=(consumer,), name=f"pump-{consumer.queue_name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Lets each poller in a batch finish it, within one shared deadline; one still waiting
        in its poll is left to end with the process (they are daemons)."""
        self._stop.set()
        deadline = time.monotonic() + BATCH_GRACE_S
        with self._in_batch_lock:
            busy = list(self._in_batch)
        for thread in busy:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))

    def drain_once(self, consumer: QueueConsumer) -> int:
        """Deliver one batch from the queue; returns how many messages were handled."""
        url = self._sqs.get_queue_url(QueueName=consumer.queue_name)["QueueUrl"]
        arn = self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        return self._deliver(consumer, url, arn, wait=0)

    def _run(self, consumer: QueueConsumer) -> None:
        url = self._sqs.get_queue_url(QueueName=consumer.queue_name)["QueueUrl"]
        arn = self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        while not self._stop.is_set():
            try:
                self._deliver(consumer, url, arn, wait=self._wait)
            except Exception as exc:  # keep pumping, as Lambda's poller would
                print(f"[pump] {consumer.queue_name}: {type(exc).__name__}: {exc}", flush=True)
                self._stop.wait(1)

    def _deliver(self, consumer: QueueConsumer, url: str, arn: str, wait: int) -> int:
        messages = self._sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=consumer.batch_size,
            WaitTimeSeconds=wait,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return 0
        thread = threading.current_thread()
        with self._in_batch_lock:
            self._in_batch.add(thread)
        try:
            self._handle(consumer, url, arn, messages)
        finally:
            with self._in_batch_lock:
                self._in_batch.discard(thread)
        return len(messages)

    def _handle(
        self, consumer: QueueConsumer, url: str, arn: str, messages: list[dict[str, Any]]
    ) -> None:
        try:
            result = consumer.handler(
                sqs_event(messages, arn), _lambda_context(consumer.queue_name)
            )
        except Exception as exc:
            # The whole batch failed: nothing is deleted, the queue redelivers after the
            # visibility timeout and, past maxReceiveCount, moves it to the DLQ.
            print(f"[pump] {consumer.queue_name}: batch failed: {type(exc).__name__}", flush=True)
            return
        failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self._sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                ],
            )


class Scheduler:
    """Runs each scheduled job at its rate; `/dev/jobs/{job}/run` runs them on demand."""

    def __init__(self, jobs: list[tuple[str, float, Callable[[dict[str, Any], Any], Any]]]) -> None:
        self._jobs = jobs
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for name, every_s, handler in self._jobs:
            thread = threading.Thread(
                target=self._run,
                args=(name, every_s, handler),
                name=f"schedule-{name}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()

    def _run(
        self, name: str, every_s: float, handler: Callable[[dict[str, Any], Any], Any]
    ) -> None:
        while not self._stop.wait(every_s):
            event = {
                "id": str(uuid.uuid4()),
                "detail-type": "Scheduled Event",
                "source": "aws.events",
                "account": "123456789012",
                "region": REGION,
                "resources": [],
                "detail": {},
                "time": "",
            }
            try:
                handler(event, _lambda_context(name))
            except Exception as exc:
                print(f"[schedule] {name}: {type(exc).__name__}: {exc}", flush=True)
