"""An invoice drafted from its order (SPEC §4, §5): the parties, the VAT line by the buyer's
country, the bank details of a bank transfer, the line's text and period, the amount of an
upgrade or a renewal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from chalicelib.domain.accounts import Account
from chalicelib.domain.applications import Company
from chalicelib.domain.invoices import (
    BankDetails,
    Invoice,
    InvoiceOrder,
    InvoicePurpose,
    Party,
)
from chalicelib.domain.membership import (
    Membership,
    MembershipStatus,
    PaymentMethod,
    TermsAcceptance,
)
from chalicelib.domain.money import Money
from chalicelib.domain.seller import Seller
from chalicelib.domain.tiers import tier
from chalicelib.domain.vat_rates import vat_line

ISSUED = date(2026, 3, 2)
SELLER = Seller(
    "Canon Europa N.V.",
    "Bovenkerkerweg 59, 1185 XB Amstelveen",
    "NL",
    "NL004495445B01",
    "NL91ABNA0417164300",
    "ABNANL2A",
    kvk_number="33259880",
    contact_email="cps@canon.test",
)


def an_account(country: str = "NL", vat_number: str | None = None) -> Account:
    return Account(
        account_id="acc-1",
        company=Company("Studio Lumen", "Keizersgracht 1", "1015 CJ", "Amsterdam", country),
        vat_number=vat_number,
        contact_name="Anna de Vries",
        email="anna@studio.test",
        phone="+31 20 123 4567",
        language="nl",
        legacy_cps_email=None,
        application_id="app-1",
        created_at=datetime(2026, 1, 5, tzinfo=UTC),
        points=1200,
    )


def a_membership(method: PaymentMethod = PaymentMethod.BANK_TRANSFER) -> Membership:
    return Membership(
        account_id="acc-1",
        membership_id="m-1",
        membership_number="123456789",
        tier="SILVER",
        status=MembershipStatus.ACTIVE,
        starts_on=ISSUED,
        expires_on=date(2027, 3, 2),
        auto_renew=True,
        payment_method=method,
        terms=TermsAcceptance("2026-01", datetime(2026, 3, 2, 9, tzinfo=UTC), "anna"),
        purchase_id="p-1",
        purchase_order_number="PO-77",
    )


def an_order(**values: Any) -> InvoiceOrder:
    defaults: dict[str, Any] = {
        "order_id": "p-1",
        "account_id": "acc-1",
        "membership_id": "m-1",
        "purpose": InvoicePurpose.PURCHASE,
        "issued_on": ISSUED,
        "tier": "SILVER",
        "period_from": ISSUED,
        "period_to": date(2027, 3, 1),
    }
    return InvoiceOrder(**{**defaults, **values})


def drafted(order: InvoiceOrder, account: Account, membership: Membership | None = None) -> Invoice:
    """The draft as the invoice pipeline makes it: the order's tier, priced for the buyer."""
    chosen = tier(order.tier)
    line = vat_line(order.net_of(chosen, account.currency), account.country, account.vat_number)
    return Invoice.draft(order, account, membership or a_membership(), SELLER, chosen, line)


