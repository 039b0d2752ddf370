"""The points ledger (SPEC §2, §3): append-only, each entry named after its cause."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

INVITATION_THRESHOLD = 500


class EntryReason(StrEnum):
    PRODUCT_REGISTERED = "PRODUCT_REGISTERED"
    PRODUCT_MIGRATED = "PRODUCT_MIGRATED"
    PRODUCT_REMOVED = "PRODUCT_REMOVED"


@dataclass(frozen=True)
class LedgerEntry:
    account_id: str
    entry_id: str
    at: datetime
    delta: int
    reason: EntryReason
    product_id: str


def award_entry(
    account_id: str, product_id: str, points: int, at: datetime, migrated: bool
) -> LedgerEntry:
    """The id derives from the registration: a retried completion can never credit twice."""
    return LedgerEntry(
        account_id=account_id,
        entry_id=f"{product_id}#award",
        at=at,
        delta=points,
        reason=EntryReason.PRODUCT_MIGRATED if migrated else EntryReason.PRODUCT_REGISTERED,
        product_id=product_id,
    )


def reversal_entry(account_id: str, product_id: str, points: int, at: datetime) -> LedgerEntry:
    return LedgerEntry(
        account_id=account_id,
        entry_id=f"{product_id}#reversal",
        at=at,
        delta=-points,
        reason=EntryReason.PRODUCT_REMOVED,
        product_id=product_id,
    )


def earns_invitation(balance_after: int, already_invited: bool) -> bool:
    """The first time the company reaches 500 points; dropping and rising again is no news."""
    return not already_invited and balance_after >= INVITATION_THRESHOLD
