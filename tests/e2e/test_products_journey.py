"""The journey goes on over real HTTP (SPEC §2, §3): "My Products", the points ledger, the
old-CPS export, "Migrate products" and the invitation to join CPS at 500 points."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import (
    bearer,
    mails_to,
    token_from_link,
    unique_email,
    wait_for_mail,
)
from tests.support.products_http import (
    catalog_points,
    complete_details,
    delete,
    import_legacy_export,
    legacy_csv,
    mails_with,
    me,
    my_products,
    new_customers,
    patch,
    points_of,
    register,
    registered,
    unique_serial,
    wait_for_mail_with,
)
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e

CAMERA = "EOS-R5-MARK-II-BODY"
LENS = "RF-24-70-F2.8L-IS-USM"
FLASH = "SPEEDLITE-EL-1"
INVITATION_POINTS = 500
NO_REPLY = "donotreply@"
# A phrase of each language's invitation subject ("You are invited to join CPS").
INVITED_IN = {
    "en": "invited to join",
    "nl": "uitgenodigd",
    "de": "Einladung",
    "da": "inviteret",
    "lv": "Aicinājums",
}
RESET_IN = {"da": "adgangskode", "lv": "paroli"}
LATVIAN_COMPANY = {
    "name": "Foto Studija Rīga SIA",
    "street": "Brīvības iela 21",
    "postcode": "LV-1010",
    "city": "Rīga",
    "country": "LV",
}
DANISH_COMPANY = {
    "name": "Lysværket ApS",
    "street": "Vesterbrogade 12",
    "postcode": "1620",
    "city": "København V",
    "country": "DK",
}


@pytest.fixture(scope="module")
def points_today(http_api: HttpApi, customer_token: str) -> dict[str, int]:
    """The catalogue's points today; the tests' arithmetic needs the camera and the lens to
    cross 500 together and neither alone."""
    points = catalog_points(http_api, customer_token)
    assert points[LENS] < INVITATION_POINTS and points[CAMERA] < INVITATION_POINTS, points
    assert points[LENS] + points[CAMERA] >= INVITATION_POINTS, points
    assert points[FLASH] > 0, points
    return points


def sender(mail: dict[str, Any]) -> str:
    return parseaddr(mail["from"])[1]


def test_an_incomplete_registration_earns_points_once_completed_and_gives_them_back_on_removal(
    http_api: HttpApi, e2e_runtime: RuntimeProcess, reviewer_token: str, points_today: dict
) -> None:
    # GIVEN two approved customers, and the camera's points today
    (_, owner), (_, other) = new_customers(e2e_runtime.api_url, reviewer_token, 2)
    camera_points = points_today[CAMERA]
    serial = unique_serial()

    # WHEN the owner registers the camera with its serial number and dealer only
    created = register(http_api, owner, CAMERA, serial_number=serial, dealer="Kamera Express")
    # THEN it is kept without the green tick, names what is missing, and earns nothing yet
    assert created.status_code == 201, created.text
    product = created.json()
    product_id = product["product_id"]
    assert product["sku"] == CAMERA and product["name"]
    assert product["complete"] is False
    assert product["missing"] == ["purchase_date", "country_of_purchase"]
    assert product["points"] == 0
    assert product["source"] == "REGISTERED"
    assert [p["product_id"] for p in my_products(http_api, owner)] == [product_id]
    before = points_of(http_api, owner)
    assert (before.balance, before.ledger) == (0, [])
    assert me(http_api, owner)["points"] == 0
    # AND the serial is taken already: nobody else can register that camera
    taken = register(http_api, other, CAMERA, serial_number=f" {serial.lower()} ")
    error_of(taken, 409, "SERIAL_ALREADY_REGISTERED")

    # WHEN the owner fills in a purchase date in the future
    future = patch(http_api, owner, product_id, purchase_date="2999-01-01")
    # THEN it is refused naming the field, and the product is unchanged
    assert "purchase_date" in error_of(future, 422)["fields"]
    unchanged = http_api.request("GET", f"/products/{product_id}", headers=bearer(owner))
    assert unchanged.status_code == 200 and unchanged.json() == product

    # WHEN the owner completes it ("View product" → fill in what is missing)
    completed = patch(
        http_api, owner, product_id, purchase_date="2024-10-01", country_of_purchase="nl"
    )
    # THEN it has the green tick and the product's points
    assert completed.status_code == 200, completed.text
    view = completed.json()
    assert view["complete"] is True and view["missing"] == []
    assert view["points"] == camera_points
    assert view["country_of_purchase"] == "NL" and view["purchase_date"] == "2024-10-01"
    assert view["serial_number"] == serial and view["dealer"] == "Kamera Express"
    # AND one ledger entry credits them, the balance equals the ledger and /me shows it
    points = points_of(http_api, owner)
    assert points.balance == points.ledger_sum == camera_points
    [entry] = points.ledger
    assert entry["delta"] == camera_points and entry["product_id"] == product_id
    assert entry["reason"] == "PRODUCT_REGISTERED" and entry["entry_id"] and entry["at"]
    assert me(http_api, owner)["points"] == camera_points
    # AND completing it again with the same details credits nothing more
    again = patch(http_api, owner, product_id, country_of_purchase="NL")
    assert again.status_code == 200 and again.json()["points"] == camera_points
    assert points_of(http_api, owner).ledger == points.ledger

    # WHEN the owner removes it
    removed = delete(http_api, owner, product_id)
    # THEN it is gone, and its points are taken back by a reversal entry in the ledger
    assert removed.status_code == 204, removed.text
    error_of(http_api.request("GET", f"/products/{product_id}", headers=bearer(owner)), 404)
    assert my_products(http_api, owner) == []
    after = points_of(http_api, owner)
    assert after.balance == after.ledger_sum == 0
    assert sorted((e["reason"], e["delta"]) for e in after.entries_for(product_id)) == [
        ("PRODUCT_REGISTERED", camera_points),
        ("PRODUCT_REMOVED", -camera_points),
    ]
    assert me(http_api, owner)["points"] == 0
    # AND removing it twice is a 404, not a second reversal
    error_of(delete(http_api, owner, product_id), 404)
    assert points_of(http_api, owner).ledger_sum == 0

    # WHEN the other account now registers that camera, complete
    taken_over = register(http_api, other, CAMERA, **complete_details(serial.lower()))
    # THEN the serial is free again: it is registered, with the tick and the points
    assert taken_over.status_code == 201, taken_over.text
    assert taken_over.json()["complete"] is True
    assert points_of(http_api, other).balance == camera_points


def test_reaching_500_points_mails_one_invitation_in_the_customers_language(
    http_api: HttpApi, reviewer_token: str, points_today: dict
) -> None:
    # GIVEN an approved Danish customer
    (applicant, token) = new_customers(
        http_api.base_url, reviewer_token, 1, language="da", company=DANISH_COMPANY
    )[0]
    lens, camera = points_today[LENS], points_today[CAMERA]

    # WHEN a lens brings them below 500 points
    registered(http_api, token, LENS, **complete_details(unique_serial()))
    # THEN there is no invitation
    assert (me(http_api, token)["points"], me(http_api, token)["invited"]) == (lens, False)

    # WHEN a camera takes them over 500
    camera_id = registered(http_api, token, CAMERA, **complete_details(unique_serial()))[
        "product_id"
    ]
    # THEN /me says invited
    account = me(http_api, token)
    assert (account["points"], account["invited"]) == (lens + camera, True)
    # AND one invitation arrives, in Danish, from the no-reply address, with the points
    [invitation] = wait_for_mail_with(http_api, applicant.email, INVITED_IN["da"])
    assert sender(invitation).startswith(NO_REPLY), invitation["from"]
    assert DANISH_COMPANY["name"] in invitation["text"]
    assert str(lens + camera) in invitation["text"]
    assert invitation["links"], invitation

    # WHEN the camera is removed (below 500) and registered again (over 500 once more)
    assert delete(http_api, token, camera_id).status_code == 204
    assert me(http_api, token)["points"] == lens
    registered(http_api, token, CAMERA, **complete_details(unique_serial()))
    assert me(http_api, token)["points"] == lens + camera
    # AND a later mail has been delivered (the mail queue is worked in order)
    reset = http_api.request("POST", "/auth/password-reset", json={"email": applicant.email})
    assert reset.status_code == 202
    wait_for_mail_with(http_api, applicant.email, RESET_IN["da"])
    # THEN the customer is still invited, and there was no second invitation
    assert me(http_api, token)["invited"] is True
    assert len(mails_with(http_api, applicant.email, INVITED_IN["da"])) == 1
    # AND every mail was written in Danish and sent from the no-reply address
    mails = mails_to(http_api, applicant.email)
    assert len(mails) == 3, [m["subject"] for m in mails]
    assert all(sender(mail).startswith(NO_REPLY) for mail in mails), [m["from"] for m in mails]


def test_an_old_cps_export_is_imported_and_its_products_migrated_once(
    http_api: HttpApi, reviewer_token: str, points_today: dict
) -> None:
    # GIVEN an old-CPS export: two complete products and an incomplete one of one old e-mail,
    # a product of another old customer, and four bad rows
    old_email, someone_else = unique_email("old"), unique_email("someone")
    camera_serial, lens_serial, flash_serial, others_serial = (unique_serial() for _ in range(4))
    export = legacy_csv(
        [
            (old_email.upper(), CAMERA, camera_serial, "2023-05-01", "DE", "Foto Koch"),  # 2
            (old_email, LENS, lens_serial.lower(), "2022-01-10", "LV", "Foto Riga SIA"),  # 3
            (old_email, FLASH, flash_serial, "", "", ""),  # 4
            (old_email, "NOT-A-CANON", unique_serial(), "2022-01-10", "LV", "Foto Riga"),  # 5
            ("not-an-email", LENS, unique_serial(), "2022-01-10", "LV", "Foto Riga"),  # 6
            (old_email, LENS, unique_serial(), "2999-01-01", "LV", "Foto Riga"),  # 7
            (old_email, CAMERA, unique_serial(), "2023-05-01"),  # 8: two columns short
            (someone_else, LENS, others_serial, "2021-06-01", "DK", "Foto Kbh"),  # 9
        ]
    )

    # WHEN the reviewer uploads it with a presigned POST (the upload starts the import)
    report = import_legacy_export(http_api, reviewer_token, export)
    # THEN the report counts the rows and lists each rejected row with its line and reason
    assert (report["rows"], report["imported"], report["rejected"]) == (8, 4, 4), report
    rejections = {r["line"]: r["reason"] for r in report["rejections"]}
    assert sorted(rejections) == [5, 6, 7, 8], report
    assert "sku" in rejections[5]
    assert "email" in rejections[6]
    assert "purchase_date" in rejections[7]
    assert "column" in rejections[8]

    # WHEN the same file is imported a second time
    again = import_legacy_export(http_api, reviewer_token, export)
    # THEN it reports the same, and (below) the old customer still has three products, not six
    assert again["import_id"] != report["import_id"]
    assert (again["rows"], again["imported"], again["rejected"]) == (8, 4, 4), again
    assert again["rejections"] == report["rejections"]

    # GIVEN a Latvian customer whose application named that old e-mail (in another case)
    applicant, token = new_customers(
        http_api.base_url,
        reviewer_token,
        1,
        language="lv",
        company=LATVIAN_COMPANY,
        legacy_cps_email=old_email.title(),
    )[0]
    # AND the owner of the old address has confirmed it with the link e-mailed there
    confirm_old_address(http_api, old_email)
    # WHEN they open "Migrate products"
    offer = http_api.request("GET", "/migration", headers=bearer(token))
    # THEN the action is offered with their three old products, and nobody else's
    assert offer.status_code == 200, offer.text
    status = offer.json()
    assert (status["available"], status["migrated"]) == (True, False)
    assert sorted(
        (p["sku"], p["serial_number"], p["complete"]) for p in status["legacy_products"]
    ) == sorted(
        [(CAMERA, camera_serial, True), (LENS, lens_serial, True), (FLASH, flash_serial, False)]
    )

    # WHEN they migrate
    migrated = http_api.request("POST", "/migration", headers=bearer(token))
    # THEN three products come over and the complete ones earn their points
    assert migrated.status_code == 200, migrated.text
    earned = points_today[CAMERA] + points_today[LENS]
    result = migrated.json()
    assert (result["migrated"], result["points_added"], result["skipped"]) == (3, earned, [])
    products = {p["sku"]: p for p in my_products(http_api, token)}
    assert sorted(products) == sorted([CAMERA, LENS, FLASH])
    assert {p["source"] for p in products.values()} == {"MIGRATED"}
    assert products[CAMERA]["complete"] and products[CAMERA]["points"] == points_today[CAMERA]
    assert products[CAMERA]["country_of_purchase"] == "DE"
    assert products[LENS]["complete"] and products[LENS]["points"] == points_today[LENS]
    # AND the incomplete one arrives without the tick and without points
    flash = products[FLASH]
    assert (flash["complete"], flash["points"]) == (False, 0)
    assert flash["missing"] == ["purchase_date", "country_of_purchase", "dealer"]
    # AND the ledger credits the two complete ones, and equals the balance
    points = points_of(http_api, token)
    assert points.balance == points.ledger_sum == earned
    assert sorted((e["reason"], e["product_id"]) for e in points.ledger) == sorted(
        [
            ("PRODUCT_MIGRATED", products[CAMERA]["product_id"]),
            ("PRODUCT_MIGRATED", products[LENS]["product_id"]),
        ]
    )
    # AND over 500 points the customer is invited: on /me, and by one mail in Latvian
    account = me(http_api, token)
    assert (account["points"], account["invited"]) == (earned, True)
    [invitation] = wait_for_mail_with(http_api, applicant.email, INVITED_IN["lv"])
    assert sender(invitation).startswith(NO_REPLY), invitation["from"]
    assert LATVIAN_COMPANY["name"] in invitation["text"]

    # WHEN they migrate a second time
    repeat = http_api.request("POST", "/migration", headers=bearer(token))
    # THEN nothing changes
    assert repeat.status_code == 200, repeat.text
    assert (repeat.json()["migrated"], repeat.json()["points_added"]) == (0, 0)
    assert len(my_products(http_api, token)) == 3
    assert points_of(http_api, token).ledger == points.ledger
    status = http_api.request("GET", "/migration", headers=bearer(token)).json()
    assert (status["available"], status["migrated"]) == (False, True)

    # WHEN they complete the migrated flash
    completed = patch(
        http_api,
        token,
        flash["product_id"],
        purchase_date="2021-02-01",
        country_of_purchase="LV",
        dealer="Foto Riga SIA",
    )
    # THEN it gets the tick and its points, and no second invitation is sent
    assert completed.status_code == 200, completed.text
    assert completed.json()["complete"] is True
    assert completed.json()["source"] == "MIGRATED"
    assert points_of(http_api, token).balance == earned + points_today[FLASH]
    reset = http_api.request("POST", "/auth/password-reset", json={"email": applicant.email})
    assert reset.status_code == 202
    wait_for_mail_with(http_api, applicant.email, RESET_IN["lv"])
    assert len(mails_with(http_api, applicant.email, INVITED_IN["lv"])) == 1


def test_without_an_old_e_mail_migration_is_not_offered(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a customer who named no old CPS e-mail
    (applicant, token) = new_customers(http_api.base_url, reviewer_token, 1)[0]
    # WHEN they look at "Migrate products"
    status = http_api.request("GET", "/migration", headers=bearer(token))
    # THEN it is not offered
    assert status.status_code == 200, status.text
    assert status.json() == {
        "available": False,
        "confirmation": "NONE",
        "migrated": False,
        "legacy_products": [],
    }
    # AND migrating anyway is a conflict in the error shape that changes nothing
    error_of(http_api.request("POST", "/migration", headers=bearer(token)), 409)
    assert my_products(http_api, token) == []
    assert points_of(http_api, token).balance == 0
    # AND only the approval mail was sent
    assert len(wait_for_mail(http_api, applicant.email)) == 1


def confirm_old_address(api: HttpApi, old_email: str) -> None:
    """The owner of the old CPS address opens the one-time link e-mailed to it at approval."""
    [mail] = wait_for_mail(api, old_email)
    link = next(link for link in mail["links"] if "/migration/confirm?" in link)
    confirmed = api.request("POST", "/migration/confirm", json={"token": token_from_link(link)})
    assert confirmed.status_code == 200, confirmed.text


def test_bad_product_details_are_refused_naming_the_field(
    http_api: HttpApi, customer_token: str
) -> None:
    # GIVEN a customer; WHEN they register products with details that break a rule (422) or
    # are not the right shape (400)
    cases = [
        ({"sku": "NOT-A-CANON"}, 422, "sku"),
        ({"sku": CAMERA, "purchase_date": "2999-01-01"}, 422, "purchase_date"),
        ({"sku": CAMERA, "purchase_date": "2024-02-30"}, 422, "purchase_date"),
        ({"sku": CAMERA, "country_of_purchase": "XX"}, 422, "country_of_purchase"),
        ({"sku": CAMERA, "country_of_purchase": "Netherlands"}, 422, "country_of_purchase"),
        ({"sku": 12}, 400, "sku"),
        ({}, 400, "sku"),
    ]
    for body, status, field in cases:
        response = http_api.request("POST", "/products", json=body, headers=bearer(customer_token))
        # THEN each is refused in the error shape, naming the field to correct
        assert field in error_of(response, status)["fields"], body


def test_the_catalogue_is_searchable_by_name_and_category_and_paginated(
    http_api: HttpApi, customer_token: str
) -> None:
    auth = bearer(customer_token)
    # WHEN a customer searches the catalogue by part of a model name
    found = http_api.request("GET", "/catalog?q=r5%20mark%20ii", headers=auth).json()
    # THEN that model is found with its points
    assert [item["sku"] for item in found["items"]] == [CAMERA]
    assert found["items"][0]["points"] == catalog_points(http_api, customer_token)[CAMERA]
    # WHEN they list one category a page at a time
    lenses = http_api.request("GET", "/catalog?category=LENS&limit=5", headers=auth).json()
    # THEN a page holds that category only, with a cursor to the next
    assert len(lenses["items"]) == 5 and lenses["next_cursor"]
    assert {item["category"] for item in lenses["items"]} == {"LENS"}
    following = http_api.request(
        "GET", f"/catalog?category=LENS&limit=5&cursor={lenses['next_cursor']}", headers=auth
    ).json()
    assert not {i["sku"] for i in following["items"]} & {i["sku"] for i in lenses["items"]}


def test_migration_skips_a_serial_another_account_holds(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN an old export with a camera whose serial another account has registered since
    old_email = unique_email("old")
    serial = unique_serial()
    import_legacy_export(
        http_api,
        reviewer_token,
        legacy_csv([(old_email, CAMERA, serial, "2023-05-01", "DE", "Foto Koch")]),
    )
    [(_, holder), (_, token)] = new_customers(http_api.base_url, reviewer_token, 1) + (
        new_customers(http_api.base_url, reviewer_token, 1, legacy_cps_email=old_email)
    )
    assert register(http_api, holder, CAMERA, serial_number=serial).status_code == 201
    # AND the new account's owner confirmed the old address
    confirm_old_address(http_api, old_email)
    # WHEN they migrate
    result = http_api.request("POST", "/migration", headers=bearer(token))
    # THEN the camera is skipped with its reason, and the holder keeps it
    assert result.status_code == 200, result.text
    assert result.json()["migrated"] == 0
    assert [s["reason"] for s in result.json()["skipped"]] == ["SERIAL_ALREADY_REGISTERED"]
    assert [p["serial_number"] for p in my_products(http_api, holder)] == [serial]
