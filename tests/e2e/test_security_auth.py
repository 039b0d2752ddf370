"""Attacks on the public account routes, performed over HTTP on the local runtime (issue 8,
items 3, 4 and 5): finding out who has an account, bombing a mailbox with reset mails, and
keeping a session alive across a password change.

The throttle test moves the application clock, so it runs on a runtime of its own
(`isolated_*`); the others share the session's runtime.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.support.http_api import HttpApi, error_of
from tests.support.journey import (
    PDF,
    STRONG_PASSWORD,
    Applicant,
    application_body,
    apply,
    approve_to_login,
    bearer,
    decide,
    eventually,
    login,
    mails_to,
    token_from_link,
    unique_email,
    upload,
)

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Fresh-Lenses-2027"
# Subjects, in Dutch (the customers' language below): the approval, the reset and the notice
# that an application came in for an address that already has an account.
APPROVED_NL = "goedgekeurd"
RESET_NL = "opnieuw in"
ACCOUNT_EXISTS_NL = "al een zakelijke account"


def mails_with(api: HttpApi, address: str, phrase: str) -> list[dict[str, Any]]:
    return [mail for mail in mails_to(api, address) if phrase in mail["subject"]]


def wait_for_mail_with(api: HttpApi, address: str, phrase: str, count: int = 1) -> list[Any]:
    return eventually(
        lambda: (found := mails_with(api, address, phrase)) and len(found) >= count and found
    )


def link_token(mail: dict[str, Any]) -> str:
    return token_from_link(next(link for link in mail["links"] if "token=" in link))


def set_password(api: HttpApi, token: str, password: str) -> Any:
    return api.request("POST", "/auth/password", json={"token": token, "password": password})


def post_application(api: HttpApi, email: str, **overrides: Any) -> Any:
    body = application_body(**overrides)
    body["contact"] = {**body["contact"], "email": email}
    return api.request("POST", "/applications", json=body)


def shape(value: Any) -> Any:
    """The keys and value types of a JSON answer, without its values."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return type(value).__name__


def reset(api: HttpApi, email: str) -> Any:
    return api.request("POST", "/auth/password-reset", json={"email": email})


# --- item 3: account enumeration ---------------------------------------------------------


