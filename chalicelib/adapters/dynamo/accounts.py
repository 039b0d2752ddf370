"""Business accounts in DynamoDB; e-mail and VAT number are found through their indexes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.adapters.dynamo.conditions import is_condition_failure
from chalicelib.adapters.dynamo.models import AccountModel, bind
from chalicelib.domain.accounts import Account
from chalicelib.domain.applications import Company


def _to_item(account: Account, model: type[AccountModel] = AccountModel) -> AccountModel:
    return model(
        account_id=account.account_id,
        application_id=account.application_id,
        company_name=account.company.name,
        street=account.company.street,
        postcode=account.company.postcode,
        city=account.company.city,
        country=account.company.country,
        vat_number=account.vat_number,
        contact_name=account.contact_name,
        email=account.email,
        phone=account.phone,
        language=account.language,
        legacy_cps_email=account.legacy_cps_email,
        created_at=account.created_at,
        points=account.points,
        invited=account.invited,
        invitation_mailed=account.invitation_mailed,
        legacy_confirmed_at=account.legacy_confirmed_at,
    )


def _from_item(item: AccountModel) -> Account:
    return Account(
        account_id=item.account_id,
        company=Company(item.company_name, item.street, item.postcode, item.city, item.country),
        vat_number=item.vat_number,
        contact_name=item.contact_name,
        email=item.email,
        phone=item.phone,
        language=item.language,
        legacy_cps_email=item.legacy_cps_email,
        application_id=item.application_id,
        created_at=item.created_at,
        points=int(item.points or 0),
        invited=bool(item.invited),
        invitation_mailed=bool(item.invitation_mailed),
        migrated=item.migrated_at is not None,
        legacy_confirmed_at=item.legacy_confirmed_at,
    )


class DynamoAccountRepository:
    def __init__(self, region: str, *, accounts: str) -> None:
        self._accounts = bind(AccountModel, accounts, region)

    def add(self, account: Account) -> bool:
        try:
            _to_item(account, self._accounts).save(
                condition=AccountModel.account_id.does_not_exist()
            )
        except PutError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def get(self, account_id: str) -> Account | None:
        try:
            return _from_item(self._accounts.get(account_id))
        except AccountModel.DoesNotExist:
            return None

    def find_by_email(self, email: str) -> Account | None:
        for item in self._accounts.email_index.query(email, limit=1):
            return _from_item(item)
        return None

    def mark_migrated(self, account_id: str) -> None:
        self._accounts(account_id=account_id).update(
            actions=[AccountModel.migrated_at.set(datetime.now(UTC))],
            condition=AccountModel.account_id.exists(),
        )

    def account_ids_with_vat(self, vat_number: str) -> list[str]:
        return [item.account_id for item in self._accounts.vat_index.query(vat_number)]

    # --- the old CPS address's confirmation (SPEC §2) ---------------------------------------

    def replace_legacy_link(self, account_id: str, token_hash: str) -> bool:
        """Only this link confirms from now on; False when there is nothing left to confirm."""
        return self._conditional_update(
            account_id,
            [AccountModel.legacy_link_hash.set(token_hash)],
            AccountModel.legacy_cps_email.exists()
            & AccountModel.legacy_confirmed_at.does_not_exist(),
        )

    def confirm_legacy(self, account_id: str, token_hash: str, at: datetime) -> bool:
        """Records the confirmation if the link is still the valid one and nothing was confirmed
        yet (one conditional write: a resend and a click at the same moment cannot both win)."""
        return self._conditional_update(
            account_id,
            [AccountModel.legacy_confirmed_at.set(at), AccountModel.legacy_link_hash.remove()],
            AccountModel.legacy_cps_email.exists()
            & AccountModel.legacy_confirmed_at.does_not_exist()
            & (
                AccountModel.legacy_link_hash.does_not_exist()
                | (AccountModel.legacy_link_hash == token_hash)
            ),
        )

    def _conditional_update(self, account_id: str, actions: list[Any], condition: Any) -> bool:
        try:
            self._accounts(account_id=account_id).update(
                actions=actions, condition=AccountModel.account_id.exists() & condition
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True
