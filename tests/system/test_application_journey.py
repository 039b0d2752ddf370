"""The application journey on the real stack (moto server, template, workflow, queues)."""

from __future__ import annotations

from tests.support.journey import (
    ELF,
    PDF,
    STRONG_PASSWORD,
    apply,
    bearer,
    decide,
    login,
    token_from_link,
    upload,
    wait_for_mail,
)


def test_approved_applicant_sets_a_password_logs_in_and_sees_their_account(api, reviewer_token):
    # GIVEN an application with its proof document uploaded
    applicant = apply(api)
    assert upload(applicant.upload, PDF) in (200, 201, 204)
    # WHEN the checks ran and the reviewer approves
    pending = applicant.wait_for(api, "PENDING_REVIEW")
    assert pending["decision_due_by"] is not None
    assert decide(api, reviewer_token, applicant.application_id, "APPROVE").status_code == 200
    # THEN the applicant is approved and mailed a one-time set-password link
    applicant.wait_for(api, "APPROVED")
    mail = wait_for_mail(api, applicant.email)[0]
    link = next(link for link in mail["links"] if "token=" in link)
    # AND with it a password can be set once, then used to log in
    response = api.request(
        "POST", "/auth/password", json={"token": token_from_link(link), "password": STRONG_PASSWORD}
    )
    assert response.status_code == 200, response.json()
    token = login(api, applicant.email, STRONG_PASSWORD)
    me = api.request("GET", "/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json()["company"]["name"] == "Studio Lumen B.V."
    assert me.json()["currency"] == "EUR" and me.json()["points"] == 0
    # AND the used link is refused the second time
    again = api.request(
        "POST", "/auth/password", json={"token": token_from_link(link), "password": STRONG_PASSWORD}
    )
    assert again.status_code == 422
    assert again.json()["error"]["code"] == "INVALID_TOKEN"


def test_rejected_applicant_is_told_why(api, reviewer_token):
    applicant = apply(api, language="de")
    upload(applicant.upload, PDF)
    applicant.wait_for(api, "PENDING_REVIEW")
    response = decide(
        api, reviewer_token, applicant.application_id, "REJECT", "Das Dokument ist unleserlich."
    )
    assert response.status_code == 200
    status = applicant.wait_for(api, "REJECTED")
    assert status["reason"] == "Das Dokument ist unleserlich."
    mail = wait_for_mail(api, applicant.email)[0]
    assert "Das Dokument ist unleserlich." in mail["text"]


def test_an_executable_renamed_pdf_never_reaches_review(api):
    # GIVEN an ELF binary uploaded as "proof.pdf"
    applicant = apply(api)
    upload(applicant.upload, ELF, filename="proof.pdf")
    # THEN the application goes back to awaiting a document, saying why
    status = applicant.wait_for(api, "AWAITING_DOCUMENT", timeout=30)
    for _ in range(50):
        status = applicant.status(api)
        if status["reason"]:
            break
        import time

        time.sleep(0.2)
    assert "PDF, JPEG or PNG" in (status["reason"] or "")
    # AND a new upload link is available
    fresh = api.request(
        "POST",
        f"/applications/{applicant.application_id}/upload",
        headers={"X-Status-Token": applicant.status_token},
    )
    assert fresh.status_code == 201 and fresh.json()["url"]
