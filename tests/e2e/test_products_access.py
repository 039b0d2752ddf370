"""Whose products, points and imports, over real HTTP: another account's product is absent
(404, never 403), a reviewer has no products, a customer has no back office."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import bearer
from tests.support.products_http import (
    complete_details,
    delete,
    legacy_csv,
    my_products,
    new_customers,
    patch,
    points_of,
    registered,
    start_legacy_import,
    unique_serial,
    upload_csv,
)
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e

CAMERA = "EOS-R3-BODY"
LENS = "RF-15-35-F2.8L-IS-USM"


@pytest.fixture(scope="module")
def two_customers(
    e2e_runtime: RuntimeProcess, reviewer_token: str
) -> tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    """Customers A and B, each with one complete product: (token, product) each."""
    (_, a), (_, b) = new_customers(e2e_runtime.api_url, reviewer_token, 2)
    api = HttpApi(e2e_runtime.api_url)
    try:
        product_a = registered(api, a, CAMERA, **complete_details(unique_serial()))
        product_b = registered(api, b, LENS, **complete_details(unique_serial()))
    finally:
        api.close()
    return (a, product_a), (b, product_b)


def test_another_accounts_product_is_absent_for_every_method(
    http_api: HttpApi, two_customers: Any
) -> None:
    # GIVEN customer A's product, and customer B
    (a, product), (b, _) = two_customers
    path = f"/products/{product['product_id']}"
    unknown = "/products/0123456789abcdef0123456789abcdef"
    # WHEN B views, corrects and removes it
    seen = http_api.request("GET", path, headers=bearer(b))
    corrected = patch(http_api, b, product["product_id"], dealer="Not Yours GmbH")
    removed = delete(http_api, b, product["product_id"])
    # THEN each is a 404 in the error shape, exactly as for a product that does not exist
    for response, method in ((seen, "GET"), (corrected, "PATCH"), (removed, "DELETE")):
        error = error_of(response, 404)
        body = {"dealer": "Not Yours GmbH"} if method == "PATCH" else None
        absent = http_api.request(method, unknown, json=body, headers=bearer(b))
        assert error == error_of(absent, 404), (method, error)
    # AND A's product is untouched, with its points
    mine = http_api.request("GET", path, headers=bearer(a))
    assert mine.status_code == 200 and mine.json() == product
    assert points_of(http_api, a).balance == product["points"] > 0


def test_a_customers_lists_never_show_another_accounts_data(
    http_api: HttpApi, two_customers: Any
) -> None:
    # GIVEN customers A and B with one product each
    (a, product_a), (b, product_b) = two_customers
    # WHEN each lists products and points
    for token, own, other in ((a, product_a, product_b), (b, product_b, product_a)):
        products, points = my_products(http_api, token), points_of(http_api, token)
        # THEN each sees exactly their own product and their own ledger entry
        assert [p["product_id"] for p in products] == [own["product_id"]]
        assert [p["serial_number"] for p in products] == [own["serial_number"]]
        assert [e["product_id"] for e in points.ledger] == [own["product_id"]]
        assert points.balance == points.ledger_sum == own["points"]
        # AND nothing of the other's, not even its serial number
        assert other["serial_number"] not in str(products) + str(points.ledger)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/products"),
        ("POST", "/products"),
        ("GET", "/products/{product_id}"),
        ("PATCH", "/products/{product_id}"),
        ("DELETE", "/products/{product_id}"),
        ("GET", "/points"),
        ("GET", "/migration"),
        ("POST", "/migration"),
    ],
)
def test_a_reviewer_has_no_products_or_points(
    http_api: HttpApi, reviewer_token: str, two_customers: Any, method: str, path: str
) -> None:
    # GIVEN the reviewer's token (a login without a business account), and a customer's product
    (a, product), _ = two_customers
    concrete = path.format(product_id=product["product_id"])
    body = {"sku": CAMERA, "serial_number": unique_serial()} if method == "POST" else None
    if method == "PATCH":
        body = {"dealer": "Back Office"}
    # WHEN the reviewer calls a customer's products or points route
    response = http_api.request(method, concrete, json=body, headers=bearer(reviewer_token))
    # THEN it is refused in the error shape: 404 (no account) or 403 (wrong role)
    assert response.status_code in (403, 404), response.text
    error_of(response, response.status_code)
    # AND the customer's product is untouched
    assert (
        http_api.request("GET", f"/products/{product['product_id']}", headers=bearer(a)).json()
        == product
    )


def test_a_customer_cannot_import_or_read_old_cps_exports(
    http_api: HttpApi, reviewer_token: str, customer_token: str
) -> None:
    # GIVEN an import the reviewer started
    created = start_legacy_import(http_api, reviewer_token)
    report_path = f"/ops/legacy-imports/{created['import_id']}"
    # WHEN a customer asks for an upload link, or for the report
    link = http_api.request("POST", "/ops/legacy-imports", headers=bearer(customer_token))
    report = http_api.request("GET", report_path, headers=bearer(customer_token))
    # THEN both are a 403 in the error shape
    error_of(link, 403)
    error_of(report, 403)
    # AND the reviewer's own import is there, waiting for its file
    own = http_api.request("GET", report_path, headers=bearer(reviewer_token))
    assert own.status_code == 200 and own.json()["status"] == "AWAITING_FILE", own.text
    # AND an unknown import is a 404 in the error shape for the reviewer
    unknown = http_api.request("GET", "/ops/legacy-imports/nope", headers=bearer(reviewer_token))
    error_of(unknown, 404)


def test_the_export_upload_link_describes_a_csv_upload(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN the reviewer asks for an upload link for an old-CPS export (a CSV, API.md)
    upload = start_legacy_import(http_api, reviewer_token)["upload"]
    # THEN if the link says which types it accepts, CSV is one of them
    accepted = upload.get("accepted_types")
    assert accepted is None or any("csv" in kind for kind in accepted), upload
    # AND if it names a size limit, it is the one the presigned policy enforces
    policy = json.loads(base64.b64decode(upload["fields"]["policy"]))
    [(_, _, policy_max)] = [
        c for c in policy["conditions"] if isinstance(c, list) and c[0] == "content-length-range"
    ]
    assert upload.get("max_bytes", policy_max) == policy_max, (upload.get("max_bytes"), policy_max)
    # AND a CSV posted with it is taken
    csv_text = legacy_csv([("x@studio-lumen.example", LENS, unique_serial(), "", "", "")])
    assert upload_csv(upload, csv_text) in (200, 201, 204)
