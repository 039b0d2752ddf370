"""Registrations, serial claims, ledger and balance, changed together in one transaction."""

from __future__ import annotations

from datetime import date, datetime

from pynamodb.exceptions import QueryError, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.connection import connection
from chalicelib.adapters.dynamo.cursor import InvalidCursor, decode_cursor, encode_cursor
from chalicelib.adapters.dynamo.models import (
    AccountModel,
    LedgerModel,
    ProductModel,
    SerialClaimModel,
    bind,
)
from chalicelib.domain.errors import SerialTaken
from chalicelib.domain.points import EntryReason, LedgerEntry
from chalicelib.domain.products import ProductDetails, Registration, Source
from chalicelib.services.ports import Page, RegistrationChange, StaleBalance


def _to_item(registration: Registration, model: type[ProductModel] = ProductModel) -> ProductModel:
    d = registration.details
    return model(
        account_id=registration.account_id,
        product_id=registration.product_id,
        sku=registration.sku,
        name=registration.name,
        serial_number=d.serial_number,
        purchase_date=d.purchase_date.isoformat() if d.purchase_date else None,
        country_of_purchase=d.country_of_purchase,
        dealer=d.dealer,
        source=registration.source.value,
        registered_at=registration.registered_at,
        points=registration.points,
        completed_at=registration.completed_at,
        version=(registration.version or 0) + 1,
    )


def _from_item(item: ProductModel) -> Registration:
    return Registration(
        account_id=item.account_id,
        product_id=item.product_id,
        sku=item.sku,
        name=item.name,
        details=ProductDetails(
            serial_number=item.serial_number,
            purchase_date=date.fromisoformat(item.purchase_date) if item.purchase_date else None,
            country_of_purchase=item.country_of_purchase,
            dealer=item.dealer,
        ),
        source=Source(item.source),
        registered_at=item.registered_at,
        points=int(item.points or 0),
        completed_at=item.completed_at,
        version=int(item.version),
    )


def _entry_from_item(item: LedgerModel) -> LedgerEntry:
    return LedgerEntry(
        account_id=item.account_id,
        entry_id=item.entry_id,
        at=datetime.fromisoformat(item.at),
        delta=int(item.delta),
        reason=EntryReason(item.reason),
        product_id=item.product_id,
    )


class DynamoRegistrationStore:
    def __init__(
        self, region: str, *, products: str, serial_claims: str, ledger: str, accounts: str
    ) -> None:
        # One connection for the container's life: building a botocore client costs ~50 ms.
        self._connection = connection(region)
        self._products = bind(ProductModel, products, region)
        self._claims = bind(SerialClaimModel, serial_claims, region)
        self._ledger = bind(LedgerModel, ledger, region)
        self._accounts = bind(AccountModel, accounts, region)

    def get(self, account_id: str, product_id: str) -> Registration | None:
        try:
            return _from_item(self._products.get(account_id, product_id, consistent_read=True))
        except ProductModel.DoesNotExist:
            return None

    def list(self, account_id: str, limit: int, cursor: str | None) -> Page:
        results = self._products.query(
            account_id, limit=limit, last_evaluated_key=_cursor(cursor, account_id)
        )
        items = _page(results, _from_item)
        return Page(items, encode_cursor(results.last_evaluated_key))

    def ledger(self, account_id: str, limit: int, cursor: str | None) -> Page:
        results = self._ledger.by_time.query(
            account_id,
            limit=limit,
            scan_index_forward=False,  # newest first
            last_evaluated_key=_cursor(cursor, account_id),
        )
        items = _page(results, _entry_from_item)
        return Page(items, encode_cursor(results.last_evaluated_key))

    def mark_invitation_mailed(self, account_id: str) -> None:
        self._accounts(account_id=account_id).update(
            actions=[AccountModel.invitation_mailed.set(True)],
            condition=AccountModel.account_id.exists(),
        )

    def commit(self, change: RegistrationChange) -> None:
        claim_positions: list[int] = []
        try:
            with TransactWrite(connection=self._connection) as tx:
                claim_positions.extend(self._stage(tx, change))
        except TransactWriteError as exc:
            reasons = list(exc.cancellation_reasons or [])
            failed = {i for i, r in enumerate(reasons) if r is not None}
            if any(
                i in failed and reasons[i].code == "ConditionalCheckFailed"  # type: ignore[union-attr]
                for i in claim_positions
            ):
                raise SerialTaken(
                    "This product (model and serial number) is already registered.",
                    fields={"serial_number": "already registered"},
                ) from exc
            if failed:  # the registration or the balance moved, or a concurrent transaction
                raise StaleBalance from exc
            raise

    def _stage(self, tx: TransactWrite, change: RegistrationChange) -> list[int]:
        """Adds the change's writes to the transaction; returns the positions of serial claims."""
        claim_positions: list[int] = []
        before, after = change.before, change.after
        if after is not None:
            condition = (
                ProductModel.product_id.does_not_exist()
                if before is None
                else ProductModel.version == before.version
            )
            tx.save(_to_item(after, self._products), condition=condition)
        else:
            assert before is not None
            tx.delete(
                _to_item(before, self._products), condition=ProductModel.version == before.version
            )
        position = 1

        old_claim = before.claim_key if before else None
        new_claim = after.claim_key if after else None
        if old_claim and old_claim != new_claim:
            tx.delete(
                self._claims(claim_key=old_claim),
                condition=SerialClaimModel.account_id == change.account_id,
            )
            position += 1
        if new_claim and new_claim != old_claim:
            assert after is not None
            tx.save(
                self._claims(
                    claim_key=new_claim, account_id=change.account_id, product_id=after.product_id
                ),
                condition=SerialClaimModel.claim_key.does_not_exist(),
            )
            claim_positions.append(position)
            position += 1

        if change.entry is not None:
            entry = change.entry
            tx.save(
                self._ledger(
                    account_id=entry.account_id,
                    entry_id=entry.entry_id,
                    at=entry.at.isoformat(),
                    delta=entry.delta,
                    reason=entry.reason.value,
                    product_id=entry.product_id,
                ),
                condition=LedgerModel.entry_id.does_not_exist(),
            )
            actions = [AccountModel.points.set(change.balance_before + entry.delta)]
            if change.invite:
                actions.append(AccountModel.invited.set(True))
            tx.update(
                self._accounts(account_id=change.account_id),
                actions=actions,
                condition=AccountModel.points == change.balance_before,
            )
        return claim_positions


def _cursor(cursor: str | None, account_id: str) -> dict | None:
    # A cursor is only ever valid for the account it was issued to.
    return decode_cursor(cursor, partition=("account_id", account_id))


def _page(results: object, convert: object) -> list:
    try:
        return [convert(item) for item in results]  # type: ignore[operator, attr-defined]
    except QueryError as exc:
        if getattr(exc, "cause_response_code", None) == "ValidationException":
            raise InvalidCursor("The cursor is not valid.", fields={"cursor": "invalid"}) from exc
        raise