def euros(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def test_a_dutch_company_paying_by_bank_transfer_is_invoiced_with_dutch_vat_and_bank_details():
    # GIVEN a Dutch company that bought Silver, paying by bank transfer
    account = an_account("NL")
    # WHEN its purchase invoice is drafted
    invoice = drafted(an_order(), account)
    # THEN the fee carries 21 % VAT, due in 30 days, not numbered yet
    assert (invoice.net, invoice.vat_rate, invoice.vat, invoice.total) == (
        euros("85"),
        Decimal("0.21"),
        euros("17.85"),
        euros("102.85"),
    )
    assert invoice.vat_note is None and invoice.invoice_number == ""
    assert invoice.due_on == ISSUED + timedelta(days=30)
    # AND the seller's account is named, the reference to come with the number
    assert invoice.bank_details == BankDetails(
        "Canon Europa N.V.", "NL91ABNA0417164300", "ABNANL2A", reference=""
    )
    assert invoice.numbered("2026-000001").bank_details.reference == "CPS2026000001"
    # AND the membership's number, PO number and the buyer's language are carried over
    assert (invoice.membership_number, invoice.purchase_order_number, invoice.language) == (
        "123456789",
        "PO-77",
        "nl",
    )


def test_a_card_invoice_names_no_bank_account():
    # GIVEN a membership paid by card WHEN its invoice is drafted
    invoice = drafted(an_order(), an_account("NL"), a_membership(PaymentMethod.CARD))
    # THEN there are no bank details
    assert invoice.payment_method is PaymentMethod.CARD and invoice.bank_details is None


def test_an_eu_company_with_a_vat_number_is_reverse_charged():
    # GIVEN a German company with a VAT number
    account = an_account("DE", vat_number="DE136695976")
    # WHEN its invoice is drafted
    invoice = drafted(an_order(), account)
    # THEN no VAT is charged, the reverse charge is noted and the buyer's VAT number shown
    assert (invoice.vat_rate, invoice.vat, invoice.total) == (
        Decimal("0"),
        euros("0.00"),
        euros("85"),
    )
    assert invoice.vat_note == "VAT reverse charged (Article 196, Council Directive 2006/112/EC)"
    assert invoice.buyer.vat_number == "DE136695976"


def test_a_british_company_is_invoiced_in_pounds_outside_the_scope_of_eu_vat():
    # GIVEN a company in the United Kingdom
    account = an_account("GB", vat_number="GB980780684")
    # WHEN its invoice is drafted
    invoice = drafted(an_order(), account)
    # THEN the fee is in pounds, without VAT, outside the scope of EU VAT
    assert (invoice.net, invoice.vat, invoice.total) == (
        Money(Decimal("85"), "GBP"),
        Money(Decimal("0.00"), "GBP"),
        Money(Decimal("85"), "GBP"),
    )
    assert invoice.vat_note == "Outside the scope of EU VAT"


def test_an_upgrade_is_invoiced_for_its_prorated_net_over_the_rest_of_the_term():
    # GIVEN an upgrade to Gold on 1 June, its prorated difference and its due date in the order
    order = an_order(
        order_id="upgrade:1",
        purpose=InvoicePurpose.UPGRADE,
        issued_on=date(2026, 6, 1),
        tier="GOLD",
        net=euros("62.14"),
        due_on=date(2026, 7, 1),
        period_from=date(2026, 6, 1),
    )
    # WHEN its invoice is drafted
    invoice = drafted(order, an_account("NL"))
    # THEN the prorated net is invoiced with VAT, for the rest of the term, by the order's date
    assert (invoice.net, invoice.vat, invoice.total) == (
        euros("62.14"),
        euros("13.05"),
        euros("75.19"),
    )
    assert invoice.description == "Upgrade to CPS Gold, prorated 2026-06-01 to 2027-03-01"
    assert (invoice.period_from, invoice.period_to) == (date(2026, 6, 1), date(2027, 3, 1))
    assert invoice.due_on == date(2026, 7, 1) and invoice.purpose is InvoicePurpose.UPGRADE
    assert invoice.tier_name == "CPS Gold" and invoice.purchase_id == "upgrade:1"


def test_a_renewal_is_invoiced_at_the_tiers_annual_fee_for_the_next_term():
    # GIVEN the renewal order of the next term, without an amount of its own
    order = an_order(
        order_id="renewal:m-1:2:1",
        purpose=InvoicePurpose.RENEWAL,
        issued_on=date(2027, 1, 31),
        period_from=date(2027, 3, 2),
        period_to=date(2028, 3, 1),
    )
    # WHEN its invoice is drafted
    invoice = drafted(order, an_account("NL"))
    # THEN the tier's annual fee is invoiced, described as the renewal of that term
    assert invoice.net == euros("85")
    assert invoice.description == "CPS Silver membership renewal 2027-03-02 to 2028-03-01"


def test_the_seller_and_the_buyer_are_recorded_as_of_the_day_of_issue():
    # WHEN an invoice is drafted
    invoice = drafted(an_order(), an_account("NL"))
    # THEN the seller's address is split for the e-invoice, with its KvK number and contact
    assert invoice.seller == Party(
        "Canon Europa N.V.",
        "Bovenkerkerweg 59, 1185 XB Amstelveen",
        "NL",
        "NL004495445B01",
        street="Bovenkerkerweg 59",
        postcode="1185 XB",
        city="Amstelveen",
        legal_id="33259880",
        email="cps@canon.test",
    )
    # AND the buyer's company address is printed on one line, its e-mail the invoice address
    assert invoice.buyer == Party(
        "Studio Lumen",
        "Keizersgracht 1, 1015 CJ Amsterdam",
        "NL",
        None,
        street="Keizersgracht 1",
        postcode="1015 CJ",
        city="Amsterdam",
        email="anna@studio.test",
    )
