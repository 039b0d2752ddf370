"""Attacks on the old CPS products, over real HTTP on the local runtime (issue 8, items 1 and 9).

Item 1: typing another company's old CPS e-mail address must not hand over its products; only
the owner of that address, through the one-time link e-mailed there at approval, can allow it.
Item 9: one broken line of an old-CPS export rejects that row alone; a file that is no export
at all ends its import as FAILED with the reason, never IMPORTING for ever.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import (
    PDF,
    apply,
    bearer,
    decide,
    eventually,
    mails_to,
    token_from_link,
    unique_email,
    upload,
    wait_for_mail,
)
from tests.support.products_http import (
    LEGACY_HEADER,
    import_legacy_export,
    legacy_csv,
    my_products,
    new_customers,
    start_legacy_import,
    unique_serial,
)

pytestmark = pytest.mark.e2e

CAMERA = "EOS-R5-MARK-II-BODY"
LENS = "RF-24-70-F2.8L-IS-USM"
CONFIRM_PATH = "/migration/confirm?"


# --- helpers ---------------------------------------------------------------------------------


def migration(api: HttpApi, token: str) -> dict[str, Any]:
    response = api.request("GET", "/migration", headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


def confirmation_links(api: HttpApi, old_email: str, count: int = 1) -> list[str]:
    """The confirmation links mailed to the old address so far (waits for `count` of them)."""

    def links() -> list[str] | None:
        found = [
            link
            for mail in mails_to(api, old_email)
            for link in mail["links"]
            if CONFIRM_PATH in link
        ]
        return found if len(found) >= count else None

    return eventually(links)


def confirm(api: HttpApi, link_or_token: str) -> requests.Response:
    token = token_from_link(link_or_token) if "token=" in link_or_token else link_or_token
    return api.request("POST", "/migration/confirm", json={"token": token})


def claimant(api: HttpApi, reviewer_token: str, old_email: str) -> tuple[str, str]:
    """An approved customer whose application named `old_email`: (contact e-mail, ID token)."""
    [(applicant, token)] = new_customers(
        api.base_url, reviewer_token, 1, legacy_cps_email=old_email
    )
    return applicant.email, token


@pytest.fixture(scope="module")
def old_products(http_api: HttpApi, reviewer_token: str) -> dict[str, list[str]]:
    """Two old CPS customers' products, imported from one export: {old e-mail: serials}."""
    owned = {unique_email("victim"): [unique_serial(), unique_serial()] for _ in range(2)}
    rows = [
        (email, sku, serial, "2023-05-01", "DE", "Foto Koch")
        for email, serials in owned.items()
        for sku, serial in zip((CAMERA, LENS), serials, strict=True)
    ]
    report = import_legacy_export(http_api, reviewer_token, legacy_csv(rows))
    assert report["imported"] == 4, report
    return owned


# --- item 1: taking over another company's old products ----------------------------------------


def test_typing_someone_elses_old_address_shows_and_migrates_nothing(
    http_api: HttpApi, reviewer_token: str, old_products: dict[str, list[str]]
) -> None:
    # GIVEN an old CPS customer's products, and an applicant who typed that customer's old
    # e-mail address into their own application and was approved
    victim = next(iter(old_products))
    attacker_email, token = claimant(http_api, reviewer_token, victim)

    # WHEN the applicant looks at "Migrate products" and migrates anyway
    status = migration(http_api, token)
    migrated = http_api.request("POST", "/migration", headers=bearer(token))

    # THEN the claim waits for the old address's confirmation, lists none of its products,
    # and migrating is refused: no product, serial or point changes hands
    assert status == {
        "available": False,
        "confirmation": "PENDING",
        "migrated": False,
        "legacy_products": [],
    }
    error_of(migrated, 409)
    assert my_products(http_api, token) == []
    # AND the one-time link went to the old address, never to the applicant
    assert len(confirmation_links(http_api, victim)) == 1
    assert not any(
        CONFIRM_PATH in link for m in mails_to(http_api, attacker_email) for link in m["links"]
    )


def test_once_the_old_address_confirms_its_products_can_be_migrated(
    http_api: HttpApi, reviewer_token: str, old_products: dict[str, list[str]]
) -> None:
    # GIVEN a customer who named their own old address, and the link mailed to that address
    old_email = list(old_products)[1]
    _, token = claimant(http_api, reviewer_token, old_email)
    [link] = confirmation_links(http_api, old_email)

    # WHEN the owner of the old address opens the link (no login: it is a public route)
    confirmed = confirm(http_api, link)

    # THEN the address is confirmed, its products are listed and can be migrated
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json() == {"confirmation": "CONFIRMED"}
    status = migration(http_api, token)
    assert (status["confirmation"], status["available"]) == ("CONFIRMED", True)
    assert sorted(p["serial_number"] for p in status["legacy_products"]) == sorted(
        old_products[old_email]
    )
    migrated = http_api.request("POST", "/migration", headers=bearer(token))
    assert migrated.status_code == 200, migrated.text
    assert migrated.json()["migrated"] == 2


