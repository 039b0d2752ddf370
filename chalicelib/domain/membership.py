"""A CPS membership (SPEC §4, §5): the aggregate of the membership year.

It holds the rules of its own life: what may be bought and when an earlier membership stands in
the way, which status may follow which, when each renewal step of a term falls due, which tier
a renewal takes, what an upgrade costs. Every change returns a new `Membership` with a history
entry; storage and scheduling happen elsewhere.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from chalicelib.domain.errors import Conflict, ValidationFailed
from chalicelib.domain.money import CENT, Money
from chalicelib.domain.tiers import TIERS, Tier, annual_fee, requested_tier, tier

PO_NUMBER_MAX = 35
MIN_RENEWAL_POINTS = TIERS[0].min_points


class MembershipStatus(StrEnum):
    ACTIVE = "ACTIVE"
    PAST_DUE = "PAST_DUE"  # an invoice is overdue
    SUSPENDED = "SUSPENDED"  # benefits paused for non-payment
    EXPIRED = "EXPIRED"  # the term ended without renewal
    CANCELLED = "CANCELLED"  # ended for non-payment


# SPEC §5, and nothing else. EXPIRED from PAST_DUE/SUSPENDED: a term can end while an invoice of
# it is still unpaid (finance chases that invoice; the membership is over either way).
TRANSITIONS: dict[MembershipStatus, frozenset[MembershipStatus]] = {
    MembershipStatus.ACTIVE: frozenset({MembershipStatus.PAST_DUE, MembershipStatus.EXPIRED}),
    MembershipStatus.PAST_DUE: frozenset(
        {MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED, MembershipStatus.EXPIRED}
    ),
    MembershipStatus.SUSPENDED: frozenset(
        {MembershipStatus.ACTIVE, MembershipStatus.CANCELLED, MembershipStatus.EXPIRED}
    ),
    MembershipStatus.EXPIRED: frozenset(),
    MembershipStatus.CANCELLED: frozenset(),
}
ENDED = frozenset({MembershipStatus.EXPIRED, MembershipStatus.CANCELLED})


class PaymentMethod(StrEnum):
    CARD = "CARD"
    BANK_TRANSFER = "BANK_TRANSFER"


class SubscriptionType(StrEnum):
    AUTO_RENEWAL = "AUTO_RENEWAL"  # renews each year until switched off
    ONE_OFF = "ONE_OFF"  # ends at its expiry date


class IllegalTransition(Conflict):
    code = "ILLEGAL_TRANSITION"


class MembershipActive(Conflict):
    """The company's membership has not ended: it cannot buy another (409; one open membership
    per account)."""

    def __init__(self) -> None:
        super().__init__(
            "The company has an active CPS membership already.",
            fields={"tier": "a membership is active"},
        )


class RenewalStep(StrEnum):
    """The steps of a term's end (SPEC §5 renewal table), each done at most once per term."""

    NOTICE = "E-60"  # renewal notice (auto-renewal on) or expiry reminder (off)
    RENEWAL = "E-30-RENEWAL"  # renewal tier decided, renewal invoice issued (auto-renewal on)
    REMINDER = "E-30-REMINDER"  # expiry reminder (auto-renewal off)
    LAST_REMINDER = "E-7"  # last expiry reminder (auto-renewal off)
    END = "E"  # the next term starts, or the membership expires


STEP_OFFSET_DAYS = {
    RenewalStep.NOTICE: -60,
    RenewalStep.RENEWAL: -30,
    RenewalStep.REMINDER: -30,
    RenewalStep.LAST_REMINDER: -7,
    RenewalStep.END: 0,
}


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


def renewal_tier_for(current: str, chosen: str | None, points: int) -> Tier | None:
    """SPEC §5: the tier chosen for renewal if eligible, else the current tier if eligible, else
    the highest eligible tier below it; None under the lowest tier's minimum."""
    if chosen is not None and tier(chosen).eligible(points):
        return tier(chosen)
    if tier(current).eligible(points):
        return tier(current)
    below = [t for t in TIERS[: TIERS.index(tier(current))] if t.eligible(points)]
    return below[-1] if below else None


