"""The Stripe payment adapter (official SDK) against a local fake of Stripe's API, over HTTP."""

import logging
import time
from collections.abc import Iterator

import pytest

from chalicelib.adapters.stripe_payments import (
    AUTHENTICATION_REQUIRED,
    PaymentProviderError,
    StripePayments,
)
from chalicelib.domain.errors import RetryableFailure
from chalicelib.services.payments import (
    CardAuthorisation,
    PaymentDeclined,
    PaymentProvider,
    PaymentUnavailable,
)
from tests.fakes.stripe_server import FakeStripe, run_fake_stripe

API_KEY = "sk_test_cps_fake_key"
EMAIL = "finance@studio-lumen.example"


@pytest.fixture
def fake() -> Iterator[FakeStripe]:
    with run_fake_stripe() as url:
        yield url


def payments(fake: FakeStripe, **kwargs) -> StripePayments:
    options = {"max_network_retries": 0, "timeout_s": 2.0, **kwargs}
    return StripePayments(API_KEY, api_base=fake, **options)


def authorise(provider: PaymentProvider, token: str = "pm_card_visa", key: str = "checkout-1"):
    return provider.authorise_card(
        account_id="acc-42", email=EMAIL, payment_method_token=token, idempotency_key=key
    )


def charge(provider: PaymentProvider, authorisation: CardAuthorisation, key: str = "inv-1", **kw):
    return provider.charge(
        authorisation=authorisation,
        amount_cents=kw.get("amount_cents", 21780),
        currency=kw.get("currency", "EUR"),
        description="CPS Gold membership, invoice 2025-000123",
        idempotency_key=key,
    )


# -- the zero-amount authorisation ------------------------------------------------------------


def test_card_is_authorised_with_an_off_session_setup_intent(fake: FakeStripe) -> None:
    # GIVEN Stripe and the customer's payment-method token from the browser
    provider = payments(fake)
    # WHEN the card is authorised
    authorisation = authorise(provider)
    # THEN the references are Stripe's: its customer, the saved payment method, the SetupIntent
    assert authorisation.customer_ref in fake.customers
    assert authorisation.setup_ref in fake.setup_intents
    saved = fake.payment_methods[authorisation.payment_method_ref]
    assert saved["customer"] == authorisation.customer_ref  # attached to the customer
    assert authorisation.payment_method_ref != "pm_card_visa"  # Stripe's id, not the token
    # AND the customer carries the account id and e-mail
    customer_request, setup_request = fake.requests
    assert customer_request.path == "/v1/customers"
    assert customer_request.form == {"email": EMAIL, "metadata[account_id]": "acc-42"}
    # AND the SetupIntent was confirmed at once for off-session use, on a card
    assert setup_request.path == "/v1/setup_intents"
    assert setup_request.form["customer"] == authorisation.customer_ref
    assert setup_request.form["payment_method"] == "pm_card_visa"
    assert setup_request.form["confirm"] == "true"
    assert setup_request.form["usage"] == "off_session"
    assert setup_request.form["payment_method_types[0]"] == "card"
    assert fake.setup_intents[authorisation.setup_ref]["status"] == "succeeded"
    # AND every request carried the secret key and its own Idempotency-Key built from ours
    assert {r.header("Authorization") for r in fake.requests} == {f"Bearer {API_KEY}"}
    assert customer_request.idempotency_key == "checkout-1:customer"
    assert (setup_request.idempotency_key or "").startswith("checkout-1:setup:")
    assert "pm_card_visa" not in (setup_request.idempotency_key or "")


def test_a_retry_with_the_same_key_creates_nothing_new(fake: FakeStripe) -> None:
    # GIVEN a card authorised under a checkout's key
    provider = payments(fake)
    first = authorise(provider, key="checkout-7")
    # WHEN the same checkout is retried (double click, retried request)
    again = authorise(provider, key="checkout-7")
    # THEN the same references come back, replayed by Stripe, and nothing new exists
    assert again == first
    assert len(fake.customers) == 1
    assert len(fake.setup_intents) == 1
    assert [r.replayed for r in fake.requests] == [False, False, True, True]


def test_another_card_after_a_decline_is_a_new_authorisation_for_the_same_customer(
    fake: FakeStripe,
) -> None:
    # GIVEN a checkout whose first card was declined
    provider = payments(fake)
    with pytest.raises(PaymentDeclined):
        authorise(provider, token="pm_card_chargeDeclined", key="checkout-9")
    # WHEN the customer tries another card in the same checkout (same key)
    authorisation = authorise(provider, token="pm_card_visa", key="checkout-9")
    # THEN it is authorised, for the one customer of that checkout
    assert len(fake.customers) == 1
    assert authorisation.customer_ref in fake.customers
    assert len(fake.setup_intents) == 2


