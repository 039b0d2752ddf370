"""Passwords, login (with the authenticator app's second factor) and token refresh."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel

from chalicelib.domain.credentials import ChallengeKind
from chalicelib.handlers.schemas.common import Request, Response, Text


class PasswordIn(Request):
    token: Text = Field(min_length=1, max_length=200)
    password: Text = Field(
        min_length=1,
        max_length=256,
        json_schema_extra={"minLength": 12},
        description="12 or more characters with a lower- and an upper-case letter and a digit, "
        "no blanks around (else a 422)",
    )


class PasswordResetIn(Request):
    email: Text = Field(max_length=320)


class LoginIn(Request):
    email: Text = Field(min_length=1, max_length=320)
    password: Text = Field(min_length=1, max_length=256)


class RefreshIn(Request):
    refresh_token: Text = Field(min_length=1, max_length=8000)


MfaCode = Annotated[
    Text, Field(pattern=r"^[0-9]{6}$", description="the six digits the authenticator app shows")
]
# Cognito's own limits: a challenge session is 20 to 2,048 characters; a setup session (an
# access token) has no documented maximum.
ChallengeSession = Annotated[
    Text,
    Field(
        min_length=20,
        max_length=2048,
        description="the `session` of the SOFTWARE_TOKEN_MFA login answer",
    ),
]
SetupSession = Annotated[
    Text,
    Field(min_length=1, max_length=8000, description="the `session` of the MFA_SETUP answer"),
]


class MfaAnswerIn(Request):
    email: Text = Field(min_length=1, max_length=320)
    session: ChallengeSession
    code: MfaCode


class MfaSetupIn(Request):
    session: SetupSession


class MfaVerifyIn(Request):
    session: SetupSession
    code: MfaCode


class PasswordSetOut(Response):
    status: Literal["password_set"]


class TokensOut(Response):
    id_token: str
    access_token: str
    refresh_token: str | None
    expires_in: int


class MfaChallengeOut(Response):
    """No tokens yet: SOFTWARE_TOKEN_MFA, send the app's code to /auth/login/mfa; MFA_SETUP
    (a reviewer without an authenticator app), add one through /auth/mfa/setup and /verify."""

    challenge: ChallengeKind
    session: str


class LoginOut(RootModel[TokensOut | MfaChallengeOut]):
    pass


class MfaSetupOut(Response):
    secret: str = Field(description="base32, for an authenticator app")
    otpauth_uri: str = Field(description="the same secret as an otpauth:// URI (a QR code)")


class MfaEnabledOut(Response):
    status: Literal["mfa_enabled"]
