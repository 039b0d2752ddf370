"""Signing up for CPS on the real stack (SPEC §3 to §5): quote, checkout, invoice, payment."""

from __future__ import annotations

import threading
import uuid
from datetime import date

import requests

from tests.support.journey import approve_to_login, bearer, eventually, mails_to

R1 = "EOS-R1-BODY"  # 600 points
TERMS = "2026-01"


def _customer_with(api, reviewer_token, skus: list[str], **application):
    applicant, token = approve_to_login(api, reviewer_token, **application)
    for sku in skus:
        response = api.request(
            "POST",
            "/products",
            json={
                "sku": sku,
                "serial_number": uuid.uuid4().hex[:12],
                "purchase_date": "2024-01-10",
                "country_of_purchase": "NL",
                "dealer": "Kamera Express",
            },
            headers=bearer(token),
        )
        assert response.status_code == 201, response.json()
    return applicant, token


def _checkout(api, token, key, **overrides):
    body = {
        "tier": "SILVER",
        "auto_renew": True,
        "purchase_order_number": "PO-2026-17",
        "accept_terms": True,
        "terms_version": TERMS,
        "payment": {"method": "CARD", "payment_method_token": "pm_card_visa"},
    }
    body.update(overrides)
    headers = {**bearer(token), **({"Idempotency-Key": key} if key else {})}
    return api.request("POST", "/checkout", json=body, headers=headers)


def _invoices(api, token):
    return api.request("GET", "/invoices", headers=bearer(token)).json()["items"]


def test_tiers_show_fees_and_what_the_points_open(api, reviewer_token):
    _, token = _customer_with(api, reviewer_token, [R1])
    tiers = api.request("GET", "/tiers", headers=bearer(token)).json()
    assert tiers["points"] == 600 and tiers["corporate_available"] is False
    by_id = {t["tier"]: t for t in tiers["tiers"]}
    assert by_id["SILVER"]["eligible"] and not by_id["GOLD"]["eligible"]
    assert by_id["SILVER"]["annual_fee"] == {"amount": "85.00", "currency": "EUR"}
    corporate = api.request("GET", "/tiers?family=corporate", headers=bearer(token)).json()
    assert [t["tier"] for t in corporate["tiers"]] == ["CORPORATE_C", "CORPORATE_B", "CORPORATE_A"]


def test_a_quote_adds_dutch_vat_for_a_dutch_customer(api, reviewer_token):
    _, token = _customer_with(api, reviewer_token, [R1])
    quote = api.request("POST", "/checkout/quote", json={"tier": "SILVER"}, headers=bearer(token))
    assert quote.status_code == 200, quote.json()
    assert quote.json()["price_excl_vat"] == {"amount": "85.00", "currency": "EUR"}
    assert quote.json()["vat_rate"] == "0.21"
    assert quote.json()["vat_amount"] == {"amount": "17.85", "currency": "EUR"}
    assert quote.json()["total"] == {"amount": "102.85", "currency": "EUR"}
    assert quote.json()["subscription_type"] == "AUTO_RENEWAL"
    refused = api.request("POST", "/checkout/quote", json={"tier": "GOLD"}, headers=bearer(token))
    assert refused.status_code == 422 and "1,000" in refused.json()["error"]["message"]


def test_a_british_customer_pays_pounds_without_eu_vat(api, reviewer_token):
    company = {
        "name": "Lens Works Ltd",
        "street": "1 High St",
        "postcode": "SW1A 1AA",
        "city": "London",
        "country": "GB",
    }
    _, token = _customer_with(api, reviewer_token, [R1], company=company, language="en")
    quote = api.request(
        "POST", "/checkout/quote", json={"tier": "SILVER"}, headers=bearer(token)
    ).json()
    assert quote["total"] == {"amount": "85.00", "currency": "GBP"} and quote["vat_rate"] == "0.00"


def test_checkout_by_card_gives_an_active_membership_and_one_invoice_by_mail(api, reviewer_token):
    applicant, token = _customer_with(api, reviewer_token, [R1])
    # WHEN the customer checks out by card
    response = _checkout(api, token, "key-1")
    # THEN the membership is active at once, numbered, for a year
    assert response.status_code == 201, response.json()
    card = response.json()["membership"]
    assert card["status"] == "ACTIVE" and card["tier"] == "SILVER" and card["auto_renew"] is True
    assert len(card["membership_number"]) == 9 and card["membership_number"].isdigit()
    starts = date.fromisoformat(card["starts_on"])
    assert date.fromisoformat(card["expires_on"]) == starts.replace(year=starts.year + 1)
    # AND the retried request returns the first result
    replay = _checkout(api, token, "key-1")
    assert replay.status_code == 201 and replay.json()["membership"] == card
    # AND one invoice arrives, numbered for the year, with a PDF, by e-mail
    invoice = eventually(lambda: [i for i in _invoices(api, token) if i["pdf_url"]])[0]
    assert invoice["invoice_number"].startswith(f"{starts.year}-")
    assert invoice["total"] == {"amount": "102.85", "currency": "EUR"}
    assert invoice["purchase_order_number"] == "PO-2026-17" and invoice["payment_method"] == "CARD"
    assert requests.get(invoice["pdf_url"], timeout=10).content.startswith(b"%PDF-")
    mails = eventually(lambda: [m for m in mails_to(api, applicant.email) if m["attachments"]])
    assert mails[0]["attachments"] == [f"{invoice['invoice_number']}.pdf"]
    # AND /me and /membership show the card
    me = api.request("GET", "/me", headers=bearer(token)).json()
    assert me["membership"]["membership_number"] == card["membership_number"]
    # AND a second purchase while active is refused
    assert _checkout(api, token, "key-2").status_code == 409
    assert len(_invoices(api, token)) == 1


