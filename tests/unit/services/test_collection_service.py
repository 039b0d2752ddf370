"""CollectionService on the fakes: the card plan (charge on D, retries), the bank plan
(reminders, PAST_DUE, SUSPENDED), cancellation with credit notes, payments from finance."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.errors import Conflict, RetryableFailure, ValidationFailed
from chalicelib.domain.invoices import Invoice, InvoiceKind, InvoicePurpose, InvoiceStatus
from chalicelib.domain.membership import Membership, MembershipStatus, PaymentMethod
from chalicelib.domain.money import Money
from chalicelib.services.collection import card_of, charge_key
from tests.fakes.ports import FakePayments
from tests.unit.services import World

CARD, BANK = PaymentMethod.CARD, PaymentMethod.BANK_TRANSFER
S = MembershipStatus


@pytest.fixture
def world() -> World:
    return World()


def purchase_invoice(world: World, m: Membership) -> Invoice:
    [invoice] = world.invoices_of(m.account_id)
    return invoice


def collect_on(world: World, invoice: Invoice, day: date) -> list[str]:
    world.on(day)
    return world.collection.collect(invoice.invoice_number)


def days(n: int) -> timedelta:
    return timedelta(days=n)


# --- the card plan ------------------------------------------------------------------------------


def test_a_card_invoice_is_charged_on_its_due_date_and_the_payment_confirmed(world):
    # GIVEN a card member's invoice due today
    m = world.member()
    invoice = purchase_invoice(world, m)
    # WHEN the collection runs on the due date
    done = collect_on(world, invoice, invoice.due_on)
    # THEN the card is charged the total under the invoice's first-attempt key
    assert done == ["D-CHARGE"]
    [charge_params] = [a.params for a in world.payments.charges.values()]
    assert charge_params[2:4] == (10285, "EUR")
    key = charge_key(invoice, "attempt-1", card_of(m))
    assert list(world.payments.charges) == [key]
    # AND the invoice is paid, the membership stays active, and the customer is told once
    paid = world.invoice(invoice.invoice_number)
    assert paid.status is InvoiceStatus.PAID and paid.paid_on == invoice.due_on
    assert world.latest(m.account_id).status is S.ACTIVE
    assert world.recorder.mail_causes("payment_received") == [
        f"payment-received:{invoice.invoice_number}"
    ]


def test_nothing_is_collected_before_a_card_invoice_is_due(world):
    # GIVEN a card invoice due in a week WHEN the collection runs THEN nothing happens
    m = world.member()
    invoice = purchase_invoice(world, m)
    assert collect_on(world, invoice, invoice.due_on - days(7)) == []
    assert world.payments.charge_calls == 0


def test_a_declined_charge_makes_the_membership_past_due_and_mails_the_next_attempt(world):
    # GIVEN a card member whose card has no funds
    m = world.member(token=FakePayments.INSUFFICIENT)
    invoice = purchase_invoice(world, m)
    # WHEN the charge on the due date is declined
    collect_on(world, invoice, invoice.due_on)
    # THEN the membership is PAST_DUE, the invoice open with its step done
    assert world.latest(m.account_id).status is S.PAST_DUE
    after = world.invoice(invoice.invoice_number)
    assert after.status is InvoiceStatus.ISSUED and after.collection_done == {"D-CHARGE"}
    # AND the mail asks to pay now and names D+3 as the next attempt
    [mail] = world.recorder.mails_of("payment_failed")
    assert mail.dedupe_key == f"payment-failed:{invoice.invoice_number}:1"
    assert mail.context["next_attempt_on"] == (invoice.due_on + days(3)).isoformat()
    assert mail.context["authentication_required"] is False


def test_a_retry_that_is_paid_makes_the_membership_active_again(world):
    # GIVEN a card declined on the due date (PAST_DUE)
    m = world.member(token=FakePayments.INSUFFICIENT)
    invoice = purchase_invoice(world, m)
    collect_on(world, invoice, invoice.due_on)
    # WHEN the customer tops the card up, and the D+3 retry is made
    world.payments.cards[card_of(m).payment_method_ref] = "tok_visa"
    done = collect_on(world, invoice, invoice.due_on + days(3))
    # THEN the invoice is paid and the membership ACTIVE again
    assert done == ["D+3-CHARGE"]
    assert world.invoice(invoice.invoice_number).status is InvoiceStatus.PAID
    assert world.latest(m.account_id).status is S.ACTIVE


def test_a_card_needing_authentication_is_asked_for_it_in_the_mail(world):
    # GIVEN a card whose issuer asks for authentication
    m = world.member(token=FakePayments.NEEDS_AUTHENTICATION)
    invoice = purchase_invoice(world, m)
    # WHEN it is charged on the due date
    collect_on(world, invoice, invoice.due_on)
    # THEN the mail says so, with the link to pay
    [mail] = world.recorder.mails_of("payment_failed")
    assert mail.context["authentication_required"] is True
    assert mail.context["pay_url"].endswith(f"invoice={invoice.invoice_number}")


def test_a_declined_card_is_tried_four_times_then_the_membership_is_suspended(world):
    # GIVEN a card that keeps being declined
    m = world.member(token=FakePayments.INSUFFICIENT)
    invoice = purchase_invoice(world, m)
    # WHEN the collection runs on D, D+3, D+7 and D+14
    for offset in (0, 3, 7, 14):
        collect_on(world, invoice, invoice.due_on + days(offset))
    # THEN four attempts were made, each under its own key
    assert world.payments.charge_calls == 4 and len(world.payments.charges) == 4
    # AND three mails named the next attempt; the last decline is told by the suspension
    assert len(world.recorder.mails_of("payment_failed")) == 3
    assert world.latest(m.account_id).status is S.SUSPENDED
    [suspended] = world.recorder.mails_of("membership_suspended")
    assert suspended.context["cancel_on"] == (invoice.due_on + days(30)).isoformat()


def test_charge_days_the_job_missed_are_caught_up_with_one_attempt(world):
    # GIVEN a card invoice whose collection did not run from D to D+8
    m = world.member()
    invoice = purchase_invoice(world, m)
    # WHEN it runs on D+8
    done = collect_on(world, invoice, invoice.due_on + days(8))
    # THEN only the latest attempt due (D+7) is made, and the invoice is paid
    assert done == ["D+7-CHARGE"] and world.payments.charge_calls == 1
    assert list(world.payments.charges) == [charge_key(invoice, "attempt-3", card_of(m))]
    assert world.invoice(invoice.invoice_number).status is InvoiceStatus.PAID


def test_a_charge_still_processing_is_not_recorded_and_asked_again_under_the_same_key(world):
    # GIVEN a provider that is still processing the charge
    m = world.member()
    invoice = purchase_invoice(world, m)
    world.payments.charge_status = "pending"
    # WHEN the collection runs twice on the due date
    for _ in range(2):
        with pytest.raises(RetryableFailure):
            collect_on(world, invoice, invoice.due_on)
    # THEN one payment exists at the provider, and the invoice is still open with no step done
    assert world.payments.charge_calls == 2 and len(world.payments.charges) == 1
    assert world.invoice(invoice.invoice_number).collection_done == frozenset()


def test_a_charge_whose_answer_is_lost_is_paid_once_when_asked_again(world):
    # GIVEN a provider whose answer to the first charge is lost
    m = world.member()
    invoice = purchase_invoice(world, m)
    world.payments.lose_next_response = True
    with pytest.raises(RetryableFailure):
        collect_on(world, invoice, invoice.due_on)
    # WHEN the message is delivered again
    collect_on(world, invoice, invoice.due_on)
    # THEN the provider replayed the first payment: paid once, confirmed once
    assert len(world.payments.payments) == 1
    assert world.invoice(invoice.invoice_number).status is InvoiceStatus.PAID
    assert len(world.recorder.mails_of("payment_received")) == 1


def test_a_collection_run_twice_on_a_day_does_each_step_once(world):
    # GIVEN a card invoice due today
    m = world.member()
    invoice = purchase_invoice(world, m)
    # WHEN the collection runs twice
    first = collect_on(world, invoice, invoice.due_on)
    second = collect_on(world, invoice, invoice.due_on)
    # THEN the second found nothing to do
    assert (first, second) == (["D-CHARGE"], [])
    assert world.payments.charge_calls == 1


# --- the bank-transfer plan ---------------------------------------------------------------------


def test_a_bank_invoice_is_reminded_a_week_before_its_due_date(world):
    # GIVEN a bank member's invoice
    m = world.member(BANK)
    invoice = purchase_invoice(world, m)
    # WHEN the collection runs at D-7
    done = collect_on(world, invoice, invoice.due_on - days(7))
    # THEN a friendly reminder with the bank details is queued; the membership is untouched
    assert done == ["D-7"]
    [mail] = world.recorder.mails_of("payment_reminder")
    assert mail.dedupe_key == f"payment-reminder:{invoice.invoice_number}:D-7"
    assert mail.context["overdue"] is False
    assert mail.context["bank_details"]["reference"] == invoice.bank_details.reference
    assert world.latest(m.account_id).status is S.ACTIVE


def test_a_bank_invoice_unpaid_the_day_after_its_due_date_makes_the_membership_past_due(world):
    # GIVEN a bank invoice reminded at D-7
    m = world.member(BANK)
    invoice = purchase_invoice(world, m)
    collect_on(world, invoice, invoice.due_on - days(7))
    # WHEN it is still unpaid at D+1
    done = collect_on(world, invoice, invoice.due_on + days(1))
    # THEN the membership is PAST_DUE and an overdue reminder is queued
    assert done == ["D+1"] and world.latest(m.account_id).status is S.PAST_DUE
    assert world.recorder.mails_of("payment_reminder")[-1].context["overdue"] is True


def test_a_reminder_before_the_due_date_is_not_sent_after_it(world):
    # GIVEN a bank invoice whose collection first runs at D+1
    m = world.member(BANK)
    invoice = purchase_invoice(world, m)
    # WHEN it runs
    done = collect_on(world, invoice, invoice.due_on + days(1))
    # THEN only the overdue step is done; the D-7 reminder is passed over for good
    assert done == ["D+1"]
    assert world.recorder.mail_causes("payment_reminder") == [
        f"payment-reminder:{invoice.invoice_number}:D+1"
    ]
    assert "D-7" in world.invoice(invoice.invoice_number).collection_done


def test_a_bank_invoice_unpaid_at_d_plus_14_suspends_the_membership(world):
    # GIVEN a bank invoice overdue since D+1
    m = world.member(BANK)
    invoice = purchase_invoice(world, m)
    collect_on(world, invoice, invoice.due_on + days(7))
    # WHEN it is still unpaid at D+14
    done = collect_on(world, invoice, invoice.due_on + days(14))
    # THEN the membership is SUSPENDED and told the cancellation date
    assert done == ["D+14"] and world.latest(m.account_id).status is S.SUSPENDED
    [mail] = world.recorder.mails_of("membership_suspended")
    assert mail.context["cancel_on"] == (invoice.due_on + days(30)).isoformat()


def test_an_invoice_unpaid_at_d_plus_30_cancels_the_membership_with_a_credit_note(world):
    # GIVEN a bank invoice suspended at D+14
    m = world.member(BANK)
    invoice = purchase_invoice(world, m)
    collect_on(world, invoice, invoice.due_on + days(14))
    # WHEN it is still unpaid at D+30
    done = collect_on(world, invoice, invoice.due_on + days(30))
    # THEN the membership is CANCELLED and a credit note for non-payment is ordered
    assert done == ["D+30"] and world.latest(m.account_id).status is S.CANCELLED
    [order] = world.recorder.orders
    assert order.purpose is InvoicePurpose.NON_PAYMENT
    assert order.credits_order_id == invoice.purchase_id
    # AND once issued, the credit note cancels the invoice and the customer is told
    [credit_note] = world.issue_orders()
    assert world.invoice(invoice.invoice_number).cancelled_by == credit_note.invoice_number
    assert world.recorder.mail_causes("membership_cancelled") == [
        f"membership-cancelled:{invoice.invoice_number}"
    ]
    # AND the invoice left the collection: no day finds it again
    assert world.invoices.earliest_due() is None


# --- payments from finance ----------------------------------------------------------------------


def test_a_bank_transfer_recorded_by_finance_pays_the_invoice_and_reactivates(world):
    # GIVEN a PAST_DUE bank member
    m = world.member(BANK)
    invoice = purchase_invoice(world, m)
    collect_on(world, invoice, invoice.due_on + days(2))
    # WHEN finance records the transfer
    paid = world.collection.record_bank_transfer(
        invoice.invoice_number, invoice.total, invoice.due_on, "NL-TRX-1", "clerk-a"
    )
    # THEN the invoice is paid, the membership active again, the customer told
    assert paid.status is InvoiceStatus.PAID and paid.payment_reference == "NL-TRX-1"
    m_after = world.latest(m.account_id)
    assert m_after.status is S.ACTIVE and m_after.history[-1].by == "clerk-a"
    assert len(world.recorder.mails_of("payment_received")) == 1
    # AND the invoice is no longer collected
    assert world.invoices.earliest_due() is None


def test_two_clerks_recording_the_same_transfer_at_once_pay_it_once(world):
    # GIVEN two clerks who both read the open invoice
    m = world.member(BANK)
    invoice = purchase_invoice(world, m)
    today = world.clock.now().date()
    by_a = invoice.paid(invoice.total, today, "TRX-A", today)
    by_b = invoice.paid(invoice.total, today, "TRX-B", today)
    # WHEN both settle it
    world.collection.settle(by_a, by="clerk-a")
    # THEN the second is a conflict, and the first payment stands
    with pytest.raises(Conflict):
        world.collection.settle(by_b, by="clerk-b")
    assert world.invoice(invoice.invoice_number).payment_reference == "TRX-A"
    assert len(world.recorder.mails_of("payment_received")) == 1


def test_a_transfer_recorded_for_a_paid_invoice_is_a_conflict(world):
    # GIVEN an invoice paid by transfer
    m = world.member(BANK)
    invoice = purchase_invoice(world, m)
    world.collection.record_bank_transfer(
        invoice.invoice_number, invoice.total, invoice.issued_on, "TRX-A", "clerk-a"
    )
    # WHEN a second clerk records it later THEN it is a conflict
    with pytest.raises(Conflict, match="paid already"):
        world.collection.record_bank_transfer(
            invoice.invoice_number, invoice.total, invoice.issued_on, "TRX-B", "clerk-b"
        )


def test_a_transfer_of_another_amount_is_refused(world):
    # GIVEN a bank invoice of 102.85 WHEN 100.00 is recorded THEN it is refused, nothing paid
    m = world.member(BANK)
    invoice = purchase_invoice(world, m)
    with pytest.raises(ValidationFailed):
        world.collection.record_bank_transfer(
            invoice.invoice_number,
            Money(Decimal("100.00"), "EUR"),
            invoice.issued_on,
            "TRX",
            "clerk",
        )
    assert world.invoice(invoice.invoice_number).status is InvoiceStatus.ISSUED


def test_a_card_invoice_cannot_be_recorded_as_a_transfer(world):
    # GIVEN a card invoice WHEN finance records a transfer for it THEN it is a conflict
    m = world.member()
    invoice = purchase_invoice(world, m)
    with pytest.raises(Conflict):
        world.collection.record_bank_transfer(
            invoice.invoice_number, invoice.total, invoice.issued_on, "TRX", "clerk"
        )


# --- cancellation with a renewal invoiced -------------------------------------------------------


def upgraded_bank_member_behind_with_the_upgrade(world: World) -> tuple[Membership, Invoice]:
    """A bank member who paid the purchase, upgraded at E-80 and never paid the upgrade; the
    days run to E-30, so the renewal is invoiced while the upgrade is overdue."""
    m = world.member(BANK, points=1200)
    purchase = purchase_invoice(world, m)
    world.collection.record_bank_transfer(
        purchase.invoice_number, purchase.total, purchase.issued_on, "TRX-1", "clerk"
    )
    world.on(m.expires_on - days(80))
    world.membership.upgrade(m.account_id, "anna", "up-1", "GOLD")
    [upgrade] = world.issue_orders()
    for offset in (-7, 1, 7, 14):
        world.run_day(upgrade.due_on + days(offset))
    world.run_day(m.expires_on - days(30))
    assert world.latest(m.account_id).renewal is not None
    return m, upgrade


def test_a_cancellation_after_the_renewal_invoice_credits_both_invoices(world):
    # GIVEN a suspended member whose renewal was invoiced at E-30
    m, upgrade = upgraded_bank_member_behind_with_the_upgrade(world)
    renewal_order = world.latest(m.account_id).renewal.order_id
    # WHEN the upgrade invoice is still unpaid at its D+30
    world.run_day(upgrade.due_on + days(30))
    # THEN the membership is cancelled, its renewal withdrawn, and both invoices cancelled by
    # credit notes of their own
    cancelled = world.latest(m.account_id)
    assert cancelled.status is S.CANCELLED and cancelled.renewal is None
    credit_notes = {
        i.credit_note_for: i.purpose
        for i in world.invoices_of(m.account_id)
        if i.kind is InvoiceKind.CREDIT_NOTE
    }
    renewal = world.invoices.for_purchase(renewal_order)
    assert credit_notes == {
        upgrade.invoice_number: InvoicePurpose.NON_PAYMENT,
        renewal.invoice_number: InvoicePurpose.RENEWAL_WITHDRAWN,
    }
    assert world.invoice(renewal.invoice_number).status is InvoiceStatus.CANCELLED
    assert world.invoice(upgrade.invoice_number).status is InvoiceStatus.CANCELLED


def test_a_cancellation_never_credits_a_renewal_that_was_paid(world):
    # GIVEN a suspended member who paid the renewal invoice, but not the upgrade
    m, upgrade = upgraded_bank_member_behind_with_the_upgrade(world)
    renewal = world.invoices.for_purchase(world.latest(m.account_id).renewal.order_id)
    world.on(m.expires_on - days(25))
    world.collection.record_bank_transfer(
        renewal.invoice_number, renewal.total, world.clock.now().date(), "TRX-2", "clerk"
    )
    assert world.latest(m.account_id).status is S.SUSPENDED  # the upgrade is still overdue
    # WHEN the upgrade invoice is still unpaid at its D+30 (the pipeline takes the orders)
    world.run_day(upgrade.due_on + days(30))
    # THEN the paid renewal stays paid, and no credit note names it
    assert world.invoice(renewal.invoice_number).status is InvoiceStatus.PAID
    credited = {i.credit_note_for for i in world.invoices_of(m.account_id)}
    assert renewal.invoice_number not in credited
