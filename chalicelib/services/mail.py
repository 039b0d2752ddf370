"""Delivers one queued e-mail: issue its one-time link, render it in the recipient's language,
attach files, send. Runs inside the idempotent delivery: a redelivery issues and sends nothing."""

from __future__ import annotations

import posixpath
from typing import Protocol

from chalicelib.domain.credentials import LinkRequest, issue_token
from chalicelib.mail.message import Attachment, MailSender
from chalicelib.mail.renderer import MailRenderer
from chalicelib.services.ports import EmailRequest, TokenStore


class AttachmentSource(Protocol):
    def read(self, key: str) -> bytes: ...


class MailDelivery:
    def __init__(
        self,
        *,
        renderer: MailRenderer,
        mailer: MailSender,
        documents: AttachmentSource,
        tokens: TokenStore,
        frontend_url: str,
    ) -> None:
        self._renderer = renderer
        self._mailer = mailer
        self._documents = documents
        self._tokens = tokens
        self._frontend_url = frontend_url

    def deliver(self, request: EmailRequest) -> str:
        context = dict(request.context)
        if request.link is not None:
            context[LinkRequest.from_json(request.link).url_field] = self._issue_link(request)
        mail = self._renderer.render(request.template, request.language, context)
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

    def _issue_link(self, request: EmailRequest) -> str:
        """The link exists only in the mail: its token is issued now, only its hash is stored."""
        assert request.link is not None
        wanted = LinkRequest.from_json(request.link)
        plain, record = issue_token(
            wanted.account_id, request.to, wanted.purpose, wanted.requested_at
        )
        self._tokens.add(record)
        return f"{self._frontend_url}/set-password?token={plain}"
