"""The membership year under faults (SPEC §5 "Scheduled jobs"), on DynamoDB (moto): a day run
twice, a worker killed half-way and run again, a charge whose response is lost. Real tables,
repositories and services; the queues, the card provider and the mail are recorded in memory,
so the test can redeliver, crash and count: one charge, one invoice, one mail each."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from chalicelib.adapters.dynamo.accounts import DynamoAccountRepository
from chalicelib.adapters.dynamo.invoices import DynamoInvoiceRepository
from chalicelib.adapters.dynamo.memberships import DynamoMembershipRepository
from chalicelib.container import Container
from chalicelib.domain.accounts import Account
from chalicelib.domain.applications import Company
from chalicelib.domain.clock import FixedClock
from chalicelib.domain.errors import RetryableFailure
from chalicelib.domain.invoices import InvoiceOrder, InvoicePurpose, InvoiceStatus
from chalicelib.domain.membership import (
    Membership,
    MembershipStatus,
    PaymentMethod,
    TermsAcceptance,
    one_year_after,
)
from chalicelib.services.collection import CollectionService
from chalicelib.services.invoicing import InvoicingService, Seller
from chalicelib.services.notices import Notices
from chalicelib.services.payments import (
    CardAuthorisation,
    Charge,
    PaymentDeclined,
    PaymentUnavailable,
)
from chalicelib.services.ports import EmailRequest
from chalicelib.services.renewals import DailyJobs, RenewalService
from tests.fakes.ports import FakeEInvoicing
from tests.support.settings_env import valid_settings
from tests.support.tables import create_tables

REGION = "eu-west-1"
START = datetime(2026, 11, 30, 9, tzinfo=UTC)
VISA = "cus_local_1/pm_local_visa_1"


class Crash(Exception):
    """The worker's Lambda dies here (a timeout, an out-of-memory kill)."""


@dataclass
class Recorder:
    """Queues, mail and the card provider, recorded so a test can redeliver and count."""

    mails: list[EmailRequest] = field(default_factory=list)
    orders: list[InvoiceOrder] = field(default_factory=list)
    work: list[Mapping[str, str]] = field(default_factory=list)
    charges: dict[str, Charge] = field(default_factory=dict)  # the provider's idempotency store
    charge_calls: int = 0
    lose_next_response: bool = False

    def send(self, request: EmailRequest) -> None:
        self.mails.append(request)

    def request(self, order: InvoiceOrder) -> None:
        self.orders.append(order)

    def dispatch(self, messages: Iterable[Mapping[str, str]]) -> int:
        batch = list(messages)
        self.work.extend(batch)
        return len(batch)

    def charge(
        self,
        *,
        authorisation: CardAuthorisation,
        amount_cents: int,
        currency: str,
        description: str,
        idempotency_key: str,
    ) -> Charge:
        self.charge_calls += 1
        charge = self.charges.setdefault(
            idempotency_key, Charge(f"pi_{len(self.charges) + 1}", "succeeded")
        )
        if self.lose_next_response:  # charged at the provider, the answer never arrives
            self.lose_next_response = False
            raise PaymentUnavailable("no answer from the provider")
        return charge

    def mail_causes(self, template: str) -> list[str]:
        return [m.dedupe_key for m in self.mails if m.template == template]


