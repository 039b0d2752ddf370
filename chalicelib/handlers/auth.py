"""Public password and login routes over the identity provider."""

from __future__ import annotations

from urllib.parse import quote

from chalice import Response

from chalicelib.container import container
from chalicelib.handlers.docs import doc
from chalicelib.handlers.http import parse_body, respond
from chalicelib.handlers.routing import Access, ApiBlueprint
from chalicelib.handlers.schemas.auth import (
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
from chalicelib.handlers.schemas.common import AcceptedOut
from chalicelib.services.ports import AuthTokens, MfaChallenge

auth = ApiBlueprint(__name__)

NO_STORE = {"Cache-Control": {"const": "no-store"}}  # tokens are never cached
AUTHENTICATOR_LABEL = "Canon CPS back office"


def _tokens(tokens: AuthTokens) -> Response:
    return respond(
        TokensOut(
            id_token=tokens.id_token,
            access_token=tokens.access_token,
            refresh_token=tokens.refresh_token,
            expires_in=tokens.expires_in,
        ),
        headers={"Cache-Control": "no-store"},
    )


@auth.route("/auth/password", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="Set the password from the e-mailed one-time link",
    tag="auth",
    request=PasswordIn,
    responses={200: PasswordSetOut},
)
def set_password() -> Response:
    body = parse_body(auth, PasswordIn)
    container().auth_service.set_password(body.token, body.password)
    return respond(PasswordSetOut(status="password_set"))


@auth.route("/auth/password-reset", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="E-mail a reset link when the account exists (always 202)",
    tag="auth",
    request=PasswordResetIn,
    responses={202: AcceptedOut},
)
def password_reset() -> Response:
    body = parse_body(auth, PasswordResetIn)
    container().auth_service.request_reset(body.email)
    return respond(AcceptedOut(status="accepted"), status=202)


@auth.route("/auth/login", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="Log in with e-mail and password",
    tag="auth",
    request=LoginIn,
    responses={200: LoginOut, 401: None, 503: None},
    response_headers=NO_STORE,
)
def login() -> Response:
    body = parse_body(auth, LoginIn)
    outcome = container().auth_service.login(body.email, body.password)
    if isinstance(outcome, MfaChallenge):
        challenge = MfaChallengeOut(challenge=outcome.challenge, session=outcome.session)
        return respond(challenge, headers={"Cache-Control": "no-store"})
    return _tokens(outcome)


@auth.route("/auth/login/mfa", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="Finish a login with the authenticator app's code (challenge SOFTWARE_TOKEN_MFA)",
    tag="auth",
    request=MfaAnswerIn,
    responses={200: TokensOut, 401: None, 503: None},
    response_headers=NO_STORE,
)
def login_mfa() -> Response:
    body = parse_body(auth, MfaAnswerIn)
    return _tokens(container().auth_service.answer_mfa(body.email, body.session, body.code))


@auth.route("/auth/mfa/setup", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="Start adding an authenticator app (challenge MFA_SETUP): its secret",
    tag="auth",
    request=MfaSetupIn,
    responses={200: MfaSetupOut, 401: None, 503: None},
    response_headers=NO_STORE,
)
def mfa_setup() -> Response:
    body = parse_body(auth, MfaSetupIn)
    secret = container().auth_service.start_mfa_setup(body.session)
    label = quote(AUTHENTICATOR_LABEL)
    uri = f"otpauth://totp/{label}?secret={secret}&issuer={label}"
    return respond(
        MfaSetupOut(secret=secret, otpauth_uri=uri), headers={"Cache-Control": "no-store"}
    )


@auth.route("/auth/mfa/verify", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="Finish adding the authenticator app with one of its codes; then log in again",
    tag="auth",
    request=MfaVerifyIn,
    responses={200: MfaEnabledOut, 401: None, 503: None},
)
def mfa_verify() -> Response:
    body = parse_body(auth, MfaVerifyIn)
    container().auth_service.finish_mfa_setup(body.session, body.code)
    return respond(MfaEnabledOut(status="mfa_enabled"))


@auth.route("/auth/refresh", methods=["POST"], access=Access.PUBLIC)
@doc(
    summary="New tokens from a refresh token",
    tag="auth",
    request=RefreshIn,
    responses={200: TokensOut, 401: None, 503: None},
    response_headers=NO_STORE,
)
def refresh() -> Response:
    body = parse_body(auth, RefreshIn)
    return _tokens(container().auth_service.refresh(body.refresh_token))
