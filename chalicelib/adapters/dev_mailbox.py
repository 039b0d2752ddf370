"""Local stage only: the mails moto's SES has accepted, read back for the `/dev/mailbox` route.

moto runs in the same process in the local runtime and in the tests, so its SES backend holds
every raw message sent. moto is imported lazily: this module imports fine where moto is absent
(the Lambda package), and only calling it there fails.
"""

from __future__ import annotations

import email
import os
import re
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import getaddresses
from typing import Any, Final, cast

DEFAULT_ACCOUNT_ID: Final = "123456789012"  # moto's default account
DEFAULT_REGION: Final = "eu-west-1"

_URL: Final = re.compile(r"https?://[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_TRAILING_PUNCTUATION: Final = ".,;:!?"


def read_mailbox(
    to: str | None,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str | None = None,
) -> list[dict[str, Any]]:
    """The mails sent so far, oldest first; only those addressed to `to` (any case) if given.

    Each is {"from", "to", "subject", "text", "html", "links", "attachments", "sent_at",
    "message_id"};
    `links` are the absolute http(s) URLs of the text part, `attachments` the file names.
    """
    return [dict(summary) for summary, _ in _mails(to, account_id, region)]


def read_attachment(
    message_index: int,
    filename: str,
    to: str | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str | None = None,
) -> bytes:
    """The content of an attachment of the `message_index`-th mail of `read_mailbox(to, …)`."""
    mails = list(_mails(to, account_id, region))
    if not 0 <= message_index < len(mails):
        raise LookupError(f"no mail at index {message_index}")
    _, message = mails[message_index]
    for part in message.iter_attachments():
        if part.get_filename() == filename:
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    raise LookupError(f"mail {message_index} has no attachment {filename!r}")


def _mails(
    to: str | None, account_id: str, region: str | None
) -> Iterator[tuple[dict[str, Any], EmailMessage]]:
    wanted = to.strip().lower() if to is not None else None
    for sent in list(_backend(account_id, region).sent_messages):  # a copy: senders may append
        read = _read(sent)
        if read is None:
            continue
        summary, message = read
        if wanted is not None and wanted not in (r.lower() for r in summary["to"]):
            continue
        yield summary, message


# A sent message never changes: each is parsed once (tests poll the mailbox while it fills, and
# parsing every mail at every poll was a fifth of a local runtime's CPU).
_parsed: dict[str, tuple[dict[str, Any], EmailMessage] | None] = {}


def _read(sent: Any) -> tuple[dict[str, Any], EmailMessage] | None:
    if sent.id not in _parsed:
        _parsed[sent.id] = _parse(sent)
    return _parsed[sent.id]


def _parse(sent: Any) -> tuple[dict[str, Any], EmailMessage] | None:
    raw_data = getattr(sent, "raw_data", None)
    if raw_data is not None:
        message = cast(EmailMessage, email.message_from_string(raw_data, policy=default_policy))
        recipients = _recipients(list(sent.destinations), message)
    elif hasattr(sent, "body") and isinstance(sent.destinations, dict):
        # A plain SendEmail (not sent by this app, but shown all the same).
        message = EmailMessage(policy=default_policy)
        message["Subject"] = sent.subject
        message.set_content(sent.body)
        recipients = _recipients(
            [address for addresses in sent.destinations.values() for address in addresses],
            message,
        )
    else:  # templated mails: moto never renders them
        return None
    return _summary(sent.id, recipients, message), message


def _backend(account_id: str, region: str | None) -> Any:
    try:
        from moto.ses.models import ses_backends
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError("the dev mailbox needs moto (local stage and tests only)") from exc
    region = (
        region
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION
    )
    return ses_backends[account_id][region]


def _recipients(destinations: list[str], message: EmailMessage) -> list[str]:
    headers = [str(message[name]) for name in ("To", "Cc") if message[name] is not None]
    seen: dict[str, str] = {}
    for _, address in getaddresses([*destinations, *headers]):
        if address and address.lower() not in seen:
            seen[address.lower()] = address
    return list(seen.values())


def _summary(message_id: str, recipients: list[str], message: EmailMessage) -> dict[str, Any]:
    text = _body(message, "plain")
    date = message["Date"]
    sent_at = date.datetime.isoformat() if date is not None and date.datetime else None
    return {
        "message_id": message_id,
        "from": str(message["From"] or ""),
        "to": recipients,
        "subject": str(message["Subject"] or "").strip(),
        "text": text,
        "html": _body(message, "html"),
        "links": links_in(text),
        "attachments": [
            part.get_filename() for part in message.iter_attachments() if part.get_filename()
        ],
        "sent_at": sent_at,
    }


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        return ""
    content = part.get_content()
    # On the wire lines end in CRLF; hand them back the way they were rendered.
    return content.replace("\r\n", "\n") if isinstance(content, str) else ""


def links_in(text: str) -> list[str]:
    """The absolute http(s) URLs in a text, in order, without duplicates."""
    links: list[str] = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING_PUNCTUATION)
        if url not in links:
            links.append(url)
    return links