@dataclass
class Year:
    clock: FixedClock
    recorder: Recorder
    accounts: DynamoAccountRepository
    memberships: DynamoMembershipRepository
    invoices: DynamoInvoiceRepository
    invoicing: InvoicingService
    renewals: RenewalService
    collection: CollectionService
    jobs: DailyJobs

    def member(self, method: PaymentMethod = PaymentMethod.CARD, points: int = 600) -> Membership:
        account_id = f"acc-{uuid.uuid4().hex[:12]}"
        self.accounts.add(
            Account(
                account_id=account_id,
                company=Company(
                    "Studio Lumen B.V.", "Keizersgracht 1", "1015 CJ", "Amsterdam", "NL"
                ),
                vat_number=None,
                contact_name="Anna",
                email=f"{account_id}@example.com",
                phone="+31 20 123 4567",
                language="nl",
                legacy_cps_email=None,
                application_id=account_id,
                created_at=self.clock.now(),
                points=points,
            )
        )
        today = self.clock.now().date()
        membership = self.memberships.create(
            Membership(
                account_id=account_id,
                membership_id=uuid.uuid4().hex,
                membership_number=str(100_000_000 + uuid.uuid4().int % 900_000_000),
                tier="SILVER",
                status=MembershipStatus.ACTIVE,
                starts_on=today,
                expires_on=one_year_after(today),
                auto_renew=True,
                payment_method=method,
                terms=TermsAcceptance("2026-01", self.clock.now(), "anna"),
                purchase_id=f"purchase-{account_id}",
                payment_reference=VISA if method is PaymentMethod.CARD else None,
            )
        )
        self.invoicing.issue(
            InvoiceOrder(
                order_id=membership.purchase_id,
                account_id=account_id,
                membership_id=membership.membership_id,
                purpose=InvoicePurpose.PURCHASE,
                issued_on=today,
                tier="SILVER",
            )
        )
        return membership

    def day(self, on: datetime) -> None:
        """The scheduled jobs of one day; their work queued, not yet done."""
        self.clock.set(on)
        self.jobs.renewals()
        self.jobs.collections()

    def work_off(self, messages: list[Mapping[str, str]] | None = None) -> None:
        """The lifecycle consumer takes each queued message; then the invoice pipeline."""
        for message in messages if messages is not None else self.take_work():
            if message["kind"] == "membership":
                self.renewals.advance(message["account_id"], message["membership_id"])
            else:
                self.collection.collect(message["invoice_number"])
        for order in self.take_orders():
            self.invoicing.issue(order)

    def take_work(self) -> list[Mapping[str, str]]:
        work, self.recorder.work = self.recorder.work, []
        return work

    def take_orders(self) -> list[InvoiceOrder]:
        orders, self.recorder.orders = self.recorder.orders, []
        return orders


class FakeDocuments:
    def put(self, key: str, data: bytes, content_type: str) -> None:
        pass

    def download_url(self, key: str, expires_in_s: int) -> str:
        return f"https://documents.example/{key}"


@pytest.fixture
def year(aws: None) -> Year:
    create_tables(boto3.client("dynamodb", region_name=REGION))
    root = Container(valid_settings(AWS_REGION=REGION))  # the repositories on the tables
    clock = FixedClock(START)
    recorder = Recorder()
    accounts = root.accounts
    memberships = root.memberships
    invoices = root.invoices
    notices = Notices(recorder, "https://cps.example")
    invoicing = InvoicingService(
        invoices=invoices,
        memberships=memberships,
        accounts=accounts,
        documents=FakeDocuments(),  # type: ignore[arg-type]
        outbox=recorder,
        render_pdf=lambda invoice: b"%PDF-1.7 " + invoice.invoice_number.encode(),
        e_invoicing=FakeEInvoicing(),
        seller=Seller("Canon Europa N.V.", "Amstelveen", "NL", "NL004495445B01", "NL91", "ABNA"),
        notices=notices,
        clock=clock,
    )
    collection = CollectionService(
        invoices=invoices,
        memberships=memberships,
        accounts=accounts,
        payments=lambda: recorder,  # type: ignore[arg-type,return-value]
        orders=recorder,
        notices=notices,
        clock=clock,
    )
    renewals = RenewalService(
        memberships=memberships, accounts=accounts, orders=recorder, notices=notices, clock=clock
    )
    jobs = DailyJobs(memberships=memberships, invoices=invoices, work=recorder, clock=clock)
    return Year(
        clock, recorder, accounts, memberships, invoices, invoicing, renewals, collection, jobs
    )


def due_day(year: Year, days: int) -> datetime:
    return START + timedelta(days=days)


