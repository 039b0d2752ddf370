"""A purchase id is unique per purchase (issue 8, item 7): an Idempotency-Key reused after its
record expired (24 hours) is a new purchase, not a replay of an old one. Moves the clock, so
it runs on a runtime of its own."""

from __future__ import annotations

import boto3
import pytest

from tests.support.http_api import HttpApi
from tests.support.journey import eventually
from tests.support.membership_http import (
    advance_clock,
    bought,
    customer_with_points,
    invoices,
    wait_for_invoice_mail,
)
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e

KEY = "order-2026-001"


def forget_idempotency_records(runtime: RuntimeProcess) -> None:
    """What 24 hours do to Powertools' records (their TTL), done at once."""
    table = boto3.resource(
        "dynamodb",
        endpoint_url=runtime.aws_url,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).Table("cps-idempotency")
    for item in table.scan()["Items"]:
        table.delete_item(Key={"id": item["id"]})


def test_a_key_reused_after_its_record_expired_buys_anew_instead_of_replaying_the_old_purchase(
    isolated_runtime: RuntimeProcess, isolated_api: HttpApi, isolated_reviewer_token: str
) -> None:
    # GIVEN a member who bought with a key and let the membership expire
    customer = customer_with_points(isolated_api.base_url, isolated_reviewer_token, 500)
    first = bought(isolated_api, customer.token, KEY, auto_renew=False)["membership"]
    wait_for_invoice_mail(isolated_api, customer.email)
    advance_clock(isolated_api, 366)
    # AND the key's idempotency record has expired
    forget_idempotency_records(isolated_runtime)
    # WHEN the company checks out again with the same key
    again = bought(isolated_api, customer.token, KEY, auto_renew=False)["membership"]
    # THEN it is a new purchase: a new, active membership with a new number, and a new invoice
    assert again["status"] == "ACTIVE"
    assert again["membership_number"] != first["membership_number"]
    assert again["starts_on"] > first["starts_on"]
    both = eventually(lambda: len(invoices(isolated_api, customer.token)) == 2)
    assert both
