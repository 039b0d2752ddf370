"""Issue 8, item 14: reviewers need an authenticator app (TOTP), as in every deployed stage.

Over HTTP on a runtime started with CPS_REVIEWER_MFA=required; the embedded Cognito checks the
codes (moto's TOTP check). Each test makes a reviewer of its own, as an operator would.
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP

from tests.support.http_api import HttpApi
from tests.support.journey import approve_to_login, bearer
from tests.support.runtime_process import RuntimeProcess, start_runtime_process

PASSWORD = "Reviewer-Mfa-Pass-2026"
REVIEW_QUEUE = "/review/applications?status=PENDING_REVIEW"


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimeProcess]:
    log = tmp_path_factory.mktemp("mfa-runtime") / "local_runtime.log"
    process = start_runtime_process(
        log,
        "seeded-reviewer@cps-e2e.test",
        PASSWORD,
        startup_timeout=90.0,
        extra_env={"CPS_REVIEWER_MFA": "required"},
    )
    yield process
    process.stop()


@pytest.fixture(scope="module")
def api(runtime: RuntimeProcess) -> Iterator[HttpApi]:
    client = HttpApi(runtime.api_url)
    yield client
    client.close()


@pytest.fixture(scope="module")
def cognito(runtime: RuntimeProcess) -> Any:
    return boto3.client(
        "cognito-idp",
        region_name="eu-west-1",
        endpoint_url=runtime.aws_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture(scope="module")
def pool(cognito: Any) -> tuple[str, str]:
    """The user pool and its public app client, as anyone can read them from the web app."""
    pool_id = cognito.list_user_pools(MaxResults=10)["UserPools"][0]["Id"]
    client_id = cognito.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"][0]["ClientId"]
    return pool_id, client_id


@pytest.fixture
def reviewer(cognito: Any, pool: tuple[str, str]) -> str:
    """A new reviewer with a password and no authenticator app yet."""
    email = f"reviewer-{uuid.uuid4().hex[:8]}@cps-e2e.test"
    cognito.admin_create_user(
        UserPoolId=pool[0],
        Username=email,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    cognito.admin_set_user_password(
        UserPoolId=pool[0], Username=email, Password=PASSWORD, Permanent=True
    )
    cognito.admin_add_user_to_group(UserPoolId=pool[0], Username=email, GroupName="reviewers")
    return email


def code_for(secret: str) -> str:
    """The authenticator app's current code; waits out the last seconds of a 30 s step, since
    the check accepts the current step only."""
    if 30 - time.time() % 30 < 3:
        time.sleep(3.5)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    return TOTP(key, 6, SHA1(), 30, enforce_key_length=False).generate(time.time()).decode()


def login(api: HttpApi, email: str) -> dict[str, Any]:
    response = api.request("POST", "/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.json()
    return response.json()


def enrol(api: HttpApi, email: str) -> str:
    """Adds an authenticator app through the API; returns its secret."""
    session = login(api, email)["session"]
    setup = api.request("POST", "/auth/mfa/setup", json={"session": session})
    assert setup.status_code == 200, setup.json()
    secret = setup.json()["secret"]
    verified = api.request(
        "POST", "/auth/mfa/verify", json={"session": session, "code": code_for(secret)}
    )
    assert verified.status_code == 200, verified.json()
    return secret


def test_a_reviewer_without_an_authenticator_gets_no_tokens_from_the_password(api, reviewer):
    # GIVEN a reviewer without an authenticator app WHEN they log in with the right password
    answer = login(api, reviewer)
    # THEN no token is handed out: the answer asks for an authenticator app first
    assert answer["challenge"] == "MFA_SETUP"
    assert not {"id_token", "refresh_token"} & set(answer)


def test_a_reviewer_token_taken_straight_from_cognito_is_refused_without_mfa(
    api, reviewer, cognito, pool
):
    # GIVEN an attacker with a reviewer's password who logs in at Cognito itself, around our
    # login (the app client is public), and so holds a reviewer ID token without a second factor
    result = cognito.initiate_auth(
        ClientId=pool[1],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": reviewer, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    # WHEN they call a reviewer route with it
    response = api.request("GET", REVIEW_QUEUE, headers=bearer(result["IdToken"]))
    # THEN 403: reviewer routes need an authenticator app
    assert response.status_code == 403, response.json()
    assert response.json()["error"]["code"] == "MFA_REQUIRED"


def test_a_wrong_code_does_not_add_the_authenticator(api, reviewer):
    # GIVEN the setup session of a first login
    session = login(api, reviewer)["session"]
    assert api.request("POST", "/auth/mfa/setup", json={"session": session}).status_code == 200
    # WHEN the setup is finished with a wrong code THEN 401, and the next login still asks for
    # an authenticator app
    wrong = api.request("POST", "/auth/mfa/verify", json={"session": session, "code": "000000"})
    assert wrong.status_code == 401, wrong.json()
    assert login(api, reviewer)["challenge"] == "MFA_SETUP"


def test_with_an_authenticator_the_login_needs_its_code_and_opens_reviewer_routes(api, reviewer):
    # GIVEN a reviewer who added an authenticator app
    secret = enrol(api, reviewer)
    # WHEN they log in THEN the password alone gives no token but asks for the app's code
    challenge = login(api, reviewer)
    assert challenge["challenge"] == "SOFTWARE_TOKEN_MFA"
    assert "id_token" not in challenge
    # AND the right code gives the tokens, which open the reviewer routes
    answer = api.request(
        "POST",
        "/auth/login/mfa",
        json={"email": reviewer, "session": challenge["session"], "code": code_for(secret)},
    )
    assert answer.status_code == 200, answer.json()
    queue = api.request("GET", REVIEW_QUEUE, headers=bearer(answer.json()["id_token"]))
    assert queue.status_code == 200, queue.json()


def test_a_wrong_code_gives_no_tokens(api, reviewer):
    # GIVEN a reviewer with an authenticator app
    enrol(api, reviewer)
    challenge = login(api, reviewer)
    # WHEN a wrong code answers the challenge THEN 401 and no token
    wrong = api.request(
        "POST",
        "/auth/login/mfa",
        json={"email": reviewer, "session": challenge["session"], "code": "000000"},
    )
    assert wrong.status_code == 401, wrong.json()
    assert "id_token" not in wrong.json()


def test_customers_log_in_without_an_authenticator(api, reviewer):
    # GIVEN MFA required for reviewers, and a reviewer who logs in with it
    secret = enrol(api, reviewer)
    challenge = login(api, reviewer)
    reviewer_token = api.request(
        "POST",
        "/auth/login/mfa",
        json={"email": reviewer, "session": challenge["session"], "code": code_for(secret)},
    ).json()["id_token"]
    # WHEN an approved customer logs in with the password THEN tokens come at once
    _, customer_token = approve_to_login(api, reviewer_token)
    assert api.request("GET", "/me", headers=bearer(customer_token)).status_code == 200