def test_the_same_day_run_twice_charges_invoices_and_mails_once(year: Year) -> None:
    # GIVEN a card member whose invoice falls due today (D = purchase + 30 days)
    member = year.member()
    [invoice] = year.invoices.list_for(member.account_id, 10, None).items
    # WHEN the day's jobs run twice, both runs' work is done, and every message is redelivered
    year.day(due_day(year, 30))
    first = year.take_work()
    year.day(due_day(year, 30))
    second = year.take_work()
    year.work_off(first + second + first)
    # THEN the invoice is paid by one charge, and one payment-received mail is queued
    assert year.invoices.get(invoice.invoice_number).status is InvoiceStatus.PAID  # type: ignore[union-attr]
    assert len(year.recorder.charges) == 1
    assert set(year.recorder.mail_causes("payment_received")) == {
        f"payment-received:{invoice.invoice_number}"
    }
    # AND the next run finds nothing due: the invoice left the collection index
    year.day(due_day(year, 31))
    assert year.take_work() == []


def test_a_charge_whose_answer_is_lost_is_retried_under_the_same_key_and_charged_once(
    year: Year,
) -> None:
    # GIVEN a card member whose invoice is due, and a provider whose first answer is lost
    member = year.member()
    [invoice] = year.invoices.list_for(member.account_id, 10, None).items
    year.day(due_day(year, 30))
    work = year.take_work()
    year.recorder.lose_next_response = True
    # WHEN the worker meets the lost answer, it fails the message (returned to the queue) ...
    with pytest.raises(RetryableFailure):
        year.work_off(work)
    assert year.invoices.get(invoice.invoice_number).status is InvoiceStatus.ISSUED  # type: ignore[union-attr]
    # ... and the redelivered message asks again
    year.work_off(work)
    # THEN the provider was asked twice under one key: one payment, the invoice paid once
    assert year.recorder.charge_calls == 2 and len(year.recorder.charges) == 1
    assert year.invoices.get(invoice.invoice_number).status is InvoiceStatus.PAID  # type: ignore[union-attr]
    assert len(year.recorder.mail_causes("payment_received")) == 1