def test_a_confirmation_link_works_only_once(http_api: HttpApi, reviewer_token: str) -> None:
    # GIVEN a confirmation link that has been used
    old_email = unique_email("old")
    claimant(http_api, reviewer_token, old_email)
    [link] = confirmation_links(http_api, old_email)
    assert confirm(http_api, link).status_code == 200

    # WHEN it is used a second time
    again = confirm(http_api, link)

    # THEN it is refused as an invalid token
    error_of(again, 422, "INVALID_TOKEN")


def test_a_resent_link_voids_the_earlier_one(http_api: HttpApi, reviewer_token: str) -> None:
    # GIVEN a claim still waiting for its old address, and the link mailed at approval
    old_email = unique_email("old")
    _, token = claimant(http_api, reviewer_token, old_email)
    [first] = confirmation_links(http_api, old_email)

    # WHEN the customer has the confirmation sent again
    resent = http_api.request("POST", "/migration/confirmation", headers=bearer(token))

    # THEN a new link goes to the old address and the first one no longer confirms
    assert resent.status_code == 202, resent.text
    links = confirmation_links(http_api, old_email, count=2)
    assert len(links) == 2 and links[1] != first
    error_of(confirm(http_api, first), 422, "INVALID_TOKEN")
    assert migration(http_api, token)["confirmation"] == "PENDING"
    # AND the new one does, after which there is nothing left to resend
    assert confirm(http_api, links[1]).status_code == 200
    assert migration(http_api, token)["confirmation"] == "CONFIRMED"
    error_of(http_api.request("POST", "/migration/confirmation", headers=bearer(token)), 409)


def test_asking_again_and_again_floods_the_old_address_with_nothing(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a claim on someone's old address, still waiting for its confirmation
    old_email = unique_email("victim")
    _, token = claimant(http_api, reviewer_token, old_email)
    confirmation_links(http_api, old_email)

    # WHEN the customer asks for the confirmation mail five times in a row
    answers = [
        http_api.request("POST", "/migration/confirmation", headers=bearer(token)).status_code
        for _ in range(5)
    ]

    # THEN every answer is the same, but one mail only goes out (at most one per 15 minutes):
    # its link is the one that still confirms, and the old address holds two mails in all
    assert answers == [202] * 5
    links = confirmation_links(http_api, old_email, count=2)
    assert confirm(http_api, links[1]).status_code == 200
    assert len(mails_to(http_api, old_email)) == 2


def test_without_an_old_address_there_is_nothing_to_confirm(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a customer who named no old CPS address
    [(_, token)] = new_customers(http_api.base_url, reviewer_token, 1)
    # WHEN they ask for a confirmation mail THEN it is a conflict, and the status says NONE
    error_of(http_api.request("POST", "/migration/confirmation", headers=bearer(token)), 409)
    assert migration(http_api, token)["confirmation"] == "NONE"


def test_the_applicants_own_password_link_cannot_confirm_the_claim(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN an approved applicant who named someone's old address, holding the set-password
    # link of their own approval mail
    old_email = unique_email("victim")
    applicant = apply(http_api, legacy_cps_email=old_email)
    assert upload(applicant.upload, PDF) in (200, 201, 204)
    applicant.wait_for(http_api, "PENDING_REVIEW")
    assert decide(http_api, reviewer_token, applicant.application_id, "APPROVE").status_code == 200
    [mail] = wait_for_mail(http_api, applicant.email)
    own_link = next(link for link in mail["links"] if "token=" in link)

    # WHEN they post their own link's token as a confirmation
    forged = confirm(http_api, own_link)

    # THEN it is refused: only a link mailed to the old address confirms
    error_of(forged, 422, "INVALID_TOKEN")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"token": "not-a-token-we-ever-issued"}, 422),
        ({}, 400),
        ({"token": 12345}, 400),
        ({"token": ""}, 400),
        ({"token": "x" * 5000}, 400),
    ],
)
def test_an_unknown_or_malformed_token_is_refused(
    http_api: HttpApi, body: dict[str, Any], status: int
) -> None:
    # GIVEN a token that was never issued, or no token at all
    # WHEN it is posted to the public route THEN it is refused in the error shape
    error_of(http_api.request("POST", "/migration/confirm", json=body), status)


