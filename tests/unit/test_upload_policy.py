"""The presigned POST's policy, evaluated as S3 evaluates it (moto accepts any form).

The frontend posts exactly the returned `fields` plus the file. S3 refuses the upload when a
condition of the policy fails for that form (a condition on a field the form lacks fails too),
or when a form field is named by no condition. `s3_refusals` applies those rules; it is also
used by the end-to-end test, on the policy the running API hands out.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.config import Config

from chalicelib.adapters.s3_documents import S3DocumentStore
from chalicelib.domain.applications import MAX_DOCUMENT_BYTES

BUCKET = "cps-documents-123456789012-eu-west-1"
KEY = "applications/3f2a9c/7d1e0b"

# Form fields S3 never expects a condition for (SigV4 and SigV2 signatures, the file).
_UNCONDITIONED = {"policy", "x-amz-signature", "signature", "awsaccesskeyid", "file"}


def decode_policy(fields: dict[str, str]) -> dict[str, Any]:
    policy: dict[str, Any] = json.loads(base64.b64decode(fields["policy"]))
    return policy


def s3_refusals(
    fields: dict[str, str], bucket: str, file_size: int, now: datetime | None = None
) -> list[str]:
    """Why S3 would refuse a POST of `fields` + a file of `file_size` bytes ([] = accepted)."""
    policy = decode_policy(fields)
    form = {name.lower(): value for name, value in fields.items()}
    form["bucket"] = bucket  # S3 takes it from the URL
    refusals: list[str] = []
    expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    if expiration <= (now or datetime.now(UTC)):
        refusals.append(f"the policy expired at {policy['expiration']}")
    named: set[str] = set()
    for condition in policy["conditions"]:
        if isinstance(condition, dict):
            ((name, expected),) = condition.items()
            condition = ["eq", f"${name}", expected]
        operator = condition[0].lower()
        if operator == "content-length-range":
            low, high = int(condition[1]), int(condition[2])
            if not low <= file_size <= high:
                refusals.append(f"a file of {file_size} bytes is outside {low}..{high}")
            continue
        name = condition[1].removeprefix("$").lower()
        named.add(name)
        value = form.get(name)
        if operator not in ("eq", "starts-with"):
            refusals.append(f"{condition}: unknown operator")
        elif value is None:
            refusals.append(f"{condition}: the form has no field {name!r}")
        elif not (value == condition[2] if operator == "eq" else value.startswith(condition[2])):
            refusals.append(f"{condition}: the form sends {value!r}")
    for name in form:
        if name not in named and name not in _UNCONDITIONED and not name.startswith("x-ignore-"):
            refusals.append(f"the form field {name!r} is named by no condition")
    return refusals


def s3_client(signature_version: str | None) -> Any:
    return boto3.client(
        "s3",
        region_name="eu-west-1",
        aws_access_key_id="AKIAEXAMPLE",
        aws_secret_access_key="secret",  # signs locally, reaches no service
        config=Config(signature_version=signature_version) if signature_version else None,
    )


@pytest.fixture(params=["s3v4", None], ids=["sigv4", "default-signer"])
def ticket_fields(request: pytest.FixtureRequest) -> dict[str, str]:
    store = S3DocumentStore(s3_client(request.param), BUCKET)
    return store.upload_ticket(KEY, MAX_DOCUMENT_BYTES, 15 * 60).fields


def test_the_returned_fields_and_a_pdf_satisfy_every_condition(ticket_fields):
    # GIVEN the fields of a presigned POST for an application's document
    # WHEN the frontend posts exactly those fields and a 1 MB file
    # THEN S3 finds every condition met and every field named by one
    assert s3_refusals(ticket_fields, BUCKET, 1024 * 1024) == []


def test_the_policy_pins_the_bucket_and_the_key_and_names_no_encryption(ticket_fields):
    # GIVEN the fields of a presigned POST
    conditions = decode_policy(ticket_fields)["conditions"]
    # THEN the bucket and the application's key are exact conditions
    assert {"bucket": BUCKET} in conditions
    assert {"key": KEY} in conditions
    # AND the form names no encryption: the bucket's KMS key applies (its policy refuses another)
    assert "x-amz-server-side-encryption" not in ticket_fields
    # AND nothing but the signature's own fields may vary by prefix
    assert not [c for c in conditions if isinstance(c, list) and c[0] == "starts-with"]


def test_the_ten_megabyte_limit_holds_at_its_edges(ticket_fields):
    # GIVEN the fields of a presigned POST
    # WHEN files of 10 MB, of 10 MB + 1 byte and of no byte are posted
    # THEN only the first is accepted
    assert s3_refusals(ticket_fields, BUCKET, MAX_DOCUMENT_BYTES) == []
    assert s3_refusals(ticket_fields, BUCKET, MAX_DOCUMENT_BYTES + 1)
    assert s3_refusals(ticket_fields, BUCKET, 0)


def test_another_key_or_bucket_is_refused(ticket_fields):
    # GIVEN the fields of a presigned POST for one application
    # WHEN the key is changed to another application's, or the form goes to another bucket
    other_key = {**ticket_fields, "key": "applications/other/7d1e0b"}
    # THEN S3 refuses it
    assert s3_refusals(other_key, BUCKET, 1000)
    assert s3_refusals(ticket_fields, "another-bucket", 1000)


def test_a_content_type_field_the_policy_does_not_name_is_refused(ticket_fields):
    # GIVEN the fields of a presigned POST (the type is checked by content after the upload)
    # WHEN a client adds its own Content-Type field
    with_type = {**ticket_fields, "Content-Type": "text/html"}
    # THEN S3 refuses the form: the frontend sends the returned fields and the file only
    assert any("content-type" in r for r in s3_refusals(with_type, BUCKET, 1000))


def test_a_condition_on_a_field_the_form_lacks_is_refused():
    # GIVEN a policy with the condition the upload ticket used to carry, and no such field
    post = s3_client("s3v4").generate_presigned_post(
        Bucket=BUCKET,
        Key=KEY,
        Conditions=[
            ["content-length-range", 1, MAX_DOCUMENT_BYTES],
            ["starts-with", "$Content-Type", ""],
        ],
        ExpiresIn=900,
    )
    # WHEN the frontend posts the returned fields and a file THEN S3 refuses it (item 12)
    assert any("content-type" in r for r in s3_refusals(post["fields"], BUCKET, 1000))


def test_an_expired_policy_is_refused(ticket_fields):
    # GIVEN the fields of a presigned POST valid for 15 minutes
    # WHEN they are posted a day later THEN S3 refuses them
    later = datetime.now(UTC) + timedelta(days=1)
    assert s3_refusals(ticket_fields, BUCKET, 1000, now=later)
