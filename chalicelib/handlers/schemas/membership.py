"""Signing up for CPS: tiers, quote, checkout; changing, upgrading and paying for the membership.
The card the routes answer with is `card.py`'s."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, StrictBool

from chalicelib.domain.membership import PaymentMethod, SubscriptionType
from chalicelib.domain.tiers import TIERS, Family
from chalicelib.domain.vat_rates import VatTreatment
from chalicelib.handlers.schemas.card import MembershipOut
from chalicelib.handlers.schemas.common import VAT_RATE, MoneyOut, Request, Response, Text

TIER_IDS = [t.tier for t in TIERS]


def _known_tier(value: str) -> str:
    if value not in TIER_IDS:
        raise ValueError(f"must be one of {', '.join(TIER_IDS)}")
    return value


# A tier id: picked from GET /tiers, so an unknown one is malformed (400); whether the company's
# points open it is a rule (422).
TierId = Annotated[
    Text,
    AfterValidator(_known_tier),
    Field(min_length=1, max_length=40, json_schema_extra={"enum": TIER_IDS}),
]


class TierOut(Response):
    tier: str
    name: str
    family: Family
    min_points: int
    max_points: int | None
    annual_fee: MoneyOut
    eligible: bool


class TiersOut(Response):
    points: int
    corporate_available: bool
    currency: str
    tiers: list[TierOut]


class QuoteIn(Request):
    tier: TierId


class QuoteOut(Response):
    tier: str
    name: str
    price_excl_vat: MoneyOut
    vat_rate: str = Field(pattern=VAT_RATE, description="e.g. 0.21")
    vat_amount: MoneyOut
    total: MoneyOut
    vat_treatment: VatTreatment
    vat_note: str | None
    subscription_type: SubscriptionType
    terms_version: str


class CardPaymentIn(Request):
    method: Literal[PaymentMethod.CARD]
    payment_method_token: Text = Field(min_length=1, max_length=255)


class BankTransferIn(Request):
    method: Literal[PaymentMethod.BANK_TRANSFER]


class CheckoutIn(Request):
    tier: TierId
    auto_renew: StrictBool = True
    purchase_order_number: Text | None = Field(
        default=None, description="at most 35 printable characters (else a 422)"
    )
    accept_terms: StrictBool = Field(
        json_schema_extra={"const": True}, description="The terms must be accepted (else a 422)"
    )
    terms_version: Text = Field(min_length=1, max_length=40)
    payment: CardPaymentIn | BankTransferIn = Field(discriminator="method")


class OrderedInvoiceOut(Response):
    """The invoice is ordered: its number and PDF follow (GET /invoices)."""

    status: Literal["PENDING"]


class UpgradeInvoiceOut(OrderedInvoiceOut):
    net: MoneyOut = Field(description="the prorated difference, excl. VAT")


class CheckoutOut(Response):
    membership: MembershipOut
    invoice: OrderedInvoiceOut
    quote: QuoteOut


class MembershipPatchIn(Request):
    # Something to change: null is the same as leaving a field out.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["auto_renew"], "properties": {"auto_renew": {"type": "boolean"}}},
                {"required": ["renewal_tier"], "properties": {"renewal_tier": {"type": "string"}}},
            ]
        }
    )

    auto_renew: StrictBool | None = None
    renewal_tier: TierId | None = None


class UpgradeIn(Request):
    tier: TierId


class UpgradeOut(Response):
    membership: MembershipOut
    invoice: UpgradeInvoiceOut


class PaymentMethodIn(Request):
    payment_method_token: Text = Field(min_length=1, max_length=255)
