"""Races over real HTTP against the threaded local API: one physical product for one account
only, and a balance that always equals its ledger (SPEC §2)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.products_http import (
    catalog_points,
    complete_details,
    my_products,
    new_customers,
    points_of,
    registered,
    side_by_side,
    unique_serial,
)
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e

CAMERA = "EOS-R6-MARK-II-BODY"
LENS = "RF-70-200-F4L-IS-USM"
RACERS = 8
COMPLETIONS = 6


def sessions(base_url: str, count: int) -> list[HttpApi]:
    """One HTTP session per thread: a requests.Session is not shared between threads."""
    return [HttpApi(base_url) for _ in range(count)]


def close(apis: list[HttpApi]) -> None:
    for api in apis:
        api.close()


def test_one_serial_raced_by_eight_accounts_is_registered_exactly_once(
    http_api: HttpApi, e2e_runtime: RuntimeProcess, reviewer_token: str
) -> None:
    # GIVEN eight approved customers who all claim the same camera
    customers = new_customers(e2e_runtime.api_url, reviewer_token, RACERS)
    tokens = [token for _, token in customers]
    camera_points = catalog_points(http_api, tokens[0])[CAMERA]
    body = {"sku": CAMERA, **complete_details(unique_serial())}
    apis = sessions(e2e_runtime.api_url, RACERS)
    try:
        # WHEN all eight register it at the same moment
        answers = side_by_side(
            [
                lambda api=api, token=token: api.request(
                    "POST", "/products", json=body, headers={"Authorization": f"Bearer {token}"}
                )
                for api, token in zip(apis, tokens, strict=True)
            ]
        )
    finally:
        close(apis)

    # THEN exactly one gets 201 and the seven others a 409 in the error shape
    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {201: 1, 409: RACERS - 1}, [(a.status_code, a.text[:200]) for a in answers]
    for answer in answers:
        if answer.status_code == 409:
            error_of(answer, 409, "SERIAL_ALREADY_REGISTERED")
    winner = next(i for i, answer in enumerate(answers) if answer.status_code == 201)
    # AND only the winner holds the camera and its points; the others hold nothing
    for index, token in enumerate(tokens):
        products, points = my_products(http_api, token), points_of(http_api, token)
        assert points.balance == points.ledger_sum
        if index == winner:
            assert [p["product_id"] for p in products] == [answers[winner].json()["product_id"]]
            assert points.balance == camera_points
        else:
            assert products == [] and points.ledger == [] and points.balance == 0


def test_six_completions_at_once_credit_each_product_once(
    http_api: HttpApi, e2e_runtime: RuntimeProcess, reviewer_token: str
) -> None:
    # GIVEN a customer with six lenses registered without their purchase details
    (_, token) = new_customers(e2e_runtime.api_url, reviewer_token, 1)[0]
    lens_points = catalog_points(http_api, token)[LENS]
    product_ids = [
        registered(http_api, token, LENS, serial_number=unique_serial())["product_id"]
        for _ in range(COMPLETIONS)
    ]
    assert points_of(http_api, token).balance == 0
    details = complete_details("unused")
    del details["serial_number"]
    apis = sessions(e2e_runtime.api_url, COMPLETIONS)
    try:
        # WHEN the six are completed at the same moment (six browser tabs)
        answers = side_by_side(
            [
                lambda api=api, product_id=product_id: api.request(
                    "PATCH",
                    f"/products/{product_id}",
                    json=details,
                    headers={"Authorization": f"Bearer {token}"},
                )
                for api, product_id in zip(apis, product_ids, strict=True)
            ]
        )
    finally:
        close(apis)

    # THEN each is completed, with the tick and its points
    assert [a.status_code for a in answers] == [200] * COMPLETIONS, [a.text for a in answers]
    assert all(a.json()["complete"] and a.json()["points"] == lens_points for a in answers)
    # AND the balance equals the ledger, which credits each product exactly once
    points = points_of(http_api, token)
    assert points.balance == points.ledger_sum == COMPLETIONS * lens_points
    assert sorted(e["product_id"] for e in points.ledger) == sorted(product_ids)
    assert {e["reason"] for e in points.ledger} == {"PRODUCT_REGISTERED"}


def test_one_product_completed_six_times_at_once_is_credited_once(
    http_api: HttpApi, e2e_runtime: RuntimeProcess, reviewer_token: str
) -> None:
    # GIVEN a customer with one camera registered without its purchase details
    (_, token) = new_customers(e2e_runtime.api_url, reviewer_token, 1)[0]
    camera_points = catalog_points(http_api, token)[CAMERA]
    product_id = registered(http_api, token, CAMERA, serial_number=unique_serial())["product_id"]
    details = complete_details("unused")
    del details["serial_number"]
    apis = sessions(e2e_runtime.api_url, COMPLETIONS)
    try:
        # WHEN the same completion is sent six times at once (double clicks, retries)
        answers = side_by_side(
            [
                lambda api=api: api.request(
                    "PATCH",
                    f"/products/{product_id}",
                    json=details,
                    headers={"Authorization": f"Bearer {token}"},
                )
                for api in apis
            ]
        )
    finally:
        close(apis)

    # THEN every answer is the completed camera: the same completion again is no conflict
    assert [a.status_code for a in answers] == [200] * COMPLETIONS, [
        (a.status_code, a.text[:200]) for a in answers
    ]
    assert all(a.json()["complete"] and a.json()["points"] == camera_points for a in answers)
    # AND the points were credited once
    points = points_of(http_api, token)
    assert points.balance == points.ledger_sum == camera_points
    assert len(points.ledger) == 1


def test_corrections_of_different_details_at_once_all_land(
    http_api: HttpApi, e2e_runtime: RuntimeProcess, reviewer_token: str
) -> None:
    # GIVEN a customer with three lenses registered with their serial numbers only
    (_, token) = new_customers(e2e_runtime.api_url, reviewer_token, 1)[0]
    auth = {"Authorization": f"Bearer {token}"}
    lens_points = catalog_points(http_api, token)[LENS]
    product_ids = [
        registered(http_api, token, LENS, serial_number=unique_serial())["product_id"]
        for _ in range(3)
    ]
    corrections = [
        (product_id, body)
        for product_id in product_ids
        for body in (
            {"dealer": "Foto Riga SIA"},
            {"purchase_date": "2025-03-14", "country_of_purchase": "LV"},
        )
    ]
    apis = sessions(e2e_runtime.api_url, len(corrections))
    try:
        # WHEN, for each lens, the dealer is filled in in one tab and the date and country in
        # another, all at once
        answers = side_by_side(
            [
                lambda api=api, product_id=product_id, body=body: api.request(
                    "PATCH", f"/products/{product_id}", json=body, headers=auth
                )
                for api, (product_id, body) in zip(apis, corrections, strict=True)
            ]
        )
    finally:
        close(apis)

    # THEN every correction is accepted
    assert [a.status_code for a in answers] == [200] * len(corrections), [
        a.text[:200] for a in answers
    ]
    # AND none was lost: each lens is complete with its points, credited once
    finals = [
        http_api.request("GET", f"/products/{product_id}", headers=auth).json()
        for product_id in product_ids
    ]
    details = [(f["dealer"], f["purchase_date"], f["country_of_purchase"]) for f in finals]
    assert details == [("Foto Riga SIA", "2025-03-14", "LV")] * 3, details
    assert [(f["complete"], f["points"]) for f in finals] == [(True, lens_points)] * 3
    points = points_of(http_api, token)
    assert points.balance == points.ledger_sum == 3 * lens_points
