"""Attacks on the proof document, over real HTTP against `python -m local_runtime` (issue 8).

Item 2: the presigned POST stays usable for its lifetime after the document passed the check;
a file posted with it later must never be what the reviewer sees.
Item 12: the presigned POST's policy must accept the form the frontend sends (moto does not
enforce policies, so the policy is evaluated as S3 would, by `s3_refusals`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import boto3
import pytest
import requests

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import PDF, Applicant, apply, bearer, eventually, upload
from tests.support.runtime_process import RuntimeProcess
from tests.unit.test_upload_policy import s3_refusals

pytestmark = pytest.mark.e2e

UPLOADED = (200, 201, 204)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _checked(api: HttpApi) -> Applicant:
    """An application whose PDF passed the check and waits for the reviewer."""
    applicant = apply(api)
    assert upload(applicant.upload, PDF) in UPLOADED
    applicant.wait_for(api, "PENDING_REVIEW")
    return applicant


def _post_html_with(form: dict[str, Any]) -> int:
    """The old form again, with an HTML file that claims to be HTML (any type was allowed)."""
    response = requests.post(
        form["url"],
        data={**form["fields"], "Content-Type": "text/html"},
        files={"file": ("proof.html", HTML, "text/html")},
        timeout=30,
    )
    return response.status_code


def _review_item(api: HttpApi, reviewer_token: str, application_id: str) -> dict[str, Any]:
    cursor: str | None = None
    for _ in range(100):
        params = {
            "status": "PENDING_REVIEW",
            "limit": "100",
            **({"cursor": cursor} if cursor else {}),
        }
        response = api.request(
            "GET", "/review/applications", headers=bearer(reviewer_token), params=params
        )
        assert response.status_code == 200, response.text
        page = response.json()
        for item in page["items"]:
            if item["application_id"] == application_id:
                return item
        cursor = page["next_cursor"]
        if not cursor:
            break
    raise AssertionError(f"{application_id} is not in the review list")


def _bucket_and_key(form: dict[str, Any]) -> tuple[str, str]:
    return urlparse(form["url"]).path.strip("/").split("/")[0], form["fields"]["key"]


def _versions(runtime: RuntimeProcess, bucket: str, key: str) -> list[str]:
    s3 = boto3.client(
        "s3",
        endpoint_url=runtime.aws_url,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # the embedded moto server's
    )
    listed = s3.list_object_versions(Bucket=bucket, Prefix=key)
    return [v["VersionId"] for v in listed.get("Versions", []) if v["Key"] == key]


# --- item 2: the reviewer sees the checked file only ------------------------------------------


def test_a_file_posted_with_the_old_form_after_the_check_is_not_what_the_reviewer_gets(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN an application whose PDF passed the check
    applicant = _checked(http_api)
    # WHEN an HTML file is posted with the same, still valid, presigned POST
    assert _post_html_with(applicant.upload) in UPLOADED
    # THEN the reviewer's link serves the checked PDF, as a download, typed as the check found
    item = _review_item(http_api, reviewer_token, applicant.application_id)
    document = requests.get(item["document_url"], timeout=10)
    assert document.status_code == 200
    assert document.content == PDF
    assert document.headers["Content-Type"] == "application/pdf"
    assert document.headers["Content-Disposition"].startswith("attachment; filename=")
    assert document.headers["Content-Disposition"].endswith('.pdf"')


def test_a_file_posted_with_the_old_form_after_the_check_is_deleted(
    http_api: HttpApi, e2e_runtime: RuntimeProcess
) -> None:
    # GIVEN an application whose PDF passed the check, the only version under its key
    applicant = _checked(http_api)
    bucket, key = _bucket_and_key(applicant.upload)
    (checked,) = _versions(e2e_runtime, bucket, key)
    assert checked != "null"  # the bucket is versioned, as the template says
    # WHEN an HTML file is posted with the same presigned POST
    assert _post_html_with(applicant.upload) in UPLOADED
    # THEN the upload handler deletes it: the key holds the checked version only
    eventually(lambda: _versions(e2e_runtime, bucket, key) == [checked])


def test_no_new_upload_link_once_the_document_passed_the_check(http_api: HttpApi) -> None:
    # GIVEN an application whose PDF passed the check
    applicant = _checked(http_api)
    # WHEN the applicant asks for a fresh presigned POST
    response = http_api.request(
        "POST",
        f"/applications/{applicant.application_id}/upload",
        headers={"X-Status-Token": applicant.status_token},
    )
    # THEN it is refused as a conflict
    error_of(response, 409)


# --- item 12: the presigned POST's policy agrees with its fields ------------------------------


def test_the_upload_form_the_api_returns_satisfies_its_own_policy(http_api: HttpApi) -> None:
    # GIVEN a new application and the presigned POST the API returns for it
    applicant = apply(http_api)
    bucket, key = _bucket_and_key(applicant.upload)
    # THEN its key is pinned to the application
    assert key.startswith(f"applications/{applicant.application_id}/")
    # AND the returned fields plus a PDF of up to 10 MB meet every condition S3 checks
    assert s3_refusals(applicant.upload["fields"], bucket, len(PDF)) == []
    assert s3_refusals(applicant.upload["fields"], bucket, 10 * 1024 * 1024) == []
    # AND a file over 10 MB does not
    assert s3_refusals(applicant.upload["fields"], bucket, 10 * 1024 * 1024 + 1)
