"""The membership year (SPEC §5) as tables: statuses, renewal steps, renewal tier, upgrade
proration, collection plans and invoices. Pure domain, no AWS, no clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.collection import (
    CHARGE_ATTEMPTS,
    PLANS,
    CollectionStep,
    due_steps,
    next_charge_on,
    next_step_on,
    step_date,
)
from chalicelib.domain.errors import Conflict, ValidationFailed
from chalicelib.domain.invoices import (
    BankDetails,
    Invoice,
    InvoiceKind,
    InvoiceOrder,
    InvoicePurpose,
    InvoiceStatus,
    Party,
    credit_note_number,
    invoice_number,
)
from chalicelib.domain.membership import (
    TRANSITIONS,
    HistoryEntry,
    IllegalTransition,
    Membership,
    MembershipStatus,
    PaymentMethod,
    RenewalStep,
    TermsAcceptance,
    Upgrade,
    one_year_after,
    prorated,
    renewal_tier_for,
)
from chalicelib.domain.money import Money
from chalicelib.domain.tiers import tier

S = MembershipStatus
R = RenewalStep
C = CollectionStep
CARD = PaymentMethod.CARD
BANK = PaymentMethod.BANK_TRANSFER

AT = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


def at(day: date) -> datetime:
    return datetime.combine(day, AT.timetz())


JOB = "job:test"
INVOICE_NO = "2026-000001"
START = date(2026, 1, 1)
E = date(2027, 1, 1)  # the expiry of the term that starts on START
D = date(2026, 3, 1)  # an invoice's due date


def a_membership(
    status: MembershipStatus = S.ACTIVE,
    *,
    tier_id: str = "SILVER",
    starts_on: date = START,
    expires_on: date | None = None,
    auto_renew: bool = True,
    steps_done: frozenset[str] = frozenset(),
) -> Membership:
    return Membership(
        account_id="acc-1",
        membership_id="mem-1",
        membership_number="123456789",
        tier=tier_id,
        status=status,
        starts_on=starts_on,
        expires_on=expires_on or one_year_after(starts_on),
        auto_renew=auto_renew,
        payment_method=CARD,
        terms=TermsAcceptance("2026-01", AT, "alice@example.com"),
        purchase_id="purchase-1",
        steps_done=steps_done,
    )


def done(*steps: RenewalStep | CollectionStep) -> frozenset[str]:
    return frozenset(s.value for s in steps)


def euros(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


# --- statuses -----------------------------------------------------------------------------------

# One public way into each status.
MOVE_TO = {
    S.PAST_DUE: lambda m: m.past_due(INVOICE_NO, AT, JOB),
    S.SUSPENDED: lambda m: m.suspend(INVOICE_NO, AT, JOB),
    S.CANCELLED: lambda m: m.cancel_for_non_payment(INVOICE_NO, AT, JOB),
    S.EXPIRED: lambda m: m.expire(AT, JOB, "Auto-renewal was off."),
    S.ACTIVE: lambda m: m.settled(INVOICE_NO, AT, JOB, still_overdue=False),
}
DETAIL = {
    S.PAST_DUE: f"Invoice {INVOICE_NO} is overdue.",
    S.SUSPENDED: f"Invoice {INVOICE_NO} is unpaid 14 days after its due date.",
    S.CANCELLED: f"Invoice {INVOICE_NO} is unpaid 30 days after its due date.",
    S.EXPIRED: "Auto-renewal was off.",
    S.ACTIVE: "Payment received.",
}
ALLOWED = [(a, b) for a in S for b in S if b in TRANSITIONS[a]]
# Pairs outside the table whose method leaves the status alone instead of refusing: repeating a
# step (idempotent), past_due on anything already behind or ended, and a payment received for a
# membership that is not behind (recorded, nothing else).
UNCHANGED = {
    (S.PAST_DUE, S.PAST_DUE),
    (S.SUSPENDED, S.SUSPENDED),
    (S.CANCELLED, S.CANCELLED),
    (S.SUSPENDED, S.PAST_DUE),
    (S.EXPIRED, S.PAST_DUE),
    (S.CANCELLED, S.PAST_DUE),
    (S.ACTIVE, S.ACTIVE),
    (S.EXPIRED, S.ACTIVE),
    (S.CANCELLED, S.ACTIVE),
}
REFUSED = [(a, b) for a in S for b in S if b not in TRANSITIONS[a] and (a, b) not in UNCHANGED]


def _pair_id(pair: tuple[MembershipStatus, MembershipStatus]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


def test_the_transition_table_is_the_one_in_the_spec():
    # GIVEN the statuses of SPEC §5 (an unpaid term may still end: EXPIRED from behind)
    expected = {
        S.ACTIVE: {S.PAST_DUE, S.EXPIRED},
        S.PAST_DUE: {S.ACTIVE, S.SUSPENDED, S.EXPIRED},
        S.SUSPENDED: {S.ACTIVE, S.CANCELLED, S.EXPIRED},
        S.EXPIRED: set(),
        S.CANCELLED: set(),
    }
    # WHEN / THEN
    assert {k: set(v) for k, v in TRANSITIONS.items()} == expected
    assert not UNCHANGED & set(ALLOWED)


@pytest.mark.parametrize("pair", ALLOWED, ids=_pair_id)
def test_every_allowed_transition_moves_and_records_a_history_entry(pair):
    # GIVEN a membership in the first status
    before, after = pair
    m = a_membership(before)
    # WHEN it is moved to the second one through its public method
    moved = MOVE_TO[after](m)
    # THEN the status changes and the last history entry says what, why, when and by whom
    assert moved.status is after
    assert moved.history[-1] == HistoryEntry(AT, after.value, DETAIL[after], JOB)
    assert m.status is before  # the aggregate is immutable


@pytest.mark.parametrize("pair", REFUSED, ids=_pair_id)
def test_every_transition_outside_the_table_is_refused(pair):
    # GIVEN a membership in the first status
    before, after = pair
    m = a_membership(before)
    # WHEN it is asked to move to the second one / THEN it refuses
    with pytest.raises(IllegalTransition):
        MOVE_TO[after](m)


def test_the_refused_transitions_include_the_obvious_ones():
    # GIVEN / WHEN the generated refusals / THEN an ended membership cannot be brought back
    assert {
        (S.EXPIRED, S.SUSPENDED),
        (S.EXPIRED, S.EXPIRED),
        (S.CANCELLED, S.EXPIRED),
        (S.ACTIVE, S.SUSPENDED),
        (S.ACTIVE, S.CANCELLED),
        (S.PAST_DUE, S.CANCELLED),
    } <= set(REFUSED)


def test_an_illegal_transition_is_a_conflict():
    # GIVEN an expired membership / WHEN suspended / THEN a Conflict (409) with its own code
    with pytest.raises(Conflict) as refused:
        a_membership(S.EXPIRED).suspend(INVOICE_NO, AT, JOB)
    assert refused.value.code == "ILLEGAL_TRANSITION"


@pytest.mark.parametrize(
    "pair",
    [
        (S.PAST_DUE, S.PAST_DUE),
        (S.SUSPENDED, S.SUSPENDED),
        (S.CANCELLED, S.CANCELLED),
        (S.SUSPENDED, S.PAST_DUE),
        (S.EXPIRED, S.PAST_DUE),
        (S.CANCELLED, S.PAST_DUE),
    ],
    ids=_pair_id,
)
def test_repeating_a_collection_step_returns_the_same_membership(pair):
    # GIVEN a membership already at or beyond the step
    status, move = pair
    m = a_membership(status)
    # WHEN the step runs again (a retried job)
    again = MOVE_TO[move](m)
    # THEN nothing changes, not even the history
    assert again is m


@pytest.mark.parametrize("status", [S.ACTIVE, S.EXPIRED, S.CANCELLED], ids=str)
def test_a_payment_for_a_membership_not_behind_is_recorded_without_a_status_change(status):
    # GIVEN a membership that is not PAST_DUE or SUSPENDED
    m = a_membership(status)
    # WHEN an invoice of it is paid
    paid = m.settled(INVOICE_NO, AT, JOB, still_overdue=False)
    # THEN the payment is in the history and the status stays
    assert paid.status is status
    assert paid.history == (
        HistoryEntry(AT, "PAYMENT_RECEIVED", f"Invoice {INVOICE_NO} is paid.", JOB),
    )


# --- settled ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.PAST_DUE, S.SUSPENDED], ids=str)
def test_paying_the_only_overdue_invoice_makes_the_membership_active_again(status):
    # GIVEN a membership behind on one invoice
    m = a_membership(status)
    # WHEN that invoice is paid and no other is overdue
    settled = m.settled(INVOICE_NO, AT, JOB, still_overdue=False)
    # THEN it is ACTIVE, after the payment was recorded
    assert settled.status is S.ACTIVE
    assert [e.event for e in settled.history] == ["PAYMENT_RECEIVED", "ACTIVE"]


@pytest.mark.parametrize("status", [S.PAST_DUE, S.SUSPENDED], ids=str)
def test_paying_one_invoice_while_another_is_overdue_keeps_the_status(status):
    # GIVEN a membership behind
    m = a_membership(status)
    # WHEN one invoice is paid but another is still overdue
    settled = m.settled(INVOICE_NO, AT, JOB, still_overdue=True)
    # THEN the status stays; only the payment is recorded
    assert settled.status is status
    assert [e.event for e in settled.history] == ["PAYMENT_RECEIVED"]


# --- renewal steps ------------------------------------------------------------------------------


def run_daily(m: Membership, first: date, last: date) -> dict[date, list[RenewalStep]]:
    """The daily renewal job from `first` to `last`, as the service runs it: one due step at a
    time, a renewal ordered at E-30 (points enough), the end only marked."""
    calendar: dict[date, list[RenewalStep]] = {}
    day = first
    while day <= last:
        while steps := m.due_steps(day):
            step = steps[0]
            calendar.setdefault(day, []).append(step)
            if step is R.RENEWAL:
                m = m.renewal_ordered(tier(m.tier), AT, JOB)
            m = m.step_done(step)
        day += timedelta(days=1)
    return calendar


@pytest.mark.parametrize(
    ("expires_on", "auto_renew", "expected"),
    [
        (
            date(2027, 1, 1),
            True,
            {
                date(2026, 11, 2): [R.NOTICE],
                date(2026, 12, 2): [R.RENEWAL],
                date(2027, 1, 1): [R.END],
            },
        ),
        (
            date(2027, 1, 1),
            False,
            {
                date(2026, 11, 2): [R.NOTICE],
                date(2026, 12, 2): [R.REMINDER],
                date(2026, 12, 25): [R.LAST_REMINDER],
                date(2027, 1, 1): [R.END],
            },
        ),
        (  # across a leap February: E-30 is 29 February
            date(2028, 3, 30),
            False,
            {
                date(2028, 1, 30): [R.NOTICE],
                date(2028, 2, 29): [R.REMINDER],
                date(2028, 3, 23): [R.LAST_REMINDER],
                date(2028, 3, 30): [R.END],
            },
        ),
        (  # the same expiry a year earlier: E-30 is 28 February
            date(2027, 3, 30),
            True,
            {
                date(2027, 1, 29): [R.NOTICE],
                date(2027, 2, 28): [R.RENEWAL],
                date(2027, 3, 30): [R.END],
            },
        ),
    ],
    ids=["auto-on", "auto-off", "auto-off-leap-february", "auto-on-plain-february"],
)
def test_each_renewal_step_falls_due_on_its_day_of_the_table(expires_on, auto_renew, expected):
    # GIVEN a membership expiring on E
    m = a_membership(
        starts_on=expires_on - timedelta(days=365), expires_on=expires_on, auto_renew=auto_renew
    )
    # WHEN the daily job runs every day from E-90 to E
    calendar = run_daily(m, expires_on - timedelta(days=90), expires_on)
    # THEN each step was done once, on its own day
    assert calendar == expected


@pytest.mark.parametrize(
    ("auto_renew", "days_before_e", "already", "expected"),
    [
        (True, 61, done(), []),
        (True, 60, done(), [R.NOTICE]),
        (True, 31, done(R.NOTICE), []),
        (True, 30, done(R.NOTICE), [R.RENEWAL]),
        (True, 7, done(R.NOTICE, R.RENEWAL), []),
        (True, 0, done(R.NOTICE, R.RENEWAL), [R.END]),
        (False, 61, done(), []),
        (False, 60, done(), [R.NOTICE]),
        (False, 30, done(R.NOTICE), [R.REMINDER]),
        (False, 8, done(R.NOTICE, R.REMINDER), []),
        (False, 7, done(R.NOTICE, R.REMINDER), [R.LAST_REMINDER]),
        (False, 0, done(R.NOTICE, R.REMINDER, R.LAST_REMINDER), [R.END]),
    ],
)
def test_the_steps_due_on_a_day_follow_the_renewal_table(
    auto_renew, days_before_e, already, expected
):
    # GIVEN a membership with the earlier steps done
    m = a_membership(auto_renew=auto_renew, steps_done=already)
    # WHEN the job asks what is due on the day
    due = m.due_steps(E - timedelta(days=days_before_e))
    # THEN it is the table's step of that day, or nothing
    assert due == expected


@pytest.mark.parametrize(
    ("auto_renew", "days_before_e", "expected"),
    [
        (True, 20, [R.NOTICE, R.RENEWAL]),
        (False, 20, [R.NOTICE, R.REMINDER]),
        (False, 3, [R.NOTICE, R.REMINDER, R.LAST_REMINDER]),
    ],
)
def test_missed_days_are_caught_up_in_order(auto_renew, days_before_e, expected):
    # GIVEN a membership whose job has not run since before E-60
    m = a_membership(auto_renew=auto_renew)
    # WHEN the job runs late
    due = m.due_steps(E - timedelta(days=days_before_e))
    # THEN every missed step is due, in the table's order
    assert due == expected


@pytest.mark.parametrize(
    ("auto_renew", "already"),
    [(False, done()), (True, done(R.RENEWAL)), (True, done(R.NOTICE, R.RENEWAL))],
    ids=["auto-off", "auto-on-renewal-decided", "auto-on-notice-and-renewal-done"],
)
@pytest.mark.parametrize("days_after_e", [0, 5])
def test_once_the_term_is_over_only_the_end_is_due(auto_renew, already, days_after_e):
    # GIVEN a membership whose notices and reminders were missed
    m = a_membership(auto_renew=auto_renew, steps_done=already)
    # WHEN the job first runs on or after E
    due = m.due_steps(E + timedelta(days=days_after_e))
    # THEN notices and reminders are no longer sent: only the end
    assert due == [R.END]


@pytest.mark.parametrize(
    ("auto_renew", "already"),
    [(False, done(R.NOTICE, R.REMINDER, R.LAST_REMINDER)), (True, done())],
    ids=["switched-on-on-E-minus-1", "job-down-from-E-60-to-E-1"],
)
def test_with_auto_renewal_on_a_renewal_not_yet_ordered_on_e_is_ordered_before_the_end(
    auto_renew, already
):
    # GIVEN auto-renewal on at E (just switched on, or the job missed E-30), nothing ordered
    m = a_membership(auto_renew=auto_renew, steps_done=already)
    if not auto_renew:
        m = m.with_auto_renew(True, AT, "alice")
    # WHEN the job runs on E
    due = m.due_steps(E)
    # THEN the renewal is ordered first, so that the end starts the next term (SPEC §5: with
    # auto-renewal on, "the next term starts" on E; switched on after E-30, the renewal
    # invoice is issued "at the next daily run")
    assert due == [R.RENEWAL, R.END]


@pytest.mark.parametrize(
    ("auto_renew", "already", "expected"),
    [
        (True, done(), E - timedelta(days=60)),
        (True, done(R.NOTICE), E - timedelta(days=30)),
        (True, done(R.NOTICE, R.RENEWAL), E),
        (False, done(R.NOTICE), E - timedelta(days=30)),
        (False, done(R.NOTICE, R.REMINDER), E - timedelta(days=7)),
        (False, done(R.NOTICE, R.REMINDER, R.LAST_REMINDER), E),
        (True, done(R.NOTICE, R.RENEWAL, R.END), None),
    ],
)
def test_next_step_on_is_the_date_of_the_next_pending_step(auto_renew, already, expected):
    # GIVEN a membership with some steps done
    m = a_membership(auto_renew=auto_renew, steps_done=already)
    # WHEN / THEN the job looks again on the next step's day
    assert m.next_step_on() == expected


@pytest.mark.parametrize("status", [S.EXPIRED, S.CANCELLED], ids=str)
def test_an_ended_membership_has_no_steps_left(status):
    # GIVEN an ended membership with nothing done
    m = a_membership(status)
    # WHEN / THEN nothing is ever due again
    assert m.due_steps(E) == [] and m.pending_steps() == [] and m.next_step_on() is None


def test_a_renewal_starts_the_next_term_on_the_old_expiry_with_the_same_number():
    # GIVEN a SILVER membership whose renewal as GOLD was ordered and whose steps are done
    m = (
        a_membership(tier_id="SILVER", steps_done=done(R.NOTICE, R.RENEWAL))
        .choose_renewal_tier("GOLD", 1200, AT, "alice")
        .renewal_ordered(tier("GOLD"), AT, JOB)
    )
    # WHEN the term ends
    renewed = m.renewed(AT, JOB)
    # THEN term 2 runs a year from the old E, same number, new tier, nothing of term 1 left over
    assert (renewed.starts_on, renewed.expires_on) == (E, date(2028, 1, 1))
    assert renewed.term == 2 and renewed.membership_number == m.membership_number
    assert renewed.tier == "GOLD" and renewed.status is S.ACTIVE
    assert renewed.steps_done == frozenset() and renewed.renewal is None
    assert renewed.renewal_tier is None and renewed.renewals_ordered == 0
    assert renewed.history[-1] == HistoryEntry(AT, "RENEWED", "CPS Gold until 2028-01-01.", JOB)
    assert renewed.next_step_on() == date(2028, 1, 1) - timedelta(days=60)
    assert renewed.renewal_order_id == "renewal:mem-1:3:1"


def test_without_an_ordered_renewal_the_term_cannot_be_renewed():
    # GIVEN a membership whose renewal was never ordered / WHEN renewed / THEN refused
    with pytest.raises(IllegalTransition):
        a_membership().renewed(AT, JOB)


def test_a_term_starting_on_29_february_ends_on_28_february_and_renews_to_the_next_28th():
    # GIVEN a membership bought on 29 February 2028
    m = a_membership(starts_on=date(2028, 2, 29))
    # WHEN its term ends with a renewal
    renewed = m.renewal_ordered(tier("SILVER"), AT, JOB).renewed(AT, JOB)
    # THEN the first term ends on 28 February 2029, the next one on 28 February 2030
    assert (m.starts_on, m.expires_on, m.days_in_term) == (
        date(2028, 2, 29),
        date(2029, 2, 28),
        365,
    )
    assert (renewed.starts_on, renewed.expires_on) == (date(2029, 2, 28), date(2030, 2, 28))


# --- switching auto-renewal ---------------------------------------------------------------------


def test_switching_auto_renewal_on_after_e_minus_30_orders_the_renewal_at_the_next_run():
    # GIVEN auto-renewal off, the E-60 and E-30 reminders sent
    m = a_membership(auto_renew=False, steps_done=done(R.NOTICE, R.REMINDER))
    assert m.due_steps(E - timedelta(days=20)) == []
    # WHEN the customer switches it on at E-20
    on = m.with_auto_renew(True, AT, "alice")
    # THEN the next daily run orders the renewal; no reminder is due any more
    assert on.due_steps(E - timedelta(days=19)) == [R.RENEWAL]
    assert on.next_step_on() == E - timedelta(days=30)
    assert on.history[-1] == HistoryEntry(AT, "AUTO_RENEWAL_ON", "", "alice")


def test_switching_off_and_on_again_after_an_unordered_renewal_makes_it_due_again():
    # GIVEN auto-renewal on, E-30 passed without an order (too few points then)
    m = a_membership(steps_done=done(R.NOTICE, R.RENEWAL))
    assert m.due_steps(E - timedelta(days=10)) == []
    # WHEN the customer switches it off and on again
    again = m.with_auto_renew(False, AT, "alice").with_auto_renew(True, AT, "alice")
    # THEN the renewal is due at the next run
    assert again.due_steps(E - timedelta(days=10)) == [R.RENEWAL]


def test_switching_auto_renewal_off_after_the_renewal_was_ordered_lets_the_term_expire():
    # GIVEN auto-renewal on and the renewal ordered at E-30
    m = a_membership(steps_done=done(R.NOTICE, R.RENEWAL)).renewal_ordered(tier("SILVER"), AT, JOB)
    # WHEN the customer switches it off (the service withdraws the renewal with it)
    off = m.with_auto_renew(False, AT, "alice").renewal_withdrawn(AT, "alice")
    # THEN there is no renewal: at E the end is due and it is an expiry
    assert off.renewal is None and not off.auto_renew
    assert off.history[-1].event == "RENEWAL_CANCELLED"
    assert off.due_steps(E) == [R.END]
    assert off.expire(AT, JOB, "The renewal was cancelled.").status is S.EXPIRED
    with pytest.raises(IllegalTransition):
        off.renewed(AT, JOB)


def test_a_renewal_ordered_again_after_a_withdrawal_gets_a_new_order_id():
    # GIVEN a renewal ordered, then withdrawn by switching auto-renewal off
    m = a_membership(steps_done=done(R.NOTICE, R.RENEWAL))
    first_id = m.renewal_order_id
    withdrawn = (
        m.renewal_ordered(tier("SILVER"), AT, JOB)
        .with_auto_renew(False, AT, "alice")
        .renewal_withdrawn(AT, "alice")
    )
    # WHEN auto-renewal is switched on again
    on = withdrawn.with_auto_renew(True, AT, "alice")
    # THEN the renewal is due again, under an order id that was not used (its invoice is credited)
    assert on.due_steps(E - timedelta(days=10)) == [R.RENEWAL]
    assert (first_id, on.renewal_order_id) == ("renewal:mem-1:2:1", "renewal:mem-1:2:2")


def test_withdrawing_a_renewal_that_was_never_ordered_changes_nothing():
    # GIVEN no renewal ordered / WHEN withdrawn / THEN the same membership
    m = a_membership()
    assert m.renewal_withdrawn(AT, "alice") is m


def test_setting_auto_renewal_to_its_current_value_changes_nothing():
    # GIVEN auto-renewal on / WHEN switched on / THEN the same membership, no history
    m = a_membership(auto_renew=True)
    assert m.with_auto_renew(True, AT, "alice") is m


@pytest.mark.parametrize("status", [S.EXPIRED, S.CANCELLED], ids=str)
def test_an_ended_membership_cannot_switch_auto_renewal(status):
    # GIVEN an ended membership / WHEN auto-renewal is switched / THEN refused
    with pytest.raises(Conflict):
        a_membership(status, auto_renew=False).with_auto_renew(True, AT, "alice")


# --- the renewal tier ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "chosen", "points", "expected"),
    [
        ("PLATINUM", "CORPORATE_C", 2600, "CORPORATE_C"),  # chosen, other family
        ("CORPORATE_C", "GOLD", 2600, "GOLD"),  # chosen, lower and other family
        ("GOLD", "SILVER", 1200, "SILVER"),  # chosen, lower
        ("GOLD", "CORPORATE_C", 1200, "GOLD"),  # chosen not eligible: current
        ("PLATINUM", None, 5000, "PLATINUM"),  # current, not moved up by itself
        ("SILVER", None, 500, "SILVER"),  # the minimum exactly
        ("CORPORATE_C", None, 1800, "PLATINUM"),  # current not eligible: highest below
        ("GOLD", None, 700, "SILVER"),
        ("CORPORATE_A", None, 5000, "CORPORATE_B"),
        ("CORPORATE_A", "CORPORATE_B", 3000, "CORPORATE_C"),  # neither: highest below
        ("SILVER", None, 499, None),  # under 500: nothing is renewed
        ("GOLD", "SILVER", 400, None),
    ],
)
def test_the_renewal_tier_is_the_chosen_else_the_current_else_the_highest_below(
    current, chosen, points, expected
):
    # GIVEN the current tier, the customer's choice and the points at E-30
    # WHEN the renewal tier is decided
    decided = renewal_tier_for(current, chosen, points)
    # THEN it is the spec's tier, or none
    assert (decided.tier if decided else None) == expected


def test_an_eligible_renewal_tier_can_be_chosen_until_the_renewal_is_ordered():
    # GIVEN a PLATINUM member with 2600 points
    m = a_membership(tier_id="PLATINUM")
    # WHEN the customer picks CORPORATE_C for the renewal
    chosen = m.choose_renewal_tier("CORPORATE_C", 2600, AT, "alice")
    # THEN it is kept, shown with its fee, and refused once the renewal invoice is ordered
    assert chosen.renewal_tier == "CORPORATE_C"
    assert chosen.renewal_view(2600, E, "EUR") == (tier("CORPORATE_C"), euros("1000"))
    ordered = chosen.renewal_ordered(tier("CORPORATE_C"), AT, JOB)
    with pytest.raises(Conflict):
        ordered.choose_renewal_tier("PLATINUM", 2600, AT, "alice")


def test_a_renewal_tier_beyond_the_points_cannot_be_chosen():
    # GIVEN a GOLD member with 1200 points / WHEN PLATINUM is chosen / THEN refused
    with pytest.raises(ValidationFailed) as refused:
        a_membership(tier_id="GOLD").choose_renewal_tier("PLATINUM", 1200, AT, "alice")
    assert "renewal_tier" in refused.value.fields


@pytest.mark.parametrize(
    ("points", "expected"),
    [(1200, ("GOLD", "170")), (700, ("SILVER", "85")), (499, None)],
)
def test_the_renewal_view_shows_what_the_rule_gives_with_todays_points(points, expected):
    # GIVEN a GOLD member with auto-renewal on
    m = a_membership(tier_id="GOLD", auto_renew=True)
    # WHEN the renewal is shown
    view = m.renewal_view(points, E, "EUR")
    # THEN tier and fee follow the rule, or nothing under 500 points
    if expected:
        assert view == (tier(expected[0]), euros(expected[1]))
    else:
        assert view is None


def test_with_auto_renewal_off_there_is_no_renewal_to_show():
    # GIVEN auto-renewal off / WHEN / THEN nothing renews
    assert a_membership(auto_renew=False).renewal_view(5000, E, "EUR") is None


# --- upgrade proration --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("difference", "days_left", "days_in_term", "expected"),
    [
        ("85", 182, 365, "42.38"),  # 42.3835…
        ("85", 73, 365, "17.00"),  # a fifth, exactly
        ("85", 365, 365, "85.00"),
        ("85", 1, 366, "0.23"),  # 0.2322…, a leap term
        ("130", 1, 366, "0.36"),  # 0.3551…
        ("4700", 100, 365, "1287.67"),  # 1287.6712…
        ("215", 0, 365, "0.00"),
        # Integer fee differences over 365 or 366 days never land on half a cent exactly
        # (365 = 5·73, 366 = 2·3·61), so the half-up rule is shown with other divisors:
        ("85", 1, 8, "10.63"),  # 10.625 → 10.63 (half-even would give 10.62)
        ("85", 1, 40, "2.13"),  # 2.125 → 2.13 (half-even: 2.12)
        ("0.01", 1, 2, "0.01"),  # 0.005 → 0.01 (half-even: 0.00)
    ],
)
def test_proration_is_the_difference_times_days_left_over_days_in_term_half_up(
    difference, days_left, days_in_term, expected
):
    # GIVEN a fee difference / WHEN prorated / THEN rounded half-up to cents
    assert prorated(euros(difference), days_left, days_in_term) == euros(expected)


@pytest.mark.parametrize(
    ("current", "new", "points", "starts_on", "today", "currency", "amount", "days"),
    [
        ("SILVER", "GOLD", 1000, START, date(2026, 7, 3), "EUR", "42.38", "182 of 365"),
        ("SILVER", "GOLD", 1000, date(2027, 3, 1), date(2028, 2, 29), "EUR", "0.23", "1 of 366"),
        ("GOLD", "PLATINUM", 1600, date(2027, 3, 1), date(2028, 2, 29), "GBP", "0.36", "1 of 366"),
        ("SILVER", "CORPORATE_C", 2500, START, START, "EUR", "915.00", "365 of 365"),
        (
            "PLATINUM",
            "CORPORATE_A",
            10000,
            START,
            date(2026, 9, 23),
            "EUR",
            "1287.67",
            "100 of 365",
        ),
    ],
)
def test_an_upgrade_changes_the_tier_today_and_charges_the_prorated_difference(
    current, new, points, starts_on, today, currency, amount, days
):
    # GIVEN an active member whose points reach a tier with a higher fee
    m = a_membership(tier_id=current, starts_on=starts_on)
    # WHEN the member upgrades on `today`
    upgraded = m.upgrade(new, points, currency, at(today), "alice", "upgrade:k1")
    # THEN the tier changes, number and dates stay, and the difference is prorated by days
    assert upgraded.last_upgrade == Upgrade(
        "upgrade:k1", new, Money(Decimal(amount), currency), today
    )
    assert upgraded.tier == new and upgraded.status is S.ACTIVE
    assert (upgraded.membership_number, upgraded.starts_on, upgraded.expires_on) == (
        m.membership_number,
        m.starts_on,
        m.expires_on,
    )
    assert upgraded.history[-1].event == "UPGRADED"
    assert f"{days} days prorated" in upgraded.history[-1].detail


@pytest.mark.parametrize(
    ("current", "new", "points"),
    [
        ("GOLD", "SILVER", 5000),  # a downgrade
        ("GOLD", "GOLD", 5000),  # the same tier
        ("CORPORATE_C", "PLATINUM", 5000),  # another family, lower fee
        ("PLATINUM", "CORPORATE_C", 2000),  # higher fee, not eligible
        ("SILVER", "GOLD", 999),
    ],
)
def test_an_upgrade_to_a_tier_not_higher_or_not_eligible_is_refused(current, new, points):
    # GIVEN an active member
    m = a_membership(tier_id=current)
    # WHEN the upgrade is asked / THEN it is refused as invalid, on the tier field
    with pytest.raises(ValidationFailed) as refused:
        m.upgrade(new, points, "EUR", at(date(2026, 6, 1)), "alice", "upgrade:k1")
    assert "tier" in refused.value.fields


@pytest.mark.parametrize("status", [S.PAST_DUE, S.SUSPENDED, S.EXPIRED, S.CANCELLED], ids=str)
def test_only_an_active_membership_can_be_upgraded(status):
    # GIVEN a membership that is not ACTIVE
    m = a_membership(status, tier_id="SILVER")
    # WHEN it asks for an eligible, higher tier / THEN it conflicts with its state
    with pytest.raises(Conflict):
        m.upgrade("GOLD", 5000, "EUR", at(date(2026, 6, 1)), "alice", "upgrade:k1")


@pytest.mark.parametrize("today", [E, START - timedelta(days=1)], ids=["on-E", "before-start"])
def test_an_upgrade_outside_the_term_is_refused(today):
    # GIVEN an ACTIVE membership / WHEN upgraded outside its term / THEN a conflict
    with pytest.raises(Conflict):
        a_membership().upgrade("GOLD", 5000, "EUR", at(today), "alice", "upgrade:k1")


# --- collection plans ---------------------------------------------------------------------------


def test_the_card_plan_charges_on_d_and_retries_on_d_plus_3_7_and_14():
    # GIVEN a card invoice due on D / WHEN its plan is dated / THEN the spec's days
    assert [(s, step_date(CARD, s, D)) for s, _ in PLANS[CARD]] == [
        (C.CHARGE, D),
        (C.RETRY_3, D + timedelta(days=3)),
        (C.RETRY_7, D + timedelta(days=7)),
        (C.RETRY_14, D + timedelta(days=14)),
        (C.SUSPEND, D + timedelta(days=14)),
        (C.CANCEL, D + timedelta(days=30)),
    ]


def test_the_bank_plan_reminds_at_d_minus_7_d_plus_1_and_d_plus_7():
    # GIVEN a bank-transfer invoice due on D / WHEN its plan is dated / THEN the spec's days
    assert [(s, step_date(BANK, s, D)) for s, _ in PLANS[BANK]] == [
        (C.REMINDER, D - timedelta(days=7)),
        (C.PAST_DUE, D + timedelta(days=1)),
        (C.OVERDUE_REMINDER, D + timedelta(days=7)),
        (C.SUSPEND, D + timedelta(days=14)),
        (C.CANCEL, D + timedelta(days=30)),
    ]


def test_the_charging_steps_are_attempts_one_to_four():
    # GIVEN / WHEN / THEN
    assert CHARGE_ATTEMPTS == {C.CHARGE: 1, C.RETRY_3: 2, C.RETRY_7: 3, C.RETRY_14: 4}


@pytest.mark.parametrize(
    ("method", "offset", "already", "todo", "passed"),
    [
        (CARD, -1, done(), [], []),
        (CARD, 0, done(), [C.CHARGE], []),
        (CARD, 2, done(C.CHARGE), [], []),
        (CARD, 3, done(C.CHARGE), [C.RETRY_3], []),
        (CARD, 8, done(), [C.RETRY_7], [C.CHARGE, C.RETRY_3]),
        (CARD, 14, done(C.CHARGE, C.RETRY_3, C.RETRY_7), [C.RETRY_14, C.SUSPEND], []),
        (CARD, 16, done(C.CHARGE), [C.RETRY_14, C.SUSPEND], [C.RETRY_3, C.RETRY_7]),
        (
            CARD,
            29,
            done(C.CHARGE, C.RETRY_3, C.RETRY_7, C.RETRY_14, C.SUSPEND),
            [],
            [],
        ),
        (
            CARD,
            30,
            done(C.CHARGE, C.RETRY_3, C.RETRY_7, C.RETRY_14, C.SUSPEND),
            [C.CANCEL],
            [],
        ),
        (
            CARD,
            45,
            done(),
            [C.RETRY_14, C.SUSPEND, C.CANCEL],
            [C.CHARGE, C.RETRY_3, C.RETRY_7],
        ),
        (BANK, -8, done(), [], []),
        (BANK, -7, done(), [C.REMINDER], []),
        (BANK, -1, done(), [C.REMINDER], []),
        (BANK, 0, done(), [], [C.REMINDER]),
        (BANK, 1, done(), [C.PAST_DUE], [C.REMINDER]),
        (BANK, 1, done(C.REMINDER), [C.PAST_DUE], []),
        (BANK, 7, done(C.REMINDER, C.PAST_DUE), [C.OVERDUE_REMINDER], []),
        (BANK, 14, done(C.REMINDER, C.PAST_DUE, C.OVERDUE_REMINDER), [C.SUSPEND], []),
        (
            BANK,
            30,
            done(C.REMINDER, C.PAST_DUE, C.OVERDUE_REMINDER, C.SUSPEND),
            [C.CANCEL],
            [],
        ),
    ],
)
def test_due_collection_steps_catch_up_without_repeating_a_charge_or_a_late_reminder(
    method, offset, already, todo, passed
):
    # GIVEN an invoice due on D with some steps done
    # WHEN the collection job runs `offset` days from D
    result = due_steps(method, D, already, D + timedelta(days=offset))
    # THEN it does the due steps in order and passes over the stale ones
    assert result == (todo, passed)


@pytest.mark.parametrize(
    ("method", "already", "expected"),
    [
        (CARD, done(), D),
        (CARD, done(C.CHARGE), D + timedelta(days=3)),
        (CARD, done(C.CHARGE, C.RETRY_3, C.RETRY_7), D + timedelta(days=14)),
        (CARD, done(C.CHARGE, C.RETRY_3, C.RETRY_7, C.RETRY_14, C.SUSPEND), D + timedelta(30)),
        (BANK, done(), D - timedelta(days=7)),
        (BANK, done(C.REMINDER), D + timedelta(days=1)),
        (CARD, done(*(s for s, _ in PLANS[CARD])), None),
        (BANK, done(*(s for s, _ in PLANS[BANK])), None),
    ],
)
def test_the_next_collection_date_is_that_of_the_next_pending_step(method, already, expected):
    # GIVEN an invoice with some steps done / WHEN / THEN the job looks again on that day
    assert next_step_on(method, D, already) == expected


@pytest.mark.parametrize(
    ("declined", "expected"),
    [
        (C.CHARGE, D + timedelta(days=3)),
        (C.RETRY_3, D + timedelta(days=7)),
        (C.RETRY_7, D + timedelta(days=14)),
        (C.RETRY_14, None),
    ],
)
def test_after_a_declined_attempt_the_next_one_is_the_next_retry_day(declined, expected):
    # GIVEN a declined charge attempt / WHEN / THEN the next attempt's day, none after the 4th
    assert next_charge_on(declined, D) == expected


# --- invoices -----------------------------------------------------------------------------------


def an_invoice(method: PaymentMethod = BANK, **changes: object) -> Invoice:
    invoice = Invoice(
        invoice_number=INVOICE_NO,
        account_id="acc-1",
        purchase_id="purchase-1",
        issued_on=D - timedelta(days=30),
        due_on=D,
        seller=Party("Canon Europa N.V.", "Amstelveen", "NL", "NL004495445B01"),
        buyer=Party("Studio", "Amsterdam", "NL", None),
        description="CPS Silver",
        net=euros("85"),
        vat_rate=Decimal("0.21"),
        vat=euros("17.85"),
        total=euros("102.85"),
        vat_note=None,
        purchase_order_number="PO-42",
        payment_method=method,
        bank_details=(
            BankDetails("Canon Europa N.V.", "NL91ABNA0417164300", "ABNANL2A", "CPS2026000001")
            if method is BANK
            else None
        ),
        membership_number="123456789",
        language="en",
        membership_id="mem-1",
    )
    return replace(invoice, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "offset", "expected"),
    [
        (InvoiceStatus.ISSUED, -1, InvoiceStatus.ISSUED),
        (InvoiceStatus.ISSUED, 0, InvoiceStatus.ISSUED),
        (InvoiceStatus.ISSUED, 1, InvoiceStatus.OVERDUE),
        (InvoiceStatus.ISSUED, 40, InvoiceStatus.OVERDUE),
        (InvoiceStatus.PAID, 1, InvoiceStatus.PAID),
        (InvoiceStatus.PAID, 40, InvoiceStatus.PAID),
        (InvoiceStatus.CANCELLED, 31, InvoiceStatus.CANCELLED),
    ],
)
def test_an_unpaid_invoice_is_overdue_from_the_day_after_its_due_date(status, offset, expected):
    # GIVEN an invoice due on D in a stored status
    invoice = an_invoice(status=status)
    # WHEN shown `offset` days from D / THEN only an open one turns OVERDUE, and only after D
    assert invoice.status_on(D + timedelta(days=offset)) is expected


@pytest.mark.parametrize(
    ("status", "offset", "expected"),
    [
        (InvoiceStatus.ISSUED, -3, 0),
        (InvoiceStatus.ISSUED, 0, 0),
        (InvoiceStatus.ISSUED, 1, 1),
        (InvoiceStatus.ISSUED, 30, 30),
        (InvoiceStatus.PAID, 10, 0),
        (InvoiceStatus.CANCELLED, 31, 0),
    ],
)
def test_days_overdue_count_from_the_due_date_for_open_invoices_only(status, offset, expected):
    # GIVEN an invoice due on D / WHEN / THEN the days past D while it is open
    assert an_invoice(status=status).days_overdue(D + timedelta(days=offset)) == expected


def test_a_credit_note_copies_the_amounts_and_refers_to_the_invoice():
    # GIVEN an invoice unpaid 30 days after D
    invoice = an_invoice()
    order = InvoiceOrder(
        order_id="non-payment:2026-000001",
        account_id="acc-1",
        membership_id="mem-1",
        purpose=InvoicePurpose.NON_PAYMENT,
        issued_on=D + timedelta(days=30),
        credits_order_id="purchase-1",
    )
    # WHEN it is credited
    note = invoice.credit_note(order)
    # THEN the draft has the same amounts, its own kind, refers to the invoice, nothing to pay
    assert (note.net, note.vat_rate, note.vat, note.total) == (
        invoice.net,
        invoice.vat_rate,
        invoice.vat,
        invoice.total,
    )
    assert note.kind is InvoiceKind.CREDIT_NOTE and note.purpose is InvoicePurpose.NON_PAYMENT
    assert note.credit_note_for == INVOICE_NO and note.invoice_number == ""
    assert note.issued_on == note.due_on == order.issued_on
    assert note.purchase_id == order.order_id and note.bank_details is None
    assert note.status is InvoiceStatus.ISSUED and not note.is_open
    assert note.status_on(D + timedelta(days=90)) is InvoiceStatus.ISSUED
    assert note.description.startswith(f"Credit note for invoice {INVOICE_NO}")
    assert INVOICE_NO in note.payment_note


def test_a_credit_note_cannot_itself_be_credited():
    # GIVEN a credit note
    order = InvoiceOrder("o", "acc-1", "mem-1", InvoicePurpose.NON_PAYMENT, D)
    note = an_invoice().credit_note(order)
    # WHEN it is credited / THEN refused
    with pytest.raises(Conflict):
        note.credit_note(order)


def test_credit_notes_have_their_own_number_sequence():
    # GIVEN / WHEN / THEN the same year and sequence give different numbers per kind
    assert credit_note_number(2026, 7) == "CN-2026-000007"
    assert invoice_number(2026, 7) == "2026-000007"


@pytest.mark.parametrize("offset", [0, 31], ids=["on-D", "overdue"])
def test_an_unpaid_invoice_is_cancelled_by_a_credit_note(offset):
    # GIVEN an unpaid invoice
    invoice = an_invoice()
    # WHEN its credit note is issued
    cancelled = invoice.cancelled("CN-2026-000001")
    # THEN it is CANCELLED, says by which note, and is no longer a receivable
    assert cancelled.status is InvoiceStatus.CANCELLED
    assert cancelled.cancelled_by == "CN-2026-000001" and not cancelled.is_open
    assert cancelled.status_on(D + timedelta(days=offset)) is InvoiceStatus.CANCELLED


def test_a_paid_invoice_cannot_be_cancelled():
    # GIVEN a paid invoice
    paid = an_invoice(CARD).charged("ch_1", D)
    # WHEN a credit note would cancel it / THEN refused
    with pytest.raises(Conflict):
        paid.cancelled("CN-2026-000001")


def test_a_successful_charge_pays_an_open_invoice_once():
    # GIVEN an open card invoice
    invoice = an_invoice(CARD)
    # WHEN charged
    paid = invoice.charged("ch_1", D + timedelta(days=3))
    # THEN it is PAID with the charge's reference; a second charge is refused
    assert (paid.status, paid.paid_on, paid.payment_reference) == (
        InvoiceStatus.PAID,
        D + timedelta(days=3),
        "ch_1",
    )
    assert not paid.is_open and paid.days_overdue(D + timedelta(days=10)) == 0
    with pytest.raises(Conflict):
        paid.charged("ch_2", D + timedelta(days=7))


def test_a_cancelled_invoice_takes_no_charge_or_payment():
    # GIVEN a cancelled invoice
    cancelled = an_invoice().cancelled("CN-2026-000001")
    # WHEN charged or paid / THEN refused
    with pytest.raises(Conflict):
        cancelled.charged("ch_1", D)
    with pytest.raises(Conflict):
        cancelled.paid(euros("102.85"), D, "BANK-1", D)


@pytest.mark.parametrize(
    "order",
    [
        InvoiceOrder(
            order_id="renewal:mem-1:2:1",
            account_id="acc-1",
            membership_id="mem-1",
            purpose=InvoicePurpose.RENEWAL,
            issued_on=date(2026, 12, 2),
            tier="GOLD",
            due_on=date(2027, 1, 1),
            period_from=date(2027, 1, 1),
            period_to=date(2027, 12, 31),
        ),
        InvoiceOrder(
            order_id="upgrade:mem-1:1",
            account_id="acc-1",
            membership_id="mem-1",
            purpose=InvoicePurpose.UPGRADE,
            issued_on=date(2026, 7, 3),
            tier="GOLD",
            net=Money(Decimal("42.38"), "GBP"),
        ),
        InvoiceOrder(
            order_id="withdrawn:renewal:mem-1:2:1",
            account_id="acc-1",
            membership_id="mem-1",
            purpose=InvoicePurpose.RENEWAL_WITHDRAWN,
            issued_on=date(2026, 12, 20),
            credits_order_id="renewal:mem-1:2:1",
        ),
        InvoiceOrder("purchase-1", "acc-1", "mem-1", InvoicePurpose.PURCHASE, START),
    ],
    ids=["renewal", "upgrade", "credit-note", "minimal"],
)
def test_an_invoice_order_survives_the_queue_as_json(order):
    # GIVEN an order / WHEN it goes through JSON / THEN it comes back equal
    assert InvoiceOrder.from_json(order.to_json()) == order


@pytest.mark.parametrize(
    ("purpose", "is_credit_note"),
    [
        (InvoicePurpose.PURCHASE, False),
        (InvoicePurpose.RENEWAL, False),
        (InvoicePurpose.UPGRADE, False),
        (InvoicePurpose.NON_PAYMENT, True),
        (InvoicePurpose.RENEWAL_WITHDRAWN, True),
    ],
)
def test_only_non_payment_and_withdrawn_renewal_orders_are_credit_notes(purpose, is_credit_note):
    # GIVEN an order of a purpose / WHEN / THEN
    assert InvoiceOrder("o", "a", "m", purpose, D).is_credit_note is is_credit_note
