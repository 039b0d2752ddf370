"""The CPS membership tiers (SPEC §3): points ranges, families and yearly fees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from chalicelib.domain.errors import ValidationFailed
from chalicelib.domain.money import Money

CORPORATE_THRESHOLD = 2500


class Family(StrEnum):
    INDIVIDUAL = "individual"
    CORPORATE = "corporate"


@dataclass(frozen=True)
class Tier:
    tier: str
    name: str
    family: Family
    min_points: int
    max_points: int | None

    def eligible(self, points: int) -> bool:
        """A tier is open once the points reach its minimum (2,000 points: any of the three)."""
        return points >= self.min_points


TIERS: tuple[Tier, ...] = (
    Tier("SILVER", "CPS Silver", Family.INDIVIDUAL, 500, 999),
    Tier("GOLD", "CPS Gold", Family.INDIVIDUAL, 1000, 1599),
    Tier("PLATINUM", "CPS Platinum", Family.INDIVIDUAL, 1600, 2499),
    Tier("CORPORATE_C", "CPS Corporate C", Family.CORPORATE, 2500, 4499),
    Tier("CORPORATE_B", "CPS Corporate B", Family.CORPORATE, 4500, 9999),
    Tier("CORPORATE_A", "CPS Corporate A", Family.CORPORATE, 10000, None),
)
TIERS_BY_ID = {t.tier: t for t in TIERS}


@dataclass(frozen=True)
class Fee:
    tier: str
    currency: str
    amount: Decimal
    effective_from: date


# Annual fees excl. VAT with the dates they apply from; the guides show the same figures in
# € and £. A new fee is a new row: purchases keep the fee in force when they were made.
FEES: tuple[Fee, ...] = tuple(
    Fee(tier, currency, Decimal(amount), date(2016, 1, 1))
    for tier, amount in (
        ("SILVER", "85"),
        ("GOLD", "170"),
        ("PLATINUM", "300"),
        ("CORPORATE_C", "1000"),
        ("CORPORATE_B", "3000"),
        ("CORPORATE_A", "5000"),
    )
    for currency in ("EUR", "GBP")
)


class UnknownTier(ValueError):
    pass


def tier(tier_id: str) -> Tier:
    try:
        return TIERS_BY_ID[tier_id]
    except KeyError:
        raise UnknownTier(f"{tier_id!r} is not a CPS tier") from None


def annual_fee(tier_id: str, currency: str, on: date, fees: tuple[Fee, ...] = FEES) -> Money:
    candidates = [
        f for f in fees if f.tier == tier_id and f.currency == currency and f.effective_from <= on
    ]
    if not candidates:
        raise ValueError(f"no {currency} fee for {tier_id} on {on.isoformat()}")
    return Money(max(candidates, key=lambda f: f.effective_from).amount, currency)


def corporate_available(points: int) -> bool:
    return points >= CORPORATE_THRESHOLD


def requested_tier(tier_id: str, *, field: str = "tier", points: int | None = None) -> Tier:
    """The tier a customer names, refused (422, naming `field`) when there is no such tier, or,
    given the company's `points`, when they do not reach its minimum."""
    try:
        chosen = tier(tier_id)
    except UnknownTier:
        raise ValidationFailed(
            "Unknown tier.", fields={field: ", ".join(t.tier for t in TIERS)}
        ) from None
    if points is not None and not chosen.eligible(points):
        raise ValidationFailed(
            f"{chosen.name} needs at least {chosen.min_points:,} points; "
            f"the company has {points:,}.",
            fields={field: "not eligible with the current points"},
        )
    return chosen