def test_applying_with_a_known_address_answers_as_for_a_new_one(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a customer with an account, and an address nobody holds
    owner, _ = approve_to_login(http_api, reviewer_token)
    stranger = unique_email("new")
    # WHEN an application is sent for each address
    known = post_application(http_api, owner.email)
    new = post_application(http_api, stranger)
    # THEN both are accepted with the same status and the same shape of answer
    assert known.status_code == new.status_code == 201, known.text
    assert known.json()["status"] == new.json()["status"] == "AWAITING_DOCUMENT"
    assert shape(known.json()) == shape(new.json())
    # AND both applications can be followed with their status token in the same way
    for created in (known.json(), new.json()):
        status = http_api.request(
            "GET",
            f"/applications/{created['application_id']}",
            headers={"X-Status-Token": created["status_token"]},
        )
        assert status.status_code == 200, status.text
        assert status.json()["status"] == "AWAITING_DOCUMENT"


def test_the_owner_of_a_known_address_is_told_by_mail_once_with_a_reset_link(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a Dutch customer with an account
    owner, _ = approve_to_login(http_api, reviewer_token)
    # WHEN someone applies twice with that address, in German and for another company
    for _ in range(2):
        response = post_application(
            http_api,
            owner.email,
            language="de",
            company={
                "name": "Mallory Imaging GmbH",
                "street": "Hauptstraße 1",
                "postcode": "10115",
                "city": "Berlin",
                "country": "DE",
            },
        )
        assert response.status_code == 201, response.text
    # THEN the owner gets one notice, in the account's language, naming the account's own
    # company and nothing the applicant typed
    [notice] = wait_for_mail_with(http_api, owner.email, ACCOUNT_EXISTS_NL)
    assert "Studio Lumen" in notice["text"]
    assert "Mallory" not in notice["text"]
    time.sleep(1.0)  # a second notice, if any, would have been delivered by now
    assert len(mails_with(http_api, owner.email, ACCOUNT_EXISTS_NL)) == 1
    # AND its reset link sets a new password that logs in
    assert set_password(http_api, link_token(notice), NEW_PASSWORD).status_code == 200
    assert login(http_api, owner.email, NEW_PASSWORD)


def test_an_application_with_a_known_address_never_opens_a_second_account(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a customer with an account
    owner, token = approve_to_login(http_api, reviewer_token)
    before = http_api.request("GET", "/me", headers=bearer(token)).json()
    # AND an application with the same address that reaches review with a valid document
    response = post_application(
        http_api, owner.email, company={**application_body()["company"], "name": "Mallory B.V."}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    intruder = Applicant(
        created["application_id"], created["status_token"], owner.email, created["upload"]
    )
    assert upload(intruder.upload, PDF) in (200, 201, 204)
    intruder.wait_for(http_api, "PENDING_REVIEW")
    # WHEN a reviewer approves it anyway
    decision = decide(http_api, reviewer_token, intruder.application_id, "APPROVE")
    assert decision.status_code == 200, decision.text
    # THEN no account is opened: the application ends not approved
    status = intruder.wait_for(http_api, "REJECTED", "APPROVED")
    assert status["status"] == "REJECTED", status
    # AND the owner's login still opens the owner's own account
    fresh = login(http_api, owner.email, STRONG_PASSWORD)
    after = http_api.request("GET", "/me", headers=bearer(fresh)).json()
    assert after["account_id"] == before["account_id"]
    assert after["company"] == before["company"]
    # AND no second set-password mail went out
    assert len(mails_with(http_api, owner.email, APPROVED_NL)) == 1


def test_a_reset_for_a_known_and_an_unknown_address_answers_the_same(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a customer with an account, and an address nobody holds
    owner, _ = approve_to_login(http_api, reviewer_token)
    stranger = unique_email("nobody")
    # WHEN a reset is asked for each
    known, unknown = reset(http_api, owner.email), reset(http_api, stranger)
    # THEN the answers are identical, status, body and headers that could differ
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert known.headers.get("Content-Length") == unknown.headers.get("Content-Length")
    # AND only the owner is mailed
    wait_for_mail_with(http_api, owner.email, RESET_NL)
    assert mails_to(http_api, stranger) == []


# --- item 5: a new password ends every session and voids earlier links --------------------


def test_a_new_password_refuses_refresh_tokens_from_before(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a customer logged in, whose refresh token works
    owner, _ = approve_to_login(http_api, reviewer_token)
    tokens = http_api.request(
        "POST", "/auth/login", json={"email": owner.email, "password": STRONG_PASSWORD}
    ).json()
    refresh = {"refresh_token": tokens["refresh_token"]}
    assert http_api.request("POST", "/auth/refresh", json=refresh).status_code == 200
    # WHEN a new password is set with a reset link (as after a stolen password)
    assert reset(http_api, owner.email).status_code == 202
    [reset_mail] = wait_for_mail_with(http_api, owner.email, RESET_NL)
    assert set_password(http_api, link_token(reset_mail), NEW_PASSWORD).status_code == 200
    # THEN the refresh token from before is refused in the error shape
    error_of(http_api.request("POST", "/auth/refresh", json=refresh), 401)
    # AND the new password logs in, and its refresh token works
    fresh = http_api.request(
        "POST", "/auth/login", json={"email": owner.email, "password": NEW_PASSWORD}
    ).json()
    again = http_api.request(
        "POST", "/auth/refresh", json={"refresh_token": fresh["refresh_token"]}
    )
    assert again.status_code == 200, again.text


def test_a_new_password_voids_the_unused_set_password_link(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN an approved applicant who has not used the set-password link
    applicant = apply(http_api)
    assert upload(applicant.upload, PDF) in (200, 201, 204)
    applicant.wait_for(http_api, "PENDING_REVIEW")
    assert decide(http_api, reviewer_token, applicant.application_id, "APPROVE").status_code == 200
    [approval] = wait_for_mail_with(http_api, applicant.email, APPROVED_NL)
    # AND a reset link asked for later
    assert reset(http_api, applicant.email).status_code == 202
    [reset_mail] = wait_for_mail_with(http_api, applicant.email, RESET_NL)
    # WHEN the password is set with the reset link
    assert set_password(http_api, link_token(reset_mail), STRONG_PASSWORD).status_code == 200
    # THEN the earlier set-password link is refused and does not change the password
    error_of(set_password(http_api, link_token(approval), NEW_PASSWORD), 422, "INVALID_TOKEN")
    assert login(http_api, applicant.email, STRONG_PASSWORD)


def test_a_new_password_voids_an_earlier_unused_reset_link(
    http_api: HttpApi, reviewer_token: str
) -> None:
    # GIVEN a customer holding an unused reset link (from the notice of an application made
    # with the customer's address), and a reset link asked for later
    owner, _ = approve_to_login(http_api, reviewer_token)
    assert post_application(http_api, owner.email).status_code == 201
    [notice] = wait_for_mail_with(http_api, owner.email, ACCOUNT_EXISTS_NL)
    assert reset(http_api, owner.email).status_code == 202
    [reset_mail] = wait_for_mail_with(http_api, owner.email, RESET_NL)
    # WHEN the password is set with the later link
    assert set_password(http_api, link_token(reset_mail), NEW_PASSWORD).status_code == 200
    # THEN the earlier reset link is refused and does not change the password
    error_of(set_password(http_api, link_token(notice), STRONG_PASSWORD), 422, "INVALID_TOKEN")
    assert login(http_api, owner.email, NEW_PASSWORD)


# --- item 4: mail bombing -------------------------------------------------------------------


def test_reset_mails_are_limited_to_one_per_address_per_quarter_hour(
    isolated_api: HttpApi, isolated_reviewer_token: str
) -> None:
    # GIVEN a customer with an account
    owner, _ = approve_to_login(isolated_api, isolated_reviewer_token)
    # WHEN an attacker asks for a reset ten times in a row
    answers = [reset(isolated_api, owner.email) for _ in range(10)]
    # THEN every answer is the same 202
    assert {answer.status_code for answer in answers} == {202}
    # AND one reset mail arrives, however long one waits
    wait_for_mail_with(isolated_api, owner.email, RESET_NL)
    time.sleep(3.0)  # the queue is worked off within a second or so
    assert len(mails_with(isolated_api, owner.email, RESET_NL)) == 1

    # WHEN the quarter of an hour has passed (the clock moves a day) and a reset is asked again
    moved = isolated_api.request("POST", "/dev/clock", json={"advance_days": 1})
    assert moved.status_code == 200, moved.text
    assert reset(isolated_api, owner.email).status_code == 202
    # THEN a second reset mail arrives, and its link works
    second = wait_for_mail_with(isolated_api, owner.email, RESET_NL, count=2)[-1]
    assert set_password(isolated_api, link_token(second), NEW_PASSWORD).status_code == 200
