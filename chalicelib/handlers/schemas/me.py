"""The logged-in customer's own account (GET /me)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.handlers.schemas.card import MembershipOut
from chalicelib.handlers.schemas.common import CompanyOut, ContactOut, Response


class MeOut(Response):
    account_id: str
    company: CompanyOut
    country: str
    currency: str
    language: str
    vat_number: str | None
    contact: ContactOut
    points: int
    invited: bool = Field(description="the company has reached 500 points")
    membership: MembershipOut | None
