"""Memberships: a new number claimed forever, one open membership per account, and the sparse
lifecycle index the daily renewal job reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.conditions import is_condition_failure
from chalicelib.adapters.dynamo.connection import connection
from chalicelib.adapters.dynamo.models import (
    CurrentMembershipModel,
    MembershipModel,
    MembershipNumberModel,
    bind,
)
from chalicelib.adapters.dynamo.shards import earliest, shard_of, shards
from chalicelib.domain.membership import (
    HistoryEntry,
    Membership,
    MembershipActive,
    MembershipStatus,
    PaymentMethod,
    Renewal,
    TermsAcceptance,
    Upgrade,
)
from chalicelib.domain.money import Money
from chalicelib.services.ports import NumberTaken, StaleState

CURRENT = "CURRENT"


def _history_json(entries: tuple[HistoryEntry, ...]) -> str:
    return json.dumps(
        [
            {"at": e.at.isoformat(), "event": e.event, "detail": e.detail, "by": e.by}
            for e in entries
        ]
    )


def _history(raw: str | None) -> tuple[HistoryEntry, ...]:
    return tuple(
        HistoryEntry(datetime.fromisoformat(e["at"]), e["event"], e["detail"], e["by"])
        for e in json.loads(raw or "[]")
    )


def _upgrade_json(upgrade: Upgrade | None) -> str | None:
    if upgrade is None:
        return None
    return json.dumps(
        {
            "order_id": upgrade.order_id,
            "tier": upgrade.tier,
            "net": upgrade.net.as_dict(),
            "on": upgrade.on.isoformat(),
        }
    )


def _upgrade(raw: str | None) -> Upgrade | None:
    if not raw:
        return None
    d = json.loads(raw)
    net = Money(Decimal(d["net"]["amount"]), d["net"]["currency"])
    return Upgrade(d["order_id"], d["tier"], net, date.fromisoformat(d["on"]))


def _to_item(
    m: Membership, version: int, model: type[MembershipModel] = MembershipModel
) -> MembershipModel:
    next_on = m.next_step_on()
    return model(
        account_id=m.account_id,
        membership_id=m.membership_id,
        membership_number=m.membership_number,
        tier=m.tier,
        status=m.status.value,
        starts_on=m.starts_on.isoformat(),
        expires_on=m.expires_on.isoformat(),
        auto_renew=m.auto_renew,
        payment_method=m.payment_method.value,
        terms_version=m.terms.version,
        terms_accepted_at=m.terms.accepted_at,
        terms_accepted_by=m.terms.accepted_by,
        purchase_id=m.purchase_id,
        purchase_order_number=m.purchase_order_number,
        payment_reference=m.payment_reference,
        term=m.term,
        renewal_tier=m.renewal_tier,
        renewal_next_tier=m.renewal.tier if m.renewal else None,
        renewal_order_id=m.renewal.order_id if m.renewal else None,
        renewals_ordered=m.renewals_ordered,
        steps_done=sorted(m.steps_done) or None,
        history=_history_json(m.history),
        last_upgrade=_upgrade_json(m.last_upgrade),
        checkout_key=m.checkout_key,
        version=version,
        life_shard=shard_of(m.membership_id) if next_on else None,
        life_on=next_on.isoformat() if next_on else None,
    )


def _from_item(item: MembershipModel) -> Membership:
    return Membership(
        account_id=item.account_id,
        membership_id=item.membership_id,
        membership_number=item.membership_number,
        tier=item.tier,
        status=MembershipStatus(item.status),
        starts_on=date.fromisoformat(item.starts_on),
        expires_on=date.fromisoformat(item.expires_on),
        auto_renew=bool(item.auto_renew),
        payment_method=PaymentMethod(item.payment_method),
        terms=TermsAcceptance(item.terms_version, item.terms_accepted_at, item.terms_accepted_by),
        purchase_id=item.purchase_id,
        purchase_order_number=item.purchase_order_number,
        payment_reference=item.payment_reference,
        term=int(item.term or 1),
        renewal_tier=item.renewal_tier,
        renewal=(
            Renewal(item.renewal_next_tier, item.renewal_order_id)
            if item.renewal_next_tier and item.renewal_order_id
            else None
        ),
        renewals_ordered=int(item.renewals_ordered or 0),
        steps_done=frozenset(item.steps_done or ()),
        history=_history(item.history),
        last_upgrade=_upgrade(item.last_upgrade),
        checkout_key=item.checkout_key,
        version=int(item.version or 0),
    )


def _guard(m: Membership, model: type[CurrentMembershipModel]) -> CurrentMembershipModel:
    return model(
        account_id=m.account_id,
        membership_id=CURRENT,
        current_membership_id=m.membership_id,
        expires_on=m.expires_on.isoformat(),
        ended=m.ended,
    )


class DynamoMembershipRepository:
    def __init__(self, region: str, *, memberships: str, membership_numbers: str) -> None:
        self._connection = connection(region)
        self._memberships = bind(MembershipModel, memberships, region)
        self._guards = bind(CurrentMembershipModel, memberships, region)
        self._numbers = bind(MembershipNumberModel, membership_numbers, region)

    def latest(self, account_id: str) -> Membership | None:
        """The account's most recent membership, whatever its status."""
        try:
            guard = self._guards.get(account_id, CURRENT, consistent_read=True)
        except CurrentMembershipModel.DoesNotExist:
            return None
        return self.get(account_id, guard.current_membership_id)

    def get(self, account_id: str, membership_id: str) -> Membership | None:
        try:
            return _from_item(
                self._memberships.get(account_id, membership_id, consistent_read=True)
            )
        except MembershipModel.DoesNotExist:
            return None

    def create(self, membership: Membership) -> Membership:
        """Raises NumberTaken (draw another number) or MembershipActive (one is still open)."""
        try:
            with TransactWrite(connection=self._connection) as tx:
                tx.save(
                    self._numbers(
                        membership_number=membership.membership_number,
                        account_id=membership.account_id,
                        issued_at=membership.terms.accepted_at,
                    ),
                    condition=MembershipNumberModel.membership_number.does_not_exist(),
                )
                tx.save(
                    _guard(membership, self._guards),
                    condition=(
                        CurrentMembershipModel.account_id.does_not_exist()
                        | (CurrentMembershipModel.ended == True)  # noqa: E712
                    ),
                )
                tx.save(
                    _to_item(membership, 1, self._memberships),
                    condition=MembershipModel.membership_id.does_not_exist(),
                )
        except TransactWriteError as exc:
            reasons = list(exc.cancellation_reasons or [])
            if reasons and reasons[0] is not None:
                raise NumberTaken from exc
            if len(reasons) > 1 and reasons[1] is not None:
                raise MembershipActive() from exc
            raise
        return replace(membership, version=1)

    def save(self, membership: Membership) -> Membership:
        """Optimistic: raises StaleState when the membership changed since it was read. Keeps the
        account's guard item in step (expiry, ended) while this is the account's latest."""
        version = membership.version + 1
        try:
            _to_item(membership, version, self._memberships).save(
                condition=MembershipModel.version == membership.version
            )
        except PutError as exc:
            if is_condition_failure(exc):
                raise StaleState(f"membership {membership.membership_id} changed") from exc
            raise
        try:
            self._guards(account_id=membership.account_id, membership_id=CURRENT).update(
                actions=[
                    CurrentMembershipModel.expires_on.set(membership.expires_on.isoformat()),
                    CurrentMembershipModel.ended.set(membership.ended),
                ],
                condition=CurrentMembershipModel.current_membership_id == membership.membership_id,
            )
        except UpdateError as exc:
            if not is_condition_failure(exc):  # a newer membership holds the guard: leave it be
                raise
        return replace(membership, version=version)

    def due(self, today: date) -> Iterator[tuple[str, str]]:
        """(account_id, membership_id) of every membership with a step due by `today`."""
        for shard in shards():
            for item in self._memberships.lifecycle_index.query(
                shard, MembershipModel.life_on <= today.isoformat()
            ):
                yield item.account_id, item.membership_id

    def earliest_due(self) -> date | None:
        return earliest(self._memberships.lifecycle_index, MembershipModel.life_on)
