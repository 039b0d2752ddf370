"""Use cases of signing up for CPS (SPEC §3, §4): tiers, quote, checkout, the membership card."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chalicelib.domain.accounts import Account
from chalicelib.domain.clock import Clock
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.invoices import InvoiceOrder, InvoicePurpose, InvoiceStatus, due_date
from chalicelib.domain.membership import (
    CheckedPurchase,
    Membership,
    MembershipActive,
    PaymentMethod,
    PurchaseRequest,
    SubscriptionType,
    new_membership_number,
)
from chalicelib.domain.money import Money
from chalicelib.domain.tiers import (
    TIERS,
    Tier,
    annual_fee,
    corporate_available,
    requested_tier,
    tier,
)
from chalicelib.domain.vat_rates import VatLine, vat_line
from chalicelib.services.collection import CollectionService, apply_change
from chalicelib.services.payments import PaymentProvider
from chalicelib.services.ports import (
    AccountRepository,
    InvoiceRepository,
    InvoiceRequests,
    MembershipRepository,
    NumberTaken,
)
from chalicelib.services.renewals import renewal_order

NUMBER_DRAWS = 20
KEY_LIFETIME = timedelta(hours=24)  # as long as the checkout's idempotency record lives


@dataclass(frozen=True)
class TierOption:
    """A tier as the company sees it: its fee in the company's currency, and whether its
    points open it."""

    tier: Tier
    annual_fee: Money
    eligible: bool


@dataclass(frozen=True)
class TierChart:
    points: int
    corporate_available: bool
    currency: str
    tiers: tuple[TierOption, ...]


@dataclass(frozen=True)
class Quote:
    tier: Tier
    line: VatLine  # the fee excl. VAT, the VAT and the total
    terms_version: str
    subscription_type: SubscriptionType = SubscriptionType.AUTO_RENEWAL


@dataclass(frozen=True)
class RenewalPlan:
    """The renewal as it stands: the decided one, or what the rule gives today."""

    on: date
    tier: Tier
    price_excl_vat: Money
    invoiced: bool


@dataclass(frozen=True)
class MembershipCard:
    """The subscription card: the membership, its tier and its renewal as it stands."""

    membership: Membership
    tier: Tier
    renewal: RenewalPlan | None


@dataclass(frozen=True)
class Purchase:
    card: MembershipCard
    quote: Quote  # what was bought, at which price


@dataclass(frozen=True)
class UpgradeResult:
    card: MembershipCard
    net: Money  # the prorated difference, invoiced (excl. VAT)


class MembershipService:
    def __init__(
        self,
        *,
        accounts: AccountRepository,
        memberships: MembershipRepository,
        payments: Callable[[], PaymentProvider],
        orders: InvoiceRequests,
        invoices: InvoiceRepository,
        collection: CollectionService,
        clock: Clock,
        terms_version: str,
    ) -> None:
        self._accounts = accounts
        self._memberships = memberships
        self._payments = payments  # built on first use: only a card purchase or change needs it
        self._orders = orders
        self._invoices = invoices
        self._collection = collection
        self._clock = clock
        self._terms_version = terms_version

    def tiers(self, account_id: str, family: str | None) -> TierChart:
        account = self._account(account_id)
        today = self._clock.now().date()
        return TierChart(
            points=account.points,
            corporate_available=corporate_available(account.points),
            currency=account.currency,
            tiers=tuple(
                TierOption(
                    tier=t,
                    annual_fee=annual_fee(t.tier, account.currency, today),
                    eligible=t.eligible(account.points),
                )
                for t in TIERS
                if family is None or t.family.value == family
            ),
        )

    def quote(self, account_id: str, tier_id: str) -> Quote:
        account = self._account(account_id)
        chosen = requested_tier(tier_id, points=account.points)
        return self._quote(account, chosen)

    def checkout(
        self, account_id: str, user: str, idempotency_key: str, cmd: PurchaseRequest
    ) -> Purchase:
        account = self._account(account_id)
        purchase = cmd.checked(account.points, self._terms_version)
        now = self._clock.now()
        # A retried checkout that got past the membership (its idempotency record was lost with
        # the crash) finds it by the key it was bought with, while the key is still the same
        # request; later the same key is a new purchase, with a purchase id of its own.
        checkout_key = hashlib.sha256(f"{account_id}|{idempotency_key}".encode()).hexdigest()[:32]
        latest = self._memberships.latest(account_id)
        if latest is not None and latest.bought_with(checkout_key, now, KEY_LIFETIME):
            existing = latest  # this purchase went through already: finish it, buy nothing
        elif latest is not None and latest.blocks_purchase:
            raise MembershipActive()
        else:
            existing = self._buy(account, user, purchase, checkout_key, now)
        self._orders.request(
            InvoiceOrder(
                order_id=existing.purchase_id,
                account_id=account_id,
                membership_id=existing.membership_id,
                purpose=InvoicePurpose.PURCHASE,
                issued_on=existing.starts_on,
                tier=existing.tier,
                period_from=existing.starts_on,
                period_to=existing.expires_on - timedelta(days=1),
            )
        )
        return Purchase(self.card(existing, account), self._quote(account, purchase.tier))

    def membership(self, account_id: str) -> Membership:
        """The account's latest membership, whatever its status (ended ones show as such)."""
        membership = self._memberships.latest(account_id)
        if membership is None:
            raise NotFound("The company has no CPS membership.")
        return membership

    def my_card(self, account: Account) -> MembershipCard | None:
        latest = self._memberships.latest(account.account_id)
        return self.card(latest, account) if latest else None

    def card(self, m: Membership, account: Account) -> MembershipCard:
        renewal = m.renewal_view(account.points, self._clock.now().date(), account.currency)
        return MembershipCard(
            membership=m,
            tier=tier(m.tier),
            renewal=(
                RenewalPlan(
                    on=m.expires_on,
                    tier=renewal[0],
                    price_excl_vat=renewal[1],
                    invoiced=m.renewal is not None,
                )
                if renewal
                else None
            ),
        )

    def card_for(self, account_id: str, m: Membership) -> MembershipCard:
        return self.card(m, self._account(account_id))

    def change(
        self, account_id: str, user: str, auto_renew: bool | None, renewal_tier: str | None
    ) -> Membership:
        """PATCH /membership: auto-renewal and the renewal tier. Switching auto-renewal off after
        the renewal invoice cancels that invoice with a credit note (SPEC §5)."""
        account = self._account(account_id)
        m = self.membership(account_id)
        now = self._clock.now()
        if renewal_tier is not None:
            requested_tier(renewal_tier, field="renewal_tier")
            m = apply_change(
                self._memberships,
                m,
                lambda x: x.choose_renewal_tier(renewal_tier, account.points, now, user),
            )
        if auto_renew is not None:
            withdrawn = m.renewal if not auto_renew else None
            renewal_invoice = self._invoices.for_purchase(withdrawn.order_id) if withdrawn else None
            if renewal_invoice is not None and renewal_invoice.status is InvoiceStatus.PAID:
                raise Conflict(
                    "The renewal is paid already; please contact CPS support to cancel it.",
                    fields={"auto_renew": "the renewal invoice is paid"},
                )
            m = apply_change(
                self._memberships,
                m,
                lambda x: (
                    x.with_auto_renew(False, now, user).renewal_withdrawn(now, user)
                    if not auto_renew
                    else x.with_auto_renew(True, now, user)
                ),
            )
            if withdrawn is not None:
                # Its order again first (invoiced once): the credit note needs the invoice.
                self._orders.request(renewal_order(m, now.date(), withdrawn))
                self._orders.request(
                    InvoiceOrder(
                        order_id=f"credit:{withdrawn.order_id}",
                        account_id=account_id,
                        membership_id=m.membership_id,
                        purpose=InvoicePurpose.RENEWAL_WITHDRAWN,
                        issued_on=now.date(),
                        credits_order_id=withdrawn.order_id,
                    )
                )
        return m

    def upgrade(self, account_id: str, user: str, key: str, tier_id: str) -> UpgradeResult:
        """SPEC §5: the tier changes today; the prorated difference is invoiced. The upgrade is
        stored with its order's id before the order is sent, so a retry after a failure in
        between sends the same order again instead of refusing a second upgrade."""
        account = self._account(account_id)
        requested_tier(tier_id)
        m = self.membership(account_id)
        order_id = "upgrade:" + hashlib.sha256(f"{m.membership_id}|{key}".encode()).hexdigest()[:32]
        if m.last_upgrade is None or m.last_upgrade.order_id != order_id:
            now = self._clock.now()
            m = apply_change(
                self._memberships,
                m,
                lambda x: x.upgrade(tier_id, account.points, account.currency, now, user, order_id),
            )
        upgrade = m.last_upgrade
        assert upgrade is not None
        self._orders.request(
            InvoiceOrder(
                order_id=order_id,
                account_id=account_id,
                membership_id=m.membership_id,
                purpose=InvoicePurpose.UPGRADE,
                issued_on=upgrade.on,
                tier=upgrade.tier,
                net=upgrade.net,
                due_on=due_date(upgrade.on),
                period_from=upgrade.on,
                period_to=m.expires_on - timedelta(days=1),
            )
        )
        return UpgradeResult(self.card(m, account), upgrade.net)

    def change_card(self, account_id: str, user: str, token: str) -> Membership:
        """A new card, authorised for zero; an open invoice that is due is charged at once. A
        card that cannot pay it is refused (422) and not saved."""
        account = self._account(account_id)
        m = self.membership(account_id)
        if m.ended:
            raise Conflict("The membership has ended; buy a new one to continue.")
        fingerprint = hashlib.sha256(token.encode()).hexdigest()[:24]
        authorisation = self._payments().authorise_card(
            account_id=account_id,
            email=account.email,
            payment_method_token=token,
            idempotency_key=f"card:{m.membership_id}:{fingerprint}",
        )
        today = self._clock.now().date()
        for invoice in self._invoices.open_for(account_id, m.membership_id):
            if invoice.due_on <= today:
                self._collection.charge_now(invoice, authorisation, by=user)
        now = self._clock.now()
        reference = f"{authorisation.customer_ref}/{authorisation.payment_method_ref}"
        fresh = self.membership(account_id)
        if fresh.payment_reference == reference:  # a retried request: saved already
            return fresh
        return apply_change(self._memberships, fresh, lambda x: x.with_card(reference, now, user))

    # --- helpers ---------------------------------------------------------------------------

    def _buy(
        self,
        account: Account,
        user: str,
        purchase: CheckedPurchase,
        checkout_key: str,
        now: datetime,
    ) -> Membership:
        payment_reference = None
        if purchase.payment_method is PaymentMethod.CARD:
            assert purchase.payment_method_token is not None
            # The zero-amount authorisation; a decline raises here and nothing is created.
            authorisation = self._payments().authorise_card(
                account_id=account.account_id,
                email=account.email,
                payment_method_token=purchase.payment_method_token,
                idempotency_key=checkout_key,  # the provider's keys live 24 hours too
            )
            payment_reference = f"{authorisation.customer_ref}/{authorisation.payment_method_ref}"
        for _ in range(NUMBER_DRAWS):
            membership = Membership.purchased(
                purchase,
                account_id=account.account_id,
                membership_number=new_membership_number(),
                checkout_key=checkout_key,
                payment_reference=payment_reference,
                at=now,
                by=user,
            )
            try:
                return self._memberships.create(membership)
            except NumberTaken:
                continue
        raise RuntimeError("no free membership number found")

    def _quote(self, account: Account, chosen: Tier) -> Quote:
        net = annual_fee(chosen.tier, account.currency, self._clock.now().date())
        line = vat_line(net, account.country, account.vat_number)
        return Quote(chosen, line, self._terms_version)

    def _account(self, account_id: str) -> Account:
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFound("There is no business account for this login.")
        return account
