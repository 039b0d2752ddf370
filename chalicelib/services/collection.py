"""Collecting invoices (SPEC §5): charges on the due date and retries, bank reminders,
`PAST_DUE`, `SUSPENDED`, `CANCELLED` with a credit note, and payments from any source.

Each step is done once per invoice: its effects (a charge under the provider's idempotency key
for that invoice, attempt and card; a mail under its cause; a conditional status change) are
safe to repeat, and the step is recorded on the invoice only after them, so a crash half-way
repeats the step harmlessly and a finished step is never repeated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime

from aws_lambda_powertools import Logger

from chalicelib.domain.accounts import Account
from chalicelib.domain.clock import Clock
from chalicelib.domain.collection import (
    CHARGE_ATTEMPTS,
    CollectionStep,
    due_steps,
    next_charge_on,
    step_date,
)
from chalicelib.domain.errors import Conflict, NotFound, RetryableFailure
from chalicelib.domain.invoices import Invoice, InvoiceOrder, InvoicePurpose, InvoiceStatus
from chalicelib.domain.membership import Membership, MembershipStatus
from chalicelib.domain.money import Money
from chalicelib.services.notices import Notices
from chalicelib.services.payments import CardAuthorisation, PaymentDeclined, PaymentProvider
from chalicelib.services.ports import (
    AccountRepository,
    InvoiceRepository,
    InvoiceRequests,
    MembershipRepository,
    StaleState,
)

logger = Logger(service="cps", child=True)

JOB = "job:collections"
SAVE_ATTEMPTS = 5
AUTHENTICATION_REQUIRED = "authentication_required"


def card_of(m: Membership) -> CardAuthorisation | None:
    """The saved card, from the provider's references kept on the membership."""
    if m.payment_reference is None or "/" not in m.payment_reference:
        return None
    customer, payment_method = m.payment_reference.split("/", 1)
    return CardAuthorisation(customer, payment_method, setup_ref="")


def charge_key(invoice: Invoice, attempt: str, card: CardAuthorisation) -> str:
    """One provider idempotency key per invoice, attempt and card: a retried job (or a lost
    response) replays the provider's first answer; another card is another payment."""
    fingerprint = hashlib.sha256(card.payment_method_ref.encode()).hexdigest()[:12]
    return f"cps:{invoice.invoice_number}:{attempt}:{fingerprint}"


def apply_change(
    memberships: MembershipRepository, m: Membership, change: Callable[[Membership], Membership]
) -> Membership:
    """Applies a change to the latest stored state of the membership (optimistic retry)."""
    for _ in range(SAVE_ATTEMPTS):
        changed = change(m)
        if changed == m:
            return m
        try:
            return memberships.save(changed)
        except StaleState:
            fresh = memberships.get(m.account_id, m.membership_id)
            if fresh is None:
                raise
            m = fresh
    raise StaleState(f"membership {m.membership_id} keeps changing")


