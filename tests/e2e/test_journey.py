"""The customer journey over real HTTP against `python -m local_runtime`: apply, upload to S3,
automated checks, the reviewer's decision, the mails, setting a password, logging in."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support.embedded_aws import senders_of_mails_to
from tests.support.http_api import HttpApi, error_of
from tests.support.journey import (
    ELF,
    PDF,
    STRONG_PASSWORD,
    Applicant,
    apply,
    approve_to_login,
    bearer,
    decide,
    eventually,
    login,
    mails_to,
    token_from_link,
    upload,
    wait_for_mail,
)
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e

NO_REPLY = "donotreply@"
UPLOADED = (200, 201, 204)
# A phrase of each language's approval subject ("... is approved: set your password").
APPROVED_IN = {
    "en": "approved",
    "nl": "goedgekeurd",
    "de": "wurde genehmigt",
    "da": "godkendt",
    "lv": "apstiprināts",
}
NEW_PASSWORD = "Other-Lenses-2027"


def review_queue(api: HttpApi, reviewer_token: str, status: str) -> list[dict[str, Any]]:
    """Every item of the review list with `status`, following the cursor (bounded)."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(50):
        params = {"status": status, "limit": "100", **({"cursor": cursor} if cursor else {})}
        response = api.request(
            "GET", "/review/applications", headers=bearer(reviewer_token), params=params
        )
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return items
    raise AssertionError("the review list did not end within 50 pages")


def set_password_link(mail: dict[str, Any]) -> str:
    return next(link for link in mail["links"] if "token=" in link)


def set_password(api: HttpApi, link: str, password: str = STRONG_PASSWORD) -> Any:
    return api.request(
        "POST", "/auth/password", json={"token": token_from_link(link), "password": password}
    )


def pending(api: HttpApi, **overrides: Any) -> Applicant:
    applicant = apply(api, **overrides)
    assert upload(applicant.upload, PDF) in UPLOADED
    applicant.wait_for(api, "PENDING_REVIEW")
    return applicant


def test_an_approved_applicant_sets_a_password_logs_in_and_sees_their_account(
    http_api: HttpApi, reviewer_token: str, e2e_runtime: RuntimeProcess
) -> None:
    # GIVEN a Dutch studio applies for a business account
    applicant = apply(http_api, language="nl")
    # THEN it gets a status token and a presigned S3 POST for its proof document
    status = applicant.status(http_api)
    assert status["status"] == "AWAITING_DOCUMENT"
    assert applicant.upload["url"].startswith("http")
    assert applicant.upload["fields"] and applicant.upload["expires_at"]

    # WHEN it uploads a PDF straight to S3 with the presigned POST
    assert upload(applicant.upload, PDF) in UPLOADED
    # THEN the automated checks run and the application waits for a reviewer, with a deadline
    waiting = applicant.wait_for(http_api, "PENDING_REVIEW")
    assert waiting["decision_due_by"], waiting
    due = datetime.fromisoformat(waiting["decision_due_by"])
    assert due.date() >= datetime.now(UTC).date()
    # AND the reviewer sees it with the check results, the deadline and a document link
    listed = [
        item
        for item in review_queue(http_api, reviewer_token, "PENDING_REVIEW")
        if item["application_id"] == applicant.application_id
    ]
    assert len(listed) == 1
    assert listed[0]["checks"] and listed[0]["document_url"]
    assert listed[0]["decision_due_by"]

    # WHEN the reviewer approves
    decision = decide(http_api, reviewer_token, applicant.application_id, "APPROVE")
    assert decision.status_code == 200, decision.text
    # THEN the application is approved
    assert applicant.wait_for(http_api, "APPROVED")["status"] == "APPROVED"
    # AND one mail, in Dutch and from the no-reply address, carries a set-password link
    mail = wait_for_mail(http_api, applicant.email)[0]
    assert APPROVED_IN["nl"] in mail["subject"], mail["subject"]
    assert "Studio Lumen B.V." in mail["text"]
    assert NO_REPLY in mail["text"]
    senders = senders_of_mails_to(e2e_runtime.aws_url, applicant.email)
    assert senders and all(sender.startswith(NO_REPLY) for sender in senders), senders
    link = set_password_link(mail)

    # WHEN the customer sets a password with the link and logs in
    response = set_password(http_api, link)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "password_set"
    token = login(http_api, applicant.email, STRONG_PASSWORD)
    # THEN /me shows the new business account, with no points and no membership yet
    me = http_api.request("GET", "/me", headers=bearer(token))
    assert me.status_code == 200, me.text
    account = me.json()
    assert account["account_id"]
    assert account["company"]["name"] == "Studio Lumen B.V."
    assert account["country"] == "NL"
    assert account["currency"] == "EUR"
    assert account["language"] == "nl"
    assert account["points"] == 0
    assert account["invited"] is False
    assert account["membership"] is None

    # WHEN the same link is used a second time
    again = set_password(http_api, link, "Another-Password-2026")
    # THEN it is refused, and the password set first still works
    error_of(again, 422, "INVALID_TOKEN")
    assert login(http_api, applicant.email, STRONG_PASSWORD)


@pytest.mark.parametrize("language", ["en", "de", "da", "lv"])
def test_the_approval_mail_is_in_the_applicants_language(
    http_api: HttpApi, reviewer_token: str, language: str
) -> None:
    # GIVEN an application in `language`, waiting for review
    applicant = pending(http_api, language=language)
    # WHEN the reviewer approves it
    assert decide(http_api, reviewer_token, applicant.application_id, "APPROVE").status_code == 200
    # THEN the approval mail is written in that language and carries a set-password link
    mail = wait_for_mail(http_api, applicant.email)[0]
    assert APPROVED_IN[language] in mail["subject"], mail["subject"]
    assert set_password_link(mail)


