"""The card payment provider on Stripe (official SDK, ``stripe.StripeClient``, API v1).

* ``authorise_card``: a Customer (metadata ``account_id``), then a SetupIntent confirmed at once
  for off-session use: Stripe's zero-amount authorisation, which also attaches the payment
  method to the customer.
* ``charge``: an off-session PaymentIntent on the saved payment method, confirmed at once.

Every request carries Stripe's ``Idempotency-Key`` (the caller's key plus the step), so a
retried call (ours, or the SDK's own network retries) replays Stripe's first answer instead of
creating a second customer, authorisation or payment.

Nothing here logs card data or tokens; a filter on the SDK's own ``stripe`` logger masks
payment-method ids, tokens, client secrets and e-mail addresses in its (debug) request and
response logs.

The SDK is imported on first use: it is heavy, and every function's cold start builds the
composition root.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from chalicelib.services.payments import (
    CardAuthorisation,
    Charge,
    ChargeStatus,
    PaymentDeclined,
    PaymentUnavailable,
)

if TYPE_CHECKING:
    from stripe import StripeClient, StripeError

__all__ = ["AUTHENTICATION_REQUIRED", "PaymentProviderError", "StripePayments"]

logger = Logger(service="cps", child=True)

AUTHENTICATION_REQUIRED = "the card needs authentication the customer must complete"
DECLINED_BY_ISSUER = "no reason given by the card issuer"

# Stripe's decline codes, as the customer may read them. Stripe advises not to tell the customer
# about suspected fraud, lost or stolen cards: those read as a plain issuer decline.
_DECLINE_REASONS = {
    "authentication_required": AUTHENTICATION_REQUIRED,
    "card_declined": DECLINED_BY_ISSUER,
    "generic_decline": DECLINED_BY_ISSUER,
    "do_not_honor": DECLINED_BY_ISSUER,
    "fraudulent": DECLINED_BY_ISSUER,
    "lost_card": DECLINED_BY_ISSUER,
    "stolen_card": DECLINED_BY_ISSUER,
    "pickup_card": DECLINED_BY_ISSUER,
    "merchant_blacklist": DECLINED_BY_ISSUER,
    "insufficient_funds": "insufficient funds",
    "expired_card": "the card has expired",
    "incorrect_cvc": "the security code is incorrect",
    "invalid_cvc": "the security code is incorrect",
    "incorrect_number": "the card number is incorrect",
    "invalid_expiry_month": "the expiry date is incorrect",
    "invalid_expiry_year": "the expiry date is incorrect",
    "card_not_supported": "the card does not support this kind of payment",
    "currency_not_supported": "the card does not support this currency",
    "card_velocity_exceeded": "the card's limit is exceeded",
    "withdrawal_count_limit_exceeded": "the card's limit is exceeded",
    "processing_error": "an error occurred while processing the card",
    "setup_intent_authentication_failure": AUTHENTICATION_REQUIRED,
    "payment_intent_authentication_failure": AUTHENTICATION_REQUIRED,
}


class PaymentProviderError(RuntimeError):
    """Stripe refused the request itself (bad API key, missing permission, a parameter Stripe
    rejects, an idempotency key reused with other parameters): a fault of this system, not of
    the card, that a retry will not fix. The message names Stripe's error, never the token."""

    def __init__(
        self, step: str, error_type: str, code: str | None, request_id: str | None
    ) -> None:
        super().__init__(
            f"Stripe refused the {step} request: {error_type}"
            + (f" ({code})" if code else "")
            + (f", request {request_id}" if request_id else "")
        )
        self.step = step
        self.error_type = error_type
        self.code = code
        self.request_id = request_id


