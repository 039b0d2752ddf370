"""Unit tests of the use cases, through the service classes wired to the in-memory fakes of
tests/fakes/ports.py (as chalicelib/container.py wires them to the adapters)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from chalicelib.domain.accounts import Account
from chalicelib.domain.applications import Company
from chalicelib.domain.invoices import Invoice
from chalicelib.domain.membership import Membership, PaymentMethod, PurchaseRequest
from chalicelib.services.collection import CollectionService
from chalicelib.services.invoicing import InvoicingService, Seller
from chalicelib.services.membership import MembershipService
from chalicelib.services.notices import Notices
from chalicelib.services.renewals import DailyJobs, RenewalService
from tests.fakes.ports import (
    FakeAccounts,
    FakeDocuments,
    FakeEInvoicing,
    FakeInvoices,
    FakeMemberships,
    FakePayments,
    FixedClock,
    Recorder,
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TERMS = "2026-01"
FRONTEND = "https://cps.test"
SELLER = Seller("Canon Europa N.V.", "Amstelveen", "NL", "NL004495445B01", "NL91ABNA", "ABNANL2A")
_ids = itertools.count(1)


def an_account(points: int = 600, country: str = "NL", **overrides: Any) -> Account:
    n = next(_ids)
    values: dict[str, Any] = {
        "account_id": f"acc-{n}",
        "company": Company("Studio Lumen B.V.", "Keizersgracht 1", "1015 CJ", "Amsterdam", country),
        "vat_number": None,
        "contact_name": "Anna de Vries",
        "email": f"anna{n}@studio.test",
        "phone": "+31 20 123 4567",
        "language": "nl",
        "legacy_cps_email": None,
        "application_id": f"app-{n}",
        "created_at": START,
        "points": points,
    }
    return Account(**{**values, **overrides})


def checkout_command(
    tier: str = "SILVER",
    method: PaymentMethod = PaymentMethod.CARD,
    token: str | None = "tok_visa",
    auto_renew: bool = True,
) -> PurchaseRequest:
    return PurchaseRequest(
        tier=tier,
        auto_renew=auto_renew,
        purchase_order_number=None,
        accept_terms=True,
        terms_version=TERMS,
        payment_method=method,
        payment_method_token=token if method is PaymentMethod.CARD else None,
    )


@dataclass
class World:
    """The membership year's services on the fakes, with one clock."""

    clock: FixedClock = field(default_factory=lambda: FixedClock(START))
    recorder: Recorder = field(default_factory=Recorder)
    accounts: FakeAccounts = field(default_factory=FakeAccounts)
    memberships: FakeMemberships = field(default_factory=FakeMemberships)
    invoices: FakeInvoices = field(default_factory=FakeInvoices)
    documents: FakeDocuments = field(default_factory=FakeDocuments)
    payments: FakePayments = field(default_factory=FakePayments)
    e_invoicing: FakeEInvoicing = field(default_factory=FakeEInvoicing)

    def __post_init__(self) -> None:
        notices = Notices(self.recorder, FRONTEND)
        self.collection = CollectionService(
            invoices=self.invoices,
            memberships=self.memberships,
            accounts=self.accounts,
            payments=lambda: self.payments,
            orders=self.recorder,
            notices=notices,
            clock=self.clock,
        )
        self.membership = MembershipService(
            accounts=self.accounts,
            memberships=self.memberships,
            payments=lambda: self.payments,
            orders=self.recorder,
            invoices=self.invoices,
            collection=self.collection,
            clock=self.clock,
            terms_version=TERMS,
        )
        self.invoicing = InvoicingService(
            invoices=self.invoices,
            memberships=self.memberships,
            accounts=self.accounts,
            documents=self.documents,
            outbox=self.recorder,
            render_pdf=lambda invoice: b"%PDF-1.7 " + invoice.invoice_number.encode(),
            e_invoicing=self.e_invoicing,
            seller=SELLER,
            notices=notices,
            clock=self.clock,
        )
        self.renewals = RenewalService(
            memberships=self.memberships,
            accounts=self.accounts,
            orders=self.recorder,
            notices=notices,
            clock=self.clock,
        )
        self.jobs = DailyJobs(
            memberships=self.memberships,
            invoices=self.invoices,
            work=self.recorder,
            clock=self.clock,
        )

    # --- set-up ------------------------------------------------------------------------------

    def account(self, points: int = 600, **overrides: Any) -> Account:
        return self.accounts.put(an_account(points, **overrides))

    def member(
        self,
        method: PaymentMethod = PaymentMethod.CARD,
        *,
        tier: str = "SILVER",
        points: int = 600,
        token: str = "tok_visa",
        auto_renew: bool = True,
        invoiced: bool = True,
    ) -> Membership:
        """A company that bought a membership today (through the checkout); its purchase
        invoice issued unless `invoiced` is False (then its order is still queued)."""
        account = self.account(points)
        self.membership.checkout(
            account.account_id,
            "anna",
            f"key-{account.account_id}",
            checkout_command(tier, method, token, auto_renew),
        )
        if invoiced:
            self.issue_orders()
        membership = self.memberships.latest(account.account_id)
        assert membership is not None
        return membership

    # --- time and the pipelines --------------------------------------------------------------

    def on(self, day: date) -> None:
        self.clock.set(datetime.combine(day, time(9, 0), tzinfo=UTC))

    def issue_orders(self) -> list[Invoice]:
        """The invoice pipeline takes every queued order."""
        return [self.invoicing.issue(order) for order in self.recorder.take_orders()]

    def run_day(self, day: date) -> None:
        """The day's scheduled jobs, their work done, then the invoice pipeline."""
        self.on(day)
        self.jobs.renewals()
        self.jobs.collections()
        for message in self.recorder.take_work():
            if message["kind"] == "membership":
                self.renewals.advance(message["account_id"], message["membership_id"])
            else:
                self.collection.collect(message["invoice_number"])
        self.issue_orders()

    # --- reading -----------------------------------------------------------------------------

    def latest(self, account_id: str) -> Membership:
        membership = self.memberships.latest(account_id)
        assert membership is not None
        return membership

    def invoices_of(self, account_id: str) -> list[Invoice]:
        return self.invoices.list_for(account_id, 100, None).items

    def invoice(self, number: str) -> Invoice:
        invoice = self.invoices.get(number)
        assert invoice is not None
        return invoice