def test_an_expired_confirmation_link_is_refused(
    isolated_api: HttpApi, isolated_reviewer_token: str
) -> None:
    # GIVEN a confirmation link mailed at approval (it lives 7 days)
    old_email = unique_email("old")
    claimant(isolated_api, isolated_reviewer_token, old_email)
    [link] = confirmation_links(isolated_api, old_email)

    # WHEN 8 days pass and it is opened
    moved = isolated_api.request("POST", "/dev/clock", json={"advance_days": 8})
    assert moved.status_code == 200, moved.text
    late = confirm(isolated_api, link)

    # THEN it is refused as an invalid token
    error_of(late, 422, "INVALID_TOKEN")


# --- item 9: one bad line must not fail the whole import ----------------------------------------


def upload_export(api: HttpApi, reviewer_token: str, data: bytes) -> str:
    """Uploads raw bytes as the export with the presigned form; returns the import id."""
    created = start_legacy_import(api, reviewer_token)
    upload_form = created["upload"]
    response = requests.post(
        upload_form["url"],
        data={**upload_form["fields"], "Content-Type": "text/csv"},
        files={"file": ("old-cps-export.csv", data, "text/csv")},
        timeout=30,
    )
    assert response.status_code in (200, 201, 204), response.text
    return created["import_id"]


def finished_report(api: HttpApi, reviewer_token: str, import_id: str) -> dict[str, Any]:
    """Polls the report until the import has finished, one way or the other."""

    def finished() -> dict[str, Any] | None:
        response = api.request(
            "GET", f"/ops/legacy-imports/{import_id}", headers=bearer(reviewer_token)
        )
        assert response.status_code == 200, response.text
        report = response.json()
        return report if report["status"] in ("COMPLETED", "FAILED") else None

    return eventually(finished, interval=0.3)


def row(email: str, sku: str, serial: str, dealer: str = "Foto Koch") -> bytes:
    return f"{email},{sku},{serial},2023-05-01,DE,{dealer}\n".encode()


def test_a_byte_that_is_not_utf8_rejects_only_its_row(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN an export whose second row has a dealer written in Latin-1 ("Café" as 0xE9)
    old_email = unique_email("old")
    data = (
        f"{LEGACY_HEADER}\n".encode()
        + row(old_email, CAMERA, unique_serial())
        + f"{old_email},{LENS},{unique_serial()},2023-05-01,DE,Caf".encode()
        + b"\xe9 Foto\n"
        + row(old_email, LENS, unique_serial())
    )

    # WHEN it is uploaded
    report = finished_report(
        http_api, reviewer_token, upload_export(http_api, reviewer_token, data)
    )

    # THEN the import completes: line 3 is rejected with the reason, the other two are imported
    assert report["status"] == "COMPLETED", report
    assert (report["rows"], report["imported"], report["rejected"]) == (3, 2, 1), report
    [rejection] = report["rejections"]
    assert rejection["line"] == 3 and "UTF-8" in rejection["reason"]


def test_an_unterminated_quote_rejects_only_its_row(http_api: HttpApi, reviewer_token: str) -> None:
    # GIVEN an export whose first row opens a quote it never closes, and two good rows after it
    old_email = unique_email("old")
    data = (
        f"{LEGACY_HEADER}\n".encode()
        + row(old_email, CAMERA, unique_serial(), '"Foto Hoet, Brugge')
        + row(old_email, LENS, unique_serial())
        + row(old_email, CAMERA, unique_serial())
    )

    # WHEN it is uploaded
    report = finished_report(
        http_api, reviewer_token, upload_export(http_api, reviewer_token, data)
    )

    # THEN line 2 is rejected for its quote and the rows after it are still imported
    assert report["status"] == "COMPLETED", report
    assert (report["rows"], report["imported"], report["rejected"]) == (3, 2, 1), report
    [rejection] = report["rejections"]
    assert rejection["line"] == 2 and "quote" in rejection["reason"]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40, "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00\xff" * 3000, "binary"),
        (b"name;address;city\nStudio Lumen;Keizersgracht 1;Amsterdam\n", "header"),
    ],
    ids=["png", "xlsx", "no-header"],
)
def test_a_file_that_is_no_export_fails_with_its_reason(
    http_api: HttpApi, reviewer_token: str, data: bytes, why: str
) -> None:
    # GIVEN a picture, a spreadsheet or a CSV file of something else
    # WHEN it is uploaded as the export
    report = finished_report(
        http_api, reviewer_token, upload_export(http_api, reviewer_token, data)
    )
    # THEN the import ends as FAILED, saying why, with nothing imported
    assert report["status"] == "FAILED", report
    assert why in report["failure_reason"], report
    assert (report["rows"], report["imported"]) == (0, 0), report