@pytest.mark.parametrize(
    ("token", "reason", "decline_code"),
    [
        ("pm_card_chargeDeclined", "no reason given by the card issuer", "generic_decline"),
        ("pm_card_chargeDeclinedInsufficientFunds", "insufficient funds", "insufficient_funds"),
    ],
)
def test_a_declined_card_raises_payment_declined_with_the_reason(
    fake: FakeStripe, token: str, reason: str, decline_code: str
) -> None:
    # GIVEN a card the issuer declines
    provider = payments(fake)
    # WHEN it is authorised
    with pytest.raises(PaymentDeclined) as info:
        authorise(provider, token=token)
    # THEN the decline says why, in the API's error shape
    declined = info.value
    assert declined.code == "PAYMENT_DECLINED"
    assert declined.reason == reason
    assert declined.decline_code == decline_code
    assert declined.message == f"The card was declined ({reason})."
    assert declined.fields == {"payment.payment_method_token": reason}
    # AND Stripe answered 402 (a card error), which the SDK does not retry
    assert fake.requests_to("/v1/setup_intents")[0].status == 402
    assert len(fake.requests_to("/v1/setup_intents")) == 1


def test_a_card_needing_authentication_is_declined(fake: FakeStripe) -> None:
    # GIVEN a card whose issuer wants 3-D Secure, which an off-session setup cannot give
    provider = payments(fake)
    # WHEN it is authorised
    with pytest.raises(PaymentDeclined) as info:
        authorise(provider, token="pm_card_authenticationRequired")
    # THEN it is declined: the customer must complete authentication
    assert info.value.reason == AUTHENTICATION_REQUIRED
    assert info.value.decline_code == "authentication_required"
    (setup,) = fake.setup_intents.values()
    assert setup["status"] == "requires_action"


def test_an_unknown_token_is_declined(fake: FakeStripe) -> None:
    # GIVEN a token Stripe does not know
    # WHEN it is authorised THEN a decline (the customer's input), not a server error
    with pytest.raises(PaymentDeclined) as info:
        authorise(payments(fake), token="pm_1NotKnownAtStripe")
    assert info.value.reason == "the payment method is not valid"


# -- Stripe unavailable -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 503, 429])
def test_stripe_errors_and_rate_limits_raise_payment_unavailable(
    fake: FakeStripe, status: int
) -> None:
    # GIVEN Stripe answers with a server error or a rate limit
    fake.fail(status)
    provider = payments(fake, max_network_retries=1)
    # WHEN a card is authorised
    with pytest.raises(PaymentUnavailable) as info:
        authorise(provider)
    # THEN PaymentUnavailable, a retryable failure
    assert isinstance(info.value, RetryableFailure)
    assert info.value.code == "DEPENDENCY_UNAVAILABLE"
    # AND the SDK tried again (500/503 only) with the same Idempotency-Key, creating nothing
    keys = [r.idempotency_key for r in fake.requests]
    assert keys == ["checkout-1:customer"] * (1 if status == 429 else 2)
    assert fake.customers == {}


def test_a_hanging_stripe_raises_payment_unavailable_after_the_timeout(fake: FakeStripe) -> None:
    # GIVEN Stripe does not answer
    fake.hang(10)
    provider = payments(fake, timeout_s=0.3)
    # WHEN a card is authorised
    started = time.monotonic()
    with pytest.raises(PaymentUnavailable):
        authorise(provider)
    # THEN it gives up after the timeout, not Stripe's
    assert time.monotonic() - started < 3


def test_after_an_outage_the_retry_with_the_same_key_completes_once(fake: FakeStripe) -> None:
    # GIVEN an authorisation that failed at the SetupIntent, after the customer was created
    provider = payments(fake)
    fake.fail(500, times=1, path="/v1/setup_intents")
    with pytest.raises(PaymentUnavailable):
        authorise(provider, key="checkout-3")
    assert len(fake.customers) == 1
    # WHEN the caller retries with the same key after Stripe recovers
    authorisation = authorise(provider, key="checkout-3")
    # THEN Stripe replays the customer (still one) and the card is authorised
    assert list(fake.customers) == [authorisation.customer_ref]
    assert len(fake.setup_intents) == 1
    assert [r.replayed for r in fake.requests_to("/v1/customers")] == [False, True]


def test_a_wrong_api_key_is_a_provider_error_not_a_decline(fake: FakeStripe) -> None:
    # GIVEN a key Stripe refuses
    provider = StripePayments("rk_live_wrong", api_base=fake, max_network_retries=0)
    # WHEN a card is authorised THEN a configuration fault: neither decline nor retry
    with pytest.raises(PaymentProviderError) as info:
        authorise(provider)
    assert "AuthenticationError" in str(info.value)


# -- the charge on the due date ---------------------------------------------------------------