def prorated(difference: Money, days_left: int, days_in_term: int) -> Money:
    """(new fee - current fee) * days left / days in the term, half-up to cents."""
    amount = (difference.amount * days_left / Decimal(days_in_term)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
    return Money(amount, difference.currency)


@dataclass(frozen=True)
class TermsAcceptance:
    version: str
    accepted_at: datetime
    accepted_by: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    event: str  # e.g. "PURCHASED", "PAST_DUE", "RENEWED", "UPGRADED"
    detail: str
    by: str  # the customer's login, a reviewer, or the job that did it


@dataclass(frozen=True)
class Renewal:
    """The renewal decided at E-30: the next term's tier and the order that invoices it."""

    tier: str
    order_id: str


@dataclass(frozen=True)
class Upgrade:
    """The last upgrade, kept so that its invoice order can be sent again after a crash."""

    order_id: str
    tier: str
    net: Money
    on: date


@dataclass(frozen=True)
class PurchaseRequest:
    """A checkout as the company sends it (SPEC §4), before the purchase rules have looked."""

    tier: str
    auto_renew: bool
    purchase_order_number: str | None
    accept_terms: bool
    terms_version: str
    payment_method: PaymentMethod
    payment_method_token: str | None

    def checked(self, points: int, current_terms: str) -> CheckedPurchase:
        """The request if it may be bought: a tier the company's points reach, the current terms
        accepted, a valid purchase-order number, a card's token for a CARD payment. Raises
        ValidationFailed naming the first field that breaks a rule."""
        chosen = requested_tier(self.tier, points=points)
        if self.accept_terms is not True:
            raise ValidationFailed(
                "The CPS terms and conditions must be accepted.",
                fields={"accept_terms": "must be true"},
            )
        if self.terms_version != current_terms:
            raise ValidationFailed(
                "These are not the current terms and conditions; please review them again.",
                fields={"terms_version": f"the current version is {current_terms}"},
            )
        po_number = validate_po_number(self.purchase_order_number)
        if self.payment_method is PaymentMethod.CARD and not self.payment_method_token:
            raise ValidationFailed(
                "A card payment needs the payment provider's token.",
                fields={"payment.payment_method_token": "is required for CARD"},
            )
        return CheckedPurchase(
            tier=chosen,
            auto_renew=self.auto_renew,
            purchase_order_number=po_number,
            terms_version=self.terms_version,
            payment_method=self.payment_method,
            payment_method_token=self.payment_method_token,
        )


@dataclass(frozen=True)
class CheckedPurchase:
    """A purchase that passed the rules: what a new membership is made of."""

    tier: Tier
    auto_renew: bool
    purchase_order_number: str | None  # cleaned
    terms_version: str  # the current terms, accepted
    payment_method: PaymentMethod
    payment_method_token: str | None  # present for CARD


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
    payment_reference: str | None = None  # the provider's ids of the saved card
    term: int = 1
    renewal_tier: str | None = None  # the customer's choice for the next term
    renewal: Renewal | None = None
    renewals_ordered: int = 0  # renewal orders of this term (a withdrawn one is not reused)
    steps_done: frozenset[str] = frozenset()  # RenewalStep values done this term
    last_upgrade: Upgrade | None = None
    checkout_key: str | None = None  # names the checkout request that bought it
    history: tuple[HistoryEntry, ...] = field(default=())
    version: int = 0  # optimistic concurrency, kept by the repository

    # --- purchase ----------------------------------------------------------------------------

    @classmethod
    def purchased(
        cls,
        purchase: CheckedPurchase,
        *,
        account_id: str,
        membership_number: str,
        checkout_key: str,
        payment_reference: str | None,
        at: datetime,
        by: str,
    ) -> Membership:
        """The new membership: ACTIVE from today for one year, the terms accepted now, recorded
        as PURCHASED. `membership_number` is a fresh draw; storage claims it."""
        today = at.date()
        return cls(
            account_id=account_id,
            membership_id=uuid.uuid4().hex,
            membership_number=membership_number,
            tier=purchase.tier.tier,
            status=MembershipStatus.ACTIVE,
            starts_on=today,
            expires_on=one_year_after(today),
            auto_renew=purchase.auto_renew,
            payment_method=purchase.payment_method,
            terms=TermsAcceptance(purchase.terms_version, at, by),
            purchase_id=uuid.uuid4().hex,  # unique per purchase, whatever the key
            checkout_key=checkout_key,
            purchase_order_number=purchase.purchase_order_number,
            payment_reference=payment_reference,
        ).recorded("PURCHASED", at, "", by)

    @property
    def blocks_purchase(self) -> bool:
        """One open membership per account: a new one can be bought once this one has ended."""
        return not self.ended

    # --- state -------------------------------------------------------------------------------

    @property
    def ended(self) -> bool:
        return self.status in ENDED

    def active_on(self, day: date) -> bool:
        return self.status is MembershipStatus.ACTIVE and self.starts_on <= day < self.expires_on

    def bought_with(self, checkout_key: str, now: datetime, key_lifetime: timedelta) -> bool:
        """This membership is what that checkout request bought (while its key is alive)."""
        return self.checkout_key == checkout_key and now - self.terms.accepted_at < key_lifetime

    @property
    def subscription_type(self) -> SubscriptionType:
        return SubscriptionType.AUTO_RENEWAL if self.auto_renew else SubscriptionType.ONE_OFF

    @property
    def days_in_term(self) -> int:
        return (self.expires_on - self.starts_on).days

    @property
    def renewal_order_id(self) -> str:
        """The next renewal order's id: one per membership, term and attempt."""
        return f"renewal:{self.membership_id}:{self.term + 1}:{self.renewals_ordered + 1}"

    def step_date(self, step: RenewalStep) -> date:
        return self.expires_on + timedelta(days=STEP_OFFSET_DAYS[step])

    def _applies(self, step: RenewalStep) -> bool:
        if step in (RenewalStep.NOTICE, RenewalStep.END):
            return True
        if step is RenewalStep.RENEWAL:
            return self.auto_renew and self.renewal is None
        return not self.auto_renew  # the reminders

    def pending_steps(self) -> list[RenewalStep]:
        """The steps of this term still to come, in order (those that apply as things stand)."""
        if self.ended:
            return []
        return [s for s in RenewalStep if s.value not in self.steps_done and self._applies(s)]

    def due_steps(self, today: date) -> list[RenewalStep]:
        """What falls due by `today`. A notice or reminder whose day passed is still sent, unless
        the term has reached its end; the end comes last."""
        due = [s for s in self.pending_steps() if self.step_date(s) <= today]
        if RenewalStep.END in due:
            # A renewal not yet ordered (auto-renewal switched on since the last run) still
            # comes before the end: the membership renews rather than expires.
            return [s for s in due if s in (RenewalStep.RENEWAL, RenewalStep.END)]
        return due

    def next_step_on(self) -> date | None:
        """When the daily job must look at this membership again (None: never)."""
        dates = [self.step_date(s) for s in self.pending_steps()]
        return min(dates) if dates else None

    def renewal_view(self, points: int, on: date, currency: str) -> tuple[Tier, Money] | None:
        """The renewal as it stands: the decided one, or what the rule gives with `points`."""
        if self.ended or not self.auto_renew:
            return None
        if self.renewal is not None:
            chosen: Tier | None = tier(self.renewal.tier)
        else:
            chosen = renewal_tier_for(self.tier, self.renewal_tier, points)
        if chosen is None:
            return None
        return chosen, annual_fee(chosen.tier, currency, on)

    # --- transitions ---------------------------------------------------------------------

    def _moved(self, to: MembershipStatus, at: datetime, detail: str, by: str) -> Membership:
        if to not in TRANSITIONS[self.status]:
            raise IllegalTransition(
                f"A membership that is {self.status.value} cannot become {to.value}."
            )
        return replace(self, status=to).recorded(to.value, at, detail, by)

    def recorded(self, event: str, at: datetime, detail: str, by: str) -> Membership:
        return replace(self, history=(*self.history, HistoryEntry(at, event, detail, by)))

    def past_due(self, invoice_number: str, at: datetime, by: str) -> Membership:
        """An invoice is overdue. Idempotent: a membership already behind stays as it is."""
        if self.status is not MembershipStatus.ACTIVE:
            return self
        return self._moved(
            MembershipStatus.PAST_DUE, at, f"Invoice {invoice_number} is overdue.", by
        )

    def suspend(self, invoice_number: str, at: datetime, by: str) -> Membership:
        if self.status is MembershipStatus.SUSPENDED:
            return self
        return self._moved(
            MembershipStatus.SUSPENDED,
            at,
            f"Invoice {invoice_number} is unpaid 14 days after its due date.",
            by,
        )

    def cancel_for_non_payment(self, invoice_number: str, at: datetime, by: str) -> Membership:
        if self.status is MembershipStatus.CANCELLED:
            return self
        return self._moved(
            MembershipStatus.CANCELLED,
            at,
            f"Invoice {invoice_number} is unpaid 30 days after its due date.",
            by,
        )

    def settled(
        self, invoice_number: str, at: datetime, by: str, still_overdue: bool
    ) -> Membership:
        """An invoice is paid: active again unless another invoice is still overdue."""
        done = self.recorded("PAYMENT_RECEIVED", at, f"Invoice {invoice_number} is paid.", by)
        if self.status in (MembershipStatus.PAST_DUE, MembershipStatus.SUSPENDED) and not (
            still_overdue
        ):
            return done._moved(MembershipStatus.ACTIVE, at, "Payment received.", by)
        return done

    def expire(self, at: datetime, by: str, why: str) -> Membership:
        return self._moved(MembershipStatus.EXPIRED, at, why, by)

    # --- the renewal --------------------------------------------------------------------------

    def step_done(self, step: RenewalStep) -> Membership:
        return replace(self, steps_done=self.steps_done | {step.value})

    def renewal_ordered(self, chosen: Tier, at: datetime, by: str) -> Membership:
        renewal = Renewal(chosen.tier, self.renewal_order_id)
        return replace(self, renewal=renewal, renewals_ordered=self.renewals_ordered + 1).recorded(
            "RENEWAL_INVOICED",
            at,
            f"Renews on {self.expires_on.isoformat()} as {chosen.name}.",
            by,
        )

    def renewed(self, at: datetime, by: str) -> Membership:
        """E with a renewal: the next term, same number, a year longer."""
        if self.renewal is None:
            raise IllegalTransition("There is no renewal to start.")
        chosen = tier(self.renewal.tier)
        return replace(
            self,
            tier=chosen.tier,
            term=self.term + 1,
            starts_on=self.expires_on,
            expires_on=one_year_after(self.expires_on),
            renewal=None,
            renewal_tier=None,
            renewals_ordered=0,
            steps_done=frozenset(),
        ).recorded(
            "RENEWED",
            at,
            f"{chosen.name} until {one_year_after(self.expires_on).isoformat()}.",
            by,
        )

    def with_auto_renew(self, auto_renew: bool, at: datetime, by: str) -> Membership:
        """Turning it on after E-30 lets the next daily run order the renewal."""
        if self.ended:
            raise Conflict("The membership has ended; buy a new one to continue.")
        if auto_renew == self.auto_renew:
            return self
        steps = self.steps_done
        if auto_renew and self.renewal is None:
            steps = steps - {RenewalStep.RENEWAL.value}
        changed = replace(self, auto_renew=auto_renew, steps_done=steps)
        return changed.recorded("AUTO_RENEWAL_ON" if auto_renew else "AUTO_RENEWAL_OFF", at, "", by)

    def renewal_withdrawn(self, at: datetime, by: str) -> Membership:
        """Auto-renewal off after the renewal invoice: the invoice is credited, the term ends."""
        if self.renewal is None:
            return self
        return replace(self, renewal=None).recorded(
            "RENEWAL_CANCELLED", at, "The renewal invoice is cancelled by a credit note.", by
        )

    def choose_renewal_tier(self, tier_id: str, points: int, at: datetime, by: str) -> Membership:
        if self.ended:
            raise Conflict("The membership has ended; buy a new one to continue.")
        if self.renewal is not None:
            raise Conflict(
                "The renewal invoice is issued already; the tier can no longer change.",
                fields={"renewal_tier": "the renewal is invoiced"},
            )
        chosen = tier(tier_id)
        if not chosen.eligible(points):
            raise ValidationFailed(
                f"{chosen.name} needs at least {chosen.min_points:,} points; "
                f"the company has {points:,}.",
                fields={"renewal_tier": "not eligible with the current points"},
            )
        return replace(self, renewal_tier=chosen.tier).recorded(
            "RENEWAL_TIER_CHOSEN", at, chosen.name, by
        )

    # --- upgrade ------------------------------------------------------------------------------

    def upgrade(
        self,
        tier_id: str,
        points: int,
        currency: str,
        at: datetime,
        by: str,
        order_id: str,
    ) -> Membership:
        """SPEC §5: an ACTIVE member moves up at once; the difference is prorated by days and
        kept in `last_upgrade` under the invoice order's id."""
        today = at.date()
        if self.status is not MembershipStatus.ACTIVE or not self.active_on(today):
            raise Conflict(
                "Only an active membership can be upgraded.",
                fields={"tier": f"the membership is {self.status.value}"},
            )
        new, current = tier(tier_id), tier(self.tier)
        new_fee = annual_fee(new.tier, currency, today)
        current_fee = annual_fee(current.tier, currency, today)
        if new_fee.amount <= current_fee.amount:
            raise ValidationFailed(
                f"{new.name} is not an upgrade of {current.name}; "
                "a lower tier or another family takes effect at renewal.",
                fields={"tier": "must have a higher fee than the current tier"},
            )
        if not new.eligible(points):
            raise ValidationFailed(
                f"{new.name} needs at least {new.min_points:,} points; the company has {points:,}.",
                fields={"tier": "not eligible with the current points"},
            )
        days_left = (self.expires_on - today).days
        amount = prorated(
            Money(new_fee.amount - current_fee.amount, currency), days_left, self.days_in_term
        )
        return replace(
            self, tier=new.tier, last_upgrade=Upgrade(order_id, new.tier, amount, today)
        ).recorded(
            "UPGRADED",
            at,
            f"{current.name} to {new.name}; {days_left} of {self.days_in_term} days prorated.",
            by,
        )

    # --- payment method -----------------------------------------------------------------

    def with_card(self, payment_reference: str, at: datetime, by: str) -> Membership:
        if self.ended:
            raise Conflict("The membership has ended; buy a new one to continue.")
        return replace(
            self, payment_method=PaymentMethod.CARD, payment_reference=payment_reference
        ).recorded("PAYMENT_METHOD_CHANGED", at, "A new card is saved.", by)
