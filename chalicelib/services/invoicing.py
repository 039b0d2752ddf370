"""The invoice pipeline (SPEC §4): number, PDF, e-mail, once per purchase; and payments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from aws_lambda_powertools import Logger

from chalicelib.domain.clock import Clock
from chalicelib.domain.errors import NotFound
from chalicelib.domain.invoices import BankDetails, Invoice, Party, due_date
from chalicelib.domain.membership import PaymentMethod
from chalicelib.domain.money import Money
from chalicelib.domain.tiers import annual_fee, tier
from chalicelib.domain.vat_rates import vat_line
from chalicelib.services.ports import (
    AccountRepository,
    DocumentStore,
    EmailRequest,
    InvoiceRepository,
    MembershipRepository,
    Outbox,
    Page,
)

logger = Logger(service="cps", child=True)

PDF_LINK_SECONDS = 5 * 60
CURRENCY_SIGNS = {"EUR": "€", "GBP": "£"}


@dataclass(frozen=True)
class Seller:
    name: str
    address: str
    country: str
    vat_number: str
    iban: str
    bic: str


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
        seller: Seller,
        clock: Clock,
    ) -> None:
        self._invoices = invoices
        self._memberships = memberships
        self._accounts = accounts
        self._documents = documents
        self._outbox = outbox
        self._render_pdf = render_pdf
        self._seller = seller
        self._clock = clock

    def issue_for_purchase(self, account_id: str, purchase_id: str) -> Invoice | None:
        """Each step is safe to repeat: the number is taken once per purchase, the PDF is
        rendered to the same key with the same bytes, and the mail is deduplicated."""
        invoice = self._invoices.for_purchase(purchase_id) or self._issue(account_id, purchase_id)
        if invoice is None:
            return None
        key = invoice.pdf_key
        self._documents.put(key, self._render_pdf(invoice), "application/pdf")
        if not invoice.pdf_available:
            self._invoices.mark_pdf_available(invoice.invoice_number)
        account = self._accounts.get(account_id)
        assert account is not None
        self._outbox.send(
            EmailRequest(
                template="invoice_issued",
                language=invoice.language,
                to=account.email,
                dedupe_key=f"invoice-issued:{invoice.invoice_number}",
                attachments=(key,),
                context={
                    "company_name": account.company.name,
                    "contact_name": account.contact_name,
                    "invoice_number": invoice.invoice_number,
                    "total": f"{CURRENCY_SIGNS.get(invoice.total.currency, invoice.total.currency)}"
                    f" {invoice.total.amount:.2f}",
                    "due_on": invoice.due_on.isoformat(),
                    "payment_method": invoice.payment_method.value,
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
                    "tier_name": invoice.description.split(" membership")[0],
                },
            )
        )
        return invoice

    def list(self, account_id: str, limit: int, cursor: str | None) -> Page:
        page = self._invoices.list_for(account_id, limit, cursor)
        return Page([self._view(i) for i in page.items], page.next_cursor)

    def get(self, account_id: str, number: str) -> dict[str, Any]:
        invoice = self._invoices.get(number)
        if invoice is None or invoice.account_id != account_id:
            raise NotFound("No such invoice.")
        return self._view(invoice)

    def record_payment(
        self, number: str, amount: Decimal, currency: str | None, paid_on: date, reference: str
    ) -> dict[str, Any]:
        invoice = self._invoices.get(number)
        if invoice is None:
            raise NotFound("No such invoice.")
        paid = invoice.paid(
            Money(amount, currency or invoice.total.currency),
            paid_on,
            reference,
            self._clock.now().date(),
        )
        self._invoices.record_payment(paid)
        return self._view(paid)

    # --- helpers ---------------------------------------------------------------------------

    def _issue(self, account_id: str, purchase_id: str) -> Invoice | None:
        membership = self._memberships.by_purchase(account_id, purchase_id)
        account = self._accounts.get(account_id)
        if membership is None or account is None:
            logger.error(
                "Invoice requested for an unknown purchase", extra={"purchase": purchase_id}
            )
            return None
        issued_on = membership.terms.accepted_at.date()
        line = vat_line(
            annual_fee(membership.tier, account.currency, issued_on),
            account.country,
            account.vat_number,
        )
        s = self._seller
        draft = Invoice(
            invoice_number="",
            account_id=account_id,
            purchase_id=purchase_id,
            issued_on=issued_on,
            due_on=due_date(issued_on),
            seller=Party(s.name, s.address, s.country, s.vat_number),
            buyer=Party(
                account.company.name,
                f"{account.company.street}, {account.company.postcode} {account.company.city}",
                account.company.country,
                account.vat_number,
            ),
            description=(
                f"{tier(membership.tier).name} membership "
                f"{membership.starts_on.isoformat()} to {membership.expires_on.isoformat()}"
            ),
            net=line.net,
            vat_rate=line.rate,
            vat=line.vat,
            total=line.total,
            vat_note=line.note,
            purchase_order_number=membership.purchase_order_number,
            payment_method=membership.payment_method,
            bank_details=(
                BankDetails(s.name, s.iban, s.bic, reference="")
                if membership.payment_method is PaymentMethod.BANK_TRANSFER
                else None
            ),
            membership_number=membership.membership_number,
            language=account.language,
        )
        return self._invoices.issue(draft)

    def _view(self, invoice: Invoice) -> dict[str, Any]:
        return {
            **invoice.summary(),
            "pdf_url": (
                self._documents.download_url(invoice.pdf_key, PDF_LINK_SECONDS)
                if invoice.pdf_available
                else None
            ),
        }