def test_a_rejected_applicant_is_told_why(http_api: HttpApi, reviewer_token: str) -> None:
    # GIVEN a German application waiting for review
    applicant = pending(http_api, language="de")
    reason = "Das Dokument ist unleserlich."
    # WHEN the reviewer rejects it with a reason
    response = decide(http_api, reviewer_token, applicant.application_id, "REJECT", reason)
    assert response.status_code == 200, response.text
    # THEN the status says rejected, and why
    status = applicant.wait_for(http_api, "REJECTED")
    assert status["reason"] == reason
    # AND a German mail gives the reason, and no set-password link
    mail = wait_for_mail(http_api, applicant.email)[0]
    assert "nicht genehmigt" in mail["subject"], mail["subject"]
    assert reason in mail["text"]
    assert not [link for link in mail["links"] if "token=" in link]
    # AND the application cannot be decided again
    again = decide(http_api, reviewer_token, applicant.application_id, "APPROVE")
    error_of(again, 409)


def test_an_executable_renamed_pdf_never_reaches_review(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN an ELF binary uploaded as "proof.pdf"
    applicant = apply(http_api)
    assert upload(applicant.upload, ELF, filename="proof.pdf") in UPLOADED
    # THEN the application goes back to awaiting a document, saying why
    status = eventually(
        lambda: (
            (s := applicant.status(http_api))["status"] == "AWAITING_DOCUMENT" and s["reason"] and s
        )
    )
    assert "PDF, JPEG or PNG" in status["reason"]
    # AND the reviewer never sees it
    assert applicant.application_id not in {
        item["application_id"] for item in review_queue(http_api, reviewer_token, "PENDING_REVIEW")
    }

    # WHEN the applicant asks for a new upload link
    fresh = http_api.request(
        "POST",
        f"/applications/{applicant.application_id}/upload",
        headers={"X-Status-Token": applicant.status_token},
    )
    # THEN a fresh presigned POST is given
    assert fresh.status_code == 201, fresh.text
    link = fresh.json()
    assert link["url"] and link["fields"] and link["expires_at"]
    # AND a real PDF uploaded with it reaches review
    assert upload(link, PDF) in UPLOADED
    assert applicant.wait_for(http_api, "PENDING_REVIEW")["decision_due_by"]


def test_a_password_reset_mails_a_link_only_to_a_known_address(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a customer with a password, and an address nobody holds
    applicant, _ = approve_to_login(http_api, reviewer_token)
    stranger = f"nobody.{applicant.application_id}@unknown.example"
    # WHEN a reset is requested for both (the stranger first)
    unknown = http_api.request("POST", "/auth/password-reset", json={"email": stranger})
    known = http_api.request("POST", "/auth/password-reset", json={"email": applicant.email})
    # THEN both answers are the same 202
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    # AND only the customer gets a reset mail (after the approval mail), in their language
    reset_mail = wait_for_mail(http_api, applicant.email, count=2)[1]
    assert "opnieuw" in reset_mail["subject"], reset_mail["subject"]
    assert mails_to(http_api, stranger) == []

    # WHEN the customer sets a new password with the reset link
    response = set_password(http_api, set_password_link(reset_mail), NEW_PASSWORD)
    assert response.status_code == 200, response.text
    # THEN the new password logs in and the old one no longer does
    assert login(http_api, applicant.email, NEW_PASSWORD)
    old = http_api.request(
        "POST", "/auth/login", json={"email": applicant.email, "password": STRONG_PASSWORD}
    )
    error_of(old, 401)
    # AND the reset link is spent
    error_of(set_password(http_api, set_password_link(reset_mail)), 422, "INVALID_TOKEN")


def test_refresh_gives_new_working_tokens(
    http_api: HttpApi, customer: tuple[Applicant, str]
) -> None:
    # GIVEN a customer logged in
    applicant, _ = customer
    tokens = http_api.request(
        "POST", "/auth/login", json={"email": applicant.email, "password": STRONG_PASSWORD}
    ).json()
    assert tokens["refresh_token"] and tokens["expires_in"] > 0
    # WHEN the refresh token is exchanged
    response = http_api.request(
        "POST", "/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    # THEN new tokens come back, and the new ID token opens /me
    assert response.status_code == 200, response.text
    fresh = response.json()
    assert fresh["id_token"] and fresh["access_token"] and fresh["expires_in"] > 0
    me = http_api.request("GET", "/me", headers=bearer(fresh["id_token"]))
    assert me.status_code == 200 and me.json()["language"] == "nl"
    # AND a made-up refresh token is refused
    error_of(http_api.request("POST", "/auth/refresh", json={"refresh_token": "made-up"}), 401)


def test_a_wrong_password_is_refused_like_an_unknown_address(
    http_api: HttpApi, customer: tuple[Applicant, str]
) -> None:
    # GIVEN a customer with a password
    applicant, _ = customer
    # WHEN logging in with a wrong password, or as somebody unknown
    wrong = http_api.request(
        "POST", "/auth/login", json={"email": applicant.email, "password": "Wrong-Pass-2026"}
    )
    unknown = http_api.request(
        "POST",
        "/auth/login",
        json={"email": "nobody@unknown.example", "password": "Wrong-Pass-2026"},
    )
    # THEN both are a 401 in the error shape that does not tell which one was wrong
    wrong_error, unknown_error = error_of(wrong, 401), error_of(unknown, 401)
    assert wrong_error == unknown_error
