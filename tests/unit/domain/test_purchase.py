"""The purchase rules on the membership aggregate (SPEC §3, §4): what a checkout may buy, the
membership it makes, and when an earlier membership stands in the way."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from chalicelib.domain.errors import Conflict, ValidationFailed
from chalicelib.domain.membership import (
    Membership,
    MembershipActive,
    MembershipStatus,
    PaymentMethod,
    PurchaseRequest,
)
from chalicelib.domain.tiers import requested_tier, tier

TERMS = "2026-01"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def a_request(**changes: object) -> PurchaseRequest:
    request = PurchaseRequest(
        tier="SILVER",
        auto_renew=True,
        purchase_order_number=None,
        accept_terms=True,
        terms_version=TERMS,
        payment_method=PaymentMethod.CARD,
        payment_method_token="tok_visa",
    )
    return replace(request, **changes)


def a_membership(**changes: object) -> Membership:
    bought = Membership.purchased(
        a_request().checked(600, TERMS),
        account_id="acc-1",
        membership_number="123456789",
        checkout_key="key",
        payment_reference="cus_1/pm_1",
        at=NOW,
        by="anna",
    )
    return replace(bought, **changes)


# --- the request ----------------------------------------------------------------------------


def test_a_purchase_with_the_current_terms_accepted_passes_the_rules():
    # GIVEN a card checkout for Silver with the current terms accepted and a PO number
    request = a_request(purchase_order_number="  PO-77 ")
    # WHEN a company with 600 points checks it
    checked = request.checked(600, TERMS)
    # THEN it buys Silver, with the PO number trimmed
    assert checked.tier == tier("SILVER") and checked.purchase_order_number == "PO-77"


def test_a_purchase_without_the_terms_accepted_is_refused():
    # GIVEN a checkout whose terms box is not ticked
    request = a_request(accept_terms=False)
    # WHEN it is checked THEN it is refused naming accept_terms
    with pytest.raises(ValidationFailed) as refused:
        request.checked(600, TERMS)
    assert refused.value.fields == {"accept_terms": "must be true"}


def test_a_purchase_with_old_terms_is_refused_naming_the_current_version():
    # GIVEN a checkout that accepted last year's terms
    request = a_request(terms_version="2025-01")
    # WHEN it is checked THEN it is refused, the current version named
    with pytest.raises(ValidationFailed) as refused:
        request.checked(600, TERMS)
    assert refused.value.fields == {"terms_version": f"the current version is {TERMS}"}


def test_a_card_purchase_without_a_token_is_refused():
    # GIVEN a card checkout without the provider's token
    request = a_request(payment_method_token=None)
    # WHEN it is checked THEN the token is asked for
    with pytest.raises(ValidationFailed) as refused:
        request.checked(600, TERMS)
    assert refused.value.fields == {"payment.payment_method_token": "is required for CARD"}


def test_a_bank_transfer_purchase_needs_no_token():
    # GIVEN a bank transfer checkout without a token
    request = a_request(payment_method=PaymentMethod.BANK_TRANSFER, payment_method_token=None)
    # WHEN it is checked THEN it passes
    assert request.checked(600, TERMS).payment_method is PaymentMethod.BANK_TRANSFER


def test_a_purchase_of_a_tier_the_points_do_not_reach_is_refused():
    # GIVEN a checkout for Gold (1,000 points)
    request = a_request(tier="GOLD")
    # WHEN a company with 600 points checks it THEN it is refused, the shortfall explained
    with pytest.raises(ValidationFailed) as refused:
        request.checked(600, TERMS)
    assert refused.value.message == "CPS Gold needs at least 1,000 points; the company has 600."
    assert refused.value.fields == {"tier": "not eligible with the current points"}


def test_a_purchase_of_an_unknown_tier_is_refused_listing_the_tiers():
    # GIVEN a checkout for a tier that does not exist
    request = a_request(tier="BRONZE")
    # WHEN it is checked THEN it is refused, the six tiers named
    with pytest.raises(ValidationFailed) as refused:
        request.checked(600, TERMS)
    assert refused.value.message == "Unknown tier."
    assert "CORPORATE_A" in refused.value.fields["tier"]


def test_a_purchase_with_an_overlong_po_number_is_refused():
    # GIVEN a checkout whose PO number has 36 characters
    request = a_request(purchase_order_number="x" * 36)
    # WHEN it is checked THEN the PO number is refused
    with pytest.raises(ValidationFailed) as refused:
        request.checked(600, TERMS)
    assert "purchase_order_number" in refused.value.fields


def test_an_unknown_tier_is_refused_under_the_field_that_named_it():
    # WHEN a renewal tier that does not exist is asked for (the points not considered)
    with pytest.raises(ValidationFailed) as refused:
        requested_tier("BRONZE", field="renewal_tier")
    # THEN the refusal names that field
    assert list(refused.value.fields) == ["renewal_tier"]


# --- the new membership -----------------------------------------------------------------------


def test_a_purchase_makes_an_active_membership_of_one_year_with_the_terms_accepted():
    # GIVEN a checked purchase WHEN the membership is made
    m = a_membership()
    # THEN it is ACTIVE from today for a year, auto-renewing, on the card
    assert (m.status, m.tier, m.starts_on, m.expires_on) == (
        MembershipStatus.ACTIVE,
        "SILVER",
        date(2026, 3, 2),
        date(2027, 3, 2),
    )
    assert m.auto_renew and m.payment_method is PaymentMethod.CARD
    assert (m.membership_number, m.payment_reference, m.checkout_key) == (
        "123456789",
        "cus_1/pm_1",
        "key",
    )
    # AND the terms accepted now, by the buyer, and the purchase recorded
    assert (m.terms.version, m.terms.accepted_at, m.terms.accepted_by) == (TERMS, NOW, "anna")
    assert [(h.event, h.by) for h in m.history] == [("PURCHASED", "anna")]


def test_each_purchase_has_ids_of_its_own():
    # WHEN the same purchase makes two memberships THEN their ids differ
    first, second = a_membership(), a_membership()
    assert first.membership_id != second.membership_id
    assert first.purchase_id != second.purchase_id


# --- one open membership per account ----------------------------------------------------------


@pytest.mark.parametrize(
    "status", [MembershipStatus.ACTIVE, MembershipStatus.PAST_DUE, MembershipStatus.SUSPENDED]
)
def test_a_membership_that_has_not_ended_blocks_a_new_purchase(status):
    # GIVEN a membership that is still open
    m = a_membership(status=status)
    # THEN a new purchase is blocked
    assert m.blocks_purchase


@pytest.mark.parametrize("status", [MembershipStatus.EXPIRED, MembershipStatus.CANCELLED])
def test_an_ended_membership_does_not_block_a_new_purchase(status):
    # GIVEN a membership that has ended
    m = a_membership(status=status)
    # THEN the company may buy again
    assert not m.blocks_purchase


def test_the_refusal_of_a_second_membership_is_a_conflict_on_the_tier():
    # WHEN a second membership is refused THEN it is a 409 naming the tier
    refused = MembershipActive()
    assert isinstance(refused, Conflict) and refused.code == "CONFLICT"
    assert refused.message == "The company has an active CPS membership already."
    assert refused.fields == {"tier": "a membership is active"}
