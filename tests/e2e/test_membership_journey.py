"""The journey goes on over real HTTP (SPEC §3 to §5): from 500 points to an active CPS
membership, an invoice PDF in the mailbox and, for bank transfers, the payment recorded by
finance."""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import parseaddr
from typing import Any

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import bearer
from tests.support.membership_http import (
    BANK_TRANSFER,
    DECLINED,
    INVOICE_NUMBER,
    INVOICE_SUBJECT_IN,
    PO_NUMBER,
    TERMS_VERSION,
    Customer,
    application_for,
    assert_no_second_mail,
    bought,
    card,
    checkout,
    customer_with_points,
    customers_with_points,
    download,
    earn_points,
    german_vat_number,
    invoice,
    invoices,
    membership,
    pdf_info,
    quote,
    record_payment,
    set_auto_renew,
    the_invoice,
    tiers,
    today,
    wait_for_invoice_mail,
)
from tests.support.products_http import in_parallel, me, new_customers
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e

SILVER_POINTS = 500
CORPORATE_POINTS = 2500
NO_REPLY = "donotreply@"
# SPEC §3: tier, name, family, minimum and maximum points, annual fee excl. VAT.
TIER_TABLE = [
    ("SILVER", "CPS Silver", "individual", 500, 999, "85.00"),
    ("GOLD", "CPS Gold", "individual", 1000, 1599, "170.00"),
    ("PLATINUM", "CPS Platinum", "individual", 1600, 2499, "300.00"),
    ("CORPORATE_C", "CPS Corporate C", "corporate", 2500, 4499, "1000.00"),
    ("CORPORATE_B", "CPS Corporate B", "corporate", 4500, 9999, "3000.00"),
    ("CORPORATE_A", "CPS Corporate A", "corporate", 10000, None, "5000.00"),
]
INDIVIDUAL = ["SILVER", "GOLD", "PLATINUM"]
CORPORATE = ["CORPORATE_C", "CORPORATE_B", "CORPORATE_A"]
LINK_POLLS = 1500
CARD_FIELDS = ("membership_number", "tier", "status", "starts_on", "expires_on", "auto_renew")


def money(amount: str, currency: str = "EUR") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


def sender(mail: dict[str, Any]) -> str:
    return parseaddr(mail["from"])[1]


def card_of(view: dict[str, Any]) -> dict[str, Any]:
    return {field: view[field] for field in CARD_FIELDS}


def without_link(view: dict[str, Any]) -> dict[str, Any]:
    """An invoice view without its presigned link (signed anew for every answer)."""
    return {key: value for key, value in view.items() if key != "pdf_url"}


def assert_tier_table(listed: list[dict[str, Any]], currency: str, points: int) -> None:
    """The tiers as SPEC §3 names them, priced in `currency`, open from their minimum up."""
    assert [
        (
            t["tier"],
            t["name"],
            t["family"],
            t["min_points"],
            t["max_points"],
            t["annual_fee"]["amount"],
        )
        for t in listed
    ] == [row for row in TIER_TABLE if row[0] in {t["tier"] for t in listed}]
    assert {t["annual_fee"]["currency"] for t in listed} == {currency}
    assert [t["eligible"] for t in listed] == [points >= t["min_points"] for t in listed]


# --- /tiers and the quote -------------------------------------------------------------------


