"""Sends rendered mails through Amazon SES as raw MIME messages (text, HTML and attachments).

`Attachment` and `MailDeliveryError` are defined beside `RenderedMail` in `chalicelib.mail` (so
use cases can name them without importing an adapter) and re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any, Final

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.mail.message import Attachment, MailDeliveryError, RenderedMail

__all__ = ["Attachment", "MailDeliveryError", "SesMailer"]

logger = Logger(service="cps", child=True)

# SES wants a 7-bit message: non-ASCII bodies go quoted-printable, headers RFC 2047 / RFC 2231.
_POLICY: Final = SMTP.clone(cte_type="7bit")

_RETRYABLE_CODES: Final = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "RequestThrottled",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalFailure",
        "InternalError",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)


class SesMailer:
    def __init__(self, ses: Any, sender: str, configuration_set: str | None = None) -> None:
        """`ses` is a `boto3.client("ses")`; `sender` may be "Name <address>"."""
        address = parseaddr(sender)[1]
        if "@" not in address:
            raise ValueError("the sender must be an e-mail address")
        self._ses = ses
        self._sender = sender
        self._sender_domain = address.rsplit("@", 1)[1]
        self._configuration_set = configuration_set

    def send(self, to: str, mail: RenderedMail, attachments: Sequence[Attachment] = ()) -> str:
        """Sends one mail to one recipient and returns the SES MessageId."""
        raw = self.build_message(to, mail, attachments).as_bytes(policy=_POLICY)
        kwargs: dict[str, Any] = {"Source": self._sender, "RawMessage": {"Data": raw}}
        if self._configuration_set:
            kwargs["ConfigurationSetName"] = self._configuration_set
        try:
            response = self._ses.send_raw_email(**kwargs)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
            retryable = code in _RETRYABLE_CODES or status >= 500
            # The code only: SES error messages may quote the addresses.
            logger.warning("SES refused a mail", extra={"code": code, "retryable": retryable})
            raise MailDeliveryError(retryable=retryable, code=code) from exc
        except BotoCoreError as exc:  # connection errors, timeouts: the request may not have left
            logger.warning("SES unreachable", extra={"error": type(exc).__name__})
            raise MailDeliveryError(retryable=True, code=type(exc).__name__) from exc
        message_id = str(response["MessageId"])
        logger.info("mail handed to SES", extra={"ses_message_id": message_id})
        return message_id

    def build_message(
        self, to: str, mail: RenderedMail, attachments: Sequence[Attachment] = ()
    ) -> EmailMessage:
        """multipart/mixed[ multipart/alternative[text/plain, text/html], attachment… ]."""
        message = EmailMessage(policy=_POLICY)
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = mail.subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=self._sender_domain)
        message.set_content(mail.text, subtype="plain", charset="utf-8", cte="quoted-printable")
        message.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
        message.make_mixed()
        for attachment in attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            if not maintype or not subtype:
                raise ValueError(f"invalid content type for attachment {attachment.filename!r}")
            message.add_attachment(
                attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
        return message
