"""The membership card: GET /me shows it and the membership routes answer with it, so it has a
module of its own (the account's first request does not build the sign-up's models)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.domain.membership import MembershipStatus, PaymentMethod, SubscriptionType
from chalicelib.handlers.schemas.common import IsoDate, IsoDateTime, MoneyOut, Response


class RenewalOut(Response):
    on: IsoDate
    tier: str
    price_excl_vat: MoneyOut
    invoiced: bool


class HistoryEntryOut(Response):
    at: IsoDateTime
    event: str
    detail: str
    by: str


class MembershipOut(Response):
    membership_number: str = Field(pattern=r"^\d{9}$")
    tier: str
    name: str
    status: MembershipStatus
    starts_on: IsoDate
    expires_on: IsoDate
    term: int
    auto_renew: bool
    subscription_type: SubscriptionType
    payment_method: PaymentMethod
    renewal_tier: str | None = Field(description="the tier chosen for the renewal, if any")
    renewal: RenewalOut | None
    history: list[HistoryEntryOut]
