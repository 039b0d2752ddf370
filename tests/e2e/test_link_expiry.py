"""One-time links expire (set-password: 72 h, reset: 2 h). These tests move the application clock
with `POST /dev/clock`, which is process-wide and only moves forward, so they run against a
runtime of their own (`isolated_*` fixtures), never the shared one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import (
    PDF,
    STRONG_PASSWORD,
    apply,
    approve_to_login,
    decide,
    login,
    token_from_link,
    upload,
    wait_for_mail,
)

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Later-Lenses-2027"


def advance_clock(api: HttpApi, days: int) -> None:
    response = api.request("POST", "/dev/clock", json={"advance_days": days})
    assert response.status_code == 200, response.text
    assert response.json()["now"]


def link_token(mail: dict[str, Any]) -> str:
    return token_from_link(next(link for link in mail["links"] if "token=" in link))


def set_password(api: HttpApi, token: str, password: str) -> Any:
    return api.request("POST", "/auth/password", json={"token": token, "password": password})


def test_an_expired_set_password_link_is_refused_and_a_reset_link_recovers(
    isolated_api: HttpApi, isolated_reviewer_token: str
) -> None:
    # GIVEN an approved applicant who has not used the set-password link yet
    applicant = apply(isolated_api)
    assert upload(applicant.upload, PDF) in (200, 201, 204)
    applicant.wait_for(isolated_api, "PENDING_REVIEW")
    decision = decide(isolated_api, isolated_reviewer_token, applicant.application_id, "APPROVE")
    assert decision.status_code == 200, decision.text
    token = link_token(wait_for_mail(isolated_api, applicant.email)[0])
    # WHEN four days pass (the link lives 72 hours) and the link is used
    advance_clock(isolated_api, 4)
    response = set_password(isolated_api, token, STRONG_PASSWORD)
    # THEN it is refused in the error shape, and no password was set
    error_of(response, 422, "INVALID_TOKEN")
    no_login = isolated_api.request(
        "POST", "/auth/login", json={"email": applicant.email, "password": STRONG_PASSWORD}
    )
    error_of(no_login, 401)

    # WHEN the customer asks for a new link ("Forgot password", as the mail says)
    reset = isolated_api.request("POST", "/auth/password-reset", json={"email": applicant.email})
    assert reset.status_code == 202
    # THEN the reset link sets a password that logs in
    fresh = link_token(wait_for_mail(isolated_api, applicant.email, count=2)[1])
    assert set_password(isolated_api, fresh, STRONG_PASSWORD).status_code == 200
    assert login(isolated_api, applicant.email, STRONG_PASSWORD)


def test_an_expired_reset_link_is_refused(
    isolated_api: HttpApi, isolated_reviewer_token: str
) -> None:
    # GIVEN a customer who asked for a password reset
    applicant, _ = approve_to_login(isolated_api, isolated_reviewer_token)
    reset = isolated_api.request("POST", "/auth/password-reset", json={"email": applicant.email})
    assert reset.status_code == 202
    token = link_token(wait_for_mail(isolated_api, applicant.email, count=2)[1])
    # WHEN a day passes (a reset link lives 2 hours) and the link is used
    advance_clock(isolated_api, 1)
    response = set_password(isolated_api, token, NEW_PASSWORD)
    # THEN it is refused, and the old password still logs in
    error_of(response, 422, "INVALID_TOKEN")
    assert login(isolated_api, applicant.email, STRONG_PASSWORD)
