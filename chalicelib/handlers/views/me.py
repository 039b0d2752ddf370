"""The builder of GET /me's answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.handlers.schemas.common import ContactOut
from chalicelib.handlers.schemas.me import MeOut
from chalicelib.handlers.views.card import membership_out
from chalicelib.handlers.views.common import company_out

if TYPE_CHECKING:
    from chalicelib.domain.accounts import Account
    from chalicelib.services.membership import MembershipCard


def me_out(account: Account, card: MembershipCard | None) -> MeOut:
    return MeOut(
        account_id=account.account_id,
        company=company_out(account.company),
        country=account.country,
        currency=account.currency,
        language=account.language,
        vat_number=account.vat_number,
        contact=ContactOut(name=account.contact_name, email=account.email, phone=account.phone),
        points=account.points,
        invited=account.invited,
        membership=membership_out(card) if card else None,
    )