def test_a_renewal_worker_killed_half_way_and_run_again_orders_one_renewal_invoice(
    year: Year, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a member 30 days before expiry whose card invoice was paid
    member = year.member()
    year.day(due_day(year, 30))
    year.work_off()
    e_minus_30 = datetime.combine(member.expires_on - timedelta(days=30), START.timetz())
    year.day(e_minus_30)
    work = year.take_work()
    # WHEN the worker dies after its effects (notice mail, renewal order) but before it records
    # the step
    real_save = year.memberships.save
    calls = {"n": 0}

    def dies_on_second_save(m: Membership) -> Membership:
        calls["n"] += 1
        if calls["n"] == 2:
            raise Crash
        return real_save(m)

    monkeypatch.setattr(year.memberships, "save", dies_on_second_save)
    with pytest.raises(Crash):
        for message in work:
            year.renewals.advance(message["account_id"], message["membership_id"])
    monkeypatch.setattr(year.memberships, "save", real_save)
    # ... and the message is delivered again, and the whole day is run once more
    year.work_off(work)
    year.day(e_minus_30)
    year.work_off()
    # THEN one renewal invoice exists, one renewal notice and one invoice mail were queued
    invoices = year.invoices.list_for(member.account_id, 10, None).items
    renewal = [i for i in invoices if i.purpose.value == "RENEWAL"]
    assert len(renewal) == 1 and renewal[0].due_on == member.expires_on
    assert len(set(year.recorder.mail_causes("renewal_notice"))) == 1
    issued = set(year.recorder.mail_causes("invoice_issued"))
    assert f"invoice-issued:{renewal[0].invoice_number}" in issued and len(issued) == 2
    # AND at E the next term starts with the same number, and the renewal is charged once
    on_e = datetime.combine(member.expires_on, START.timetz())
    year.day(on_e)
    year.work_off()
    year.day(on_e)
    year.work_off()
    renewed = year.memberships.get(member.account_id, member.membership_id)
    assert renewed is not None and renewed.term == 2
    assert renewed.membership_number == member.membership_number
    assert renewed.expires_on == one_year_after(member.expires_on)
    assert len(year.recorder.charges) == 2  # the first invoice and the renewal, once each


def test_a_collection_worker_killed_after_charging_charges_once_when_run_again(
    year: Year, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a card invoice due today
    member = year.member()
    [invoice] = year.invoices.list_for(member.account_id, 10, None).items
    year.day(due_day(year, 30))
    work = year.take_work()
    # WHEN the worker dies after the charge, before the paid invoice is stored
    real_save = year.invoices.save

    def dies(_: Any) -> Any:
        raise Crash

    monkeypatch.setattr(year.invoices, "save", dies)
    with pytest.raises(Crash):
        year.work_off(work)
    monkeypatch.setattr(year.invoices, "save", real_save)
    # ... and the message is redelivered
    year.work_off(work)
    # THEN the provider replayed its first answer: one payment, the invoice paid, one mail
    assert len(year.recorder.charges) == 1 and year.recorder.charge_calls == 2
    assert year.invoices.get(invoice.invoice_number).status is InvoiceStatus.PAID  # type: ignore[union-attr]
    assert len(year.recorder.mail_causes("payment_received")) == 1
    assert year.memberships.get(member.account_id, member.membership_id).status is (  # type: ignore[union-attr]
        MembershipStatus.ACTIVE
    )


def test_a_bank_invoice_unpaid_is_cancelled_by_one_credit_note_however_often_the_days_run(
    year: Year,
) -> None:
    # GIVEN a bank-transfer member who never pays
    member = year.member(PaymentMethod.BANK_TRANSFER)
    [invoice] = year.invoices.list_for(member.account_id, 10, None).items
    # WHEN every day from D-7 to D+30 runs twice, with every message delivered twice
    for offset in range(23, 61):
        year.day(due_day(year, offset))
        year.day(due_day(year, offset))
        work = year.take_work()
        year.work_off(work + work)
    # THEN the membership is CANCELLED, the invoice CANCELLED by exactly one credit note
    m = year.memberships.get(member.account_id, member.membership_id)
    assert m is not None and m.status is MembershipStatus.CANCELLED
    documents = year.invoices.list_for(member.account_id, 10, None).items
    credit_notes = [d for d in documents if d.kind.value == "CREDIT_NOTE"]
    assert len(credit_notes) == 1 and credit_notes[0].credit_note_for == invoice.invoice_number
    assert year.invoices.get(invoice.invoice_number).status is InvoiceStatus.CANCELLED  # type: ignore[union-attr]
    # AND each mail of the way was queued under one cause: D-7, D+1, D+7 reminders, suspension,
    # cancellation
    assert sorted(set(year.recorder.mail_causes("payment_reminder"))) == [
        f"payment-reminder:{invoice.invoice_number}:{step}" for step in ("D+1", "D+7", "D-7")
    ]
    assert len(set(year.recorder.mail_causes("membership_suspended"))) == 1
    assert len(set(year.recorder.mail_causes("membership_cancelled"))) == 1
    # AND the history tells the story once each
    events = [e.event for e in m.history]
    assert events.count("PAST_DUE") == 1 and events.count("SUSPENDED") == 1
    assert events.count("CANCELLED") == 1


def test_a_charge_needing_authentication_mails_a_pay_now_link_and_retries_later(
    year: Year, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a card member whose issuer asks for authentication on the due date
    member = year.member()
    [invoice] = year.invoices.list_for(member.account_id, 10, None).items

    def needs_authentication(**_: Any) -> Charge:
        raise PaymentDeclined(
            "the card needs authentication", decline_code="authentication_required"
        )

    monkeypatch.setattr(year.recorder, "charge", needs_authentication)
    # WHEN the due date's jobs run
    year.day(due_day(year, 30))
    year.work_off()
    # THEN the membership is PAST_DUE and the mail asks to pay now, naming the next attempt
    m = year.memberships.get(member.account_id, member.membership_id)
    assert m is not None and m.status is MembershipStatus.PAST_DUE
    [mail] = [r for r in year.recorder.mails if r.template == "payment_failed"]
    assert mail.context["authentication_required"] is True
    assert mail.context["pay_url"].endswith(f"invoice={invoice.invoice_number}")
    assert mail.context["next_attempt_on"] == (invoice.due_on + timedelta(days=3)).isoformat()
