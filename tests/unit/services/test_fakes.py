"""The fakes keep the adapters' contracts the use cases rely on (a fake that lied would make
the service tests pass for the wrong reason)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from chalicelib.domain.collection import next_step_on
from chalicelib.domain.errors import Conflict, InvalidCursor, SerialTaken
from chalicelib.domain.membership import MembershipStatus
from chalicelib.domain.points import award_entry
from chalicelib.domain.products import ProductDetails, Registration, Source
from chalicelib.services.payments import CardAuthorisation, PaymentDeclined
from chalicelib.services.ports import NumberTaken, RegistrationChange, StaleBalance, StaleState
from tests.fakes.ports import (
    FakeAccounts,
    FakeInvoices,
    FakePayments,
    FakeRegistrations,
    IdempotencyKeyReused,
)
from tests.unit.services import START, World, an_account


@pytest.fixture
def world() -> World:
    return World()


def test_a_membership_save_from_a_stale_read_is_refused(world):
    # GIVEN a membership read twice
    m = world.member()
    first, second = world.latest(m.account_id), world.latest(m.account_id)
    # WHEN both readers save THEN the second is stale
    world.memberships.save(replace(first, auto_renew=False))
    with pytest.raises(StaleState):
        world.memberships.save(replace(second, renewal_tier="GOLD"))


def test_a_membership_number_is_claimed_forever_and_one_membership_is_open_per_account(world):
    # GIVEN a member whose membership expired
    m = world.member()
    expired = world.memberships.save(
        replace(world.latest(m.account_id), status=MembershipStatus.EXPIRED)
    )
    # WHEN a new membership reuses its number THEN the number is taken
    with pytest.raises(NumberTaken):
        world.memberships.create(replace(expired, membership_id="new", version=0))
    # AND an account whose membership is open cannot open another, whatever its number
    other = world.member()
    with pytest.raises(Conflict):
        world.memberships.create(replace(other, membership_id="new", membership_number="999999999"))


def test_memberships_are_due_by_their_next_renewal_step(world):
    # GIVEN a member whose first step (E-60) falls on a known day
    m = world.member()
    first_step = m.expires_on - timedelta(days=60)
    # THEN it is due on that day, not the day before
    assert list(world.memberships.due(first_step - timedelta(days=1))) == []
    assert list(world.memberships.due(first_step)) == [(m.account_id, m.membership_id)]
    assert world.memberships.earliest_due() == first_step == m.next_step_on()


def test_invoices_are_numbered_without_gaps_and_once_per_order(world):
    # GIVEN an issued invoice
    m = world.member()
    [invoice] = world.invoices_of(m.account_id)
    invoices = world.invoices
    # WHEN the same order is issued again, and another order after it
    again = invoices.issue(replace(invoice, invoice_number="", version=0))
    other = invoices.issue(replace(invoice, invoice_number="", purchase_id="other", version=0))
    # THEN the first is returned as it is, and the next number follows
    assert again == invoice and other.invoice_number == "2026-000002"


def test_an_open_invoice_is_due_by_its_next_collection_step_and_leaves_when_paid(world):
    # GIVEN a card invoice
    m = world.member()
    [invoice] = world.invoices_of(m.account_id)
    step = next_step_on(invoice.payment_method, invoice.due_on, invoice.collection_done)
    # THEN it is due on its charge day
    assert list(world.invoices.due(step)) == [invoice.invoice_number]
    # AND once paid it is never due again
    world.invoices.save(invoice.charged("pi_1", step))
    assert (
        list(world.invoices.due(date(2030, 1, 1))) == [] and world.invoices.earliest_due() is None
    )


def test_an_invoice_save_from_a_stale_read_is_refused(world):
    # GIVEN an invoice changed since it was read
    m = world.member()
    [invoice] = world.invoices_of(m.account_id)
    world.invoices.save(invoice.collected("D-7"))
    # WHEN the old read is saved THEN it is stale
    with pytest.raises(StaleState):
        world.invoices.save(invoice.collected("D+1"))


def test_a_cursor_is_only_valid_for_the_list_it_came_from():
    # GIVEN invoices of an account read a page at a time
    invoices = FakeInvoices()
    # WHEN a cursor of another list is given THEN it is refused
    with pytest.raises(InvalidCursor):
        invoices.list_for("acc-1", 10, "acc-2@10")


def registration(account_id: str, serial: str, version: int | None = None) -> Registration:
    return Registration(
        account_id,
        "p-1",
        "EOS-R1-BODY",
        "Canon EOS R1",
        ProductDetails(serial_number=serial),
        Source.REGISTERED,
        START,
        version=version,
    )


def test_a_registration_commit_is_all_or_nothing():
    # GIVEN an account whose balance is 100, and a serial held by another account
    accounts = FakeAccounts(an_account(100, account_id="a"), an_account(0, account_id="b"))
    store = FakeRegistrations(accounts)
    store.commit(RegistrationChange("b", None, registration("b", "S1"), None, 0))
    # WHEN a change claims that serial THEN the serial is taken
    with pytest.raises(SerialTaken):
        store.commit(RegistrationChange("a", None, registration("a", "S1"), None, 100))
    # AND a change computed from another balance is stale, and changed nothing
    entry = award_entry("a", "p-1", 600, START, migrated=False)
    with pytest.raises(StaleBalance):
        store.commit(RegistrationChange("a", None, registration("a", "S2"), entry, 50))
    assert store.get("a", "p-1") is None and accounts.get("a").points == 100
    assert "EOS-R1-BODY#S2" not in store.claims


def test_the_provider_replays_an_outcome_for_a_key_and_refuses_other_parameters():
    # GIVEN a provider and a saved card
    payments = FakePayments()
    reference = payments.saved_card()
    customer, method = reference.split("/")
    card = CardAuthorisation(customer, method, "")
    # WHEN a charge is asked twice under one key THEN there is one payment
    first = payments.charge(
        authorisation=card, amount_cents=100, currency="EUR", description="x", idempotency_key="k"
    )
    second = payments.charge(
        authorisation=card, amount_cents=100, currency="EUR", description="x", idempotency_key="k"
    )
    assert first == second and len(payments.payments) == 1
    # AND the key with another amount is refused
    with pytest.raises(IdempotencyKeyReused):
        payments.charge(
            authorisation=card,
            amount_cents=200,
            currency="EUR",
            description="x",
            idempotency_key="k",
        )


def test_a_declined_authorisation_is_replayed_and_another_card_is_a_new_one():
    # GIVEN a checkout key whose first card was declined
    payments = FakePayments()
    ask = dict(account_id="a", email="a@x.test", idempotency_key="checkout-1")
    with pytest.raises(PaymentDeclined):
        payments.authorise_card(payment_method_token=FakePayments.DECLINED, **ask)
    # WHEN the same card is asked again THEN it is declined again
    with pytest.raises(PaymentDeclined):
        payments.authorise_card(payment_method_token=FakePayments.DECLINED, **ask)
    # AND another card under the same key is authorised, for the same customer
    card = payments.authorise_card(payment_method_token="tok_visa", **ask)
    assert card.customer_ref == "cus_1"
