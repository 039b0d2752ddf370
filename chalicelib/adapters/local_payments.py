"""The local stage's card provider: Stripe's test payment-method tokens, without a network.

* ``pm_card_visa`` authorises, and its charges succeed;
* ``pm_card_chargeDeclined`` is declined (as Stripe declines it when the card is saved);
* ``pm_card_chargeCustomerFail`` authorises, but its charges are declined (as at Stripe), so the
  local stage can show a card charge failing on the due date;
* any other token is declined as an unknown test card.

References are derived from the idempotency key (and the token), so a retried call returns the
same references, as Stripe's idempotency does. Nothing is stored: the saved card's behaviour is
part of its payment-method reference.
"""

from __future__ import annotations

import hashlib
import re

from chalicelib.services.payments import CardAuthorisation, Charge, PaymentDeclined

__all__ = ["TEST_TOKENS", "LocalPayments"]

_DECLINED = "no reason given by the card issuer"

# token -> (name in the payment-method reference, authorises, charges succeed)
TEST_TOKENS: dict[str, tuple[str, bool, bool]] = {
    "pm_card_visa": ("visa", True, True),
    "pm_card_chargeDeclined": ("chargeDeclined", False, False),
    "pm_card_chargeCustomerFail": ("chargeCustomerFail", True, False),
}
_CHARGES_SUCCEED = {name: charges for name, _, charges in TEST_TOKENS.values()}
_PAYMENT_METHOD_REF = re.compile(r"pm_local_(?P<card>[A-Za-z]+)_[0-9a-f]{24}")


class LocalPayments:
    """``PaymentProvider`` for the local stage (deterministic, no network, no state)."""

    def authorise_card(
        self, *, account_id: str, email: str, payment_method_token: str, idempotency_key: str
    ) -> CardAuthorisation:
        _require_key(idempotency_key)
        card = TEST_TOKENS.get(payment_method_token)
        if card is None:
            raise PaymentDeclined("unknown test card")
        name, authorises, _ = card
        if not authorises:
            raise PaymentDeclined(_DECLINED, decline_code="generic_decline")
        setup = _digest(idempotency_key, "setup", payment_method_token)
        return CardAuthorisation(
            customer_ref=f"cus_local_{_digest(idempotency_key, 'customer', account_id)}",
            payment_method_ref=f"pm_local_{name}_{setup}",
            setup_ref=f"seti_local_{setup}",
        )

    def charge(
        self,
        *,
        authorisation: CardAuthorisation,
        amount_cents: int,
        currency: str,
        description: str,
        idempotency_key: str,
    ) -> Charge:
        _require_key(idempotency_key)
        if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
            raise ValueError("amount_cents must be a positive whole number of minor units")
        if not re.fullmatch(r"[A-Za-z]{3}", currency):
            raise ValueError("currency must be an ISO 4217 code")
        match = _PAYMENT_METHOD_REF.fullmatch(authorisation.payment_method_ref)
        if match is None or match["card"] not in _CHARGES_SUCCEED:
            raise PaymentDeclined("the payment method is not valid")
        if not _CHARGES_SUCCEED[match["card"]]:
            raise PaymentDeclined(_DECLINED, decline_code="generic_decline")
        charge_ref = f"pi_local_{_digest(idempotency_key, 'charge')}"
        return Charge(charge_ref=charge_ref, status="succeeded")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:24]


def _require_key(idempotency_key: str) -> None:
    if not idempotency_key:
        raise ValueError("an idempotency key is required")
