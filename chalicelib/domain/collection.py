"""Collecting an invoice (SPEC §5, D = the due date): the steps of each payment method.

Card: charged on D, retried on D+3, D+7 and D+14; bank transfer: reminders at D-7, D+1 (the
membership is then `PAST_DUE`) and D+7. Either way, unpaid at D+14 the membership is
`SUSPENDED`, at D+30 `CANCELLED` with a credit note. Each step is done once per invoice.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from chalicelib.domain.membership import PaymentMethod


class CollectionStep(StrEnum):
    REMINDER = "D-7"
    CHARGE = "D-CHARGE"
    PAST_DUE = "D+1"
    RETRY_3 = "D+3-CHARGE"
    RETRY_7 = "D+7-CHARGE"
    OVERDUE_REMINDER = "D+7"
    RETRY_14 = "D+14-CHARGE"
    SUSPEND = "D+14"
    CANCEL = "D+30"


PLANS: dict[PaymentMethod, tuple[tuple[CollectionStep, int], ...]] = {
    PaymentMethod.CARD: (
        (CollectionStep.CHARGE, 0),
        (CollectionStep.RETRY_3, 3),
        (CollectionStep.RETRY_7, 7),
        (CollectionStep.RETRY_14, 14),
        (CollectionStep.SUSPEND, 14),
        (CollectionStep.CANCEL, 30),
    ),
    PaymentMethod.BANK_TRANSFER: (
        (CollectionStep.REMINDER, -7),
        (CollectionStep.PAST_DUE, 1),
        (CollectionStep.OVERDUE_REMINDER, 7),
        (CollectionStep.SUSPEND, 14),
        (CollectionStep.CANCEL, 30),
    ),
}

# The charge attempt each charging step makes (1 on D, then the retries).
CHARGE_ATTEMPTS: dict[CollectionStep, int] = {
    CollectionStep.CHARGE: 1,
    CollectionStep.RETRY_3: 2,
    CollectionStep.RETRY_7: 3,
    CollectionStep.RETRY_14: 4,
}


def step_date(method: PaymentMethod, step: CollectionStep, due_on: date) -> date:
    offset = dict(PLANS[method])[step]
    return due_on + timedelta(days=offset)


def pending(method: PaymentMethod, done: frozenset[str]) -> list[CollectionStep]:
    return [step for step, _ in PLANS[method] if step.value not in done]


def due_steps(
    method: PaymentMethod, due_on: date, done: frozenset[str], today: date
) -> tuple[list[CollectionStep], list[CollectionStep]]:
    """(steps to do now, in order; steps to pass over because their moment is gone).

    A day the job did not run is caught up without repeating itself: of several charge attempts
    due, only the latest is made; a reminder before the due date is not sent after it."""
    due = [s for s in pending(method, done) if step_date(method, s, due_on) <= today]
    charges = [s for s in due if s in CHARGE_ATTEMPTS]
    skipped = charges[:-1]
    if CollectionStep.REMINDER in due and today >= due_on:
        skipped.append(CollectionStep.REMINDER)
    return [s for s in due if s not in skipped], skipped


def next_step_on(method: PaymentMethod, due_on: date, done: frozenset[str]) -> date | None:
    dates = [step_date(method, s, due_on) for s in pending(method, done)]
    return min(dates) if dates else None


def next_charge_on(step: CollectionStep, due_on: date) -> date | None:
    """After a declined attempt: when the next one is made (None: it was the last)."""
    later = [
        step_date(PaymentMethod.CARD, s, due_on)
        for s, attempt in CHARGE_ATTEMPTS.items()
        if attempt > CHARGE_ATTEMPTS[step]
    ]
    return min(later) if later else None
