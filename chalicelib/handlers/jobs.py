"""The scheduled jobs by name: app.py's schedules and the local stage's /dev/jobs/{job}/run."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.container import container


def scheduled_jobs() -> dict[str, Callable[[], dict[str, int]]]:
    """Each job's use case, built by the container when the job first runs."""
    return {
        "review-sla": lambda: container().application_service.review_sla(),
        "membership-renewals": lambda: container().daily_jobs.renewals(),
        "invoice-collections": lambda: container().daily_jobs.collections(),
    }
