"""Use cases of signing up for CPS (SPEC §3, §4): tiers, quote, checkout, the membership card."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.accounts import Account
from chalicelib.domain.clock import Clock
from chalicelib.domain.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.membership import (
    Membership,
    MembershipStatus,
    PaymentMethod,
    TermsAcceptance,
    new_membership_number,
    one_year_after,
    validate_po_number,
)
from chalicelib.domain.tiers import (
    TIERS,
    Family,
    Tier,
    UnknownTier,
    annual_fee,
    corporate_available,
    ineligibility_reason,
    tier,
)
from chalicelib.domain.vat_rates import vat_line
from chalicelib.services.payments import PaymentProvider
from chalicelib.services.ports import (
    AccountRepository,
    InvoiceRequests,
    MembershipRepository,
    NumberTaken,
)

NUMBER_DRAWS = 20


@dataclass(frozen=True)
class CheckoutCommand:
    tier: str
    auto_renew: bool
    purchase_order_number: str | None
    accept_terms: bool
    terms_version: str
    payment_method: PaymentMethod
    payment_method_token: str | None


class MembershipService:
    def __init__(
        self,
        *,
        accounts: AccountRepository,
        memberships: MembershipRepository,
        payments: PaymentProvider,
        invoices: InvoiceRequests,
        clock: Clock,
        terms_version: str,
    ) -> None:
        self._accounts = accounts
        self._memberships = memberships
        self._payments = payments
        self._invoices = invoices
        self._clock = clock
        self._terms_version = terms_version

    def tiers(self, account_id: str, family: str | None) -> dict[str, Any]:
        account = self._account(account_id)
        families = {f.value for f in Family}
        if family is not None and family not in families:
            raise ValidationFailed("Unknown family.", fields={"family": "individual or corporate"})
        today = self._clock.now().date()
        return {
            "points": account.points,
            "corporate_available": corporate_available(account.points),
            "currency": account.currency,
            "tiers": [
                {
                    "tier": t.tier,
                    "name": t.name,
                    "family": t.family.value,
                    "min_points": t.min_points,
                    "max_points": t.max_points,
                    "annual_fee": annual_fee(t.tier, account.currency, today).as_dict(),
                    "eligible": t.eligible(account.points),
                }
                for t in TIERS
                if family is None or t.family.value == family
            ],
        }

    def quote(self, account_id: str, tier_id: str) -> dict[str, Any]:
        account = self._account(account_id)
        chosen = self._eligible_tier(account, tier_id)
        return self._quote(account, chosen)

    def checkout(
        self, account_id: str, user: str, idempotency_key: str, cmd: CheckoutCommand
    ) -> dict[str, Any]:
        account = self._account(account_id)
        chosen = self._eligible_tier(account, cmd.tier)
        if cmd.accept_terms is not True:
            raise ValidationFailed(
                "The CPS terms and conditions must be accepted.",
                fields={"accept_terms": "must be true"},
            )
        if cmd.terms_version != self._terms_version:
            raise ValidationFailed(
                "These are not the current terms and conditions; please review them again.",
                fields={"terms_version": f"the current version is {self._terms_version}"},
            )
        po_number = validate_po_number(cmd.purchase_order_number)
        if cmd.payment_method is PaymentMethod.CARD and not cmd.payment_method_token:
            raise ValidationFailed(
                "A card payment needs the payment provider's token.",
                fields={"payment.payment_method_token": "is required for CARD"},
            )
        now = self._clock.now()
        # The purchase is named after the customer's idempotency key: a retried checkout that
        # got past the membership finds it instead of buying again.
        purchase_id = hashlib.sha256(f"{account_id}|{idempotency_key}".encode()).hexdigest()[:32]
        latest = self._memberships.latest(account_id)
        if latest is not None and latest.purchase_id == purchase_id:
            existing = latest  # this purchase went through already: finish it, buy nothing
        elif latest is not None and latest.active_on(now.date()):
            raise Conflict(
                "The company has an active CPS membership already.",
                fields={"tier": "a membership is active"},
            )
        else:
            existing = self._buy(account, user, chosen, cmd, po_number, purchase_id, now)
        self._invoices.request_invoice(account_id, purchase_id)
        return {
            "membership": existing.card(),
            "invoice": {"status": "PENDING"},
            "quote": self._quote(account, chosen),
        }

    def membership(self, account_id: str) -> Membership:
        membership = self._memberships.current(account_id, self._clock.now().date())
        if membership is None:
            raise NotFound("The company has no active CPS membership.")
        return membership

    def card(self, account_id: str) -> dict[str, Any] | None:
        membership = self._memberships.current(account_id, self._clock.now().date())
        return membership.card() if membership else None

    def set_auto_renew(self, account_id: str, auto_renew: bool) -> Membership:
        changed = self.membership(account_id).with_auto_renew(auto_renew)
        self._memberships.save(changed)
        return changed

    # --- helpers ---------------------------------------------------------------------------

    def _buy(
        self,
        account: Account,
        user: str,
        chosen: Tier,
        cmd: CheckoutCommand,
        po_number: str | None,
        purchase_id: str,
        now: Any,
    ) -> Membership:
        today = now.date()
        payment_reference = None
        if cmd.payment_method is PaymentMethod.CARD:
            assert cmd.payment_method_token is not None
            # The zero-amount authorisation; a decline raises here and nothing is created.
            authorisation = self._payments.authorise_card(
                account_id=account.account_id,
                email=account.email,
                payment_method_token=cmd.payment_method_token,
                idempotency_key=purchase_id,
            )
            payment_reference = f"{authorisation.customer_ref}/{authorisation.payment_method_ref}"
        for _ in range(NUMBER_DRAWS):
            membership = Membership(
                account_id=account.account_id,
                membership_id=uuid.uuid4().hex,
                membership_number=new_membership_number(),
                tier=chosen.tier,
                status=MembershipStatus.ACTIVE,
                starts_on=today,
                expires_on=one_year_after(today),
                auto_renew=cmd.auto_renew,
                payment_method=cmd.payment_method,
                terms=TermsAcceptance(cmd.terms_version, now, user),
                purchase_id=purchase_id,
                purchase_order_number=po_number,
                payment_reference=payment_reference,
            )
            try:
                self._memberships.create(membership, today)
            except NumberTaken:
                continue
            return membership
        raise RuntimeError("no free membership number found")

    def _quote(self, account: Account, chosen: Tier) -> dict[str, Any]:
        net = annual_fee(chosen.tier, account.currency, self._clock.now().date())
        line = vat_line(net, account.country, account.vat_number)
        return {
            "tier": chosen.tier,
            "name": chosen.name,
            "price_excl_vat": line.net.as_dict(),
            "vat_rate": f"{line.rate:.2f}",
            "vat_amount": line.vat.as_dict(),
            "total": line.total.as_dict(),
            "vat_treatment": line.treatment.value,
            "vat_note": line.note,
            "subscription_type": "AUTO_RENEWAL",
            "terms_version": self._terms_version,
        }

    def _eligible_tier(self, account: Account, tier_id: str) -> Tier:
        try:
            chosen = tier(tier_id)
        except UnknownTier:
            raise ValidationFailed(
                "Unknown tier.", fields={"tier": ", ".join(t.tier for t in TIERS)}
            ) from None
        reason = ineligibility_reason(chosen, account.points)
        if reason:
            raise ValidationFailed(reason, fields={"tier": "not eligible with the current points"})
        return chosen

    def _account(self, account_id: str) -> Account:
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFound("There is no business account for this login.")
        return account
