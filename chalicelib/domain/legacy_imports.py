"""A legacy-CPS import's record: what came in, what was refused and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from chalicelib.domain.legacy import RejectedRow

REJECTIONS_KEPT_INLINE = 100  # the full list goes to the report file


class ImportStatus(StrEnum):
    AWAITING_FILE = "AWAITING_FILE"
    IMPORTING = "IMPORTING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"  # the file could not be read as an export; `failure_reason` says why


@dataclass
class ImportReport:
    import_id: str
    status: ImportStatus
    requested_by: str
    requested_at: datetime
    finished_at: datetime | None = None
    rows: int = 0
    imported: int = 0
    rejected: int = 0
    rejections: list[RejectedRow] = field(default_factory=list)
    report_key: str | None = None
    failure_reason: str | None = None

    def count(self, outcome: object) -> None:
        self.rows += 1
        if isinstance(outcome, RejectedRow):
            self.rejected += 1
            self.rejections.append(outcome)
        else:
            self.imported += 1