def test_tiers_show_which_tiers_the_points_open_in_the_accounts_currency(
    e2e_runtime: RuntimeProcess, http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a Dutch and a British customer with 500 to 999 points, and a Dutch one with 2,500+
    dutch, british, corporate = in_parallel(
        [
            lambda: customer_with_points(e2e_runtime.api_url, reviewer_token, SILVER_POINTS),
            lambda: customer_with_points(
                e2e_runtime.api_url, reviewer_token, SILVER_POINTS, **application_for("GB")
            ),
            lambda: customer_with_points(e2e_runtime.api_url, reviewer_token, CORPORATE_POINTS),
        ]
    )
    assert SILVER_POINTS <= dutch.points < 1000 and SILVER_POINTS <= british.points < 1000
    assert CORPORATE_POINTS <= corporate.points < 4500, corporate.points

    # WHEN the Dutch customer opens the tiers page
    page = tiers(http_api, dutch.token)
    # THEN every tier is listed with its fee in euros; only Silver is open, no corporate tier
    assert page.status_code == 200, page.text
    body = page.json()
    assert (body["points"], body["corporate_available"]) == (dutch.points, False)
    assert [t["tier"] for t in body["tiers"]] == INDIVIDUAL + CORPORATE
    assert_tier_table(body["tiers"], "EUR", dutch.points)
    assert [t["tier"] for t in body["tiers"] if t["eligible"]] == ["SILVER"]

    # WHEN the British customer opens it
    british_page = tiers(http_api, british.token).json()
    # THEN the same fees are shown in pounds
    assert british_page["points"] == british.points
    assert_tier_table(british_page["tiers"], "GBP", british.points)

    # WHEN the customer with 2,500+ points opens it, and switches between the two families
    rich = tiers(http_api, corporate.token).json()
    individual = tiers(http_api, corporate.token, "individual").json()
    corporate_only = tiers(http_api, corporate.token, "corporate").json()
    # THEN the corporate tiers are available, and Corporate C is open along with all three
    # individual tiers (SPEC §3: the ON/OFF switch between the two families)
    assert rich["corporate_available"] is True and rich["points"] == corporate.points
    assert [t["tier"] for t in rich["tiers"] if t["eligible"]] == [*INDIVIDUAL, "CORPORATE_C"]
    assert [t["tier"] for t in individual["tiers"]] == INDIVIDUAL
    assert [t["tier"] for t in corporate_only["tiers"]] == CORPORATE
    assert_tier_table(corporate_only["tiers"], "EUR", corporate.points)
    assert individual["corporate_available"] is corporate_only["corporate_available"] is True
    # AND Corporate C is quoted at 1,000.00 + 21 % VAT, Corporate B is not open
    corporate_quote = quote(http_api, corporate.token, "CORPORATE_C")
    assert corporate_quote.status_code == 200, corporate_quote.text
    assert corporate_quote.json()["total"] == money("1210.00")
    assert "tier" in error_of(quote(http_api, corporate.token, "CORPORATE_B"), 422)["fields"]

    # WHEN a family that does not exist is asked for
    unknown = tiers(http_api, corporate.token, "premium")
    # THEN it is a client error naming the parameter
    assert unknown.status_code in (400, 422), unknown.text
    assert "family" in error_of(unknown, unknown.status_code)["fields"]


# (country, with a VAT number, currency, VAT rate, VAT, total, a word of the invoice note)
QUOTES = [
    pytest.param("NL", False, "EUR", "0.21", "17.85", "102.85", None, id="NL: Dutch VAT"),
    pytest.param(
        "DE", True, "EUR", "0.00", "0.00", "85.00", "reverse", id="DE with VAT number: reverse"
    ),
    pytest.param("DK", False, "EUR", "0.21", "17.85", "102.85", None, id="DK no VAT number: 21 %"),
    pytest.param("GB", False, "GBP", "0.00", "0.00", "85.00", "outside", id="GB: outside scope"),
    pytest.param("CH", False, "EUR", "0.00", "0.00", "85.00", "outside", id="CH: outside scope"),
    pytest.param("NO", False, "EUR", "0.00", "0.00", "85.00", "outside", id="NO: outside scope"),
]


@pytest.fixture(scope="module")
def quoting_customers(e2e_runtime: RuntimeProcess, reviewer_token: str) -> dict[str, Customer]:
    """One customer with 500 to 999 points per country of QUOTES, set up side by side."""
    countries = [param.values[0] for param in QUOTES]
    applications = [
        application_for(country, vat_number=german_vat_number())
        if country == "DE"
        else application_for(country)
        for country in countries
    ]
    customers = customers_with_points(
        e2e_runtime.api_url, reviewer_token, SILVER_POINTS, applications
    )
    return dict(zip(countries, customers, strict=True))


@pytest.mark.parametrize(
    ("country", "vat_registered", "currency", "rate", "vat", "total", "note"), QUOTES
)
def test_a_quote_taxes_the_fee_by_the_customers_country_and_vat_number(
    http_api: HttpApi,
    quoting_customers: dict[str, Customer],
    country: str,
    vat_registered: bool,
    currency: str,
    rate: str,
    vat: str,
    total: str,
    note: str | None,
) -> None:
    # GIVEN a customer of `country` with 500 to 999 points
    customer = quoting_customers[country]
    assert (me(http_api, customer.token)["vat_number"] is not None) is vat_registered
    # WHEN they ask for a quote for CPS Silver
    response = quote(http_api, customer.token, "SILVER")
    # THEN the fee is 85.00 in the account's currency, taxed per the country and VAT number
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["tier"] == "SILVER"
    assert body["price_excl_vat"] == money("85.00", currency)
    assert (body["vat_rate"], body["vat_amount"], body["total"]) == (
        rate,
        money(vat, currency),
        money(total, currency),
    )
    # AND auto-renewal is the default, under the current terms
    assert body["subscription_type"] == "AUTO_RENEWAL"
    assert body["terms_version"] == TERMS_VERSION
    if note is not None:
        assert note in (body.get("vat_note") or "").lower(), body

    # WHEN they ask for a quote for CPS Gold, which needs 1,000 points
    refused = quote(http_api, customer.token, "GOLD")
    # THEN it is a 422 naming the tier, and the message gives the reason
    error = error_of(refused, 422)
    assert "tier" in error["fields"], error
    assert "CPS Gold" in error["message"] and re.search(r"1[,.]?000", error["message"]), error


# --- buying by card ----------------------------------------------------------------------------


def test_a_card_purchase_makes_an_active_membership_and_mails_the_invoice_pdf(
    e2e_runtime: RuntimeProcess, http_api: HttpApi, reviewer_token: str, customer_token: str
) -> None:
    # GIVEN an approved Dutch customer who reaches 500 points through their products
    [(applicant, token)] = new_customers(e2e_runtime.api_url, reviewer_token, 1)
    points = earn_points(http_api, token, SILVER_POINTS)
    account = me(http_api, token)
    assert (account["points"], account["invited"], account["membership"]) == (points, True, None)
    error_of(membership(http_api, token), 404)
    # AND the tiers page opens Silver, quoted at 85.00 + 21 % VAT
    silver = next(t for t in tiers(http_api, token).json()["tiers"] if t["tier"] == "SILVER")
    assert silver["eligible"] is True
    assert quote(http_api, token, "SILVER").json()["total"] == money("102.85")
    day = today(http_api)

    # WHEN they buy CPS Silver by card, with a purchase-order number
    response = checkout(http_api, token, "checkout-1", payment=card())
    # THEN the membership is active at once: a 9-digit number, from today for one year,
    # auto-renewing
    assert response.status_code == 201, response.text
    created = response.json()["membership"]
    assert re.fullmatch(r"\d{9}", created["membership_number"]), created
    assert (created["tier"], created["status"], created["auto_renew"]) == ("SILVER", "ACTIVE", True)
    assert created["starts_on"] == day.isoformat()
    assert created["expires_on"] == day.replace(year=day.year + 1).isoformat()
    assert response.json()["invoice"]["status"]
    # AND /me and /membership show the subscription card
    assert card_of(me(http_api, token)["membership"]) == card_of(created)
    shown = membership(http_api, token)
    assert shown.status_code == 200 and card_of(shown.json()) == card_of(created), shown.text

    # WHEN the invoice mail arrives (numbered, rendered and sent asynchronously)
    mail = wait_for_invoice_mail(http_api, applicant.email)
    [issued] = invoices(http_api, token)
    number = issued["invoice_number"]
    # THEN it comes from the no-reply address, in Dutch, with the invoice PDF attached
    assert sender(mail).startswith(NO_REPLY), mail["from"]
    assert INVOICE_SUBJECT_IN["nl"] in mail["subject"] and number in mail["subject"], mail
    assert mail["attachments"] == [f"{number}.pdf"], mail["attachments"]
    # AND the amount is written the Dutch way (Babel: "€ 102,85", with a no-break space)
    assert created["membership_number"] in mail["text"] and "€\u00a0102,85" in mail["text"]
    assert "{{" not in mail["text"] + mail["subject"], mail["text"]
    # AND the invoice is numbered YYYY-NNNNNN, issued today, due 30 days later, with the
    # purchase-order number, the payment method and Dutch VAT
    numbered = re.fullmatch(INVOICE_NUMBER, number)
    assert numbered and int(numbered.group(1)) == day.year, number
    assert issued["issued_on"] == day.isoformat()
    assert issued["due_on"] == (day + timedelta(days=30)).isoformat()
    assert issued["status"] == "ISSUED"
    assert (issued["purchase_order_number"], issued["payment_method"]) == (PO_NUMBER, "CARD")
    assert (issued["net"], issued["vat_rate"], issued["vat"], issued["total"]) == (
        money("85.00"),
        "0.21",
        money("17.85"),
        money("102.85"),
    )
    assert issued["membership_number"] == created["membership_number"]
    # AND the invoice on its own page is the same, and its short-lived link downloads the PDF
    single = invoice(http_api, token, number)
    assert single.status_code == 200 and without_link(single.json()) == without_link(issued)
    pdf = download(single.json()["pdf_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-"), pdf.content[:200]
    assert pdf.content.rstrip().endswith(b"%%EOF")
    info = pdf_info(pdf.content)
    assert number in info.get("Title", ""), info
    assert info.get("Lang", "nl") == "nl", info

    # WHEN the purchase is sent again with the same Idempotency-Key (a retried request)
    replay = checkout(http_api, token, "checkout-1", payment=card())
    # THEN the first result comes back, and nothing new is bought
    assert replay.status_code == 201, replay.text
    assert replay.json()["membership"] == created
    # WHEN the same key comes with another body
    reused = checkout(http_api, token, "checkout-1", payment=card(), auto_renew=False)
    # THEN it is refused, naming the key
    assert "Idempotency-Key" in error_of(reused, 422)["fields"]
    # WHEN they try to buy a second time, with a new key, while the membership is active
    second = checkout(http_api, token, "checkout-2", payment=BANK_TRANSFER)
    # THEN it is a conflict, and the card is unchanged
    error_of(second, 409)
    assert card_of(membership(http_api, token).json()) == card_of(created)

    # WHEN they switch auto-renewal off under "Manage subscription"
    switched = set_auto_renew(http_api, token, False)
    # THEN the card says so, on /membership and /me, and nothing else changed
    assert switched.status_code == 200, switched.text
    assert card_of(switched.json()) == {**card_of(created), "auto_renew": False}
    assert membership(http_api, token).json()["auto_renew"] is False
    assert card_of(me(http_api, token)["membership"]) == card_of(switched.json())

    # AND finance cannot record a payment for a card invoice (the provider charges it)
    by_finance = record_payment(http_api, reviewer_token, number, "102.85", day, "BANK-1")
    error_of(by_finance, 409)
    # AND after all that there is still one invoice and one invoice mail
    assert len(assert_no_second_mail(http_api, applicant.email)) == 1
    assert [i["invoice_number"] for i in invoices(http_api, token)] == [number]
    # AND another customer does not see it
    error_of(invoice(http_api, customer_token, number), 404)


def test_a_declined_card_creates_nothing_and_another_card_then_buys(
    e2e_runtime: RuntimeProcess, http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a Danish customer with 500 points and no VAT number
    customer = customer_with_points(
        e2e_runtime.api_url, reviewer_token, SILVER_POINTS, **application_for("DK")
    )

    # WHEN they buy with a card the provider declines
    declined = checkout(http_api, customer.token, "first-try", payment=card(DECLINED))
    # THEN it is a 422 PAYMENT_DECLINED in the error shape, and nothing was created
    error = error_of(declined, 422, "PAYMENT_DECLINED")
    assert error["message"]
    error_of(membership(http_api, customer.token), 404)
    assert me(http_api, customer.token)["membership"] is None
    assert invoices(http_api, customer.token) == []

    # WHEN they buy again with a card that authorises (a new attempt, a new key)
    created = bought(http_api, customer.token, "second-try", payment=card())["membership"]
    # THEN the membership is active
    assert created["status"] == "ACTIVE"
    # AND one invoice arrives, in Danish, with 21 % Dutch VAT (EU, no VAT number)
    issued = the_invoice(http_api, customer.token, customer.email)
    mail = wait_for_invoice_mail(http_api, customer.email)
    assert INVOICE_SUBJECT_IN["da"] in mail["subject"], mail["subject"]
    assert (issued["vat_rate"], issued["total"]) == ("0.21", money("102.85"))
    assert issued["payment_method"] == "CARD"
    # AND the declined attempt left no invoice and no mail behind
    assert len(assert_no_second_mail(http_api, customer.email)) == 1
    assert len(invoices(http_api, customer.token)) == 1


# --- buying by bank transfer -----------------------------------------------------------------


def test_a_bank_transfer_invoice_is_reverse_charged_and_paid_when_finance_records_it(
    e2e_runtime: RuntimeProcess, http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a German company with a VAT number and 500 points
    customer = customer_with_points(
        e2e_runtime.api_url,
        reviewer_token,
        SILVER_POINTS,
        **application_for("DE", vat_number=german_vat_number()),
    )
    day = today(http_api)

    # WHEN they buy CPS Silver to pay by bank transfer
    created = bought(http_api, customer.token, "bank", payment=BANK_TRANSFER)["membership"]
    # THEN the membership is active at once, before any payment
    assert created["status"] == "ACTIVE"
    # AND the invoice is reverse charged: 85.00 without VAT, with the note
    issued = the_invoice(http_api, customer.token, customer.email)
    number = issued["invoice_number"]
    assert (issued["net"], issued["vat_rate"], issued["vat"], issued["total"]) == (
        money("85.00"),
        "0.00",
        money("0.00"),
        money("85.00"),
    )
    assert "reverse" in (issued.get("vat_note") or "").lower(), issued
    # AND it carries the bank details and a payment reference, also in the German mail
    assert issued["payment_method"] == "BANK_TRANSFER" and issued["status"] == "ISSUED"
    bank = issued["bank_details"]
    assert bank["iban"] and bank["bic"] and bank["beneficiary"] and bank["reference"], bank
    mail = wait_for_invoice_mail(http_api, customer.email)
    assert INVOICE_SUBJECT_IN["de"] in mail["subject"], mail["subject"]
    assert bank["iban"] in mail["text"] and bank["reference"] in mail["text"], mail["text"]
    assert pdf_info(download(issued["pdf_url"]).content).get("Lang", "de") == "de"

    # WHEN the customer tries to record the payment themselves
    own = record_payment(http_api, customer.token, number, "85.00", day, bank["reference"])
    # THEN it is a 403
    error_of(own, 403)
    # WHEN finance records a wrong amount, another currency, or a payment dated tomorrow
    short = record_payment(http_api, reviewer_token, number, "84.99", day, bank["reference"])
    pounds = record_payment(
        http_api, reviewer_token, number, money("85.00", "GBP"), day, bank["reference"]
    )
    tomorrow = record_payment(
        http_api, reviewer_token, number, "85.00", day + timedelta(days=1), bank["reference"]
    )
    # THEN each is a 422 naming the field, and the invoice is still unpaid
    assert "amount" in error_of(short, 422)["fields"]
    assert "amount" in error_of(pounds, 422)["fields"]
    assert "paid_on" in error_of(tomorrow, 422)["fields"]
    assert invoice(http_api, customer.token, number).json()["status"] == "ISSUED"

    # WHEN finance records the right amount
    paid = record_payment(http_api, reviewer_token, number, money("85.00"), day, bank["reference"])
    # THEN the invoice is PAID, and the customer sees it so
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "PAID"
    seen = invoice(http_api, customer.token, number).json()
    assert seen["status"] == "PAID" and seen.get("paid_on", day.isoformat()) == day.isoformat()
    # WHEN the same payment is recorded again
    again = record_payment(http_api, reviewer_token, number, "85.00", day, bank["reference"])
    # THEN it is a conflict, and the invoice stays paid once
    error_of(again, 409)
    assert invoice(http_api, customer.token, number).json()["status"] == "PAID"
    assert membership(http_api, customer.token).json()["status"] == "ACTIVE"


def test_a_british_customer_is_invoiced_in_pounds_in_english_outside_eu_vat(
    e2e_runtime: RuntimeProcess, http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a British company with 500 points
    customer = customer_with_points(
        e2e_runtime.api_url, reviewer_token, SILVER_POINTS, **application_for("GB")
    )
    day = today(http_api)
    # WHEN they buy CPS Silver by bank transfer
    bought(http_api, customer.token, "gb", payment=BANK_TRANSFER, purchase_order_number=None)
    # THEN the invoice is 85.00 pounds without VAT, without a purchase-order number
    issued = the_invoice(http_api, customer.token, customer.email)
    assert (issued["net"], issued["vat_rate"], issued["total"]) == (
        money("85.00", "GBP"),
        "0.00",
        money("85.00", "GBP"),
    )
    assert issued["purchase_order_number"] is None
    # AND the mail is in English, with the amount in pounds
    mail = wait_for_invoice_mail(http_api, customer.email)
    assert "Your Canon Professional Services invoice" in mail["subject"], mail["subject"]
    assert "£" in mail["text"] and "€" not in mail["text"], mail["text"]
    # WHEN finance records 85.00 as a plain amount (the invoice's currency)
    paid = record_payment(
        http_api, reviewer_token, issued["invoice_number"], "85.00", day, "HSBC-0042"
    )
    # THEN it is paid
    assert paid.status_code == 200 and paid.json()["status"] == "PAID", paid.text


# --- the invoice link --------------------------------------------------------------------------


def test_an_invoice_is_never_listed_with_a_link_to_a_missing_pdf(
    e2e_runtime: RuntimeProcess, http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN three customers with 500 points
    customers = customers_with_points(
        e2e_runtime.api_url, reviewer_token, SILVER_POINTS, [{}, {}, {}]
    )
    failures = []
    for index, customer in enumerate(customers):
        # WHEN each buys CPS Silver and keeps "My invoices" open, opening the PDF link as soon
        # as the invoice is listed with one
        bought(http_api, customer.token, f"buy-{index}")
        for _ in range(LINK_POLLS):
            listed = http_api.request("GET", "/invoices", headers=bearer(customer.token)).json()
            links = [i["pdf_url"] for i in listed["items"] if i.get("pdf_url")]
            if links:
                answer = download(links[0])
                if answer.status_code != 200 or not answer.content.startswith(b"%PDF-"):
                    failures.append(f"{answer.status_code}: {answer.content[:160]!r}")
                break
        else:
            pytest.fail(f"no invoice with a PDF link was listed within {LINK_POLLS} polls")
    # THEN every link handed out opens the PDF: an invoice whose PDF is not stored yet is
    # not listed yet, or is listed without a link
    assert not failures, failures
