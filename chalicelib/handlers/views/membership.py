"""Builders of the sign-up's answers: the tier chart, the quote, the checkout, the upgrade. The
card is `card.py`'s."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.handlers.schemas.membership import (
    CheckoutOut,
    OrderedInvoiceOut,
    QuoteOut,
    TierOut,
    TiersOut,
    UpgradeInvoiceOut,
    UpgradeOut,
)
from chalicelib.handlers.views.card import membership_out
from chalicelib.handlers.views.common import money_out, rate_out

if TYPE_CHECKING:
    from chalicelib.services.membership import Purchase, Quote, TierChart, UpgradeResult


def tiers_out(chart: TierChart) -> TiersOut:
    return TiersOut(
        points=chart.points,
        corporate_available=chart.corporate_available,
        currency=chart.currency,
        tiers=[
            TierOut(
                tier=option.tier.tier,
                name=option.tier.name,
                family=option.tier.family,
                min_points=option.tier.min_points,
                max_points=option.tier.max_points,
                annual_fee=money_out(option.annual_fee),
                eligible=option.eligible,
            )
            for option in chart.tiers
        ],
    )


def quote_out(quote: Quote) -> QuoteOut:
    line = quote.line
    return QuoteOut(
        tier=quote.tier.tier,
        name=quote.tier.name,
        price_excl_vat=money_out(line.net),
        vat_rate=rate_out(line.rate),
        vat_amount=money_out(line.vat),
        total=money_out(line.total),
        vat_treatment=line.treatment,
        vat_note=line.note,
        subscription_type=quote.subscription_type,
        terms_version=quote.terms_version,
    )


def checkout_out(purchase: Purchase) -> CheckoutOut:
    return CheckoutOut(
        membership=membership_out(purchase.card),
        invoice=OrderedInvoiceOut(status="PENDING"),
        quote=quote_out(purchase.quote),
    )


def upgrade_out(result: UpgradeResult) -> UpgradeOut:
    return UpgradeOut(
        membership=membership_out(result.card),
        invoice=UpgradeInvoiceOut(status="PENDING", net=money_out(result.net)),
    )
