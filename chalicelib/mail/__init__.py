"""Transactional mails: rendering in the customer's language (no AWS here; SES is an adapter)."""

from chalicelib.mail.message import Attachment, MailDeliveryError, MailSender, RenderedMail
from chalicelib.mail.renderer import (
    SUPPORTED_LANGUAGES,
    TEMPLATE_CONTEXT,
    TEMPLATE_NAMES,
    MailRenderer,
)

__all__ = [
    "SUPPORTED_LANGUAGES",
    "TEMPLATE_CONTEXT",
    "TEMPLATE_NAMES",
    "Attachment",
    "MailDeliveryError",
    "MailRenderer",
    "MailSender",
    "RenderedMail",
]
