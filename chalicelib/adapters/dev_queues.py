"""Local stage only: waits until the work the daily jobs queued has been done.

`POST /dev/clock` runs each day's jobs in order, like a payment provider's test clock; a day's
work (renewal steps, invoices they order, the mails) must be finished before the next day
starts. The queues are read downstream-first-last (work, invoices, mails): a consumer queues
its follow-up before it deletes its own message, so one pass that finds all empty means done.
"""

from __future__ import annotations

import time
from typing import Any

POLL_S = 0.05


class QueueDrain:
    def __init__(self, sqs: Any, queue_urls: list[str]) -> None:
        self._sqs = sqs
        self._urls = queue_urls

    def wait_idle(self, timeout_s: float) -> bool:
        """True once every queue is empty and nothing is in flight; False at the timeout (a
        message failed and waits for its retry)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if all(self._empty(url) for url in self._urls):
                return True
            time.sleep(POLL_S)
        return False

    def _empty(self, url: str) -> bool:
        attributes = self._sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return all(int(v) == 0 for v in attributes.values())
