"""InvoicingService.issue on the fakes: invoices for purchases, renewals and upgrades, credit
notes that cancel them, one number and one mail per order however often it arrives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.errors import NotFound, RetryableFailure
from chalicelib.domain.invoices import (
    InvoiceKind,
    InvoiceOrder,
    InvoicePurpose,
    InvoiceStatus,
)
from chalicelib.domain.membership import PaymentMethod
from chalicelib.domain.money import Money
from tests.unit.services import START, World

TODAY = START.date()


@pytest.fixture
def world() -> World:
    return World()


def euros(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def credit_order(original_order_id: str, m, purpose: InvoicePurpose, on: date) -> InvoiceOrder:
    return InvoiceOrder(
        order_id=f"credit:{original_order_id}",
        account_id=m.account_id,
        membership_id=m.membership_id,
        purpose=purpose,
        issued_on=on,
        credits_order_id=original_order_id,
    )


def test_a_purchase_invoice_is_numbered_stored_as_pdf_and_mailed(world):
    # GIVEN a card checkout whose purchase order is queued
    m = world.member(invoiced=False)
    [order] = world.recorder.orders
    # WHEN the pipeline issues it
    invoice = world.invoicing.issue(order)
    # THEN it is the year's first invoice: Silver with Dutch VAT, due in 30 days
    assert invoice.invoice_number == "2026-000001" and invoice.kind is InvoiceKind.INVOICE
    assert (invoice.net, invoice.vat, invoice.total) == (
        euros("85.00"),
        euros("17.85"),
        euros("102.85"),
    )
    assert invoice.due_on == TODAY + timedelta(days=30) and invoice.purchase_id == m.purchase_id
    assert invoice.description == "CPS Silver membership 2026-03-02 to 2027-03-01"
    # AND its PDF is stored and linked, and the mail carries it
    assert world.documents.objects[invoice.pdf_key][0] == b"%PDF-1.7 2026-000001"
    assert world.invoice(invoice.invoice_number).pdf_available
    [mail] = world.recorder.mails_of("invoice_issued")
    assert mail.dedupe_key == "invoice-issued:2026-000001" and mail.attachments == (
        invoice.pdf_key,
    )
    assert mail.context["bank_details"] == {}


def test_a_bank_transfer_invoice_carries_the_bank_details_and_a_reference_of_its_number(world):
    # GIVEN a bank-transfer purchase WHEN it is invoiced
    m = world.member(PaymentMethod.BANK_TRANSFER)
    [invoice] = world.invoices_of(m.account_id)
    # THEN the invoice and its mail say where to pay, quoting its number
    assert invoice.bank_details is not None
    assert invoice.bank_details.reference == "CPS2026000001"
    [mail] = world.recorder.mails_of("invoice_issued")
    assert mail.context["bank_details"]["reference"] == "CPS2026000001"


def test_an_order_delivered_twice_is_invoiced_and_mailed_under_one_cause(world):
    # GIVEN a purchase order
    world.member(invoiced=False)
    [order] = world.recorder.orders
    # WHEN it is delivered three times
    issued = {world.invoicing.issue(order).invoice_number for _ in range(3)}
    # THEN one number was taken, and every mail names the same cause
    assert issued == {"2026-000001"} and world.invoices.counters == {"invoice#2026": 1}
    assert set(world.recorder.mail_causes("invoice_issued")) == {"invoice-issued:2026-000001"}


def test_invoices_are_numbered_per_year_without_gaps_and_credit_notes_on_their_own(world):
    # GIVEN two purchases this year
    first, second = world.member(), world.member()
    # WHEN the first is credited, and a third company buys next year
    world.recorder.request(
        credit_order(first.purchase_id, first, InvoicePurpose.RENEWAL_WITHDRAWN, TODAY)
    )
    [credit_note] = world.issue_orders()
    world.on(date(2027, 1, 4))
    third = world.member()
    # THEN invoices run 2026-000001, 2026-000002, then 2027-000001; the credit note CN-2026-000001
    numbers = [
        i.invoice_number
        for m in (first, second, third)
        for i in world.invoices_of(m.account_id)
        if i.kind is InvoiceKind.INVOICE
    ]
    assert numbers == ["2026-000001", "2026-000002", "2027-000001"]
    assert credit_note.invoice_number == "CN-2026-000001"


def test_a_renewal_invoice_is_for_the_next_term_and_due_on_the_expiry(world):
    # GIVEN a member
    m = world.member()
    # WHEN the renewal order of the next term arrives
    invoice = world.invoicing.issue(
        InvoiceOrder(
            order_id=m.renewal_order_id,
            account_id=m.account_id,
            membership_id=m.membership_id,
            purpose=InvoicePurpose.RENEWAL,
            issued_on=m.expires_on - timedelta(days=30),
            tier="GOLD",
            due_on=m.expires_on,
            period_from=m.expires_on,
            period_to=date(2028, 3, 1),
        )
    )
    # THEN it invoices the renewal tier's fee for that term, due on the expiry date
    assert invoice.purpose is InvoicePurpose.RENEWAL and invoice.due_on == m.expires_on
    assert invoice.net == euros("170.00") and invoice.tier_name == "CPS Gold"
    assert invoice.description == "CPS Gold membership renewal 2027-03-02 to 2028-03-01"


def test_an_upgrade_invoice_charges_the_prorated_net_of_its_order(world):
    # GIVEN a member WHEN an upgrade order with a prorated net arrives
    m = world.member()
    invoice = world.invoicing.issue(
        InvoiceOrder(
            order_id="upgrade:abc",
            account_id=m.account_id,
            membership_id=m.membership_id,
            purpose=InvoicePurpose.UPGRADE,
            issued_on=TODAY,
            tier="GOLD",
            net=euros("68.00"),
            due_on=TODAY + timedelta(days=30),
            period_from=TODAY,
            period_to=date(2027, 3, 1),
        )
    )
    # THEN that net is invoiced with VAT, not the annual fee
    assert (invoice.net, invoice.vat, invoice.total) == (
        euros("68.00"),
        euros("14.28"),
        euros("82.28"),
    )
    assert invoice.description == "Upgrade to CPS Gold, prorated 2026-03-02 to 2027-03-01"


def test_a_credit_note_cancels_its_invoice_and_mails_the_credit_note(world):
    # GIVEN a member with its purchase invoice
    m = world.member()
    [invoice] = world.invoices_of(m.account_id)
    # WHEN a credit note for that invoice is ordered (a withdrawn renewal, say)
    credit_note = world.invoicing.issue(
        credit_order(m.purchase_id, m, InvoicePurpose.RENEWAL_WITHDRAWN, TODAY)
    )
    # THEN the credit note names the invoice, which is cancelled by it
    assert credit_note.kind is InvoiceKind.CREDIT_NOTE
    assert credit_note.credit_note_for == invoice.invoice_number
    assert credit_note.total == invoice.total
    cancelled = world.invoice(invoice.invoice_number)
    assert cancelled.status is InvoiceStatus.CANCELLED
    assert cancelled.cancelled_by == credit_note.invoice_number
    # AND the customer gets the credit note, attached
    [mail] = world.recorder.mails_of("credit_note_issued")
    assert mail.dedupe_key == f"credit-note-issued:{credit_note.invoice_number}"
    assert mail.attachments == (credit_note.pdf_key,)


def test_a_credit_note_for_non_payment_tells_the_customer_the_membership_is_cancelled(world):
    # GIVEN a member's purchase invoice
    m = world.member()
    # WHEN it is credited for non-payment (twice delivered)
    order = credit_order(m.purchase_id, m, InvoicePurpose.NON_PAYMENT, TODAY)
    world.invoicing.issue(order)
    world.invoicing.issue(order)
    # THEN one credit note, and the cancellation mail under one cause
    credit_notes = [i for i in world.invoices_of(m.account_id) if i.kind is InvoiceKind.CREDIT_NOTE]
    assert len(credit_notes) == 1
    assert set(world.recorder.mail_causes("membership_cancelled")) == {
        f"membership-cancelled:{credit_notes[0].credit_note_for}"
    }
    assert world.recorder.mails_of("credit_note_issued") == []


def test_a_credit_note_before_its_invoice_is_issued_waits_for_it(world):
    # GIVEN a purchase whose invoice is not issued yet
    m = world.member(invoiced=False)
    # WHEN its credit note order arrives first
    with pytest.raises(RetryableFailure):
        world.invoicing.issue(credit_order(m.purchase_id, m, InvoicePurpose.NON_PAYMENT, TODAY))
    # THEN no number was spent
    assert world.invoices.items == {} and world.invoices.counters == {}


def test_an_invoice_of_the_account_is_viewed_with_a_pdf_link_and_its_status_today(world):
    # GIVEN a member whose invoice is past its due date
    m = world.member()
    [invoice] = world.invoices_of(m.account_id)
    world.on(invoice.due_on + timedelta(days=3))
    # WHEN it is read by its owner
    view = world.invoicing.get(m.account_id, invoice.invoice_number)
    # THEN it shows OVERDUE, 3 days, and a link to its PDF
    assert (view.status, view.days_overdue) == (InvoiceStatus.OVERDUE, 3)
    assert view.pdf_url is not None
    assert view.pdf_url.startswith(f"https://documents.test/{invoice.pdf_key}")


def test_finance_sees_overdue_and_open_receivables_apart(world):
    # GIVEN two members, one of whose invoices is overdue by the day finance looks
    early = world.member()
    world.on(START.date() + timedelta(days=10))
    late = world.member()
    world.on(START.date() + timedelta(days=35))
    # WHEN finance lists the overdue and the open invoices
    overdue = world.invoicing.receivables(InvoiceStatus.OVERDUE, 10, None).items
    still_open = world.invoicing.receivables(InvoiceStatus.ISSUED, 10, None).items
    # THEN each appears in its list, with its company
    assert [r.invoice.account_id for r in overdue] == [early.account_id]
    assert [r.invoice.account_id for r in still_open] == [late.account_id]
    assert overdue[0].days_overdue == 5 and overdue[0].invoice.buyer.name == "Studio Lumen B.V."


def test_an_invoice_of_another_account_is_not_found(world):
    # GIVEN two members
    m, other = world.member(), world.member()
    [invoice] = world.invoices_of(m.account_id)
    # WHEN the other asks for the first one's invoice THEN it does not exist for it
    with pytest.raises(NotFound):
        world.invoicing.get(other.account_id, invoice.invoice_number)
    # AND the owner still reads it
    assert world.invoicing.get(m.account_id, invoice.invoice_number).invoice == invoice


def test_the_pdf_is_rendered_again_to_the_same_key_on_a_redelivery(world):
    # GIVEN an issued invoice whose PDF was lost (the crash came before it was stored)
    world.member(invoiced=False)
    [order] = world.recorder.orders
    invoice = world.invoicing.issue(order)
    world.documents.objects.clear()
    world.invoices.items[invoice.invoice_number] = replace(
        world.invoice(invoice.invoice_number), pdf_available=False
    )
    # WHEN the order is delivered again
    world.invoicing.issue(order)
    # THEN the PDF is there again and linked
    assert invoice.pdf_key in world.documents.objects
    assert world.invoice(invoice.invoice_number).pdf_available
    assert world.invoices.counters == {"invoice#2026": 1}
