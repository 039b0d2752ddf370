"""Local-stage-only routes (API.md): read the mail, run a scheduled job, move the clock.

app.py registers this blueprint only when the stage is `local`; deployed stages answer 404.
"""

from __future__ import annotations

from datetime import timedelta

from chalice import Response

from chalicelib.container import container
from chalicelib.domain.clock import OffsetClock
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.handlers.docs import doc
from chalicelib.handlers.http import parse_body, respond
from chalicelib.handlers.jobs import scheduled_jobs
from chalicelib.handlers.routing import Access, ApiBlueprint
from chalicelib.handlers.schemas.dev import (
    ClockDayOut,
    ClockIn,
    ClockOut,
    JobRunOut,
    MailboxOut,
    MailOut,
)

dev = ApiBlueprint(__name__)


DAILY_JOBS = ("membership-renewals", "invoice-collections")  # in the order a day runs them
DAY_SETTLES_S = 10.0


@dev.route("/dev/mailbox", methods=["GET"], access=Access.PUBLIC)
@doc(
    summary="E-mails sent so far (local stage only)",
    tag="dev",
    query=("to",),
    responses={200: MailboxOut},
)
def mailbox() -> Response:
    from chalicelib.adapters.dev_mailbox import read_mailbox

    to = (dev.current_request.query_params or {}).get("to")
    settings = container().settings
    mails = read_mailbox(to, region=settings.region)  # the local stage's SES, as it is
    return respond(MailboxOut(items=[MailOut.model_validate(m) for m in mails], next_cursor=None))


@dev.route("/dev/jobs/{job}/run", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="Run a scheduled job now (local stage only)",
    tag="dev",
    responses={200: JobRunOut},
)
def run_job(job: str) -> Response:
    jobs = scheduled_jobs()
    if job not in jobs:
        raise NotFound(f"No such job; known jobs: {', '.join(sorted(jobs))}.")
    return respond(JobRunOut(job=job, result=jobs[job]()))


@dev.route("/dev/clock", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="Move the application clock forward (local stage only)",
    tag="dev",
    request=ClockIn,
    responses={200: ClockOut},
)
def move_clock() -> Response:
    body = parse_body(dev, ClockIn)
    clock = container().clock
    if not isinstance(clock, OffsetClock):
        raise Conflict("This stage's clock cannot be moved.")
    from chalicelib.adapters.dev_queues import QueueDrain

    s = container().settings
    drain = QueueDrain(
        container().client("sqs"),
        [s.lifecycle_queue_url, s.invoices_queue_url, s.email_queue_url],
    )
    jobs = scheduled_jobs()
    daily = container().daily_jobs
    target = clock.now().date() + timedelta(days=body.advance_days)
    days: list[ClockDayOut] = []
    while (today := clock.now().date()) < target:
        # A day before the earliest date in the jobs' indexes is passed over: a run there
        # would find nothing (the jobs read "due on or before today"). What is due already
        # (a customer's change since today's run) is picked up tomorrow.
        earliest = daily.earliest_due()
        run_on = max(today + timedelta(days=1), earliest) if earliest else target
        clock.advance((min(run_on, target) - today).days)
        if earliest is None or run_on > target:
            continue
        ran = {name: jobs[name]() for name in DAILY_JOBS}
        queued = sum(result["queued"] for result in ran.values())
        settled = drain.wait_idle(DAY_SETTLES_S) if queued else True
        days.append(ClockDayOut(date=clock.now().date(), jobs=ran, settled=settled))
    return respond(ClockOut(now=clock.now(), days=days))
