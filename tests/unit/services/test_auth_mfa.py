"""AuthService's logins with a second factor: reviewers need an authenticator app, customers
do not; a reviewer without one gets no tokens, only a session to add one with."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.credentials import ChallengeKind
from chalicelib.domain.errors import InvalidCredentials, MfaRequired
from chalicelib.services.auth import AuthService, AuthSettings
from chalicelib.services.ports import AuthTokens, MfaChallenge
from tests.fakes.ports import FakeAccounts, FakeIdentity, FakeTokens, FixedClock

REVIEWER = "reviewer@canon.example"
CUSTOMER = "buyer@studio.example"
PASSWORD = "Correct-Horse-2026"


def service(identity: FakeIdentity, *, mfa_required: bool = True) -> AuthService:
    return AuthService(
        accounts=FakeAccounts(),
        tokens=FakeTokens(),
        identity=identity,
        outbox=None,  # type: ignore[arg-type]  # logins send no mail
        clock=FixedClock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)),
        settings=AuthSettings(
            frontend_url="https://cps.example",
            reviewers_group="reviewers",
            reviewer_mfa_required=mfa_required,
        ),
        throttle=None,  # type: ignore[arg-type]  # resets only
        revocations=None,  # type: ignore[arg-type]  # password changes only
        verifier=identity,
    )


@pytest.fixture
def identity() -> FakeIdentity:
    fake = FakeIdentity()
    fake.add_user(REVIEWER, PASSWORD, "reviewers")
    fake.add_user(CUSTOMER, PASSWORD)
    return fake


def test_a_customer_logs_in_with_the_password_alone(identity):
    # GIVEN MFA required for reviewers WHEN a customer logs in THEN tokens come at once
    outcome = service(identity).login(CUSTOMER, PASSWORD)
    assert isinstance(outcome, AuthTokens)


def test_a_reviewer_without_an_authenticator_gets_no_tokens_but_a_setup_session(identity):
    # GIVEN a reviewer without an authenticator app WHEN they log in with the right password
    outcome = service(identity).login(REVIEWER, PASSWORD)
    # THEN they must add an app first: no tokens, a session to add one with
    assert outcome == MfaChallenge(ChallengeKind.MFA_SETUP, f"access:{REVIEWER}")


def test_without_the_requirement_a_reviewer_logs_in_with_the_password(identity):
    # GIVEN the local runtime's setting (no MFA required) WHEN the reviewer logs in THEN tokens
    assert isinstance(service(identity, mfa_required=False).login(REVIEWER, PASSWORD), AuthTokens)


def test_a_wrong_password_is_refused_before_any_challenge(identity):
    # GIVEN a reviewer WHEN the password is wrong THEN 401, no challenge
    with pytest.raises(InvalidCredentials):
        service(identity).login(REVIEWER, "Wrong-Password-1")


def test_a_reviewer_adds_an_authenticator_and_is_then_asked_for_its_code(identity):
    auth = service(identity)
    # GIVEN the setup session of a first login
    setup = auth.login(REVIEWER, PASSWORD)
    assert isinstance(setup, MfaChallenge)
    # WHEN the app is added with one of its codes
    assert auth.start_mfa_setup(setup.session)
    auth.finish_mfa_setup(setup.session, FakeIdentity.CODE)
    # THEN the next login asks for a code, and the code gives the tokens
    challenge = auth.login(REVIEWER, PASSWORD)
    assert isinstance(challenge, MfaChallenge)
    assert challenge.challenge is ChallengeKind.SOFTWARE_TOKEN_MFA
    tokens = auth.answer_mfa(REVIEWER.upper(), challenge.session, FakeIdentity.CODE)
    assert tokens.id_token == f"id:{REVIEWER}"


def test_a_wrong_code_does_not_add_the_authenticator(identity):
    auth = service(identity)
    setup = auth.login(REVIEWER, PASSWORD)
    assert isinstance(setup, MfaChallenge)
    auth.start_mfa_setup(setup.session)
    # WHEN the setup is finished with a wrong code THEN 401 and still no second factor
    with pytest.raises(InvalidCredentials):
        auth.finish_mfa_setup(setup.session, "000000")
    assert not identity.has_mfa(REVIEWER)


def test_a_wrong_code_gives_no_tokens(identity):
    # GIVEN a reviewer with an authenticator app WHEN a wrong code answers the challenge THEN 401
    identity.add_user(REVIEWER, PASSWORD, "reviewers", mfa=True)
    auth = service(identity)
    challenge = auth.login(REVIEWER, PASSWORD)
    assert isinstance(challenge, MfaChallenge)
    with pytest.raises(InvalidCredentials):
        auth.answer_mfa(REVIEWER, challenge.session, "999999")


def test_reviewer_routes_refuse_a_reviewer_without_an_authenticator(identity):
    # GIVEN a reviewer token obtained around our login (straight from the identity provider)
    # WHEN a reviewer route checks the caller THEN 403 MFA_REQUIRED
    with pytest.raises(MfaRequired):
        service(identity).ensure_reviewer_mfa(REVIEWER)


def test_reviewer_routes_accept_a_reviewer_with_an_authenticator(identity):
    identity.add_user(REVIEWER, PASSWORD, "reviewers", mfa=True)
    service(identity).ensure_reviewer_mfa(REVIEWER)  # THEN no refusal


def test_reviewer_routes_need_no_authenticator_when_not_required(identity):
    service(identity, mfa_required=False).ensure_reviewer_mfa(REVIEWER)  # THEN no refusal
