"""What a transactional mail is made of once rendered, and what sending it may fail with.

Pure data, no AWS: use cases and ports may depend on it; the SES adapter implements `MailSender`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "application/pdf"
    data: bytes

    def __repr__(self) -> str:  # never dump the bytes into logs or test output
        return (
            f"Attachment(filename={self.filename!r}, content_type={self.content_type!r}, "
            f"size={len(self.data)})"
        )


class MailDeliveryError(Exception):
    """The mail could not be handed over; `retryable` says whether trying again later may help."""

    def __init__(self, retryable: bool, code: str = "", detail: str = "") -> None:
        self.retryable = retryable
        self.code = code
        super().__init__(
            f"mail delivery failed ({code or 'unknown'}; retryable={retryable})"
            + (f": {detail}" if detail else "")
        )


class MailSender(Protocol):
    def send(self, to: str, mail: RenderedMail, attachments: Sequence[Attachment] = ()) -> str:
        """Hands the mail over for delivery and returns the provider's message id."""
        ...
