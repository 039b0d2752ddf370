"""Products, points, legacy import and migration over the API on the real stack (SPEC §2)."""

from __future__ import annotations

import requests

from tests.support.journey import (
    apply,
    approve_to_login,
    bearer,
    eventually,
    token_from_link,
    unique_email,
    wait_for_mail,
)

COMPLETE = {
    "serial_number": "cam 0001",
    "purchase_date": "2024-03-01",
    "country_of_purchase": "nl",
    "dealer": "Kamera Express",
}


def _serial() -> str:
    import uuid

    return uuid.uuid4().hex[:10].upper()


def test_register_complete_and_remove_products(api, reviewer_token):
    # GIVEN an approved, logged-in customer
    _, token = approve_to_login(api, reviewer_token)
    auth = bearer(token)
    # WHEN a product is registered without details
    serial = _serial()
    created = api.request("POST", "/products", json={"sku": "EOS-R5-MARK-II-BODY"}, headers=auth)
    assert created.status_code == 201, created.json()
    product = created.json()
    # THEN it is kept without the green tick and without points
    assert product["complete"] is False and product["points"] == 0
    assert product["missing"] == ["serial_number", "purchase_date", "country_of_purchase", "dealer"]
    assert product["source"] == "REGISTERED"
    # WHEN the details are completed
    patched = api.request(
        "PATCH",
        f"/products/{product['product_id']}",
        json={**COMPLETE, "serial_number": serial},
        headers=auth,
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["complete"] is True and patched.json()["points"] == 350
    # THEN the points are on the account, in the ledger and on /me
    points = api.request("GET", "/points", headers=auth).json()
    assert points["balance"] == 350 == sum(e["delta"] for e in points["ledger"])
    assert api.request("GET", "/me", headers=auth).json()["points"] == 350
    # WHEN the product is removed THEN its points are taken back
    assert (
        api.request("DELETE", f"/products/{product['product_id']}", headers=auth).status_code == 204
    )
    points = api.request("GET", "/points", headers=auth).json()
    assert points["balance"] == 0 == sum(e["delta"] for e in points["ledger"])
    assert [e["reason"] for e in points["ledger"]] == ["PRODUCT_REMOVED", "PRODUCT_REGISTERED"]
    listed = api.request("GET", "/products", headers=auth).json()
    assert product["product_id"] not in [p["product_id"] for p in listed["items"]]


def test_a_serial_registered_anywhere_is_a_409(api, reviewer_token):
    _, first = approve_to_login(api, reviewer_token)
    _, second = approve_to_login(api, reviewer_token)
    serial = _serial()
    body = {"sku": "EOS-R1-BODY", "serial_number": serial}
    assert api.request("POST", "/products", json=body, headers=bearer(first)).status_code == 201
    again = api.request(
        "POST",
        "/products",
        json={**body, "serial_number": f" {serial.lower()} "},
        headers=bearer(second),
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "SERIAL_ALREADY_REGISTERED"


def test_another_accounts_product_is_404(api, reviewer_token):
    _, owner = approve_to_login(api, reviewer_token)
    _, intruder = approve_to_login(api, reviewer_token)
    product = api.request(
        "POST", "/products", json={"sku": "EOS-R1-BODY"}, headers=bearer(owner)
    ).json()
    path = f"/products/{product['product_id']}"
    assert api.request("GET", path, headers=bearer(intruder)).status_code == 404
    assert (
        api.request("PATCH", path, json={"dealer": "x"}, headers=bearer(intruder)).status_code
        == 404
    )
    assert api.request("DELETE", path, headers=bearer(intruder)).status_code == 404
    assert api.request("GET", path, headers=bearer(owner)).status_code == 200


def test_bad_product_input_is_refused_with_the_field(api, reviewer_token):
    _, token = approve_to_login(api, reviewer_token)
    cases = [
        ({"sku": "NOT-A-CANON"}, 422, "sku"),
        ({"sku": "EOS-R1-BODY", "purchase_date": "2999-01-01"}, 422, "purchase_date"),
        ({"sku": "EOS-R1-BODY", "purchase_date": "2024-02-30"}, 422, "purchase_date"),
        ({"sku": "EOS-R1-BODY", "country_of_purchase": "XX"}, 422, "country_of_purchase"),
        ({"sku": 12}, 400, "sku"),
        ({}, 400, "sku"),
    ]
    for body, status, field in cases:
        response = api.request("POST", "/products", json=body, headers=bearer(token))
        assert response.status_code == status, (body, response.json())
        assert field in response.json()["error"]["fields"], body


def test_the_catalogue_is_searchable_and_paginated(api, reviewer_token):
    _, token = approve_to_login(api, reviewer_token)
    found = api.request("GET", "/catalog?q=r5%20mark%20ii", headers=bearer(token)).json()
    assert [i["sku"] for i in found["items"]] == ["EOS-R5-MARK-II-BODY"]
    assert found["items"][0]["points"] == 350
    lenses = api.request("GET", "/catalog?category=LENS&limit=5", headers=bearer(token)).json()
    assert len(lenses["items"]) == 5 and lenses["next_cursor"]
    assert all(i["category"] == "LENS" for i in lenses["items"])
    everything = api.request("GET", "/catalog?limit=100", headers=bearer(token)).json()
    assert len(everything["items"]) >= 60


def _import(api, reviewer_token: str, csv_text: str) -> dict:
    created = api.request("POST", "/ops/legacy-imports", headers=bearer(reviewer_token))
    assert created.status_code == 201, created.json()
    upload = created.json()["upload"]
    response = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": ("export.csv", csv_text.encode(), "text/csv")},
        timeout=30,
    )
    assert response.status_code in (200, 201, 204)
    import_id = created.json()["import_id"]

    def done():
        report = api.request(
            "GET", f"/ops/legacy-imports/{import_id}", headers=bearer(reviewer_token)
        ).json()
        return report if report["status"] == "COMPLETED" else None

    return eventually(done, timeout=60)


def _confirm_old_address(api, old_email: str) -> None:
    """The owner of the old CPS address opens the one-time link e-mailed to it at approval."""
    [mail] = wait_for_mail(api, old_email)
    link = next(link for link in mail["links"] if "/migration/confirm?" in link)
    confirmed = api.request("POST", "/migration/confirm", json={"token": token_from_link(link)})
    assert confirmed.status_code == 200, confirmed.json()


def test_legacy_import_then_migration_reaches_the_invitation(api, reviewer_token):
    # GIVEN an old-CPS export with two complete products, one incomplete and two bad rows
    old_email = unique_email("old")
    s1, s2, s3 = _serial(), _serial(), _serial()
    csv_text = (
        "email,sku,serial_number,purchase_date,country_of_purchase,dealer\n"
        f"{old_email.upper()},EOS-R5-MARK-II-BODY,{s1},2023-05-01,DE,Foto Koch\n"
        f"{old_email},RF-24-70-F2.8L-IS-USM,{s2},2022-01-10,NL,Kamera Express\n"
        f"{old_email},SPEEDLITE-EL-1,{s3},,,\n"
        f"{old_email},NOT-A-PRODUCT,X1,2022-01-10,NL,Kamera Express\n"
        f"not-an-email,EOS-R1-BODY,X2,2022-01-10,NL,Kamera Express\n"
    )
    report = _import(api, reviewer_token, csv_text)
    # THEN the valid rows are kept and each rejected row is reported with its reason
    assert (report["rows"], report["imported"], report["rejected"]) == (5, 3, 2)
    assert [r["line"] for r in report["rejections"]] == [5, 6]
    assert "sku" in report["rejections"][0]["reason"]
    # AND importing the same file again changes nothing
    again = _import(api, reviewer_token, csv_text)
    assert again["imported"] == 3

    # GIVEN a customer who named that old e-mail when applying
    _, token = approve_to_login(api, reviewer_token, legacy_cps_email=old_email)
    auth = bearer(token)
    # AND the owner of the old address confirmed it with the link e-mailed there
    _confirm_old_address(api, old_email)
    status = api.request("GET", "/migration", headers=auth).json()
    assert status["available"] is True and status["migrated"] is False
    assert len(status["legacy_products"]) == 3
    # WHEN the products are migrated
    result = api.request("POST", "/migration", headers=auth).json()
    # THEN complete rows earn points, the incomplete one arrives without the tick
    assert result["migrated"] == 3 and result["points_added"] == 550
    listed = api.request("GET", "/products", headers=auth).json()["items"]
    assert sorted((p["sku"], p["complete"], p["source"]) for p in listed) == [
        ("EOS-R5-MARK-II-BODY", True, "MIGRATED"),
        ("RF-24-70-F2.8L-IS-USM", True, "MIGRATED"),
        ("SPEEDLITE-EL-1", False, "MIGRATED"),
    ]
    # AND 550 points bring the invitation, on /me and by e-mail
    me = api.request("GET", "/me", headers=auth).json()
    assert me["points"] == 550 and me["invited"] is True
    mails = wait_for_mail(api, me["contact"]["email"], count=2)
    assert any("CPS" in m["subject"] and "550" in m["text"] for m in mails)
    # AND a second migration changes nothing
    repeat = api.request("POST", "/migration", headers=auth).json()
    assert repeat["migrated"] == 0 and repeat["points_added"] == 0
    assert api.request("GET", "/me", headers=auth).json()["points"] == 550
    assert api.request("GET", "/migration", headers=auth).json()["available"] is False


def test_no_old_email_means_no_migration(api, reviewer_token):
    _, token = approve_to_login(api, reviewer_token)
    status = api.request("GET", "/migration", headers=bearer(token)).json()
    assert status == {
        "available": False,
        "confirmation": "NONE",
        "migrated": False,
        "legacy_products": [],
    }
    assert api.request("POST", "/migration", headers=bearer(token)).status_code == 409


def test_migration_skips_a_serial_held_by_another_account(api, reviewer_token):
    old_email = unique_email("old")
    serial = _serial()
    _import(
        api,
        reviewer_token,
        "email,sku,serial_number,purchase_date,country_of_purchase,dealer\n"
        f"{old_email},EOS-R1-BODY,{serial},2023-05-01,DE,Foto Koch\n",
    )
    _, holder = approve_to_login(api, reviewer_token)
    api.request(
        "POST",
        "/products",
        json={"sku": "EOS-R1-BODY", "serial_number": serial},
        headers=bearer(holder),
    )
    _, token = approve_to_login(api, reviewer_token, legacy_cps_email=old_email)
    _confirm_old_address(api, old_email)
    result = api.request("POST", "/migration", headers=bearer(token)).json()
    assert result["migrated"] == 0
    assert result["skipped"][0]["reason"] == "SERIAL_ALREADY_REGISTERED"


def test_customer_routes_need_a_customer(api, reviewer_token):
    assert api.request("POST", "/ops/legacy-imports").status_code == 401
    _, token = approve_to_login(api, reviewer_token)
    assert api.request("POST", "/ops/legacy-imports", headers=bearer(token)).status_code == 403
    apply(api)  # nothing else to assert: an applicant has no token at all
