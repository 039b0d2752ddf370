"""The invoice pipeline (SPEC §4, §5): number, e-invoice, PDF, e-mail, once per order —
invoices for purchases, renewals and upgrades, and credit notes that cancel them.

Each document is an EN 16931 e-invoice (issue 11): its CII and UBL forms are built and
validated first; one that breaks a rule is never stored nor mailed (EInvoiceRejected: the
order is retried, then dead-lettered with an alarm). Then the PDF/A-3 with the CII embedded
(Factur-X) and both XMLs are stored beside each other, and only then is the mail sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aws_lambda_powertools import Logger

from chalicelib.domain.accounts import Account
from chalicelib.domain.clock import Clock
from chalicelib.domain.einvoice import EInvoiceRejected, EInvoiceSyntax, e_invoice, e_invoice_key
from chalicelib.domain.errors import NotFound, RetryableFailure
from chalicelib.domain.invoices import Invoice, InvoiceOrder, InvoicePurpose, InvoiceStatus
from chalicelib.domain.membership import Membership
from chalicelib.domain.seller import Seller
from chalicelib.domain.tiers import tier
from chalicelib.domain.vat_rates import vat_line
from chalicelib.services.notices import Notices
from chalicelib.services.ports import (
    AccountRepository,
    DocumentStore,
    EInvoicing,
    EmailRequest,
    InvoiceRepository,
    MembershipRepository,
    Outbox,
    Page,
)

logger = Logger(service="cps", child=True)

PDF_LINK_SECONDS = 5 * 60
XML = "application/xml"


@dataclass(frozen=True)
class InvoiceView:
    """An invoice as its reader sees it today: the status (OVERDUE once due and unpaid), the
    days overdue, and a short-lived link to its PDF once the PDF is stored."""

    invoice: Invoice
    status: InvoiceStatus
    days_overdue: int
    pdf_url: str | None


class InvoicingService:
    def __init__(
        self,
        *,
        invoices: InvoiceRepository,
        memberships: MembershipRepository,
        accounts: AccountRepository,
        documents: DocumentStore,
        outbox: Outbox,
        render_pdf: Callable[[Invoice], bytes],
        e_invoicing: EInvoicing,
        seller: Seller,
        notices: Notices,
        clock: Clock,
    ) -> None:
        self._invoices = invoices
        self._memberships = memberships
        self._accounts = accounts
        self._documents = documents
        self._outbox = outbox
        self._render_pdf = render_pdf
        self._e_invoicing = e_invoicing
        self._seller = seller
        self._notices = notices
        self._clock = clock

    def issue(self, order: InvoiceOrder) -> Invoice | None:
        """Each step is safe to repeat: the number is taken once per order, the documents are
        written again to the same keys, and the mails are deduplicated. A credit note for an
        invoice paid meanwhile is not issued (finance refunds it): None."""
        if order.is_credit_note and self._original(order).status is InvoiceStatus.PAID:
            logger.error(
                "A credit note was ordered for a paid invoice", extra={"order": order.order_id}
            )
            return None
        invoice = self._invoices.for_purchase(order.order_id) or self._issue(order)
        self._store_documents(invoice, order)
        if not invoice.pdf_available:
            self._invoices.mark_pdf_available(invoice.invoice_number)
        account = self._account(order.account_id)
        membership = self._membership(order)
        if order.is_credit_note:
            self._credit(order, invoice, account, membership)
        else:
            self._mail_invoice(invoice, account)
        return invoice

    def _store_documents(self, invoice: Invoice, order: InvoiceOrder) -> None:
        """The e-invoice's CII and UBL, validated, then the Factur-X PDF that embeds the CII;
        nothing is stored unless both documents pass."""
        preceding = self._original(order).issued_on if order.is_credit_note else None
        document = e_invoice(invoice, preceding)
        try:
            files = self._e_invoicing.documents(document)
        except EInvoiceRejected as rejected:
            # The rule ids and the number only: the message names no value of the invoice.
            logger.error(
                "The e-invoice breaks EN 16931: not stored, not mailed",
                extra={
                    "invoice_number": invoice.invoice_number,
                    "document": rejected.document,
                    "rules": list(rejected.rules),
                },
            )
            raise
        pdf = self._e_invoicing.factur_x(
            self._render_pdf(invoice), files.cii, document, invoice.language
        )
        self._documents.put(e_invoice_key(invoice, EInvoiceSyntax.CII), files.cii, XML)
        self._documents.put(e_invoice_key(invoice, EInvoiceSyntax.UBL), files.ubl, XML)
        self._documents.put(invoice.pdf_key, pdf, "application/pdf")

    def e_invoice(self, account_id: str, number: str, syntax: EInvoiceSyntax) -> bytes:
        """The stored, validated e-invoice of one of the account's invoices (404 otherwise)."""
        invoice = self._invoices.get(number)
        if invoice is None or invoice.account_id != account_id or not invoice.pdf_available:
            raise NotFound("No such invoice.")
        return self._documents.read(e_invoice_key(invoice, syntax))

    def _credit(
        self, order: InvoiceOrder, credit_note: Invoice, account: Account, membership: Membership
    ) -> None:
        original = self._original(order)
        if original.status is not InvoiceStatus.CANCELLED:
            self._invoices.save(original.cancelled(credit_note.invoice_number))
        if order.purpose is InvoicePurpose.NON_PAYMENT:
            self._notices.cancelled(account, membership, original, credit_note)
        else:
            self._notices.credit_note_issued(account, membership, original, credit_note)

    def _mail_invoice(self, invoice: Invoice, account: Account) -> None:
        self._outbox.send(
            EmailRequest(
                template="invoice_issued",
                language=invoice.language,
                to=account.email,
                dedupe_key=f"invoice-issued:{invoice.invoice_number}",
                attachments=(invoice.pdf_key,),
                context={
                    "company_name": account.company.name,
                    "contact_name": account.contact_name,
                    "invoice_number": invoice.invoice_number,
                    "total": invoice.total.as_dict(),
                    "due_on": invoice.due_on.isoformat(),
                    "payment_method": invoice.payment_method.value,
                    "purpose": invoice.purpose.value,
                    "bank_details": (
                        {
                            "iban": invoice.bank_details.iban,
                            "bic": invoice.bank_details.bic,
                            "beneficiary": invoice.bank_details.beneficiary,
                            "reference": invoice.bank_details.reference,
                        }
                        if invoice.bank_details
                        else {}
                    ),
                    "membership_number": invoice.membership_number,
                    "tier_name": invoice.tier_name,
                },
            )
        )

    def list(self, account_id: str, limit: int, cursor: str | None) -> Page[InvoiceView]:
        page = self._invoices.list_for(account_id, limit, cursor)
        return Page([self.view(i) for i in page.items], page.next_cursor)

    def get(self, account_id: str, number: str) -> InvoiceView:
        invoice = self._invoices.get(number)
        if invoice is None or invoice.account_id != account_id:
            raise NotFound("No such invoice.")
        return self.view(invoice)

    # --- helpers ---------------------------------------------------------------------------

    def _issue(self, order: InvoiceOrder) -> Invoice:
        if order.is_credit_note:
            return self._invoices.issue(self._original(order).credit_note(order))
        account = self._account(order.account_id)
        membership = self._membership(order)
        chosen = tier(order.tier or membership.tier)
        line = vat_line(order.net_of(chosen, account.currency), account.country, account.vat_number)
        draft = Invoice.draft(order, account, membership, self._seller, chosen, line)
        return self._invoices.issue(draft)

    def _original(self, order: InvoiceOrder) -> Invoice:
        assert order.credits_order_id is not None
        original = self._invoices.for_purchase(order.credits_order_id)
        if original is None:  # its own order is still on the way: try again later
            raise RetryableFailure(f"The invoice of {order.credits_order_id} is not issued yet.")
        return original

    def _membership(self, order: InvoiceOrder) -> Membership:
        membership = self._memberships.get(order.account_id, order.membership_id)
        if membership is None:
            raise NotFound(f"Order {order.order_id} names no membership.")
        return membership

    def _account(self, account_id: str) -> Account:
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFound("There is no business account.")
        return account

    def receivables(
        self, status: InvoiceStatus, limit: int, cursor: str | None
    ) -> Page[InvoiceView]:
        """Finance: invoices by status (each names its account and buyer)."""
        page = self._invoices.receivables(status, self._clock.now().date(), limit, cursor)
        return Page([self.view(i) for i in page.items], page.next_cursor)

    def get_any(self, number: str) -> Invoice:
        """Finance: any invoice by its number."""
        invoice = self._invoices.get(number)
        if invoice is None:
            raise NotFound("No such invoice.")
        return invoice

    def view(self, invoice: Invoice) -> InvoiceView:
        today = self._clock.now().date()
        return InvoiceView(
            invoice=invoice,
            status=invoice.status_on(today),
            days_overdue=invoice.days_overdue(today),
            pdf_url=(
                self._documents.download_url(invoice.pdf_key, PDF_LINK_SECONDS)
                if invoice.pdf_available
                else None
            ),
        )
