"""Write sharding of the date-keyed sparse indexes that the daily jobs read.

A day on which tens of thousands of memberships or invoices fall due must not put them all on
one partition key: the index's hash key is one of `SHARDS` shards (from a hash of the item's
id), its range key the date. A job queries each shard for `date <= today`, so what a missed day
left behind is caught up, and what is not due is never read.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

SHARDS = 8


def shard_of(item_id: str) -> str:
    return str(int(hashlib.sha256(item_id.encode()).hexdigest()[:8], 16) % SHARDS)


def shards() -> list[str]:
    return [str(s) for s in range(SHARDS)]


def earliest(index: Any, range_attribute: Any) -> date | None:
    """The earliest date in a sharded sparse index (one item read per shard)."""
    found = [
        getattr(item, range_attribute.attr_name)
        for shard in shards()
        for item in index.query(shard, limit=1)
    ]
    return date.fromisoformat(min(found)) if found else None
