import email
from datetime import datetime
from email.policy import default as default_policy

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws
from moto.ses.models import ses_backends

from chalicelib.adapters.dev_mailbox import read_attachment, read_mailbox
from chalicelib.adapters.ses_mailer import Attachment, MailDeliveryError, SesMailer
from chalicelib.mail import MailDeliveryError as PortMailDeliveryError
from chalicelib.mail.renderer import MailRenderer, RenderedMail

REGION = "eu-west-1"
ACCOUNT = "123456789012"
SENDER_ADDRESS = "donotreply@cps.example.com"
SENDER = f"Canon Professional Services <{SENDER_ADDRESS}>"
CUSTOMER = "Ilze.Berzina@Foto.example.lv"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SET_PASSWORD_URL = "https://cps.example.com/set-password?token=abc123"


@pytest.fixture
def aws(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


@pytest.fixture
def ses(aws):
    client = boto3.client("ses")
    client.verify_email_identity(EmailAddress=SENDER_ADDRESS)
    return client


@pytest.fixture
def mailer(ses):
    return SesMailer(ses, SENDER)


@pytest.fixture
def latvian_approval():
    return MailRenderer(SENDER).render(
        "application_approved",
        "lv",
        {
            "company_name": "Fotostudija Gaisma SIA",
            "contact_name": "Ilze Bērziņa",
            "set_password_url": SET_PASSWORD_URL,
            "link_expires_hours": 72,
        },
    )


def raw_messages():
    return [m.raw_data for m in ses_backends[ACCOUNT][REGION].sent_messages]


def test_a_sent_mail_is_read_back_from_the_mailbox(mailer, latvian_approval):
    # GIVEN a Latvian mail (non-ASCII subject) with a PDF attachment
    attachment = Attachment("rēķins-CPS-2025-000123.pdf", "application/pdf", PDF)

    # WHEN it is sent through SES
    message_id = mailer.send(CUSTOMER, latvian_approval, [attachment])

    # THEN the mailbox holds it for that recipient, decoded
    [mail] = read_mailbox(to=CUSTOMER)
    assert message_id
    assert mail["message_id"] == message_id
    assert mail["to"] == [CUSTOMER]
    assert mail["subject"] == latvian_approval.subject
    assert "paroli" in mail["subject"]
    assert mail["text"] == latvian_approval.text
    assert mail["html"] == latvian_approval.html
    assert mail["links"] == [SET_PASSWORD_URL]
    assert mail["attachments"] == ["rēķins-CPS-2025-000123.pdf"]
    assert datetime.fromisoformat(mail["sent_at"]).tzinfo is not None


def test_the_mailbox_filters_by_recipient_ignoring_case(mailer, latvian_approval):
    # GIVEN mails to two recipients
    mailer.send(CUSTOMER, latvian_approval)
    mailer.send("someone.else@example.com", latvian_approval)

    # WHEN the mailbox is read for one of them, in another case, and for a stranger
    mine = read_mailbox(to=CUSTOMER.upper())
    stranger = read_mailbox(to="nobody@example.com")
    everything = read_mailbox(to=None)

    # THEN only that recipient's mail is returned, nothing for the stranger, all in send order
    assert [m["to"] for m in mine] == [[CUSTOMER]]
    assert stranger == []
    assert [m["to"] for m in everything] == [[CUSTOMER], ["someone.else@example.com"]]


def test_each_mail_is_parsed_once_however_often_the_mailbox_is_read(
    mailer, latvian_approval, monkeypatch
):
    # GIVEN a mail in the mailbox, read once
    mailer.send(CUSTOMER, latvian_approval)
    [first] = read_mailbox(to=CUSTOMER)
    parses = []
    parse = email.message_from_string
    monkeypatch.setattr(
        email, "message_from_string", lambda *a, **k: parses.append(a) or parse(*a, **k)
    )
    # WHEN the mailbox is read again (as a test polling it does), and after a second mail
    again = read_mailbox(to=CUSTOMER)
    parsed_by_reading_again = len(parses)
    mailer.send(CUSTOMER, latvian_approval)
    parses.clear()  # SES parses what it is sent
    both = read_mailbox(to=CUSTOMER)
    # THEN the same mail is read back without parsing it again; only the new mail is parsed
    assert again == [first]
    assert parsed_by_reading_again == 0
    assert both[0] == first
    assert len(both) == 2
    assert len(parses) == 1


def test_an_attachment_can_be_downloaded_from_the_mailbox(mailer, latvian_approval):
    # GIVEN a mail with a PDF attachment
    mailer.send(CUSTOMER, latvian_approval, [Attachment("invoice.pdf", "application/pdf", PDF)])

    # WHEN the attachment is read back
    data = read_attachment(0, "invoice.pdf", to=CUSTOMER)

    # THEN it is byte for byte the PDF that was sent
    assert data == PDF
    # AND asking for a missing one says so
    with pytest.raises(LookupError):
        read_attachment(0, "other.pdf", to=CUSTOMER)
    with pytest.raises(LookupError):
        read_attachment(1, "invoice.pdf", to=CUSTOMER)


def test_the_raw_message_is_a_7bit_mime_tree_with_encoded_headers(mailer, latvian_approval):
    # GIVEN a Latvian mail with an attachment
    mailer.send(CUSTOMER, latvian_approval, [Attachment("invoice.pdf", "application/pdf", PDF)])

    # WHEN the raw message SES received is inspected
    [raw] = raw_messages()
    message = email.message_from_string(raw, policy=default_policy)

    # THEN it is ASCII only, with an RFC 2047 subject and the expected structure
    assert raw.isascii()
    assert "Subject: =?utf-8?" in raw
    assert message["From"] == SENDER
    assert message["To"] == CUSTOMER
    assert message["Message-ID"].endswith("@cps.example.com>")
    assert message["Date"].datetime is not None
    assert message.get_content_type() == "multipart/mixed"
    alternative, pdf = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in alternative.get_payload())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content_disposition() == "attachment"


