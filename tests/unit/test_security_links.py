"""One-time links after the security review (issue 8, items 3, 4, 5 and 14), with fakes for the
outside world: links are issued when the mail is sent and never travel through the queue, a new
password voids the links issued before it and ends every session, and a reset request does the
same work whether or not the address has an account."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.adapters.sqs_outbox import SqsOutbox, email_request_from_json
from chalicelib.domain.accounts import Account
from chalicelib.domain.applications import (
    Application,
    ApplicationStatus,
    Company,
    RawApplicationForm,
)
from chalicelib.domain.clock import FixedClock
from chalicelib.domain.credentials import (
    PASSWORD_PURPOSES,
    LinkRequest,
    OneTimeToken,
    TokenPurpose,
    ensure_usable,
    hash_token,
    issue_token,
)
from chalicelib.domain.errors import InvalidToken
from chalicelib.mail.message import RenderedMail
from chalicelib.mail.renderer import MailRenderer
from chalicelib.services.applications import (
    ApplicationService,
    ApplicationSettings,
)
from chalicelib.services.auth import RESET_MAIL_WINDOW, AuthService, AuthSettings
from chalicelib.services.mail import MailDelivery
from chalicelib.services.ports import UploadTicket

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
FRONTEND = "https://cps.example.com"
ADDRESS = "anna@studio-lumen.example"


# --- fakes ---------------------------------------------------------------------------------


class FakeSqs:
    """Keeps the body of every message sent: what would travel through the queue."""

    def __init__(self) -> None:
        self.bodies: list[str] = []

    def send_message(self, QueueUrl: str, MessageBody: str) -> None:
        self.bodies.append(MessageBody)


class Tokens:
    def __init__(self) -> None:
        self.items: dict[str, OneTimeToken] = {}

    def add(self, token: OneTimeToken) -> None:
        self.items[token.token_hash] = token

    def get(self, token_hash: str) -> OneTimeToken | None:
        return self.items.get(token_hash)

    def mark_used(self, token_hash: str, now: datetime) -> bool:
        token = self.items.get(token_hash)
        if token is None or not token.usable_at(now):
            return False
        self.items[token_hash] = replace(token, used_at=now)
        return True

    def release(self, token_hash: str) -> None:
        self.items[token_hash] = replace(self.items[token_hash], used_at=None)


class Throttle:
    def __init__(self) -> None:
        self.until: dict[str, datetime] = {}
        self.calls: list[str] = []

    def acquire(self, key: str, now: datetime, window: timedelta) -> bool:
        self.calls.append(key)
        if key in self.until and self.until[key] > now:
            return False
        self.until[key] = now + window
        return True

    def release(self, key: str, until: datetime) -> None:
        if self.until.get(key) == until:
            del self.until[key]


class Revocations:
    def __init__(self) -> None:
        self.void: dict[str, datetime] = {}

    def void_links_before(self, account_id: str, at: datetime) -> None:
        self.void[account_id] = at

    def links_void_before(self, account_id: str) -> datetime | None:
        return self.void.get(account_id)


class Accounts:
    def __init__(self, *accounts: Account) -> None:
        self.by_id = {a.account_id: a for a in accounts}
        self.lookups: list[str] = []

    def add(self, account: Account) -> bool:
        if account.account_id in self.by_id:
            return False
        self.by_id[account.account_id] = account
        return True

    def get(self, account_id: str) -> Account | None:
        return self.by_id.get(account_id)

    def find_by_email(self, email: str) -> Account | None:
        self.lookups.append(email)
        return next((a for a in self.by_id.values() if a.email == email), None)


class Identity:
    def __init__(self) -> None:
        self.passwords: dict[str, str] = {}
        self.signed_out: list[str] = []
        self.users: dict[str, str] = {}

    def ensure_user(self, email: str, account_id: str) -> None:
        self.users[email] = account_id

    def set_password(self, email: str, password: str) -> None:
        self.passwords[email] = password

    def sign_out_everywhere(self, email: str) -> None:
        self.signed_out.append(email)


class Applications:
    def __init__(self) -> None:
        self.items: dict[str, Application] = {}

    def add(self, application: Application) -> None:
        self.items[application.application_id] = application

    def get(self, application_id: str) -> Application | None:
        return self.items.get(application_id)

    def save(self, application: Application) -> Application:
        self.items[application.application_id] = application
        return application


class Documents:
    def upload_ticket(self, key: str, max_bytes: int, expires_in_s: int) -> UploadTicket:
        return UploadTicket(f"https://s3.example/{key}", {"key": key}, NOW)


class Mailer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, RenderedMail]] = []

    def send(self, to: str, mail: RenderedMail, attachments: Any) -> str:
        self.sent.append((to, mail))
        return f"message-{len(self.sent)}"


def account(email: str = ADDRESS, account_id: str = "acc-1") -> Account:
    return Account(
        account_id=account_id,
        company=Company("Studio Lumen B.V.", "Keizersgracht 1", "1015 CJ", "Amsterdam", "NL"),
        vat_number=None,
        contact_name="Anna de Vries",
        email=email,
        phone="+31 20 123 4567",
        language="nl",
        legacy_cps_email=None,
        application_id="app-0",
        created_at=NOW - timedelta(days=30),
    )


def raw_form(email: str) -> RawApplicationForm:
    return RawApplicationForm(
        company_name="Mallory B.V.",
        street="Damrak 1",
        postcode="1012 LG",
        city="Amsterdam",
        country="NL",
        contact_name="Mallory",
        contact_email=email,
        contact_phone="+31 20 765 4321",
        language="de",
        document_type="COMPANY_INVOICE",
        authorised=True,
    )


class World:
    """The services wired to fakes, the queue being a real SqsOutbox over a fake SQS client."""

    def __init__(self, *accounts: Account) -> None:
        self.clock = FixedClock(NOW)
        self.sqs = FakeSqs()
        self.outbox = SqsOutbox(self.sqs, "https://sqs.example/cps-emails")
        self.tokens = Tokens()
        self.throttle = Throttle()
        self.revocations = Revocations()
        self.accounts = Accounts(*accounts)
        self.identity = Identity()
        self.applications = Applications()
        self.mailer = Mailer()
        self.auth = AuthService(
            accounts=self.accounts,
            tokens=self.tokens,
            identity=self.identity,
            outbox=self.outbox,
            clock=self.clock,
            settings=AuthSettings(frontend_url=FRONTEND),
            throttle=self.throttle,
            revocations=self.revocations,
            verifier=None,  # type: ignore[arg-type]  # no login here
        )
        self.application_service = ApplicationService(
            applications=self.applications,
            accounts=self.accounts,
            tokens=self.tokens,
            documents=Documents(),  # type: ignore[arg-type]
            workflow=None,  # type: ignore[arg-type]
            identity=self.identity,  # type: ignore[arg-type]
            outbox=self.outbox,
            vat_registry=None,  # type: ignore[arg-type]
            clock=self.clock,
            settings=ApplicationSettings(
                frontend_url=FRONTEND,
                reviewers_email="reviewers@cps.example.com",
                vies_enabled=False,
            ),
        )
        self.delivery = MailDelivery(
            renderer=MailRenderer(),
            mailer=self.mailer,
            documents=None,  # type: ignore[arg-type]
            tokens=self.tokens,
            frontend_url=FRONTEND,
        )

    def deliver_queue(self) -> list[RenderedMail]:
        """The e-mail consumer works the queue off; returns the mails sent."""
        for body in self.sqs.bodies:
            self.delivery.deliver(email_request_from_json(body))
        self.sqs.bodies.clear()
        return [mail for _, mail in self.mailer.sent]


def token_in(mail: RenderedMail) -> str:
    return mail.text.split("token=", 1)[1].split()[0]


# --- pure rules ----------------------------------------------------------------------------


def test_a_link_request_travels_as_json_without_a_token():
    # GIVEN a reset link asked for at a moment
    wanted = LinkRequest(TokenPurpose.RESET_PASSWORD, "acc-1", NOW)
    # WHEN it goes through JSON and back
    data = json.loads(json.dumps(wanted.to_json()))
    # THEN it names the kind, account and moment only, and comes back the same
    assert data == {
        "kind": "reset_password",
        "account_id": "acc-1",
        "requested_at": NOW.isoformat(),
    }
    assert LinkRequest.from_json(data) == wanted
    assert wanted.url_field == "reset_url"


def test_a_link_issued_before_a_new_password_is_void_and_one_issued_after_is_not():
    # GIVEN a password changed at NOW
    _, before = issue_token("acc", ADDRESS, TokenPurpose.RESET_PASSWORD, NOW - timedelta(minutes=5))
    _, after = issue_token("acc", ADDRESS, TokenPurpose.RESET_PASSWORD, NOW + timedelta(minutes=5))
    later = NOW + timedelta(minutes=10)
    # THEN the link from before is refused, the later one is usable
    with pytest.raises(InvalidToken):
        ensure_usable(before, later, void_before=NOW)
    assert ensure_usable(after, later, void_before=NOW) is after


def test_a_link_stored_without_its_issue_time_is_judged_by_its_expiry():
    # GIVEN a link stored before issue times were recorded (issued = expiry - lifetime)
    _, record = issue_token("acc", ADDRESS, TokenPurpose.SET_PASSWORD, NOW)
    legacy = replace(record, issued_at=None)
    # THEN it is void after a later password change, and usable without one
    assert legacy.issued == NOW
    assert not legacy.usable_at(NOW + timedelta(hours=1), void_before=NOW + timedelta(minutes=1))
    assert legacy.usable_at(NOW + timedelta(hours=1))


def test_only_password_links_set_a_password():
    # GIVEN a one-time link of another purpose
    _, record = issue_token("acc", ADDRESS, TokenPurpose.SET_PASSWORD, NOW)
    other = replace(record, purpose="CONFIRM_SOMETHING_ELSE")
    # THEN a password route refuses it
    with pytest.raises(InvalidToken):
        ensure_usable(other, NOW, purposes=PASSWORD_PURPOSES)  # type: ignore[arg-type]


# --- item 14: no token in the queue -------------------------------------------------------


def test_a_reset_mail_carries_no_token_through_the_queue_and_its_link_is_issued_at_sending():
    # GIVEN a customer
    world = World(account())
    # WHEN a reset is asked for
    world.auth.request_reset(ADDRESS)
    # THEN the queued message names the link to issue, but holds no token and no URL
    [body] = world.sqs.bodies
    assert "token" not in body and "set-password" not in body and FRONTEND not in body
    assert json.loads(body)["link"]["kind"] == "reset_password"
    assert world.tokens.items == {}
    # WHEN the e-mail consumer sends it
    [mail] = world.deliver_queue()
    # THEN the mail has the link, and only the hash of its token is stored
    token = token_in(mail)
    assert f"{FRONTEND}/set-password?token={token}" in mail.text
    stored = world.tokens.get(hash_token(token))
    assert stored is not None and token not in json.dumps(stored.__dict__, default=str)
    assert stored.purpose is TokenPurpose.RESET_PASSWORD and stored.account_id == "acc-1"
    assert stored.issued_at == NOW


def test_an_approval_mail_carries_no_token_through_the_queue():
    # GIVEN an application approved by a reviewer
    world = World()
    created = world.application_service.apply(raw_form("new@studio.example"))
    world.applications.save(replace(created.application, status=ApplicationStatus.PENDING_REVIEW))
    # WHEN the approval step runs
    world.application_service.approve(created.application.application_id)
    # THEN the queued mail holds no token, and the mail sent from it has a working link
    [body] = world.sqs.bodies
    assert "token" not in body and FRONTEND + "/set-password" not in body
    [mail] = world.deliver_queue()
    stored = world.tokens.get(hash_token(token_in(mail)))
    assert stored is not None and stored.purpose is TokenPurpose.SET_PASSWORD
    assert stored.email == "new@studio.example"


# --- item 3: account enumeration ----------------------------------------------------------


def test_an_application_for_a_known_address_is_kept_and_its_owner_told():
    # GIVEN an account for an address
    world = World(account())
    # WHEN someone applies with that address (another company, another language)
    created = world.application_service.apply(raw_form(ADDRESS.upper()))
    # THEN the application is kept like any other
    assert world.applications.get(created.application.application_id) is not None
    assert created.application.status is ApplicationStatus.AWAITING_DOCUMENT
    # AND the owner is told, in the account's language, with the account's details only
    [body] = world.sqs.bodies
    request = email_request_from_json(body)
    assert (request.template, request.language, request.to) == ("account_exists", "nl", ADDRESS)
    assert "Mallory" not in body and "token" not in body
    [mail] = world.deliver_queue()
    assert "Studio Lumen" in mail.text and "token=" in mail.text


def test_an_application_for_a_known_address_is_never_approved_into_a_second_account():
    # GIVEN an application for a known address that reached review
    world = World(account())
    created = world.application_service.apply(raw_form(ADDRESS))
    application_id = created.application.application_id
    world.applications.save(replace(created.application, status=ApplicationStatus.PENDING_REVIEW))
    world.sqs.bodies.clear()
    # WHEN the approval step runs
    world.application_service.approve(application_id)
    # THEN no account or login is opened, no mail is sent, and the application is rejected
    assert list(world.accounts.by_id) == ["acc-1"]
    assert world.identity.users == {}
    assert world.sqs.bodies == []
    stored = world.applications.get(application_id)
    assert stored is not None and stored.status is ApplicationStatus.REJECTED
    assert stored.reason and ADDRESS not in stored.reason


def test_a_reset_does_the_same_work_for_a_known_and_an_unknown_address():
    # GIVEN one known address and one unknown
    world = World(account())
    # WHEN a reset is asked for each
    world.auth.request_reset(ADDRESS)
    world.auth.request_reset("nobody@unknown.example")
    # THEN both were looked up and both took the throttle's conditional write
    assert world.accounts.lookups == [ADDRESS, "nobody@unknown.example"]
    assert len(world.throttle.calls) == 2 and all(
        ADDRESS not in key and "nobody" not in key for key in world.throttle.calls
    )
    # AND only the known address is mailed
    assert [email_request_from_json(b).to for b in world.sqs.bodies] == [ADDRESS]


# --- item 4: mail bombing -----------------------------------------------------------------


def test_one_reset_mail_per_address_per_window():
    # GIVEN a customer
    world = World(account())
    # WHEN resets are asked for again and again within the window
    for _ in range(5):
        world.auth.request_reset(ADDRESS)
    world.clock.set(NOW + RESET_MAIL_WINDOW - timedelta(seconds=1))
    world.auth.request_reset(ADDRESS.upper())
    # THEN one mail is queued
    assert len(world.sqs.bodies) == 1
    # WHEN the window has passed
    world.clock.set(NOW + RESET_MAIL_WINDOW)
    world.auth.request_reset(ADDRESS)
    # THEN a second mail is queued, as a cause of its own
    assert len(world.sqs.bodies) == 2
    keys = {email_request_from_json(b).dedupe_key for b in world.sqs.bodies}
    assert len(keys) == 2


def test_a_reset_mail_that_could_not_be_queued_gives_the_window_back():
    # GIVEN a queue that fails once
    world = World(account())

    def failing(QueueUrl: str, MessageBody: str) -> None:
        raise RuntimeError("queue unavailable")

    world.sqs.send_message = failing  # type: ignore[method-assign]
    # WHEN a reset is asked for
    with pytest.raises(RuntimeError):
        world.auth.request_reset(ADDRESS)
    # THEN the window is free again: the customer can ask again at once
    assert world.throttle.until == {}


# --- item 5: a new password ends sessions and voids earlier links --------------------------


def test_a_new_password_signs_out_everywhere_and_voids_earlier_links():
    # GIVEN two reset links of a customer, asked for in two windows
    world = World(account())
    world.auth.request_reset(ADDRESS)
    world.clock.set(NOW + timedelta(minutes=20))
    world.auth.request_reset(ADDRESS)
    first, second = (token_in(mail) for mail in world.deliver_queue())
    # WHEN the password is set with the second link
    world.clock.set(NOW + timedelta(minutes=30))
    world.auth.set_password(second, "Fresh-Lenses-2027")
    # THEN every session is ended, and the first link no longer works
    assert world.identity.signed_out == [ADDRESS]
    with pytest.raises(InvalidToken):
        world.auth.set_password(first, "Other-Lenses-2027")
    assert world.identity.passwords == {ADDRESS: "Fresh-Lenses-2027"}
