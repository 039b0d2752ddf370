"""Public password and login routes over the identity provider."""

from __future__ import annotations

from urllib.parse import quote

from chalice import Blueprint, Response

from chalicelib.container import container
from chalicelib.handlers.docs import doc
from chalicelib.handlers.http import json_response, parse_body
from chalicelib.handlers.schemas import (
    AcceptedOut,
    LoginIn,
    LoginOut,
    MfaAnswerIn,
    MfaChallengeOut,
    MfaEnabledOut,
    MfaSetupIn,
    MfaSetupOut,
    MfaVerifyIn,
    PasswordIn,
    PasswordResetIn,
    PasswordSetOut,
    RefreshIn,
    TokensOut,
)
from chalicelib.services.ports import AuthTokens, MfaChallenge

auth = Blueprint(__name__)

NO_STORE = {"Cache-Control": {"const": "no-store"}}  # tokens are never cached
AUTHENTICATOR_LABEL = "Canon CPS back office"


def _tokens(tokens: AuthTokens) -> Response:
    return json_response(
        {
            "id_token": tokens.id_token,
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_in": tokens.expires_in,
        },
        headers={"Cache-Control": "no-store"},
    )


@auth.route("/auth/password", methods=["POST"])
@doc(
    summary="Set the password from the e-mailed one-time link",
    tag="auth",
    security=False,
    request=PasswordIn,
    responses={200: PasswordSetOut},
)
def set_password() -> Response:
    body = parse_body(auth, PasswordIn)
    container().auth_service.set_password(body.token, body.password)
    return json_response({"status": "password_set"})


@auth.route("/auth/password-reset", methods=["POST"])
@doc(
    summary="E-mail a reset link when the account exists (always 202)",
    tag="auth",
    security=False,
    request=PasswordResetIn,
    responses={202: AcceptedOut},
)
def password_reset() -> Response:
    body = parse_body(auth, PasswordResetIn)
    container().auth_service.request_reset(body.email)
    return json_response({"status": "accepted"}, status=202)


@auth.route("/auth/login", methods=["POST"])
@doc(
    summary="Log in with e-mail and password",
    tag="auth",
    security=False,
    request=LoginIn,
    responses={200: LoginOut, 401: None, 503: None},
    response_headers=NO_STORE,
)
def login() -> Response:
    body = parse_body(auth, LoginIn)
    outcome = container().auth_service.login(body.email, body.password)
    if isinstance(outcome, MfaChallenge):
        challenge = MfaChallengeOut(challenge=outcome.challenge, session=outcome.session)
        return json_response(
            challenge.model_dump(mode="json"), headers={"Cache-Control": "no-store"}
        )
    return _tokens(outcome)


@auth.route("/auth/login/mfa", methods=["POST"])
@doc(
    summary="Finish a login with the authenticator app's code (challenge SOFTWARE_TOKEN_MFA)",
    tag="auth",
    security=False,
    request=MfaAnswerIn,
    responses={200: TokensOut, 401: None, 503: None},
    response_headers=NO_STORE,
)
def login_mfa() -> Response:
    body = parse_body(auth, MfaAnswerIn)
    return _tokens(container().auth_service.answer_mfa(body.email, body.session, body.code))


@auth.route("/auth/mfa/setup", methods=["POST"])
@doc(
    summary="Start adding an authenticator app (challenge MFA_SETUP): its secret",
    tag="auth",
    security=False,
    request=MfaSetupIn,
    responses={200: MfaSetupOut, 401: None, 503: None},
    response_headers=NO_STORE,
)
def mfa_setup() -> Response:
    body = parse_body(auth, MfaSetupIn)
    secret = container().auth_service.start_mfa_setup(body.session)
    label = quote(AUTHENTICATOR_LABEL)
    uri = f"otpauth://totp/{label}?secret={secret}&issuer={label}"
    return json_response(
        MfaSetupOut(secret=secret, otpauth_uri=uri).model_dump(),
        headers={"Cache-Control": "no-store"},
    )


@auth.route("/auth/mfa/verify", methods=["POST"])
@doc(
    summary="Finish adding the authenticator app with one of its codes; then log in again",
    tag="auth",
    security=False,
    request=MfaVerifyIn,
    responses={200: MfaEnabledOut, 401: None, 503: None},
)
def mfa_verify() -> Response:
    body = parse_body(auth, MfaVerifyIn)
    container().auth_service.finish_mfa_setup(body.session, body.code)
    return json_response({"status": "mfa_enabled"})


@auth.route("/auth/refresh", methods=["POST"])
@doc(
    summary="New tokens from a refresh token",
    tag="auth",
    security=False,
    request=RefreshIn,
    responses={200: TokensOut, 401: None, 503: None},
    response_headers=NO_STORE,
)
def refresh() -> Response:
    body = parse_body(auth, RefreshIn)
    return _tokens(container().auth_service.refresh(body.refresh_token))