def test_a_mail_without_attachments_keeps_the_same_structure(mailer):
    # GIVEN a plain ASCII mail without attachments
    mail = RenderedMail(subject="Hello", text="Hi https://cps.example.com/x.", html="<p>Hi</p>")

    # WHEN it is sent
    mailer.send(CUSTOMER, mail)

    # THEN it is still multipart/mixed around the alternative, and the link loses its full stop
    [raw] = raw_messages()
    message = email.message_from_string(raw, policy=default_policy)
    assert message.get_content_type() == "multipart/mixed"
    assert [p.get_content_type() for p in message.get_payload()] == ["multipart/alternative"]
    [read] = read_mailbox(to=CUSTOMER)
    assert read["links"] == ["https://cps.example.com/x"]
    assert read["attachments"] == []


def test_an_unverified_sender_is_a_permanent_failure(ses, latvian_approval):
    # GIVEN a mailer whose sender SES does not know
    mailer = SesMailer(ses, "stranger@unverified.example.com")

    # WHEN it sends
    # THEN the rejection surfaces as a non-retryable delivery error, not as botocore's
    with pytest.raises(MailDeliveryError) as caught:
        mailer.send(CUSTOMER, latvian_approval)
    assert caught.value.retryable is False
    assert caught.value.code == "MessageRejected"
    assert isinstance(caught.value, PortMailDeliveryError)
    assert read_mailbox(to=CUSTOMER) == []


@pytest.mark.parametrize(
    ("code", "status", "retryable"),
    [
        ("Throttling", 400, True),
        ("ServiceUnavailable", 503, True),
        ("InternalFailure", 500, True),
        ("MessageRejected", 400, False),
        ("MailFromDomainNotVerifiedException", 400, False),
        ("AccountSendingPausedException", 400, False),
    ],
)
def test_ses_errors_are_translated_with_their_retryability(
    latvian_approval, monkeypatch, code, status, retryable
):
    # GIVEN an SES client that answers with an error
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("ses", region_name=REGION)
    stubber = Stubber(client)
    stubber.add_client_error("send_raw_email", service_error_code=code, http_status_code=status)

    # WHEN a mail is sent
    with stubber, pytest.raises(MailDeliveryError) as caught:
        SesMailer(client, SENDER).send(CUSTOMER, latvian_approval)

    # THEN the error says whether a retry may help
    assert caught.value.retryable is retryable
    assert caught.value.code == code


def test_delivery_errors_never_log_addresses_or_bodies(latvian_approval, monkeypatch, caplog):
    # GIVEN an SES client that throttles, with an error message quoting the recipient
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("ses", region_name=REGION)
    stubber = Stubber(client)
    stubber.add_client_error(
        "send_raw_email", service_error_code="Throttling", service_message=f"slow down {CUSTOMER}"
    )

    # WHEN a mail fails to send
    with stubber, caplog.at_level("DEBUG"), pytest.raises(MailDeliveryError) as caught:
        SesMailer(client, SENDER).send(CUSTOMER, latvian_approval)

    # THEN neither the logs nor the error message carry the address or the body
    logged = " ".join(record.getMessage() + str(record.__dict__) for record in caplog.records)
    for secret in (CUSTOMER, SENDER_ADDRESS, SET_PASSWORD_URL):
        assert secret not in logged
        assert secret not in str(caught.value)


def test_a_successful_send_logs_only_the_message_id(mailer, latvian_approval, caplog):
    # GIVEN a working SES
    # WHEN a mail is sent
    with caplog.at_level("DEBUG", logger="cps.chalicelib.adapters.ses_mailer"):
        message_id = mailer.send(CUSTOMER, latvian_approval)

    # THEN what the adapter logs names the message id and no address or content
    records = [r for r in caplog.records if r.name == "cps.chalicelib.adapters.ses_mailer"]
    assert records
    logged = " ".join(record.getMessage() + str(record.__dict__) for record in records)
    assert message_id in logged
    for secret in (CUSTOMER, SET_PASSWORD_URL, latvian_approval.subject):
        assert secret not in logged


def test_a_sender_must_be_an_address(ses):
    # GIVEN a sender that is no e-mail address
    # WHEN / THEN the mailer refuses to be built
    with pytest.raises(ValueError, match="sender"):
        SesMailer(ses, "Canon Professional Services")


def test_the_mailbox_reads_another_region_only_when_asked(mailer, latvian_approval):
    # GIVEN a mail sent in eu-west-1
    mailer.send(CUSTOMER, latvian_approval)

    # WHEN the mailbox of another region is read
    # THEN it is empty, while the default region (from the environment) has the mail
    assert read_mailbox(to=CUSTOMER, region="us-east-1") == []
    assert len(read_mailbox(to=CUSTOMER)) == 1
