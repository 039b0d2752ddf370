"""Issue 11 over real HTTP: a purchase's invoice is an EN 16931 e-invoice. Its owner reads the
stored CII and UBL at GET /invoices/{invoice_number}/e-invoice?format=cii|ubl; the CII is the
one the PDF (Factur-X, PDF/A-3) embeds; another customer gets a 404, a bad format a 400."""

from __future__ import annotations

import io

import pikepdf
import pytest
import requests

from chalicelib.adapters.einvoice_validation import Syntax, check
from tests.support.http_api import HttpApi, error_of
from tests.support.journey import bearer
from tests.support.membership_http import (
    BANK_TRANSFER,
    application_for,
    bought,
    customer_with_points,
    download,
    german_vat_number,
    the_invoice,
)
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e

SILVER_POINTS = 500


def e_invoice(api: HttpApi, token: str, number: str, fmt: str | None) -> requests.Response:
    params = {"format": fmt} if fmt is not None else None
    return api.request("GET", f"/invoices/{number}/e-invoice", headers=bearer(token), params=params)


def test_the_owner_reads_the_stored_e_invoice_and_nobody_else_does(
    e2e_runtime: RuntimeProcess, http_api: HttpApi, reviewer_token: str, customer_token: str
) -> None:
    # GIVEN a German company with a VAT number that bought CPS Silver by bank transfer
    customer = customer_with_points(
        e2e_runtime.api_url,
        reviewer_token,
        SILVER_POINTS,
        **application_for("DE", vat_number=german_vat_number()),
    )
    bought(http_api, customer.token, "e-invoice", payment=BANK_TRANSFER)
    issued = the_invoice(http_api, customer.token, customer.email)
    number = issued["invoice_number"]

    # WHEN the owner asks for the CII and the UBL forms
    cii = e_invoice(http_api, customer.token, number, "cii")
    ubl = e_invoice(http_api, customer.token, number, "ubl")
    # THEN each is the XML document, valid against its schema and the EN 16931 rules
    for answer in (cii, ubl):
        assert answer.status_code == 200, answer.text
        assert answer.headers["Content-Type"].startswith("application/xml")
    assert check(cii.content, Syntax.CII) == []
    assert check(ubl.content, Syntax.UBL_INVOICE) == []
    # AND they are this invoice: its number, reverse charged (AE), paid by SEPA transfer (58)
    assert f"<ram:ID>{number}</ram:ID>".encode() in cii.content
    assert b"<ram:CategoryCode>AE</ram:CategoryCode>" in cii.content
    assert b"<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>" in ubl.content
    # AND the CII is the one the Factur-X PDF embeds, byte for byte
    pdf = download(issued["pdf_url"])
    with pikepdf.open(io.BytesIO(pdf.content)) as document:
        embedded = document.attachments["factur-x.xml"].get_file().read_bytes()
    assert embedded == cii.content

    # WHEN another customer asks for it THEN it does not exist for them
    error_of(e_invoice(http_api, customer_token, number, "cii"), 404)
    # AND an invoice that does not exist is a 404 too
    error_of(e_invoice(http_api, customer.token, "2000-999999", "cii"), 404)
    # WHEN the format is missing or unknown THEN it is a malformed request
    for fmt in (None, "pdf", "CII"):
        refused = error_of(e_invoice(http_api, customer.token, number, fmt), 400)
        assert "format" in refused["fields"], refused