class StripePayments:
    """``PaymentProvider`` on Stripe. ``api_base`` points the SDK elsewhere (a test double)."""

    def __init__(
        self,
        api_key: str,
        api_base: str | None = None,
        max_network_retries: int = 2,
        *,
        timeout_s: float = 20.0,
    ) -> None:
        if not api_key:
            raise ValueError("a Stripe secret key is required")
        self._api_key = api_key
        self._api_base = api_base.rstrip("/") if api_base else None
        self._max_network_retries = max_network_retries
        self._timeout_s = timeout_s
        self._client: StripeClient | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_secret(cls, secretsmanager: Any, secret_arn: str) -> StripePayments:
        """The provider with its API key read from Secrets Manager (`secretsmanager` is a boto3
        client): read once, when the composition root first needs a provider."""
        secret = secretsmanager.get_secret_value(SecretId=secret_arn)["SecretString"]
        return cls(api_key=secret)

    # -- the port ---------------------------------------------------------------------------

    def authorise_card(
        self, *, account_id: str, email: str, payment_method_token: str, idempotency_key: str
    ) -> CardAuthorisation:
        _require_key(idempotency_key)
        if not payment_method_token:
            raise PaymentDeclined("no payment method was given")
        client = self._stripe_client()
        customer = self._call(
            "customer",
            lambda: client.v1.customers.create(
                params={"email": email, "metadata": {"account_id": account_id}},
                options={"idempotency_key": f"{idempotency_key}:customer"},
            ),
        )
        # The token is part of the key: a retry with the same card replays Stripe's answer, while
        # another card after a decline (same checkout, same key) is a new authorisation.
        setup_key = f"{idempotency_key}:setup:{_fingerprint(payment_method_token)}"
        setup = self._call(
            "setup",
            lambda: client.v1.setup_intents.create(
                params={
                    "customer": customer.id,
                    "payment_method": payment_method_token,
                    "payment_method_types": ["card"],
                    "usage": "off_session",
                    "confirm": True,
                    "metadata": {"account_id": account_id},
                },
                options={"idempotency_key": setup_key},
            ),
        )
        status = str(setup.status)
        log_extra = {"account_id": account_id, "setup_ref": setup.id, "status": status}
        if status == "succeeded":
            logger.info("card authorised", extra={**log_extra, "customer_ref": customer.id})
            return CardAuthorisation(
                customer_ref=str(customer.id),
                payment_method_ref=_id_of(setup.payment_method),
                setup_ref=str(setup.id),
            )
        logger.warning("card not authorised", extra=log_extra)
        if status == "requires_action":
            raise PaymentDeclined(AUTHENTICATION_REQUIRED, decline_code="authentication_required")
        if status == "processing":  # not for cards in practice: the answer comes later
            raise PaymentUnavailable("the card authorisation is still processing")
        last_error = getattr(setup, "last_setup_error", None)
        raise _declined(
            getattr(last_error, "decline_code", None), getattr(last_error, "code", None)
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
        client = self._stripe_client()
        intent = self._call(
            "charge",
            lambda: client.v1.payment_intents.create(
                params={
                    "amount": amount_cents,
                    "currency": currency.lower(),
                    "customer": authorisation.customer_ref,
                    "payment_method": authorisation.payment_method_ref,
                    "payment_method_types": ["card"],
                    "off_session": True,
                    "confirm": True,
                    "description": description,
                },
                options={"idempotency_key": f"{idempotency_key}:charge"},
            ),
        )
        status = str(intent.status)
        logger.info("card charged", extra={"charge_ref": intent.id, "status": status})
        outcome: ChargeStatus
        if status == "succeeded":
            outcome = "succeeded"
        elif status == "processing":
            outcome = "pending"
        elif status == "requires_action":
            raise PaymentDeclined(AUTHENTICATION_REQUIRED, decline_code="authentication_required")
        elif status == "requires_payment_method":
            last_error = getattr(intent, "last_payment_error", None)
            raise _declined(
                getattr(last_error, "decline_code", None), getattr(last_error, "code", None)
            )
        else:  # canceled, or a status a confirmed off-session payment should not have
            outcome = "failed"
        return Charge(charge_ref=str(intent.id), status=outcome)

    # -- Stripe -----------------------------------------------------------------------------

    def _stripe_client(self) -> StripeClient:
        with self._lock:
            if self._client is None:
                import stripe

                _mask_stripe_sdk_logs()
                base_addresses: Any = {"api": self._api_base} if self._api_base else None
                self._client = stripe.StripeClient(
                    self._api_key,
                    base_addresses=base_addresses,
                    max_network_retries=self._max_network_retries,
                    http_client=stripe.RequestsClient(timeout=self._timeout_s),
                )
            return self._client

    def _call(self, step: str, request: Callable[[], Any]) -> Any:
        """Run one Stripe request; turn Stripe's errors into the port's (without the SDK's
        exception as cause: its body holds payment-method ids)."""
        import stripe

        try:
            return request()
        except stripe.CardError as exc:
            error = exc.error
            decline_code = getattr(error, "decline_code", None) if error else None
            _log_refusal(step, exc, decline_code)
            raise _declined(decline_code, exc.code) from None
        except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as exc:
            _log_refusal(step, exc)
            if isinstance(exc, stripe.APIConnectionError):
                reason = "no answer from Stripe"
            elif isinstance(exc, stripe.RateLimitError):
                reason = "Stripe's rate limit"
            else:
                reason = f"Stripe answered HTTP {exc.http_status}"
            raise PaymentUnavailable(reason) from None
        except stripe.InvalidRequestError as exc:
            _log_refusal(step, exc)
            if exc.param == "payment_method":  # an unknown, used or foreign token
                raise PaymentDeclined("the payment method is not valid") from None
            raise PaymentProviderError(
                step, "invalid_request_error", exc.code, exc.request_id
            ) from None
        except stripe.StripeError as exc:  # authentication, permission, idempotency...
            _log_refusal(step, exc)
            raise PaymentProviderError(step, type(exc).__name__, exc.code, exc.request_id) from None


def _declined(decline_code: str | None, code: str | None) -> PaymentDeclined:
    key = decline_code or code
    reason = _DECLINE_REASONS.get(key or "", key.replace("_", " ") if key else DECLINED_BY_ISSUER)
    return PaymentDeclined(reason, decline_code=key)


def _log_refusal(step: str, exc: StripeError, decline_code: str | None = None) -> None:
    logger.warning(
        "Stripe request failed",
        extra={
            "stripe_step": step,
            "stripe_error": type(exc).__name__,
            "stripe_code": exc.code,
            "stripe_decline_code": decline_code,
            "stripe_http_status": exc.http_status,
            "stripe_request_id": exc.request_id,
        },
    )


def _id_of(value: Any) -> str:
    """A reference Stripe returns as an id, or as the object when expanded."""
    return str(value if isinstance(value, str) else value.id)


def _require_key(idempotency_key: str) -> None:
    if not idempotency_key or len(idempotency_key) > 200:  # Stripe allows 255, with our suffix
        raise ValueError("an idempotency key of 1 to 200 characters is required")


def _fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16]


# -- the SDK's own logs -----------------------------------------------------------------------

_SENSITIVE = re.compile(
    r"\b(?:pm|tok|src|btok)_\w+"  # payment methods, card tokens, sources
    r"|\b\w+_secret_\w+"  # client secrets
    r"|[\w.+%-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+"  # e-mail addresses, also form-encoded
)


class _MaskSensitive(logging.Filter):
    """Masks payment-method ids, tokens, secrets and e-mail addresses in the SDK's records.

    The SDK logs request bodies and response bodies at debug level (and error messages, which
    can quote a token, at info level) on the ``stripe`` logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _SENSITIVE.sub("[masked]", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def _mask_stripe_sdk_logs() -> None:
    sdk_logger = logging.getLogger("stripe")
    if not any(isinstance(f, _MaskSensitive) for f in sdk_logger.filters):
        sdk_logger.addFilter(_MaskSensitive())
