"""A CPS membership (SPEC §4, §5): active at once, a new 9-digit number, a year long."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from chalicelib.domain.errors import ValidationFailed

PO_NUMBER_MAX = 35


class MembershipStatus(StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"


class PaymentMethod(StrEnum):
    CARD = "CARD"
    BANK_TRANSFER = "BANK_TRANSFER"


def new_membership_number() -> str:
    """Random, 9 digits, never starting with 0; uniqueness is claimed in storage."""
    return str(100_000_000 + secrets.randbelow(900_000_000))


def one_year_after(start: date) -> date:
    """The same date a year later; 29 February falls back to 28 February."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return start.replace(year=start.year + 1, day=28)


def validate_po_number(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    cleaned = value.strip()
    if len(cleaned) > PO_NUMBER_MAX or not cleaned.isprintable():
        raise ValidationFailed(
            "The purchase-order number is not valid.",
            fields={"purchase_order_number": f"at most {PO_NUMBER_MAX} printable characters"},
        )
    return cleaned


@dataclass(frozen=True)
class TermsAcceptance:
    version: str
    accepted_at: datetime
    accepted_by: str


@dataclass(frozen=True)
class Membership:
    account_id: str
    membership_id: str
    membership_number: str
    tier: str
    status: MembershipStatus
    starts_on: date
    expires_on: date
    auto_renew: bool
    payment_method: PaymentMethod
    terms: TermsAcceptance
    purchase_id: str
    purchase_order_number: str | None = None
    payment_reference: str | None = None  # the provider's id of the saved card

    def active_on(self, day: date) -> bool:
        return self.status is MembershipStatus.ACTIVE and self.starts_on <= day < self.expires_on

    def with_auto_renew(self, auto_renew: bool) -> Membership:
        return replace(self, auto_renew=auto_renew)

    def card(self) -> dict[str, Any]:
        return {
            "membership_number": self.membership_number,
            "tier": self.tier,
            "status": self.status.value,
            "starts_on": self.starts_on.isoformat(),
            "expires_on": self.expires_on.isoformat(),
            "auto_renew": self.auto_renew,
            "subscription_type": "AUTO_RENEWAL" if self.auto_renew else "ONE_OFF",
            "payment_method": self.payment_method.value,
        }
