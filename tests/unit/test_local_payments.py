"""The local stage's card provider: Stripe's test tokens, deterministic, no network."""

import pytest

from chalicelib.adapters.local_payments import LocalPayments
from chalicelib.services.payments import CardAuthorisation, PaymentDeclined, PaymentProvider


def authorise(provider: PaymentProvider, token: str, key: str = "checkout-1") -> CardAuthorisation:
    return provider.authorise_card(
        account_id="acc-1",
        email="a@studio.example",
        payment_method_token=token,
        idempotency_key=key,
    )


def charge(provider: PaymentProvider, authorisation: CardAuthorisation, key: str = "inv-1"):
    return provider.charge(
        authorisation=authorisation,
        amount_cents=21780,
        currency="EUR",
        description="CPS Gold membership",
        idempotency_key=key,
    )


def test_visa_is_authorised_with_references_that_a_retry_repeats() -> None:
    # GIVEN the local provider
    provider = LocalPayments()
    # WHEN pm_card_visa is authorised twice under one key, and once under another
    first = authorise(provider, "pm_card_visa", key="checkout-1")
    again = authorise(provider, "pm_card_visa", key="checkout-1")
    other = authorise(provider, "pm_card_visa", key="checkout-2")
    # THEN the retry returns the same references, another checkout new ones
    assert again == first
    assert other.customer_ref != first.customer_ref
    assert other.setup_ref != first.setup_ref
    assert first.customer_ref.startswith("cus_local_")
    assert first.payment_method_ref.startswith("pm_local_")
    assert first.setup_ref.startswith("seti_local_")
    # AND the token itself is not a reference
    assert "pm_card_visa" not in repr(first)


def test_charge_declined_token_is_declined() -> None:
    # GIVEN the declining test card WHEN authorised THEN PaymentDeclined, in the API's shape
    with pytest.raises(PaymentDeclined) as info:
        authorise(LocalPayments(), "pm_card_chargeDeclined")
    assert info.value.code == "PAYMENT_DECLINED"
    assert info.value.decline_code == "generic_decline"
    assert info.value.fields == {"payment.payment_method_token": info.value.reason}


@pytest.mark.parametrize("token", ["pm_card_amex", "tok_visa", "4242424242424242", ""])
def test_any_other_token_is_an_unknown_test_card(token: str) -> None:
    with pytest.raises(PaymentDeclined) as info:
        authorise(LocalPayments(), token)
    assert info.value.reason == "unknown test card"
    assert info.value.message == "The card was declined (unknown test card)."


def test_an_authorised_visa_is_charged_with_a_repeatable_reference() -> None:
    # GIVEN an authorised card
    provider = LocalPayments()
    authorisation = authorise(provider, "pm_card_visa")
    # WHEN charged (and the charge retried)
    result = charge(provider, authorisation, key="inv-1")
    # THEN it succeeded, and the retry returns the same reference
    assert result.status == "succeeded"
    assert result.charge_ref.startswith("pi_local_")
    assert charge(provider, authorisation, key="inv-1") == result
    assert charge(provider, authorisation, key="inv-2").charge_ref != result.charge_ref


def test_a_card_saved_fine_can_fail_on_the_due_date() -> None:
    # GIVEN Stripe's "charge customer fail" card, which authorises
    provider = LocalPayments()
    authorisation = authorise(provider, "pm_card_chargeCustomerFail")
    # WHEN charged THEN declined
    with pytest.raises(PaymentDeclined) as info:
        charge(provider, authorisation)
    assert info.value.decline_code == "generic_decline"


def test_an_authorisation_from_another_provider_is_not_charged() -> None:
    foreign = CardAuthorisation("cus_RealStripe", "pm_1RealStripe", "seti_1RealStripe")
    with pytest.raises(PaymentDeclined) as info:
        charge(LocalPayments(), foreign)
    assert info.value.reason == "the payment method is not valid"


@pytest.mark.parametrize(("amount", "currency"), [(0, "EUR"), (-1, "EUR"), (10, "EURO")])
def test_invalid_amounts_and_currencies_are_programming_errors(amount: int, currency: str) -> None:
    provider = LocalPayments()
    authorisation = authorise(provider, "pm_card_visa")
    with pytest.raises(ValueError):
        provider.charge(
            authorisation=authorisation,
            amount_cents=amount,
            currency=currency,
            description="x",
            idempotency_key="inv-1",
        )
