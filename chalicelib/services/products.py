"""Use cases of "My Products" and the points ledger (SPEC §2)."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.domain.accounts import Account
from chalicelib.domain.catalog import CatalogProduct
from chalicelib.domain.clock import Clock
from chalicelib.domain.errors import Conflict, NotFound, ValidationFailed
from chalicelib.domain.points import LedgerEntry, award_entry, earns_invitation, reversal_entry
from chalicelib.domain.products import ProductDetails, Registration, Source
from chalicelib.services.ports import (
    AccountRepository,
    CatalogRepository,
    EmailRequest,
    Outbox,
    Page,
    RegistrationChange,
    RegistrationStore,
    StaleBalance,
)

MAX_ATTEMPTS = 8  # optimistic retries when the balance moves under a concurrent change


@dataclass(frozen=True)
class PointsView:
    balance: int
    ledger: Page[LedgerEntry]


class ProductService:
    def __init__(
        self,
        *,
        catalog: CatalogRepository,
        registrations: RegistrationStore,
        accounts: AccountRepository,
        outbox: Outbox,
        clock: Clock,
        frontend_url: str,
    ) -> None:
        self._catalog = catalog
        self._registrations = registrations
        self._accounts = accounts
        self._outbox = outbox
        self._clock = clock
        self._frontend_url = frontend_url

    def register(
        self,
        account_id: str,
        sku: str,
        details: ProductDetails,
        *,
        source: Source = Source.REGISTERED,
        product_id: str | None = None,
    ) -> Registration:
        product = self._product(sku)
        registration = Registration(
            account_id=account_id,
            product_id=product_id or uuid.uuid4().hex,
            sku=product.sku,
            name=product.name,
            details=details,
            source=source,
            registered_at=self._clock.now(),
        )
        return self._apply(account_id, None, lambda _: registration, product)

    def correct(self, account_id: str, product_id: str, changes: ProductDetails) -> Registration:
        """Fill in what is missing or correct a detail; completing it earns the points."""
        before = self.get(account_id, product_id)
        return self._apply(
            account_id,
            before,
            lambda current: current.with_details(current.details.merged(changes)),
            self._product(before.sku),
        )

    def remove(self, account_id: str, product_id: str) -> None:
        before = self.get(account_id, product_id)
        self._apply(account_id, before, lambda _: None, None)

    def exists(self, account_id: str, product_id: str) -> bool:
        return self._registrations.get(account_id, product_id) is not None

    def get(self, account_id: str, product_id: str) -> Registration:
        registration = self._registrations.get(account_id, product_id)
        if registration is None:
            raise NotFound("No such product in your registrations.")
        return registration

    def list(self, account_id: str, limit: int, cursor: str | None) -> Page[Registration]:
        return self._registrations.list(account_id, limit, cursor)

    def points(self, account_id: str, limit: int, cursor: str | None) -> PointsView:
        return PointsView(
            balance=self._account(account_id).points,
            ledger=self._registrations.ledger(account_id, limit, cursor),
        )

    # --- the one path every change of points takes ------------------------------------------

    def _apply(
        self,
        account_id: str,
        before: Registration | None,
        change_of: Callable[[Registration | None], Registration | None],
        product: CatalogProduct | None,
    ) -> Registration:
        """Commits `change_of(before)`; when something moved meanwhile, re-reads the
        registration and applies the change again to what is there now."""
        for attempt in range(MAX_ATTEMPTS):
            if attempt:
                # Full jitter, so racing writers to one balance stop colliding in step.
                time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311
            after = change_of(before)
            if before is not None and after == before:
                return before  # nothing (left) to change
            account = self._account(account_id)
            change = self._change(account, before, after, product)
            try:
                self._registrations.commit(change)
            except StaleBalance:
                if before is not None:
                    before = self.get(account_id, before.product_id)
                elif after is not None and self.exists(account_id, after.product_id):
                    raise Conflict("This registration exists already.") from None
                continue
            self._mail_invitation_if_due(account, change)
            return change.after or change.before  # type: ignore[return-value]
        raise Conflict("Too many simultaneous changes to this account; try again.")

    def _change(
        self,
        account: Account,
        before: Registration | None,
        after: Registration | None,
        product: CatalogProduct | None,
    ) -> RegistrationChange:
        now = self._clock.now()
        entry = None
        if after is None:
            assert before is not None
            if before.points:
                entry = reversal_entry(account.account_id, before.product_id, before.points, now)
        elif after.complete and not after.points:
            assert product is not None
            points = product.points_on(now.date())
            after = after.awarded(points, now)
            entry = award_entry(
                account.account_id,
                after.product_id,
                points,
                now,
                migrated=after.source is Source.MIGRATED,
            )
        balance_after = account.points + (entry.delta if entry else 0)
        return RegistrationChange(
            account_id=account.account_id,
            before=before,
            after=after,
            entry=entry,
            balance_before=account.points,
            invite=entry is not None and earns_invitation(balance_after, account.invited),
        )

    def _mail_invitation_if_due(self, account: Account, change: RegistrationChange) -> None:
        # The invitation flag is set inside the transaction; the mail follows it. A mail that
        # could not be queued then is queued at the account's next change (deduplicated).
        if not (change.invite or (account.invited and not account.invitation_mailed)):
            return
        self._outbox.send(
            EmailRequest(
                template="cps_invitation",
                language=account.language,
                to=account.email,
                dedupe_key=f"cps-invitation:{account.account_id}",
                context={
                    "company_name": account.company.name,
                    "contact_name": account.contact_name,
                    "points": change.balance_before + (change.entry.delta if change.entry else 0),
                    "signup_url": f"{self._frontend_url}/cps/sign-up",
                },
            )
        )
        self._registrations.mark_invitation_mailed(account.account_id)

    def _account(self, account_id: str) -> Account:
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFound("There is no business account for this login.")
        return account

    def _product(self, sku: str) -> CatalogProduct:
        product = self._catalog.get(sku.strip().upper())
        if (
            product is None
            or not product.values
            or product.values[0].effective_from > self._clock.now().date()
        ):
            raise ValidationFailed(
                "This product is not in the catalogue of eligible products.",
                fields={"sku": "unknown SKU; see GET /catalog"},
            )
        return product
