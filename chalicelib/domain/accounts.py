"""Business accounts: created when an application is approved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.applications import Application, Company
from chalicelib.domain.countries import currency_for


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
    def legacy_confirmation(self) -> str:
        """NONE (no old address given), PENDING (not confirmed yet) or CONFIRMED."""
        if not self.legacy_cps_email:
            return "NONE"
        return "CONFIRMED" if self.legacy_confirmed_at is not None else "PENDING"

    @property
    def country(self) -> str:
        return self.company.country

    @property
    def currency(self) -> str:
        return currency_for(self.company.country)

    def profile(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "company": {
                "name": self.company.name,
                "street": self.company.street,
                "postcode": self.company.postcode,
                "city": self.company.city,
                "country": self.company.country,
            },
            "country": self.country,
            "currency": self.currency,
            "language": self.language,
            "vat_number": self.vat_number,
            "contact": {"name": self.contact_name, "email": self.email, "phone": self.phone},
            "points": self.points,
            "invited": self.invited,
            "membership": None,
        }


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
