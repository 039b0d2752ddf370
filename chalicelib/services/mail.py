"""Delivers one queued e-mail: render it in the recipient's language, attach files, send."""

from __future__ import annotations

import posixpath
from typing import Protocol

from chalicelib.mail.message import Attachment, MailSender
from chalicelib.mail.renderer import MailRenderer
from chalicelib.services.ports import EmailRequest


class AttachmentSource(Protocol):
    def read(self, key: str) -> bytes: ...


class MailDelivery:
    def __init__(
        self, *, renderer: MailRenderer, mailer: MailSender, documents: AttachmentSource
    ) -> None:
        self._renderer = renderer
        self._mailer = mailer
        self._documents = documents

    def deliver(self, request: EmailRequest) -> str:
        mail = self._renderer.render(request.template, request.language, request.context)
        attachments = [
            Attachment(
                filename=posixpath.basename(key),
                content_type="application/pdf"
                if key.endswith(".pdf")
                else "application/octet-stream",
                data=self._documents.read(key),
            )
            for key in request.attachments
        ]
        return self._mailer.send(request.to, mail, attachments)
