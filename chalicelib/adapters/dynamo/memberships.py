"""Memberships: a new number claimed forever, and one active membership per account."""

from __future__ import annotations

from datetime import date

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.models import (
    CurrentMembershipModel,
    MembershipModel,
    MembershipNumberModel,
)
from chalicelib.domain.errors import Conflict
from chalicelib.domain.membership import (
    Membership,
    MembershipStatus,
    PaymentMethod,
    TermsAcceptance,
)
from chalicelib.services.ports import NumberTaken

CURRENT = "CURRENT"


def _to_item(m: Membership) -> MembershipModel:
    return MembershipModel(
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
    )


class DynamoMembershipRepository:
    def __init__(self, region: str) -> None:
        self._connection = Connection(region=region)

    def latest(self, account_id: str) -> Membership | None:
        """The account's most recent membership, active or not."""
        try:
            guard = CurrentMembershipModel.get(account_id, CURRENT, consistent_read=True)
            return _from_item(
                MembershipModel.get(account_id, guard.current_membership_id, consistent_read=True)
            )
        except (CurrentMembershipModel.DoesNotExist, MembershipModel.DoesNotExist):
            return None

    def current(self, account_id: str, today: date) -> Membership | None:
        """The membership in force today."""
        membership = self.latest(account_id)
        return membership if membership and membership.active_on(today) else None

    def by_purchase(self, account_id: str, purchase_id: str) -> Membership | None:
        membership = self.latest(account_id)
        return membership if membership and membership.purchase_id == purchase_id else None

    def create(self, membership: Membership, today: date) -> None:
        """Raises NumberTaken (draw another number) or Conflict (an active membership exists)."""
        try:
            with TransactWrite(connection=self._connection) as tx:
                tx.save(
                    MembershipNumberModel(
                        membership_number=membership.membership_number,
                        account_id=membership.account_id,
                        issued_at=membership.terms.accepted_at,
                    ),
                    condition=MembershipNumberModel.membership_number.does_not_exist(),
                )
                tx.save(
                    CurrentMembershipModel(
                        account_id=membership.account_id,
                        membership_id=CURRENT,
                        current_membership_id=membership.membership_id,
                        expires_on=membership.expires_on.isoformat(),
                    ),
                    condition=(
                        CurrentMembershipModel.account_id.does_not_exist()
                        | (CurrentMembershipModel.expires_on <= today.isoformat())
                    ),
                )
                tx.save(
                    _to_item(membership),
                    condition=MembershipModel.membership_id.does_not_exist(),
                )
        except TransactWriteError as exc:
            reasons = list(exc.cancellation_reasons or [])
            if reasons and reasons[0] is not None:
                raise NumberTaken from exc
            if len(reasons) > 1 and reasons[1] is not None:
                raise Conflict(
                    "The company has an active CPS membership already.",
                    fields={"tier": "a membership is active"},
                ) from exc
            raise

    def save(self, membership: Membership) -> None:
        _to_item(membership).save(condition=MembershipModel.membership_id.exists())