def test_the_same_key_with_another_body_is_refused(api, reviewer_token):
    _, token = _customer_with(api, reviewer_token, [R1])
    assert _checkout(api, token, "k").status_code == 201
    other = _checkout(api, token, "k", auto_renew=False)
    assert other.status_code == 422


def test_a_checkout_needs_a_key_the_current_terms_and_an_eligible_tier(api, reviewer_token):
    _, token = _customer_with(api, reviewer_token, [R1])
    assert _checkout(api, token, None).status_code == 400
    assert _checkout(api, token, "a", accept_terms=False).status_code == 422
    assert _checkout(api, token, "b", terms_version="2019-01").status_code == 422
    assert _checkout(api, token, "c", tier="PLATINUM").status_code == 422
    assert _checkout(api, token, "d", purchase_order_number="X" * 36).status_code == 422
    assert api.request("GET", "/membership", headers=bearer(token)).status_code == 404


def test_a_declined_card_creates_nothing_and_says_why(api, reviewer_token):
    _, token = _customer_with(api, reviewer_token, [R1])
    declined = _checkout(
        api,
        token,
        "k",
        payment={"method": "CARD", "payment_method_token": "pm_card_chargeDeclined"},
    )
    assert declined.status_code == 422 and declined.json()["error"]["code"] == "PAYMENT_DECLINED"
    assert api.request("GET", "/membership", headers=bearer(token)).status_code == 404
    assert _invoices(api, token) == []


def test_simultaneous_duplicates_make_one_membership_one_invoice_one_mail(api, reviewer_token):
    applicant, token = _customer_with(api, reviewer_token, [R1])
    results: list = []
    barrier = threading.Barrier(5)

    def buy() -> None:
        barrier.wait()
        results.append(_checkout(api, token, "double-click"))

    threads = [threading.Thread(target=buy) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {r.status_code for r in results} == {201}
    assert len({r.json()["membership"]["membership_number"] for r in results}) == 1
    eventually(lambda: _invoices(api, token))
    eventually(lambda: [m for m in mails_to(api, applicant.email) if m["attachments"]])
    import time

    time.sleep(2)
    assert len(_invoices(api, token)) == 1
    assert len([m for m in mails_to(api, applicant.email) if m["attachments"]]) == 1


def test_bank_transfer_reverse_charge_and_recording_the_payment(api, reviewer_token):
    company = {
        "name": "Bildwerk GmbH",
        "street": "Hauptstr. 5",
        "postcode": "10115",
        "city": "Berlin",
        "country": "DE",
    }
    _, token = _customer_with(
        api,
        reviewer_token,
        [R1],
        company=company,
        vat_number="DE136695976",
        document_type="VAT_CERTIFICATE",
        language="de",
    )
    response = _checkout(api, token, "bank", payment={"method": "BANK_TRANSFER"})
    assert response.status_code == 201, response.json()
    invoice = eventually(lambda: _invoices(api, token))[0]
    # THEN an EU business with a VAT number pays no Dutch VAT: reverse charge
    assert invoice["vat_rate"] == "0.00" and invoice["total"]["amount"] == "85.00"
    assert "reverse" in (invoice["vat_note"] or "").lower()
    assert invoice["bank_details"]["reference"].startswith("CPS")
    number = invoice["invoice_number"]
    path = f"/finance/invoices/{number}/payments"
    payment = {"amount": "85.00", "paid_on": date.today().isoformat(), "reference": "BANK-1"}
    # A customer cannot record payments; a wrong amount is refused; the right one pays
    assert api.request("POST", path, json=payment, headers=bearer(token)).status_code == 403
    wrong = api.request(
        "POST", path, json={**payment, "amount": "84.99"}, headers=bearer(reviewer_token)
    )
    assert wrong.status_code == 422 and "amount" in wrong.json()["error"]["fields"]
    paid = api.request("POST", path, json=payment, headers=bearer(reviewer_token))
    assert paid.status_code == 200 and paid.json()["status"] == "PAID"
    again = api.request("POST", path, json=payment, headers=bearer(reviewer_token))
    assert again.status_code == 409


def test_another_customers_invoice_and_membership_are_404(api, reviewer_token):
    _, owner = _customer_with(api, reviewer_token, [R1])
    _checkout(api, owner, "k")
    number = eventually(lambda: _invoices(api, owner))[0]["invoice_number"]
    _, intruder = approve_to_login(api, reviewer_token)
    assert api.request("GET", f"/invoices/{number}", headers=bearer(intruder)).status_code == 404
    assert api.request("GET", "/membership", headers=bearer(intruder)).status_code == 404
    assert api.request("GET", f"/invoices/{number}", headers=bearer(owner)).status_code == 200


def test_auto_renewal_can_be_switched_off(api, reviewer_token):
    _, token = _customer_with(api, reviewer_token, [R1])
    _checkout(api, token, "k")
    patched = api.request("PATCH", "/membership", json={"auto_renew": False}, headers=bearer(token))
    assert patched.status_code == 200 and patched.json()["auto_renew"] is False
    assert api.request("GET", "/membership", headers=bearer(token)).json()["auto_renew"] is False


def test_a_checkout_knows_its_lambda_time_so_a_dead_request_can_be_retried(
    api, reviewer_token, recwarn
):
    # GIVEN a customer who can buy Silver
    _, token = _customer_with(api, reviewer_token, [R1])
    # WHEN the checkout runs
    assert _checkout(api, token, "with-context").status_code == 201
    # THEN Powertools knew the invocation's remaining time (no "remaining time" warning): an
    # in-progress record of a request that died expires with its Lambda
    assert not [w for w in recwarn if "remaining time" in str(w.message)]
