"""What the reviewer sees, and the review promise of 2 business days (SPEC §1)."""

from __future__ import annotations

from tests.support.journey import PDF, apply, approve_to_login, bearer, eventually, mails_to, upload


def _queue(api, token, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = api.request("GET", f"/review/applications?{query}", headers=bearer(token))
    assert response.status_code == 200, response.json()
    return response.json()


def _find(api, token, application_id):
    cursor = None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = _queue(api, token, **params)
        for item in page["items"]:
            if item["application_id"] == application_id:
                return item
        cursor = page["next_cursor"]
        if not cursor:
            return None


def test_the_review_queue_shows_checks_due_date_and_a_document_link(api, reviewer_token):
    # GIVEN a VAT-registered German applicant whose document passed
    applicant = apply(
        api,
        company={
            "name": "Bildwerk GmbH",
            "street": "Hauptstr. 5",
            "postcode": "10115",
            "city": "Berlin",
            "country": "DE",
        },
        vat_number="DE 314 159 262",  # used by no other test: the duplicate check must pass
        document_type="VAT_CERTIFICATE",
        language="de",
    )
    upload(applicant.upload, PDF)
    applicant.wait_for(api, "PENDING_REVIEW")
    # WHEN the reviewer lists pending applications
    item = eventually(lambda: _find(api, reviewer_token, applicant.application_id))
    # THEN the item carries the automated checks, the due date and a working document link
    checks = {c["name"]: c["outcome"] for c in item["checks"]}
    assert checks["vat_number"] == "PASSED"
    assert checks["vies"] == "SKIPPED"  # VIES is off in the local stage
    assert checks["duplicate_vat"] == "PASSED"
    assert item["decision_due_by"] and item["vat_number"] == "DE314159262"
    import requests

    document = requests.get(item["document_url"], timeout=10)
    assert document.status_code == 200 and document.content == PDF


def test_a_vat_number_already_held_by_an_account_is_flagged(api, reviewer_token):
    # GIVEN an approved account holding a VAT number
    vat = "NL004495445B01"
    approve_to_login(api, reviewer_token, vat_number=vat, document_type="VAT_CERTIFICATE")
    # WHEN another company applies with the same number
    second = apply(api, vat_number="nl 0044.95.445.b01", document_type="COMPANY_INVOICE")
    upload(second.upload, PDF)
    second.wait_for(api, "PENDING_REVIEW")
    # THEN the reviewer sees it flagged
    item = eventually(lambda: _find(api, reviewer_token, second.application_id))
    checks = {c["name"]: c for c in item["checks"]}
    assert checks["duplicate_vat"]["outcome"] == "FLAGGED"


def test_the_queue_is_paginated_with_a_cursor(api, reviewer_token):
    for _ in range(3):
        a = apply(api)
        upload(a.upload, PDF)
        a.wait_for(api, "PENDING_REVIEW")
    first = _queue(api, reviewer_token, limit=2)
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = _queue(api, reviewer_token, limit=2, cursor=first["next_cursor"])
    assert {i["application_id"] for i in first["items"]}.isdisjoint(
        {i["application_id"] for i in second["items"]}
    )


def test_a_tampered_cursor_or_bad_limit_is_a_400(api, reviewer_token):
    for query in ("cursor=not-a-cursor", "limit=0", "limit=abc", "status=NOPE"):
        response = api.request(
            "GET", f"/review/applications?{query}", headers=bearer(reviewer_token)
        )
        assert response.status_code == 400, (query, response.json())
        assert response.json()["error"]["code"]


def test_an_overdue_application_is_escalated_once(api, reviewer_token, runtime):
    # GIVEN an application pending review
    applicant = apply(api)
    upload(applicant.upload, PDF)
    applicant.wait_for(api, "PENDING_REVIEW")
    reviewers = runtime.env["CPS_REVIEWERS_EMAIL"]

    def escalations():
        return [m for m in mails_to(api, reviewers) if applicant.application_id in m["text"]]

    # WHEN the SLA job runs before the due date THEN nothing is escalated
    assert api.request("POST", "/dev/jobs/review-sla/run").status_code == 200
    assert escalations() == []
    # WHEN the clock passes the due date (2 business days; a week is past it whatever the day)
    assert api.request("POST", "/dev/clock", json={"advance_days": 7}).status_code == 200
    assert api.request("POST", "/dev/jobs/review-sla/run").status_code == 200
    # THEN the reviewers get one escalation mail and the application is flagged
    eventually(escalations)
    item = _find(api, reviewer_token, applicant.application_id)
    assert item["escalated"] is True
    # AND running the job again sends no second mail
    api.request("POST", "/dev/jobs/review-sla/run")
    import time

    time.sleep(2)
    assert len(escalations()) == 1
