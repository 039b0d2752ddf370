"""Reads what the embedded AWS (moto server) of a running local runtime holds.

`/dev/mailbox` shows what a customer reads; the envelope sender is not part of it, so the tests
that check it read the raw messages moto's SES accepted, from moto's own state dump.
"""

from __future__ import annotations

import email
from email.policy import default as default_policy
from email.utils import parseaddr

import requests


def senders_of_mails_to(aws_url: str, address: str, timeout: float = 30.0) -> list[str]:
    """The From address of every raw mail sent to `address` so far, oldest first."""
    response = requests.get(f"{aws_url}/moto-api/data.json", timeout=timeout)
    response.raise_for_status()
    senders = []
    for sent in response.json().get("ses", {}).get("RawMessage", []):
        destinations = [d.lower() for d in sent.get("destinations") or []]
        message = email.message_from_string(sent.get("raw_data", ""), policy=default_policy)
        recipients = [parseaddr(str(message["To"] or ""))[1].lower(), *destinations]
        if address.lower() in recipients:
            senders.append(parseaddr(str(message["From"] or ""))[1])
    return senders
