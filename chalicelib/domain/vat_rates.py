"""VAT on CPS fees, table-driven: the seller is established in the Netherlands."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from chalicelib.domain.countries import is_eu
from chalicelib.domain.money import Money, to_cents

SELLER_COUNTRY = "NL"
DUTCH_STANDARD_RATE = Decimal("0.21")


class VatTreatment(StrEnum):
    DOMESTIC = "DOMESTIC"  # NL customer: Dutch VAT
    REVERSE_CHARGE = "REVERSE_CHARGE"  # EU business with a VAT number: the customer accounts for it
    EU_NO_VAT_NUMBER = "EU_NO_VAT_NUMBER"  # EU customer without VAT number: Dutch VAT
    OUTSIDE_EU = "OUTSIDE_EU"  # outside the scope of EU VAT


INVOICE_NOTES = {
    VatTreatment.DOMESTIC: None,
    VatTreatment.REVERSE_CHARGE: "VAT reverse charged (Article 196, Council Directive 2006/112/EC)",
    VatTreatment.EU_NO_VAT_NUMBER: None,
    VatTreatment.OUTSIDE_EU: "Outside the scope of EU VAT",
}


@dataclass(frozen=True)
class VatLine:
    treatment: VatTreatment
    rate: Decimal
    net: Money
    vat: Money
    total: Money

    @property
    def note(self) -> str | None:
        return INVOICE_NOTES[self.treatment]


def treatment_for(country: str, vat_number: str | None) -> VatTreatment:
    if country == SELLER_COUNTRY:
        return VatTreatment.DOMESTIC
    if is_eu(country):
        return VatTreatment.REVERSE_CHARGE if vat_number else VatTreatment.EU_NO_VAT_NUMBER
    return VatTreatment.OUTSIDE_EU


RATES = {
    VatTreatment.DOMESTIC: DUTCH_STANDARD_RATE,
    VatTreatment.REVERSE_CHARGE: Decimal("0"),
    VatTreatment.EU_NO_VAT_NUMBER: DUTCH_STANDARD_RATE,
    VatTreatment.OUTSIDE_EU: Decimal("0"),
}


def vat_line(net: Money, country: str, vat_number: str | None) -> VatLine:
    treatment = treatment_for(country, vat_number)
    rate = RATES[treatment]
    vat = Money(to_cents(net.amount * rate), net.currency)
    return VatLine(treatment, rate, net, vat, net + vat)
