"""Builders the areas share: money, a VAT rate, a presigned upload, a company."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.handlers.schemas.common import CompanyOut, MoneyOut, UploadOut

if TYPE_CHECKING:
    from decimal import Decimal

    from chalicelib.domain.applications import Company
    from chalicelib.domain.money import Money
    from chalicelib.services.ports import UploadTicket


def money_out(money: Money) -> MoneyOut:
    return MoneyOut(amount=f"{money.amount:.2f}", currency=money.currency)


def rate_out(rate: Decimal) -> str:
    return f"{rate:.2f}"


def upload_out(ticket: UploadTicket, max_bytes: int, accepted_types: list[str]) -> UploadOut:
    return UploadOut(
        url=ticket.url,
        fields=ticket.fields,
        expires_at=ticket.expires_at,
        max_bytes=max_bytes,
        accepted_types=accepted_types,
    )


def company_out(company: Company) -> CompanyOut:
    return CompanyOut(
        name=company.name,
        street=company.street,
        postcode=company.postcode,
        city=company.city,
        country=company.country,
    )