def test_charge_is_an_off_session_confirmed_payment_intent(fake: FakeStripe) -> None:
    # GIVEN an authorised card
    provider = payments(fake)
    authorisation = authorise(provider)
    # WHEN the invoice is charged on its due date
    result = charge(provider, authorisation, key="inv-2025-000123")
    # THEN it succeeded, with Stripe's PaymentIntent as the reference
    assert result.status == "succeeded"
    assert fake.payment_intents[result.charge_ref]["amount_received"] == 21780
    # AND the PaymentIntent was off-session and confirmed, on the saved method, in lower case
    (request,) = fake.requests_to("/v1/payment_intents")
    assert request.form["amount"] == "21780"
    assert request.form["currency"] == "eur"
    assert request.form["customer"] == authorisation.customer_ref
    assert request.form["payment_method"] == authorisation.payment_method_ref
    assert request.form["off_session"] == "true"
    assert request.form["confirm"] == "true"
    assert request.form["description"] == "CPS Gold membership, invoice 2025-000123"
    assert request.idempotency_key == "inv-2025-000123:charge"


def test_a_retried_charge_charges_once(fake: FakeStripe) -> None:
    # GIVEN an invoice charged once
    provider = payments(fake)
    authorisation = authorise(provider)
    first = charge(provider, authorisation, key="inv-5")
    # WHEN the charge is retried with the same key
    again = charge(provider, authorisation, key="inv-5")
    # THEN Stripe replays the first payment: one PaymentIntent
    assert again == first
    assert len(fake.payment_intents) == 1


def test_a_declined_charge_raises_payment_declined(fake: FakeStripe) -> None:
    # GIVEN a card that was saved fine but whose charges fail
    provider = payments(fake)
    authorisation = authorise(provider, token="pm_card_chargeCustomerFail")
    # WHEN it is charged
    with pytest.raises(PaymentDeclined) as info:
        charge(provider, authorisation)
    # THEN PaymentDeclined, with the reason
    assert info.value.decline_code == "generic_decline"
    (intent,) = fake.payment_intents.values()
    assert intent["status"] == "requires_payment_method"


def test_a_charge_the_issuer_wants_authenticated_is_declined_as_authentication_required(
    fake: FakeStripe,
) -> None:
    # GIVEN a card saved fine whose issuer asks for 3-D Secure on a later charge
    provider = payments(fake)
    authorisation = authorise(provider, token="pm_card_authenticationRequiredChargeOnly")
    # WHEN it is charged off-session
    with pytest.raises(PaymentDeclined) as info:
        charge(provider, authorisation)
    # THEN the decline says the customer must authenticate (they get a pay-now link)
    assert info.value.decline_code == "authentication_required"
    (request,) = fake.requests_to("/v1/payment_intents")
    assert request.form["off_session"] == "true" and request.form["confirm"] == "true"


def test_a_charge_unavailable_is_retryable(fake: FakeStripe) -> None:
    # GIVEN an authorised card and then a Stripe outage
    provider = payments(fake)
    authorisation = authorise(provider)
    fake.fail(503)
    # WHEN it is charged THEN PaymentUnavailable, and no payment exists
    with pytest.raises(PaymentUnavailable):
        charge(provider, authorisation)
    assert fake.payment_intents == {}


def test_the_same_key_for_another_amount_is_refused(fake: FakeStripe) -> None:
    # GIVEN a charge under a key
    provider = payments(fake)
    authorisation = authorise(provider)
    charge(provider, authorisation, key="inv-8", amount_cents=1000)
    # WHEN the key is reused for another amount THEN Stripe's idempotency error surfaces
    with pytest.raises(PaymentProviderError):
        charge(provider, authorisation, key="inv-8", amount_cents=2000)
    assert len(fake.payment_intents) == 1


def test_invalid_amount_is_refused_before_any_request(fake: FakeStripe) -> None:
    provider = payments(fake)
    authorisation = CardAuthorisation("cus_x", "pm_x", "seti_x")
    for amount in (0, -5):
        with pytest.raises(ValueError):
            charge(provider, authorisation, amount_cents=amount)
    assert fake.requests == []


# -- logs ---------------------------------------------------------------------------------------


def test_no_card_token_reaches_the_logs(fake: FakeStripe, caplog: pytest.LogCaptureFixture) -> None:
    # GIVEN every log record captured, the SDK's debug logs included
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="stripe")
    provider = payments(fake)
    # WHEN cards are authorised, declined, refused and charged
    authorisation = authorise(provider, token="pm_card_visa")
    charge(provider, authorisation)
    for token in ("pm_card_chargeDeclined", "pm_card_authenticationRequired", "pm_1Unknown"):
        with pytest.raises(PaymentDeclined):
            authorise(provider, token=token, key=f"k-{token}")
    # THEN the adapter's and the SDK's records were captured...
    assert any(r.name.startswith("cps") for r in caplog.records)
    assert any(r.name == "stripe" and r.levelno == logging.DEBUG for r in caplog.records)
    # ...and none holds a token, a payment-method id, a client secret or the e-mail address
    logged = "\n".join(r.getMessage() + " " + str(r.__dict__) for r in caplog.records)
    for secret in ("pm_card_", "pm_1Unknown", "_secret_", EMAIL, "%40"):
        assert secret not in logged
    for pm_id in fake.payment_methods:
        assert pm_id not in logged
