"""MembershipService on the fakes: tiers, quote, checkout, PATCH, upgrade, a new card."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.invoices import InvoiceKind, InvoicePurpose, InvoiceStatus
from chalicelib.domain.membership import MembershipStatus, PaymentMethod
from chalicelib.domain.money import Money
from chalicelib.domain.vat_rates import VatTreatment
from chalicelib.services.payments import PaymentDeclined
from tests.fakes.ports import FakePayments
from tests.unit.services import START, TERMS, World, checkout_command

CARD, BANK = PaymentMethod.CARD, PaymentMethod.BANK_TRANSFER
TODAY = START.date()


@pytest.fixture
def world() -> World:
    return World()


def euros(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


# --- tiers and quote ----------------------------------------------------------------------------


def test_the_tiers_show_which_the_company_may_buy_with_its_points(world):
    # GIVEN a company with 1,200 points
    account = world.account(1200)
    # WHEN it asks for the tiers
    tiers = world.membership.tiers(account.account_id, None)
    # THEN all six are listed with their fees, Silver and Gold eligible, corporate not open
    eligible = {t.tier.tier: t.eligible for t in tiers.tiers}
    assert eligible == {
        "SILVER": True,
        "GOLD": True,
        "PLATINUM": False,
        "CORPORATE_C": False,
        "CORPORATE_B": False,
        "CORPORATE_A": False,
    }
    assert tiers.points == 1200 and tiers.corporate_available is False
    assert tiers.tiers[0].annual_fee == euros("85.00")


def test_the_tiers_of_one_family_are_listed(world):
    # GIVEN a company
    account = world.account()
    # WHEN it asks for the corporate tiers, THEN only those come
    # (a family that does not exist is refused by the route: tests/e2e/test_membership_bad_input)
    corporate = world.membership.tiers(account.account_id, "corporate").tiers
    assert [t.tier.tier for t in corporate] == ["CORPORATE_C", "CORPORATE_B", "CORPORATE_A"]


def test_a_quote_adds_dutch_vat_for_a_dutch_company(world):
    # GIVEN a Dutch company
    account = world.account(600)
    # WHEN it asks for a Silver quote
    quote = world.membership.quote(account.account_id, "SILVER")
    # THEN the fee carries 21% Dutch VAT and the current terms
    assert quote.line.net == euros("85.00")
    assert quote.line.rate == Decimal("0.21") and quote.line.vat == euros("17.85")
    assert quote.line.total == euros("102.85") and quote.line.treatment is VatTreatment.DOMESTIC
    assert quote.terms_version == TERMS


def test_a_quote_for_a_tier_the_points_do_not_reach_is_refused(world):
    # GIVEN a company with 600 points
    account = world.account(600)
    # WHEN it asks for a Gold quote THEN it is told Gold needs 1,000 points
    with pytest.raises(ValidationFailed, match="1,000 points"):
        world.membership.quote(account.account_id, "GOLD")


def test_an_unknown_account_has_no_tiers(world):
    # GIVEN no account WHEN its tiers are asked THEN it is not found
    with pytest.raises(NotFound):
        world.membership.tiers("acc-none", None)


# --- checkout -----------------------------------------------------------------------------------


def test_a_card_checkout_authorises_the_card_and_orders_the_purchase_invoice(world):
    # GIVEN a company with 600 points
    account = world.account(600)
    # WHEN it buys Silver by card
    result = world.membership.checkout(account.account_id, "anna", "key-1", checkout_command())
    # THEN it holds an active Silver membership for a year, with the provider's card references
    m = world.latest(account.account_id)
    assert (m.status, m.tier, m.term) == (MembershipStatus.ACTIVE, "SILVER", 1)
    assert (m.starts_on, m.expires_on) == (TODAY, date(2027, 3, 2))
    assert m.payment_method is CARD and m.payment_reference == "cus_1/pm_1"
    assert result.card.membership.membership_number == m.membership_number
    assert result.quote.tier.tier == "SILVER"
    # AND the card was authorised once for nothing, and the purchase invoice is ordered
    assert world.payments.authorise_calls == 1 and world.payments.payments == []
    [order] = world.recorder.orders
    assert (order.order_id, order.purpose) == (m.purchase_id, InvoicePurpose.PURCHASE)
    assert (order.period_from, order.period_to) == (TODAY, date(2027, 3, 1))


def test_a_bank_transfer_checkout_asks_the_card_provider_nothing(world):
    # GIVEN a company
    account = world.account(600)
    # WHEN it buys Silver by bank transfer
    world.membership.checkout(account.account_id, "anna", "key-1", checkout_command(method=BANK))
    # THEN the membership is active, pays by transfer, and no card was involved
    m = world.latest(account.account_id)
    assert m.status is MembershipStatus.ACTIVE and m.payment_method is BANK
    assert m.payment_reference is None and world.payments.authorise_calls == 0
    assert [o.purpose for o in world.recorder.orders] == [InvoicePurpose.PURCHASE]


def test_a_checkout_replayed_with_the_same_key_buys_nothing_more(world):
    # GIVEN a company that bought Silver with key-1
    account = world.account(600)
    first = world.membership.checkout(account.account_id, "anna", "key-1", checkout_command())
    # WHEN the same request arrives again (a retry after a lost answer)
    second = world.membership.checkout(account.account_id, "anna", "key-1", checkout_command())
    # THEN it answers with the same membership; one authorisation, one membership
    assert second.card == first.card
    assert world.payments.authorise_calls == 1 and len(world.memberships.items) == 1
    # AND the same order is sent again, which the pipeline invoices once
    assert len({o.order_id for o in world.recorder.orders}) == 1
    world.issue_orders()
    assert len(world.invoices_of(account.account_id)) == 1


def test_a_second_checkout_while_a_membership_is_open_is_a_conflict(world):
    # GIVEN a company with an active membership
    m = world.member()
    world.recorder.take_orders()
    # WHEN it checks out again with another key
    with pytest.raises(Conflict):
        world.membership.checkout(m.account_id, "anna", "key-other", checkout_command())
    # THEN nothing was bought, authorised or ordered
    assert len(world.memberships.items) == 1 and world.latest(m.account_id) == m
    assert world.payments.authorise_calls == 1 and world.recorder.orders == []


def test_a_declined_card_creates_nothing(world):
    # GIVEN a company whose card is declined
    account = world.account(600)
    # WHEN it checks out with that card
    with pytest.raises(PaymentDeclined):
        world.membership.checkout(
            account.account_id, "anna", "key-1", checkout_command(token=FakePayments.DECLINED)
        )
    # THEN there is no membership, no number claimed and no order
    assert world.memberships.latest(account.account_id) is None
    assert world.memberships.numbers == {} and world.recorder.orders == []


def test_after_a_declined_card_the_same_checkout_succeeds_with_another_card(world):
    # GIVEN a checkout whose first card was declined
    account = world.account(600)
    with pytest.raises(PaymentDeclined):
        world.membership.checkout(
            account.account_id, "anna", "key-1", checkout_command(token=FakePayments.DECLINED)
        )
    # WHEN the customer retries the same checkout with another card
    world.membership.checkout(account.account_id, "anna", "key-1", checkout_command())
    # THEN the membership is bought with that card
    assert world.latest(account.account_id).payment_reference is not None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"accept_terms": False}, "accept_terms"),
        ({"terms_version": "2025-01"}, "terms_version"),
        ({"payment_method_token": None}, "payment.payment_method_token"),
        ({"tier": "GOLD"}, "tier"),
        ({"tier": "BRONZE"}, "tier"),
        ({"purchase_order_number": "x" * 36}, "purchase_order_number"),
    ],
)
def test_an_invalid_checkout_is_refused_naming_the_field_and_creates_nothing(world, change, field):
    # GIVEN a company with 600 points
    account = world.account(600)
    # WHEN its checkout breaks one rule
    with pytest.raises(ValidationFailed) as refused:
        world.membership.checkout(
            account.account_id, "anna", "key-1", replace(checkout_command(), **change)
        )
    # THEN the rule's field is named and nothing is authorised, bought or ordered
    assert field in refused.value.fields
    assert world.payments.authorise_calls == 0 and world.memberships.items == {}
    assert world.recorder.orders == []


def test_a_membership_number_issued_before_is_never_reused(world, monkeypatch):
    # GIVEN one membership holds number 111111111, and the next draw hits it again
    draws = iter(["111111111", "111111111", "222222222"])
    monkeypatch.setattr("chalicelib.services.membership.new_membership_number", lambda: next(draws))
    first = world.member()
    # WHEN another company buys a membership
    second = world.member()
    # THEN it gets a number of its own
    assert (first.membership_number, second.membership_number) == ("111111111", "222222222")


def test_an_ended_membership_makes_way_for_a_new_purchase(world):
    # GIVEN a company whose membership expired
    m = world.member(auto_renew=False)
    world.memberships.put(
        replace(world.latest(m.account_id), status=MembershipStatus.EXPIRED, version=5)
    )
    # WHEN it buys again
    world.membership.checkout(m.account_id, "anna", "key-new", checkout_command())
    # THEN a new membership with a new number is its latest
    latest = world.latest(m.account_id)
    assert latest.membership_id != m.membership_id and latest.status is MembershipStatus.ACTIVE
    assert latest.membership_number != m.membership_number


# --- PATCH: auto-renewal and the renewal tier ---------------------------------------------------


def test_switching_auto_renewal_off_before_the_renewal_invoice_changes_only_the_membership(world):
    # GIVEN an auto-renewing member, well before E-30
    m = world.member()
    # WHEN auto-renewal is switched off
    changed = world.membership.change(m.account_id, "anna", auto_renew=False, renewal_tier=None)
    # THEN it is off, recorded in the history, and nothing is ordered
    assert changed.auto_renew is False and changed.history[-1].event == "AUTO_RENEWAL_OFF"
    assert world.latest(m.account_id) == changed and world.recorder.orders == []


def test_choosing_a_renewal_tier_the_points_reach_is_kept_for_the_renewal(world):
    # GIVEN a Silver member with 1,200 points
    m = world.member(points=1200)
    # WHEN Gold is chosen for the renewal
    changed = world.membership.change(m.account_id, "anna", auto_renew=None, renewal_tier="GOLD")
    # THEN the choice is stored and the card shows Gold as the renewal
    assert changed.renewal_tier == "GOLD"
    card = world.membership.card_for(m.account_id, changed)
    assert card.renewal is not None
    assert card.renewal.tier.tier == "GOLD" and card.renewal.invoiced is False


@pytest.mark.parametrize("renewal_tier", ["PLATINUM", "BRONZE"])
def test_a_renewal_tier_out_of_reach_or_unknown_is_refused(world, renewal_tier):
    # GIVEN a member with 1,200 points
    m = world.member(points=1200)
    # WHEN a tier beyond its points, or no tier at all, is chosen
    with pytest.raises(ValidationFailed):
        world.membership.change(m.account_id, "anna", auto_renew=None, renewal_tier=renewal_tier)
    # THEN the membership is unchanged
    assert world.latest(m.account_id).renewal_tier is None


def test_switching_auto_renewal_off_after_the_renewal_invoice_credits_that_invoice(world):
    # GIVEN a card member whose renewal was invoiced at E-30
    m = world.member()
    world.run_day(m.starts_on + timedelta(days=30))  # the purchase invoice is charged
    world.run_day(m.expires_on - timedelta(days=30))
    renewal_order = world.latest(m.account_id).renewal
    assert renewal_order is not None
    renewal_invoice = world.invoices.for_purchase(renewal_order.order_id)
    # WHEN auto-renewal is switched off
    changed = world.membership.change(m.account_id, "anna", auto_renew=False, renewal_tier=None)
    # THEN the renewal is withdrawn and a credit-note order for its invoice is queued (after
    # the renewal's own order again, which the pipeline invoices once)
    assert changed.renewal is None and changed.auto_renew is False
    again, order = world.recorder.orders
    assert again.order_id == renewal_order.order_id
    assert order.purpose is InvoicePurpose.RENEWAL_WITHDRAWN
    assert (order.order_id, order.credits_order_id) == (
        f"credit:{renewal_order.order_id}",
        renewal_order.order_id,
    )
    # AND once issued, the credit note cancels the renewal invoice
    [credit_note] = [d for d in world.issue_orders() if d.kind is InvoiceKind.CREDIT_NOTE]
    assert credit_note.kind is InvoiceKind.CREDIT_NOTE
    assert world.invoice(renewal_invoice.invoice_number).status is InvoiceStatus.CANCELLED


def test_switching_auto_renewal_on_again_after_a_withdrawal_orders_a_new_renewal(world):
    # GIVEN a card member who withdrew the renewal invoiced at E-30
    m = world.member()
    world.run_day(m.starts_on + timedelta(days=30))
    world.run_day(m.expires_on - timedelta(days=30))
    world.membership.change(m.account_id, "anna", auto_renew=False, renewal_tier=None)
    world.issue_orders()
    # WHEN auto-renewal is switched on again, and the next day's jobs run
    world.membership.change(m.account_id, "anna", auto_renew=True, renewal_tier=None)
    world.run_day(m.expires_on - timedelta(days=29))
    # THEN a second renewal order is invoiced; the withdrawn one stays cancelled
    first = world.invoices.for_purchase(f"renewal:{m.membership_id}:2:1")
    second = world.invoices.for_purchase(f"renewal:{m.membership_id}:2:2")
    assert first.status is InvoiceStatus.CANCELLED
    assert second is not None and second.status is InvoiceStatus.ISSUED
    assert world.latest(m.account_id).renewal.order_id == second.purchase_id
    # AND at E the membership renews
    world.run_day(m.expires_on)
    assert world.latest(m.account_id).term == 2


def test_confirming_auto_renewal_after_the_renewal_invoice_keeps_the_renewal(world):
    # GIVEN a card member whose renewal was invoiced at E-30
    m = world.member()
    world.run_day(m.starts_on + timedelta(days=30))
    world.run_day(m.expires_on - timedelta(days=30))
    before = world.latest(m.account_id)
    # WHEN the form is sent with auto-renewal on, as it already is
    changed = world.membership.change(m.account_id, "anna", auto_renew=True, renewal_tier=None)
    # THEN nothing changed, and at E the membership renews
    assert changed.renewal == before.renewal
    world.run_day(m.expires_on)
    assert world.latest(m.account_id).term == 2


def test_auto_renewal_cannot_be_switched_off_once_the_renewal_is_paid(world):
    # GIVEN a bank member who paid the renewal invoice
    m = world.member(BANK)
    [purchase] = world.invoices_of(m.account_id)
    world.collection.record_bank_transfer(
        purchase.invoice_number, purchase.total, TODAY, "bank-1", "clerk"
    )
    world.run_day(m.expires_on - timedelta(days=30))
    renewal = world.invoices.for_purchase(world.latest(m.account_id).renewal.order_id)
    world.collection.record_bank_transfer(
        renewal.invoice_number, renewal.total, world.clock.now().date(), "bank-2", "clerk"
    )
    before = world.latest(m.account_id)
    # WHEN auto-renewal is switched off THEN it is a conflict, and nothing changed
    with pytest.raises(Conflict, match="paid"):
        world.membership.change(m.account_id, "anna", auto_renew=False, renewal_tier=None)
    assert world.latest(m.account_id) == before and world.recorder.orders == []


# --- upgrade ------------------------------------------------------------------------------------


def test_an_upgrade_changes_the_tier_today_and_invoices_the_prorated_difference(world):
    # GIVEN a Silver member with 1,200 points, 292 of 365 days left (73 days in)
    m = world.member(points=1200)
    world.on(m.starts_on + timedelta(days=73))
    # WHEN it upgrades to Gold
    result = world.membership.upgrade(m.account_id, "anna", "up-1", "GOLD")
    # THEN it is Gold now, and (170 - 85) * 292 / 365 = 68.00 is ordered as an upgrade invoice
    upgraded = world.latest(m.account_id)
    assert upgraded.tier == "GOLD" and upgraded.history[-1].event == "UPGRADED"
    assert result.net == euros("68.00") and result.card.membership.tier == "GOLD"
    [order] = world.recorder.orders
    assert order.purpose is InvoicePurpose.UPGRADE and order.net == euros("68.00")
    # AND the invoice carries it with VAT, due in 30 days
    [invoice] = world.issue_orders()
    assert (invoice.net, invoice.total) == (euros("68.00"), euros("82.28"))
    assert invoice.due_on == date(2026, 6, 13)


def test_an_upgrade_replayed_with_the_same_key_upgrades_and_invoices_once(world):
    # GIVEN a member who upgraded to Gold with key up-1
    m = world.member(points=1200)
    first = world.membership.upgrade(m.account_id, "anna", "up-1", "GOLD")
    # WHEN the same request comes again
    second = world.membership.upgrade(m.account_id, "anna", "up-1", "GOLD")
    # THEN the answer is the same, the history shows one upgrade, the same order is resent
    assert second == first
    events = [e.event for e in world.latest(m.account_id).history]
    assert events.count("UPGRADED") == 1
    assert len({o.order_id for o in world.recorder.orders}) == 1
    # AND the pipeline invoices it once
    world.issue_orders()
    upgrades = [i for i in world.invoices_of(m.account_id) if i.purpose is InvoicePurpose.UPGRADE]
    assert len(upgrades) == 1


def test_the_same_upgrade_asked_again_with_a_new_key_is_refused(world):
    # GIVEN a member who upgraded to Gold
    m = world.member(points=1200)
    world.membership.upgrade(m.account_id, "anna", "up-1", "GOLD")
    # WHEN Gold is asked again under another key THEN it is no upgrade
    with pytest.raises(ValidationFailed):
        world.membership.upgrade(m.account_id, "anna", "up-2", "GOLD")


def test_only_an_active_membership_can_be_upgraded(world):
    # GIVEN a member whose card charge failed on the due date (PAST_DUE)
    m = world.member(points=1200, token=FakePayments.INSUFFICIENT)
    world.run_day(m.starts_on + timedelta(days=30))
    assert world.latest(m.account_id).status is MembershipStatus.PAST_DUE
    world.recorder.take_orders()
    # WHEN it asks to upgrade THEN it is a conflict, and nothing is ordered
    with pytest.raises(Conflict):
        world.membership.upgrade(m.account_id, "anna", "up-1", "GOLD")
    assert world.latest(m.account_id).tier == "SILVER" and world.recorder.orders == []


# --- a new card ---------------------------------------------------------------------------------


def test_a_new_card_pays_an_open_invoice_that_is_due_at_once(world):
    # GIVEN a card member whose charge on the due date was declined
    m = world.member(token=FakePayments.INSUFFICIENT)
    due = m.starts_on + timedelta(days=30)
    world.run_day(due)
    [invoice] = world.invoices_of(m.account_id)
    assert world.latest(m.account_id).status is MembershipStatus.PAST_DUE
    # WHEN the member gives a new card
    changed = world.membership.change_card(m.account_id, "anna", "tok_visa")
    # THEN the invoice is charged on it at once, and the membership is active again
    assert world.invoice(invoice.invoice_number).status is InvoiceStatus.PAID
    assert changed.status is MembershipStatus.ACTIVE
    assert [c.status for c in world.payments.payments] == ["succeeded"]
    # AND the new card is kept for what comes, and the payment is confirmed by mail
    assert changed.payment_reference != m.payment_reference
    assert changed.history[-1].event == "PAYMENT_METHOD_CHANGED"
    assert world.recorder.mail_causes("payment_received") == [
        f"payment-received:{invoice.invoice_number}"
    ]


def test_a_new_card_that_cannot_pay_the_due_invoice_is_refused_and_not_saved(world):
    # GIVEN a member with a due invoice that was declined
    m = world.member(token=FakePayments.INSUFFICIENT)
    world.run_day(m.starts_on + timedelta(days=30))
    before = world.latest(m.account_id)
    # WHEN the new card is declined too
    with pytest.raises(PaymentDeclined):
        world.membership.change_card(m.account_id, "anna", FakePayments.INSUFFICIENT)
    # THEN nothing changed
    assert world.latest(m.account_id) == before


def test_a_new_card_without_anything_due_is_saved_and_charges_nothing(world):
    # GIVEN a bank member whose invoice is not due yet
    m = world.member(BANK)
    # WHEN a card is given
    changed = world.membership.change_card(m.account_id, "anna", "tok_visa")
    # THEN the membership pays by card from now on, and nothing was charged
    assert changed.payment_method is CARD and changed.payment_reference is not None
    assert world.payments.payments == []


def test_the_same_card_given_twice_is_saved_once(world):
    # GIVEN a member who gave a new card
    m = world.member()
    first = world.membership.change_card(m.account_id, "anna", "tok_other")
    # WHEN the same card is given again
    second = world.membership.change_card(m.account_id, "anna", "tok_other")
    # THEN the provider replayed its authorisation, and nothing new was recorded
    assert second == first
