"""The card payment provider, as the use cases see it (a port: no SDK, no HTTP).

Card payments are authorised for a zero amount at checkout and charged on the invoice due date.
Card data never reaches this system: the browser hands the provider the card and us a
payment-method token; we keep only the provider's references (customer, saved payment method,
the authorisation).

Both operations take an ``idempotency_key``: calling again with the same key (a retried request,
a redelivered message) returns the first outcome and creates nothing new at the provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from chalicelib.domain.errors import DomainError, RetryableFailure

__all__ = [
    "CardAuthorisation",
    "Charge",
    "ChargeStatus",
    "PaymentDeclined",
    "PaymentProvider",
    "PaymentUnavailable",
]

ChargeStatus = Literal["succeeded", "pending", "failed"]


@dataclass(frozen=True)
class CardAuthorisation:
    """What a successful zero-amount authorisation leaves us: the provider's references only."""

    customer_ref: str  # the provider's customer for the account (Stripe: cus_...)
    payment_method_ref: str  # the saved payment method to charge later (Stripe: pm_...)
    setup_ref: str  # the authorisation itself (Stripe: the SetupIntent, seti_...)


@dataclass(frozen=True)
class Charge:
    """The outcome of a charge that the provider did not decline.

    ``status``: "succeeded" (the money is taken); "pending" (the provider is still processing:
    rare for cards, the outcome comes later; do not charge again); "failed" (the provider ended
    the payment without taking money and without a decline reason). A decline raises
    ``PaymentDeclined`` instead.
    """

    charge_ref: str  # the provider's payment (Stripe: the PaymentIntent, pi_...)
    status: ChargeStatus


class PaymentDeclined(DomainError):
    """The card was refused (by the issuer, or it needs authentication the customer must give).

    A definite answer: trying again with the same card will not change it.
    """

    code = "PAYMENT_DECLINED"

    def __init__(self, reason: str, *, decline_code: str | None = None) -> None:
        super().__init__(
            f"The card was declined ({reason}).", {"payment.payment_method_token": reason}
        )
        self.reason = reason
        self.decline_code = decline_code


class PaymentUnavailable(RetryableFailure):
    """The provider cannot be reached or cannot answer now (network, timeout, 5xx, rate limit).

    Retry with the same idempotency key: the provider then returns the first outcome.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"The card payment provider is unavailable now ({reason}); try again.")
        self.reason = reason


class PaymentProvider(Protocol):
    def authorise_card(
        self, *, account_id: str, email: str, payment_method_token: str, idempotency_key: str
    ) -> CardAuthorisation:
        """Authorise the card for a zero amount and save it for charges without the customer.

        Creates (or, on a retry with the same key, reuses) the provider's customer for the
        account, attaches the payment method and confirms an off-session setup. Raises
        ``PaymentDeclined`` on a decline, ``PaymentUnavailable`` when the provider cannot answer.
        """
        ...

    def charge(
        self,
        *,
        authorisation: CardAuthorisation,
        amount_cents: int,
        currency: str,
        description: str,
        idempotency_key: str,
    ) -> Charge:
        """Charge the saved card now, without the customer (off-session), e.g. on the due date.

        ``amount_cents`` in the currency's minor unit (> 0); ``currency`` ISO 4217 ("EUR").
        Raises ``PaymentDeclined`` on a decline, ``PaymentUnavailable`` when the provider
        cannot answer.
        """
        ...
