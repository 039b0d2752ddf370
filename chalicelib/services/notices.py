"""The mails of the membership year (SPEC §5), each queued once per cause.

Every mail is named by its cause (membership, term, step; or invoice, step, attempt): a job run
twice, a redelivered message or a retried request queues the same `dedupe_key`, and the e-mail
consumer sends each key once. Money and dates travel as data; the templates format them for
the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from chalicelib.domain.accounts import Account
from chalicelib.domain.invoices import Invoice
from chalicelib.domain.membership import MIN_RENEWAL_POINTS, Membership
from chalicelib.domain.money import Money
from chalicelib.domain.tiers import tier
from chalicelib.services.ports import EmailRequest, Outbox


class Notices:
    def __init__(self, outbox: Outbox, frontend_url: str) -> None:
        self._outbox = outbox
        self._frontend = frontend_url

    # --- links ---------------------------------------------------------------------------

    @property
    def manage_url(self) -> str:
        return f"{self._frontend}/membership"

    def pay_url(self, invoice: Invoice) -> str:
        return f"{self._frontend}/membership/payment?invoice={invoice.invoice_number}"

    # --- renewal -------------------------------------------------------------------------

    def renewal_notice(self, account: Account, m: Membership, tier_id: str, fee: Money) -> None:
        self._send(
            "renewal_notice",
            account,
            m,
            f"renewal-notice:{m.membership_id}:{m.term}",
            renewal_tier_name=tier(tier_id).name,
            renewal_fee=fee.as_dict(),
            renews_on=m.expires_on.isoformat(),
            manage_url=self.manage_url,
        )

    def expiry_reminder(self, account: Account, m: Membership, step: str, today: date) -> None:
        self._send(
            "expiry_reminder",
            account,
            m,
            f"expiry-reminder:{m.membership_id}:{m.term}:{step}",
            expires_on=m.expires_on.isoformat(),
            days_left=max(0, (m.expires_on - today).days),
            last=step == "E-7",
            manage_url=self.manage_url,
        )

    def renewal_not_possible(self, account: Account, m: Membership) -> None:
        self._send(
            "renewal_not_possible",
            account,
            m,
            f"renewal-not-possible:{m.membership_id}:{m.term}",
            points=account.points,
            min_points=MIN_RENEWAL_POINTS,
            expires_on=m.expires_on.isoformat(),
            products_url=f"{self._frontend}/products",
        )

    def expired(self, account: Account, m: Membership) -> None:
        self._send(
            "membership_expired",
            account,
            m,
            f"membership-expired:{m.membership_id}:{m.term}",
            expired_on=m.expires_on.isoformat(),
            signup_url=f"{self._frontend}/cps/sign-up",
        )

    # --- collection ----------------------------------------------------------------------

    def payment_reminder(
        self, account: Account, m: Membership, invoice: Invoice, step: str, overdue: bool
    ) -> None:
        bank = invoice.bank_details
        self._send(
            "payment_reminder",
            account,
            m,
            f"payment-reminder:{invoice.invoice_number}:{step}",
            **_amount_due(invoice),
            overdue=overdue,
            bank_details=(
                {
                    "beneficiary": bank.beneficiary,
                    "iban": bank.iban,
                    "bic": bank.bic,
                    "reference": bank.reference,
                }
                if bank
                else {}
            ),
        )

    def payment_failed(
        self,
        account: Account,
        m: Membership,
        invoice: Invoice,
        attempt: int,
        authentication_required: bool,
        next_attempt_on: date | None,
    ) -> None:
        self._send(
            "payment_failed",
            account,
            m,
            f"payment-failed:{invoice.invoice_number}:{attempt}",
            **_amount_due(invoice),
            authentication_required=authentication_required,
            next_attempt_on=next_attempt_on.isoformat() if next_attempt_on else None,
            pay_url=self.pay_url(invoice),
        )

    def payment_received(self, account: Account, m: Membership, invoice: Invoice) -> None:
        self._send(
            "payment_received",
            account,
            m,
            f"payment-received:{invoice.invoice_number}",
            invoice_number=invoice.invoice_number,
            total=invoice.total.as_dict(),
            paid_on=(invoice.paid_on or invoice.due_on).isoformat(),
        )

    def suspended(self, account: Account, m: Membership, invoice: Invoice, cancel_on: date) -> None:
        self._send(
            "membership_suspended",
            account,
            m,
            f"membership-suspended:{invoice.invoice_number}",
            **_amount_due(invoice),
            cancel_on=cancel_on.isoformat(),
            pay_url=self.pay_url(invoice),
        )

    # --- credit notes (sent by the invoice pipeline, with the credit note attached) ----------

    def cancelled(
        self, account: Account, m: Membership, invoice: Invoice, credit_note: Invoice
    ) -> None:
        self._send(
            "membership_cancelled",
            account,
            m,
            f"membership-cancelled:{invoice.invoice_number}",
            attachments=(credit_note.pdf_key,),
            invoice_number=invoice.invoice_number,
            credit_note_number=credit_note.invoice_number,
            total=credit_note.total.as_dict(),
            signup_url=f"{self._frontend}/cps/sign-up",
        )

    def credit_note_issued(
        self, account: Account, m: Membership, invoice: Invoice, credit_note: Invoice
    ) -> None:
        self._send(
            "credit_note_issued",
            account,
            m,
            f"credit-note-issued:{credit_note.invoice_number}",
            attachments=(credit_note.pdf_key,),
            invoice_number=invoice.invoice_number,
            credit_note_number=credit_note.invoice_number,
            total=credit_note.total.as_dict(),
            expires_on=m.expires_on.isoformat(),
        )

    # --- helpers -------------------------------------------------------------------------

    def _send(
        self,
        template: str,
        account: Account,
        m: Membership,
        dedupe_key: str,
        attachments: tuple[str, ...] = (),
        **context: Any,
    ) -> None:
        base: Mapping[str, Any] = {
            "company_name": account.company.name,
            "contact_name": account.contact_name,
            "membership_number": m.membership_number,
            "tier_name": tier(m.tier).name,
        }
        self._outbox.send(
            EmailRequest(
                template=template,
                language=account.language,
                to=account.email,
                context={**base, **context},
                dedupe_key=dedupe_key,
                attachments=attachments,
            )
        )


def _amount_due(invoice: Invoice) -> dict[str, Any]:
    """What the collection mails say of the invoice being collected."""
    return {
        "invoice_number": invoice.invoice_number,
        "total": invoice.total.as_dict(),
        "due_on": invoice.due_on.isoformat(),
    }
