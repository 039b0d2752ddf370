"""The membership card's builder (GET /me and the membership routes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.handlers.schemas.card import HistoryEntryOut, MembershipOut, RenewalOut
from chalicelib.handlers.views.common import money_out

if TYPE_CHECKING:
    from chalicelib.domain.membership import Membership
    from chalicelib.services.membership import MembershipCard


def membership_out(card: MembershipCard) -> MembershipOut:
    m: Membership = card.membership
    renewal = card.renewal
    return MembershipOut(
        membership_number=m.membership_number,
        tier=m.tier,
        name=card.tier.name,
        status=m.status,
        starts_on=m.starts_on,
        expires_on=m.expires_on,
        term=m.term,
        auto_renew=m.auto_renew,
        subscription_type=m.subscription_type,
        payment_method=m.payment_method,
        renewal_tier=m.renewal_tier,
        renewal=(
            RenewalOut(
                on=renewal.on,
                tier=renewal.tier.tier,
                price_excl_vat=money_out(renewal.price_excl_vat),
                invoiced=renewal.invoiced,
            )
            if renewal
            else None
        ),
        history=[
            HistoryEntryOut(at=e.at, event=e.event, detail=e.detail, by=e.by) for e in m.history
        ],
    )
