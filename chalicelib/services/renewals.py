"""The end of a membership term (SPEC §5 renewal table): notices, the renewal invoice with the
tier re-checked, the next term or expiry; and the daily jobs that fan this work out.

Each step's effects (a mail under its cause, an invoice order under its id) come before the
step is recorded on the membership, so a crash repeats a step harmlessly and a recorded step
never runs again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from chalicelib.domain.accounts import Account
from chalicelib.domain.clock import Clock
from chalicelib.domain.errors import NotFound
from chalicelib.domain.invoices import InvoiceOrder, InvoicePurpose
from chalicelib.domain.membership import (
    Membership,
    Renewal,
    RenewalStep,
    one_year_after,
    renewal_tier_for,
)
from chalicelib.services.notices import Notices
from chalicelib.services.ports import (
    AccountRepository,
    InvoiceRepository,
    InvoiceRequests,
    MembershipRepository,
    WorkQueue,
)

JOB = "job:renewals"
NOT_POSSIBLE = "RENEWAL_NOT_POSSIBLE"


def renewal_order(m: Membership, issued_on: date, renewal: Renewal | None = None) -> InvoiceOrder:
    """The invoice order of the renewal recorded on the membership, or of `renewal` (sent
    again safely: the pipeline invoices an order once)."""
    renewal = renewal or m.renewal
    assert renewal is not None
    return InvoiceOrder(
        order_id=renewal.order_id,
        account_id=m.account_id,
        membership_id=m.membership_id,
        purpose=InvoicePurpose.RENEWAL,
        issued_on=issued_on,
        tier=renewal.tier,
        due_on=m.expires_on,
        period_from=m.expires_on,
        period_to=one_year_after(m.expires_on) - timedelta(days=1),
    )


class RenewalService:
    def __init__(
        self,
        *,
        memberships: MembershipRepository,
        accounts: AccountRepository,
        orders: InvoiceRequests,
        notices: Notices,
        clock: Clock,
    ) -> None:
        self._memberships = memberships
        self._accounts = accounts
        self._orders = orders
        self._notices = notices
        self._clock = clock

    def advance(self, account_id: str, membership_id: str) -> list[str]:
        """Does the membership's renewal steps due by today; returns the steps done."""
        m = self._memberships.get(account_id, membership_id)
        if m is None or m.ended:
            return []
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFound("There is no business account.")
        now = self._clock.now()
        done: list[str] = []
        while steps := m.due_steps(now.date()):
            if steps[0] is RenewalStep.END and m.renewal is not None:
                self._orders.request(renewal_order(m, now.date()))  # again: it may have been lost
            m = self._memberships.save(self._step(steps[0], m, account, now))
            if steps[0] is RenewalStep.RENEWAL and m.renewal is not None:
                # Ordered once the renewal is recorded: a renewal withdrawn meanwhile (the save
                # then fails and the step is redone) never leaves an order nothing owns.
                self._orders.request(renewal_order(m, now.date()))
            done.append(steps[0].value)
        return done

    def _step(
        self, step: RenewalStep, m: Membership, account: Account, now: datetime
    ) -> Membership:
        today = now.date()
        if step is RenewalStep.NOTICE:
            view = m.renewal_view(account.points, today, account.currency)
            if view is not None:
                self._notices.renewal_notice(account, m, view[0].tier, view[1])
            else:
                self._notices.expiry_reminder(account, m, step.value, today)
        elif step in (RenewalStep.REMINDER, RenewalStep.LAST_REMINDER):
            self._notices.expiry_reminder(account, m, step.value, today)
        elif step is RenewalStep.RENEWAL:
            return self._order_renewal(m, account, now).step_done(step)
        else:
            return self._end_term(m, account, now)
        return m.step_done(step)

    def _order_renewal(self, m: Membership, account: Account, now: datetime) -> Membership:
        """E-30: the renewal tier is decided with the points held now (its invoice is ordered
        once this is stored)."""
        chosen = renewal_tier_for(m.tier, m.renewal_tier, account.points)
        if chosen is None:
            self._notices.renewal_not_possible(account, m)
            return m.recorded(
                NOT_POSSIBLE,
                now,
                f"{account.points} points at renewal; at least 500 are needed.",
                JOB,
            )
        return m.renewal_ordered(chosen, now, JOB)

    def _end_term(self, m: Membership, account: Account, now: datetime) -> Membership:
        if m.renewal is not None:
            return m.renewed(now, JOB)
        self._notices.expired(account, m)
        if not m.auto_renew:
            why = "Auto-renewal was off."
        elif any(e.event == NOT_POSSIBLE for e in m.history):
            why = "Fewer than 500 points at renewal."
        else:
            why = "The renewal was cancelled."
        return m.expire(now, JOB, why)


class DailyJobs:
    """The EventBridge-scheduled jobs: each finds what is due through its sparse index and
    queues one message per item; the workers do the steps."""

    def __init__(
        self,
        *,
        memberships: MembershipRepository,
        invoices: InvoiceRepository,
        work: WorkQueue,
        clock: Clock,
    ) -> None:
        self._memberships = memberships
        self._invoices = invoices
        self._work = work
        self._clock = clock

    def renewals(self) -> dict[str, int]:
        today = self._clock.now().date()
        due: Iterable[dict[str, str]] = (
            {"kind": "membership", "account_id": a, "membership_id": m, "day": today.isoformat()}
            for a, m in self._memberships.due(today)
        )
        return {"queued": self._work.dispatch(due)}

    def earliest_due(self) -> date | None:
        """The earliest date on which either job finds something due: a run on any day before
        it finds nothing (the test clock passes over those days)."""
        dates = [
            d
            for d in (self._memberships.earliest_due(), self._invoices.earliest_due())
            if d is not None
        ]
        return min(dates) if dates else None

    def collections(self) -> dict[str, int]:
        today = self._clock.now().date()
        due = (
            {"kind": "invoice", "invoice_number": n, "day": today.isoformat()}
            for n in self._invoices.due(today)
        )
        return {"queued": self._work.dispatch(due)}