class CollectionService:
    def __init__(
        self,
        *,
        invoices: InvoiceRepository,
        memberships: MembershipRepository,
        accounts: AccountRepository,
        payments: Callable[[], PaymentProvider],
        orders: InvoiceRequests,
        notices: Notices,
        clock: Clock,
    ) -> None:
        self._invoices = invoices
        self._memberships = memberships
        self._accounts = accounts
        self._payments = payments  # built on first use: most steps charge nothing
        self._orders = orders
        self._notices = notices
        self._clock = clock

    # --- the daily collection of one invoice ----------------------------------------------

    def collect(self, invoice_number: str) -> list[str]:
        """Does the invoice's steps due by today; returns the steps done."""
        invoice = self._invoices.get(invoice_number)
        if invoice is None or not invoice.is_open:
            return []
        now = self._clock.now()
        today = now.date()
        account = self._account(invoice.account_id)
        todo, passed = due_steps(
            invoice.payment_method, invoice.due_on, invoice.collection_done, today
        )
        for step in passed:
            invoice = invoice.collected(step.value)
        done: list[str] = []
        for step in todo:
            invoice = self._step(step, invoice, account, now)
            done.append(step.value)
            if not invoice.is_open:
                return done
            invoice = self._invoices.save(invoice.collected(step.value))
        if passed and not todo:
            self._invoices.save(invoice)
        return done

    def _step(
        self, step: CollectionStep, invoice: Invoice, account: Account, now: datetime
    ) -> Invoice:
        number = invoice.invoice_number
        m = self._memberships.get(invoice.account_id, invoice.membership_id)
        if m is None:
            raise NotFound(f"Invoice {number} has no membership.")
        if step in CHARGE_ATTEMPTS:
            return self._scheduled_charge(step, invoice, m, account, now)
        if step is CollectionStep.REMINDER:
            self._notices.payment_reminder(account, m, invoice, step.value, overdue=False)
        elif step is CollectionStep.PAST_DUE:
            m = self._change(m, lambda x: x.past_due(number, now, JOB))
            self._notices.payment_reminder(account, m, invoice, step.value, overdue=True)
        elif step is CollectionStep.OVERDUE_REMINDER:
            self._notices.payment_reminder(account, m, invoice, step.value, overdue=True)
        elif step is CollectionStep.SUSPEND and not m.ended:
            m = self._change(m, lambda x: x.past_due(number, now, JOB).suspend(number, now, JOB))
            cancel_on = step_date(invoice.payment_method, CollectionStep.CANCEL, invoice.due_on)
            self._notices.suspended(account, m, invoice, cancel_on)
        elif step is CollectionStep.CANCEL and not m.ended:
            # The credit notes, their PDFs and the mails come from the invoice pipeline: one
            # for this invoice, one for a renewal already invoiced for a term that won't come.
            self._credit(invoice.purchase_id, m, InvoicePurpose.NON_PAYMENT, now)
            if m.renewal is not None:
                renewal = self._invoices.for_purchase(m.renewal.order_id)
                if renewal is not None and renewal.status is InvoiceStatus.PAID:
                    # A paid renewal is refunded by finance, not credited by a job.
                    logger.warning(
                        "Cancelled membership has a paid renewal: refund it",
                        extra={"invoice": renewal.invoice_number},
                    )
                else:
                    self._credit(m.renewal.order_id, m, InvoicePurpose.RENEWAL_WITHDRAWN, now)
            self._change(
                m,
                lambda x: (
                    x.past_due(number, now, JOB)
                    .suspend(number, now, JOB)
                    .cancel_for_non_payment(number, now, JOB)
                    .renewal_withdrawn(now, JOB)
                ),
            )
        return invoice

    def _credit(self, order_id: str, m: Membership, purpose: InvoicePurpose, now: datetime) -> None:
        self._orders.request(
            InvoiceOrder(
                order_id=f"credit:{order_id}",
                account_id=m.account_id,
                membership_id=m.membership_id,
                purpose=purpose,
                issued_on=now.date(),
                credits_order_id=order_id,
            )
        )

    def _scheduled_charge(
        self, step: CollectionStep, invoice: Invoice, m: Membership, account: Account, now: datetime
    ) -> Invoice:
        attempt = CHARGE_ATTEMPTS[step]
        if m.status is MembershipStatus.CANCELLED:  # never charge a membership that has ended
            return invoice
        try:
            charge_ref = self._charge(invoice, card_of(m), f"attempt-{attempt}")
        except PaymentDeclined as declined:
            logger.info(
                "Card charge declined",
                extra={"invoice": invoice.invoice_number, "attempt": attempt},
            )
            number = invoice.invoice_number
            if not m.ended:
                m = self._change(m, lambda x: x.past_due(number, now, JOB))
            next_on = next_charge_on(step, invoice.due_on)
            if next_on is not None:  # the last decline is told by the suspension mail
                self._notices.payment_failed(
                    account,
                    m,
                    invoice,
                    attempt,
                    authentication_required=declined.decline_code == AUTHENTICATION_REQUIRED,
                    next_attempt_on=next_on,
                )
            return invoice
        return self.settle(invoice.charged(charge_ref, now.date()), by=JOB)

    # --- payments from any source ------------------------------------------------------------

    def charge_now(self, invoice: Invoice, card: CardAuthorisation, by: str) -> Invoice:
        """A new card pays an open, due invoice at once (raises PaymentDeclined)."""
        charge_ref = self._charge(invoice, card, "new-card")
        return self.settle(invoice.charged(charge_ref, self._clock.now().date()), by=by)

    def record_bank_transfer(
        self, number: str, amount: Money, paid_on: date, reference: str, by: str
    ) -> Invoice:
        invoice = self._invoices.get(number)
        if invoice is None:
            raise NotFound("No such invoice.")
        paid = invoice.paid(amount, paid_on, reference, self._clock.now().date())
        return self.settle(paid, by=by)

    def settle(self, paid: Invoice, by: str) -> Invoice:
        """Stores the paid invoice; the membership is active again unless another invoice is
        still overdue; the customer gets a confirmation."""
        try:
            stored = self._invoices.save(paid)
        except StaleState as exc:
            raise Conflict(
                f"Invoice {paid.invoice_number} changed meanwhile; it may be paid already."
            ) from exc
        now = self._clock.now()
        account = self._account(paid.account_id)
        m = self._memberships.get(paid.account_id, paid.membership_id)
        if m is None:
            return stored
        if not m.ended:
            overdue = [
                i
                for i in self._invoices.open_for(paid.account_id, paid.membership_id)
                if i.invoice_number != paid.invoice_number and i.due_on < now.date()
            ]
            m = self._change(m, lambda x: x.settled(paid.invoice_number, now, by, bool(overdue)))
        self._notices.payment_received(account, m, stored)
        return stored

    # --- helpers -----------------------------------------------------------------------------

    def _charge(self, invoice: Invoice, card: CardAuthorisation | None, attempt: str) -> str:
        if card is None:
            raise PaymentDeclined("no card is saved")
        charge = self._payments().charge(
            authorisation=card,
            amount_cents=int(invoice.total.amount * 100),
            currency=invoice.total.currency,
            description=f"CPS invoice {invoice.invoice_number}",
            idempotency_key=charge_key(invoice, attempt, card),
        )
        if charge.status == "succeeded":
            return charge.charge_ref
        if charge.status == "pending":  # the same key later returns the outcome: never charge anew
            raise RetryableFailure(f"The charge for {invoice.invoice_number} is still processing.")
        raise PaymentDeclined("the payment failed")

    def _change(self, m: Membership, change: Callable[[Membership], Membership]) -> Membership:
        return apply_change(self._memberships, m, change)

    def _account(self, account_id: str) -> Account:
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFound("There is no business account.")
        return account
