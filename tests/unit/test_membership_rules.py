"""Tiers, eligibility, VAT, rounding and membership dates (SPEC §3 to §5) as tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from chalicelib.domain.errors import Conflict, ValidationFailed
from chalicelib.domain.invoices import (
    BankDetails,
    Invoice,
    Party,
    due_date,
    invoice_number,
    payment_reference,
)
from chalicelib.domain.membership import (
    PaymentMethod,
    new_membership_number,
    one_year_after,
    validate_po_number,
)
from chalicelib.domain.money import Money
from chalicelib.domain.tiers import TIERS, annual_fee, corporate_available, tier
from chalicelib.domain.vat_rates import VatTreatment, vat_line

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("tier_id", "name", "low", "high", "fee"),
    [
        ("SILVER", "CPS Silver", 500, 999, "85"),
        ("GOLD", "CPS Gold", 1000, 1599, "170"),
        ("PLATINUM", "CPS Platinum", 1600, 2499, "300"),
        ("CORPORATE_C", "CPS Corporate C", 2500, 4499, "1000"),
        ("CORPORATE_B", "CPS Corporate B", 4500, 9999, "3000"),
        ("CORPORATE_A", "CPS Corporate A", 10000, None, "5000"),
    ],
)
def test_the_six_tiers_are_as_the_guides_show(tier_id, name, low, high, fee):
    t = tier(tier_id)
    assert (t.name, t.min_points, t.max_points) == (name, low, high)
    assert annual_fee(tier_id, "EUR", TODAY) == Money(Decimal(fee), "EUR")
    assert annual_fee(tier_id, "GBP", TODAY) == Money(Decimal(fee), "GBP")


@pytest.mark.parametrize(
    ("points", "eligible"),
    [
        (499, []),
        (500, ["SILVER"]),
        (999, ["SILVER"]),
        (1000, ["SILVER", "GOLD"]),
        (2000, ["SILVER", "GOLD", "PLATINUM"]),
        (2499, ["SILVER", "GOLD", "PLATINUM"]),
        (2500, ["SILVER", "GOLD", "PLATINUM", "CORPORATE_C"]),
        (4500, ["SILVER", "GOLD", "PLATINUM", "CORPORATE_C", "CORPORATE_B"]),
        (10000, [t.tier for t in TIERS]),
    ],
)
def test_a_tier_opens_once_the_points_reach_its_minimum(points, eligible):
    assert [t.tier for t in TIERS if t.eligible(points)] == eligible


def test_corporate_tiers_are_offered_from_2500_points():
    assert not corporate_available(2499) and corporate_available(2500)


@pytest.mark.parametrize(
    ("country", "vat_number", "treatment", "rate", "vat", "total"),
    [
        ("NL", "NL004495445B01", VatTreatment.DOMESTIC, "0.21", "17.85", "102.85"),
        ("NL", None, VatTreatment.DOMESTIC, "0.21", "17.85", "102.85"),
        ("DE", "DE136695976", VatTreatment.REVERSE_CHARGE, "0", "0.00", "85.00"),
        ("LV", "LV40003521600", VatTreatment.REVERSE_CHARGE, "0", "0.00", "85.00"),
        ("DK", None, VatTreatment.EU_NO_VAT_NUMBER, "0.21", "17.85", "102.85"),
        ("GB", "GB980780684", VatTreatment.OUTSIDE_EU, "0", "0.00", "85.00"),
        ("CH", None, VatTreatment.OUTSIDE_EU, "0", "0.00", "85.00"),
        ("NO", None, VatTreatment.OUTSIDE_EU, "0", "0.00", "85.00"),
    ],
)
def test_vat_follows_the_customers_country_and_status(
    country, vat_number, treatment, rate, vat, total
):
    line = vat_line(Money(Decimal("85"), "EUR"), country, vat_number)
    assert line.treatment is treatment and line.rate == Decimal(rate)
    assert line.vat.amount == Decimal(vat) and line.total.amount == Decimal(total)


def test_the_invoice_says_reverse_charge_or_outside_scope():
    assert (
        "reverse" in (vat_line(Money(Decimal(85), "EUR"), "DE", "DE136695976").note or "").lower()
    )
    assert "outside" in (vat_line(Money(Decimal(85), "GBP"), "GB", None).note or "").lower()
    assert vat_line(Money(Decimal(85), "EUR"), "NL", None).note is None


@pytest.mark.parametrize(
    ("net", "vat"),
    [("0.10", "0.02"), ("0.02", "0.00"), ("10.50", "2.21"), ("0.50", "0.11"), ("1.10", "0.23")],
)
def test_vat_is_rounded_half_up_to_cents(net, vat):
    # 0.10 * 21 % = 0.021 → 0.02; 10.50 * 21 % = 2.205 → 2.21 (half up, not to even)
    assert vat_line(Money(Decimal(net), "EUR"), "NL", None).vat.amount == Decimal(vat)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 11, 22), date(2027, 11, 22)),
        (date(2028, 2, 29), date(2029, 2, 28)),
        (date(2027, 2, 28), date(2028, 2, 28)),
        (date(2026, 12, 31), date(2027, 12, 31)),
    ],
)
def test_a_membership_expires_on_the_same_date_a_year_later(start, end):
    assert one_year_after(start) == end


def test_membership_numbers_have_nine_digits():
    numbers = {new_membership_number() for _ in range(200)}
    assert all(len(n) == 9 and n.isdigit() and n[0] != "0" for n in numbers)
    assert len(numbers) > 190


@pytest.mark.parametrize("po", ["eg-0123456789", "A" * 35, "  PO 42  "])
def test_a_printable_po_number_up_to_35_characters_is_kept(po):
    assert validate_po_number(po) == po.strip()


@pytest.mark.parametrize("po", ["A" * 36, "PO\n42", "PO\x0042"])
def test_other_po_numbers_are_refused(po):
    with pytest.raises(ValidationFailed):
        validate_po_number(po)


def test_invoice_numbers_are_per_year_and_due_30_days_after_issue():
    assert invoice_number(2026, 7) == "2026-000007"
    assert due_date(date(2026, 12, 15)) == date(2027, 1, 14)
    assert payment_reference("2026-000007") == "CPS2026000007"


def _invoice(method: PaymentMethod) -> Invoice:
    seller = Party("Canon Europa N.V.", "Amstelveen", "NL", "NL004495445B01")
    return Invoice(
        invoice_number="2026-000001",
        account_id="acc",
        purchase_id="p",
        issued_on=TODAY,
        due_on=due_date(TODAY),
        seller=seller,
        buyer=Party("Studio", "Amsterdam", "NL", None),
        description="CPS Silver",
        net=Money(Decimal(85), "EUR"),
        vat_rate=Decimal("0.21"),
        vat=Money(Decimal("17.85"), "EUR"),
        total=Money(Decimal("102.85"), "EUR"),
        vat_note=None,
        purchase_order_number=None,
        payment_method=method,
        bank_details=BankDetails("Canon Europa N.V.", "NL91ABNA0417164300", "ABNANL2A", "CPS1")
        if method is PaymentMethod.BANK_TRANSFER
        else None,
        membership_number="123456789",
        language="en",
    )


def test_a_bank_transfer_of_the_exact_amount_pays_the_invoice():
    paid = _invoice(PaymentMethod.BANK_TRANSFER).paid(
        Money(Decimal("102.85"), "EUR"), TODAY, "BANK-REF", TODAY
    )
    assert paid.status.value == "PAID" and paid.paid_on == TODAY


@pytest.mark.parametrize(
    "amount",
    [Money(Decimal("102.84"), "EUR"), Money(Decimal("85"), "EUR"), Money(Decimal("102.85"), "GBP")],
)
def test_a_payment_that_does_not_match_is_refused(amount):
    with pytest.raises(ValidationFailed) as refused:
        _invoice(PaymentMethod.BANK_TRANSFER).paid(amount, TODAY, "R", TODAY)
    assert "amount" in refused.value.fields


def test_card_invoices_and_paid_invoices_take_no_recorded_payment():
    with pytest.raises(Conflict):
        _invoice(PaymentMethod.CARD).paid(Money(Decimal("102.85"), "EUR"), TODAY, "R", TODAY)
    paid = _invoice(PaymentMethod.BANK_TRANSFER).paid(
        Money(Decimal("102.85"), "EUR"), TODAY, "R", TODAY
    )
    with pytest.raises(Conflict):
        paid.paid(Money(Decimal("102.85"), "EUR"), TODAY, "R", TODAY)


def test_the_payment_note_fits_the_method():
    assert "charged on the due date" in _invoice(PaymentMethod.CARD).payment_note
    note = _invoice(PaymentMethod.BANK_TRANSFER).payment_note
    assert "bank charges may apply" in note and "CPS1" in note
