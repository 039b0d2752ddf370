"""RenewalService.advance and DailyJobs on the fakes: the renewal notice, the renewal order with
the tier re-checked, fewer than 500 points, expiry, and the next term."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from chalicelib.domain.invoices import InvoicePurpose, InvoiceStatus
from chalicelib.domain.membership import Membership, MembershipStatus, PaymentMethod
from chalicelib.services.ports import StaleState
from tests.unit.services import START, World

S = MembershipStatus


@pytest.fixture
def world() -> World:
    return World()


def days(n: int) -> timedelta:
    return timedelta(days=n)


def advance_on(world: World, m: Membership, day: date) -> list[str]:
    world.on(day)
    return world.renewals.advance(m.account_id, m.membership_id)


def set_points(world: World, account_id: str, points: int) -> None:
    world.accounts.put(replace(world.accounts.get(account_id), points=points))


def test_nothing_is_due_before_e_minus_60(world):
    # GIVEN a member WHEN its renewal steps are looked at on E-61 THEN none is due
    m = world.member()
    assert advance_on(world, m, m.expires_on - days(61)) == []
    assert world.recorder.mails_of("renewal_notice") == []


def test_the_renewal_notice_at_e_minus_60_names_the_tier_and_fee_of_the_renewal(world):
    # GIVEN an auto-renewing Silver member
    m = world.member()
    # WHEN the renewal steps run at E-60
    done = advance_on(world, m, m.expires_on - days(60))
    # THEN the renewal notice is queued, naming Silver at 85.00 on the expiry date
    assert done == ["E-60"]
    [mail] = world.recorder.mails_of("renewal_notice")
    assert mail.dedupe_key == f"renewal-notice:{m.membership_id}:1"
    assert mail.context["renewal_tier_name"] == "CPS Silver"
    assert mail.context["renewal_fee"] == {"amount": "85.00", "currency": "EUR"}
    assert mail.context["renews_on"] == m.expires_on.isoformat()
    # AND the step is recorded, so a second run the same day does nothing
    assert advance_on(world, m, m.expires_on - days(60)) == []
    assert len(world.recorder.mails_of("renewal_notice")) == 1


def test_without_auto_renewal_the_member_is_reminded_of_the_expiry_instead(world):
    # GIVEN a member without auto-renewal
    m = world.member(auto_renew=False)
    # WHEN the steps run at E-60, E-30 and E-7
    for offset in (60, 30, 7):
        advance_on(world, m, m.expires_on - days(offset))
    # THEN three expiry reminders came, the last one marked as such; no renewal was ordered
    reminders = world.recorder.mails_of("expiry_reminder")
    assert [r.dedupe_key.rsplit(":", 1)[1] for r in reminders] == ["E-60", "E-30-REMINDER", "E-7"]
    assert [r.context["last"] for r in reminders] == [False, False, True]
    assert world.recorder.orders == [] and world.recorder.mails_of("renewal_notice") == []


def test_the_renewal_is_ordered_at_e_minus_30_for_the_next_term(world):
    # GIVEN an auto-renewing Silver member past its notice
    m = world.member()
    advance_on(world, m, m.expires_on - days(60))
    # WHEN the steps run at E-30
    done = advance_on(world, m, m.expires_on - days(30))
    # THEN the renewal invoice of the next term is ordered, due on the expiry date
    assert done == ["E-30-RENEWAL"]
    [order] = world.recorder.orders
    assert order.order_id == f"renewal:{m.membership_id}:2:1"
    assert (order.purpose, order.tier) == (InvoicePurpose.RENEWAL, "SILVER")
    assert (order.due_on, order.period_from, order.period_to) == (
        m.expires_on,
        m.expires_on,
        date(2028, 3, 1),
    )
    # AND the membership records the renewal decided
    renewed = world.latest(m.account_id)
    assert renewed.renewal is not None and renewed.renewal.order_id == order.order_id
    assert renewed.history[-1].event == "RENEWAL_INVOICED"


def test_a_day_the_job_missed_is_caught_up_in_order(world):
    # GIVEN a member whose steps did not run since the purchase
    m = world.member()
    # WHEN they run at E-20
    done = advance_on(world, m, m.expires_on - days(20))
    # THEN the notice and the renewal order both happen, in order
    assert done == ["E-60", "E-30-RENEWAL"]
    assert len(world.recorder.orders) == 1


def test_a_chosen_renewal_tier_the_points_no_longer_reach_falls_back_to_the_current(world):
    # GIVEN a Silver member who chose Platinum for renewal with 1,700 points
    m = world.member(points=1700)
    world.membership.change(m.account_id, "anna", auto_renew=None, renewal_tier="PLATINUM")
    # WHEN the points fell to 1,200 by E-30
    set_points(world, m.account_id, 1200)
    advance_on(world, m, m.expires_on - days(30))
    # THEN the renewal is ordered as Silver, the current tier
    [order] = world.recorder.orders
    assert order.tier == "SILVER"


def test_a_tier_the_points_no_longer_reach_renews_one_tier_lower(world):
    # GIVEN a Gold member whose points fell to 700
    m = world.member(tier="GOLD", points=1200)
    set_points(world, m.account_id, 700)
    # WHEN the renewal is ordered at E-30
    advance_on(world, m, m.expires_on - days(30))
    # THEN it renews as Silver
    [order] = world.recorder.orders
    assert order.tier == "SILVER"


def test_under_500_points_at_e_minus_30_no_renewal_is_ordered_and_the_term_expires(world):
    # GIVEN an auto-renewing member whose points fell to 400
    m = world.member()
    set_points(world, m.account_id, 400)
    # WHEN the steps run at E-30
    advance_on(world, m, m.expires_on - days(30))
    # THEN nothing is ordered, the member is told, and the history says why
    assert world.recorder.orders == []
    [mail] = world.recorder.mails_of("renewal_not_possible")
    assert (mail.context["points"], mail.context["min_points"]) == (400, 500)
    assert world.latest(m.account_id).history[-1].event == "RENEWAL_NOT_POSSIBLE"
    # AND at E the membership expires for that reason
    advance_on(world, m, m.expires_on)
    expired = world.latest(m.account_id)
    assert expired.status is S.EXPIRED
    assert expired.history[-1].detail == "Fewer than 500 points at renewal."
    assert len(world.recorder.mails_of("membership_expired")) == 1


def test_without_auto_renewal_the_membership_expires_at_e_and_leaves_the_daily_job(world):
    # GIVEN a member without auto-renewal, reminded along the way
    m = world.member(auto_renew=False)
    advance_on(world, m, m.expires_on - days(7))
    # WHEN the steps run at E
    done = advance_on(world, m, m.expires_on)
    # THEN it is EXPIRED, told so, and no day finds it again
    assert done == ["E"]
    expired = world.latest(m.account_id)
    assert expired.status is S.EXPIRED and expired.history[-1].detail == "Auto-renewal was off."
    assert world.recorder.mail_causes("membership_expired") == [
        f"membership-expired:{m.membership_id}:1"
    ]
    assert world.memberships.earliest_due() is None
    assert advance_on(world, m, m.expires_on + days(1)) == []


def test_at_e_a_renewed_membership_starts_its_next_term_with_the_same_number(world):
    # GIVEN a card member whose purchase was charged and whose renewal was invoiced at E-30
    m = world.member()
    world.run_day(m.starts_on + days(30))
    world.run_day(m.expires_on - days(30))
    # WHEN the day of the expiry comes
    world.run_day(m.expires_on)
    # THEN term 2 runs a year from E, with the same number, and its steps start afresh
    renewed = world.latest(m.account_id)
    assert (renewed.term, renewed.status) == (2, S.ACTIVE)
    assert renewed.membership_number == m.membership_number
    assert (renewed.starts_on, renewed.expires_on) == (m.expires_on, date(2028, 3, 2))
    assert renewed.renewal is None and renewed.steps_done == frozenset()
    assert renewed.next_step_on() == date(2028, 3, 2) - days(60)
    # AND the renewal invoice was charged on that day
    renewal = world.invoices.for_purchase(f"renewal:{m.membership_id}:2:1")
    assert renewal.status is InvoiceStatus.PAID and renewal.paid_on == m.expires_on


def test_a_renewal_ordered_while_auto_renewal_is_switched_off_is_never_charged(world):
    # GIVEN a card member at E-30, who switches auto-renewal off while the renewal step runs
    m = world.member()
    world.run_day(m.starts_on + days(30))
    world.run_day(m.expires_on - days(60))
    real_save = world.memberships.save
    raced = []

    def customer_switches_off_first(membership):
        if not raced:
            raced.append(True)
            world.membership.change(m.account_id, "anna", auto_renew=False, renewal_tier=None)
        return real_save(membership)

    world.memberships.save = customer_switches_off_first
    with pytest.raises(StaleState):
        advance_on(world, m, m.expires_on - days(30))
    world.memberships.save = real_save
    # WHEN the message is redelivered and the days run to E
    world.run_day(m.expires_on - days(30))
    world.run_day(m.expires_on)
    # THEN the membership expired as asked, and no renewal was charged
    assert world.latest(m.account_id).status is S.EXPIRED
    assert len(world.payments.payments) == 1  # the purchase only
    renewals = [i for i in world.invoices_of(m.account_id) if i.purpose is InvoicePurpose.RENEWAL]
    assert all(i.status is InvoiceStatus.CANCELLED for i in renewals)


def test_an_ended_membership_has_no_renewal_steps(world):
    # GIVEN a cancelled membership
    m = world.member()
    world.memberships.put(replace(world.latest(m.account_id), status=S.CANCELLED, version=3))
    # WHEN its steps run at E THEN nothing happens
    assert advance_on(world, m, m.expires_on) == []
    assert world.recorder.mails_of("membership_expired") == [] and world.recorder.orders == []


# --- the daily jobs -----------------------------------------------------------------------------


def test_the_renewal_job_queues_only_the_memberships_with_a_step_due(world):
    # GIVEN a member bought today and one bought 310 days ago (its E-60 has passed)
    world.on(START.date() - days(310))
    old = world.member()
    world.on(START.date())
    world.member()
    # WHEN today's renewal job runs
    queued = world.jobs.renewals()
    # THEN one message names the older membership
    assert queued == {"queued": 1}
    assert world.recorder.work == [
        {
            "kind": "membership",
            "account_id": old.account_id,
            "membership_id": old.membership_id,
            "day": START.date().isoformat(),
        }
    ]


def test_the_collection_job_queues_the_invoices_with_a_step_due(world):
    # GIVEN a card invoice due today and a bank invoice due in 30 days (its D-7 not yet come)
    card = world.member()
    [invoice] = world.invoices_of(card.account_id)
    world.on(invoice.due_on)
    world.member(PaymentMethod.BANK_TRANSFER)
    # WHEN today's collection job runs
    queued = world.jobs.collections()
    # THEN one message names the card invoice
    assert queued == {"queued": 1}
    assert [w["invoice_number"] for w in world.recorder.work] == [invoice.invoice_number]


def test_the_earliest_due_day_is_the_first_step_of_either_job(world):
    # GIVEN nothing stored THEN nothing is ever due
    assert world.jobs.earliest_due() is None
    # GIVEN a bank member bought today
    m = world.member(PaymentMethod.BANK_TRANSFER)
    [invoice] = world.invoices_of(m.account_id)
    # THEN the first day either job has work is the invoice's D-7 reminder
    assert world.jobs.earliest_due() == invoice.due_on - days(7)
