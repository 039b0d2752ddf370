"""Business accounts: created when an application is approved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chalicelib.domain.applications import Application, Company
from chalicelib.domain.countries import currency_for


class LegacyConfirmation(StrEnum):
    """Whether the owner of the old CPS address has confirmed it (SPEC §2)."""

    NONE = "NONE"  # no old address was given
    PENDING = "PENDING"  # not confirmed yet
    CONFIRMED = "CONFIRMED"


@dataclass(frozen=True)
class Account:
    account_id: str
    company: Company
    vat_number: str | None
    contact_name: str
    email: str
    phone: str
    language: str
    legacy_cps_email: str | None
    application_id: str
    created_at: datetime
    points: int = 0
    invited: bool = False
    invitation_mailed: bool = False
    migrated: bool = False
    # When the owner of the old CPS address confirmed it (the link e-mailed there, SPEC §2).
    legacy_confirmed_at: datetime | None = None

    @property
    def legacy_confirmation(self) -> LegacyConfirmation:
        if not self.legacy_cps_email:
            return LegacyConfirmation.NONE
        if self.legacy_confirmed_at is not None:
            return LegacyConfirmation.CONFIRMED
        return LegacyConfirmation.PENDING

    @property
    def country(self) -> str:
        return self.company.country

    @property
    def currency(self) -> str:
        return currency_for(self.company.country)


def account_id_for(application_id: str) -> str:
    """Derived from the application so a retried approval finds, not duplicates, the account."""
    return f"acc-{application_id}"


def open_account(application: Application, at: datetime) -> Account:
    form = application.form
    return Account(
        account_id=account_id_for(application.application_id),
        company=form.company,
        vat_number=form.vat_number,
        contact_name=form.contact.name,
        email=form.contact.email,
        phone=form.contact.phone,
        language=form.language,
        legacy_cps_email=form.legacy_cps_email,
        application_id=application.application_id,
        created_at=at,
    )
