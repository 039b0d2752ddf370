"""Logins live in the Cognito user pool; the business account id travels as a custom attribute."""

from __future__ import annotations

import secrets
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

from chalicelib.domain.credentials import ChallengeKind
from chalicelib.domain.errors import InvalidCredentials, RetryableFailure, ValidationFailed
from chalicelib.services.ports import AuthTokens, MfaChallenge

# Refusals of a login, a refresh or a second factor that say only "not you" to the caller.
_REFUSALS = (
    "NotAuthorizedException",
    "UserNotFoundException",
    "InvalidParameterException",
    "UserNotConfirmedException",
    "PasswordResetRequiredException",
    "CodeMismatchException",
    "ExpiredCodeException",
    "EnableSoftwareTokenMFAException",
)

ACCOUNT_ID_ATTRIBUTE = "custom:account_id"


class CognitoIdentityProvider:
    def __init__(self, cognito: Any, user_pool_id: str, client_id: str) -> None:
        self._cognito = cognito
        self._pool = user_pool_id
        self._client = client_id

    def ensure_user(self, email: str, account_id: str) -> None:
        try:
            self._cognito.admin_create_user(
                UserPoolId=self._pool,
                Username=email,
                # Never sent: the customer sets a password through our one-time link.
                TemporaryPassword=_unusable_password(),
                MessageAction="SUPPRESS",
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": ACCOUNT_ID_ATTRIBUTE, "Value": account_id},
                ],
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "UsernameExistsException":
                raise
            self._cognito.admin_update_user_attributes(
                UserPoolId=self._pool,
                Username=email,
                UserAttributes=[{"Name": ACCOUNT_ID_ATTRIBUTE, "Value": account_id}],
            )

    def set_password(self, email: str, password: str) -> None:
        try:
            self._cognito.admin_set_user_password(
                UserPoolId=self._pool, Username=email, Password=password, Permanent=True
            )
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code == "InvalidPasswordException":
                raise ValidationFailed(
                    "The password does not meet the policy.",
                    fields={"password": exc.response["Error"].get("Message", "invalid")},
                ) from exc
            if code == "UserNotFoundException":
                raise InvalidCredentials("No login exists for this link.") from exc
            raise

    def sign_out_everywhere(self, email: str) -> None:
        # Revokes every refresh token of the user; access and ID tokens already issued stay
        # valid until they expire (at most an hour), as Cognito documents.
        try:
            self._cognito.admin_user_global_sign_out(UserPoolId=self._pool, Username=email)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "UserNotFoundException":
                raise

    def login(self, email: str, password: str) -> AuthTokens | MfaChallenge:
        response = self._call(
            "initiate_auth",
            AuthFlow="USER_PASSWORD_AUTH",
            ClientId=self._client,
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
        if response.get("ChallengeName") == ChallengeKind.SOFTWARE_TOKEN_MFA:
            return MfaChallenge(ChallengeKind.SOFTWARE_TOKEN_MFA, response["Session"])
        return _tokens(response, None)

    def answer_mfa(self, email: str, session: str, code: str) -> AuthTokens:
        response = self._call(
            "respond_to_auth_challenge",
            # An unknown session: Cognito says NotAuthorized, moto ResourceNotFound.
            also_refused=("ResourceNotFoundException",),
            ClientId=self._client,
            ChallengeName=ChallengeKind.SOFTWARE_TOKEN_MFA.value,
            Session=session,
            ChallengeResponses={"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": code},
        )
        return _tokens(response, None)

    def refresh(self, refresh_token: str) -> AuthTokens:
        response = self._call(
            "initiate_auth",
            AuthFlow="REFRESH_TOKEN_AUTH",
            ClientId=self._client,
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
        return _tokens(response, refresh_token)

    def start_mfa_setup(self, access_token: str) -> str:
        """A new authenticator secret (base32) for the user of the access token."""
        return str(self._call("associate_software_token", AccessToken=access_token)["SecretCode"])

    def finish_mfa_setup(self, access_token: str, code: str) -> None:
        """Proves the authenticator with one of its codes, then makes it every login's second
        step: from now on Cognito itself asks for a code, whichever client logs in."""
        response = self._call(
            "verify_software_token",
            AccessToken=access_token,
            UserCode=code,
            FriendlyDeviceName="authenticator",
        )
        if response.get("Status") != "SUCCESS":
            raise InvalidCredentials("The code is not correct.")
        self._call(
            "set_user_mfa_preference",
            AccessToken=access_token,
            SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
        )

    def has_mfa(self, email: str) -> bool:
        try:
            user = self._cognito.admin_get_user(UserPoolId=self._pool, Username=email)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "UserNotFoundException":
                return False
            raise
        return "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or [])

    def _call(
        self, operation: str, also_refused: tuple[str, ...] = (), **kwargs: Any
    ) -> dict[str, Any]:
        try:
            return dict(getattr(self._cognito, operation)(**kwargs))
        except ParamValidationError as exc:  # a session or code Cognito would refuse anyway
            raise InvalidCredentials("The session or code is not valid.") from exc
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code in _REFUSALS or code in also_refused:
                if code in ("CodeMismatchException", "EnableSoftwareTokenMFAException"):
                    raise InvalidCredentials("The code is not correct.") from exc
                raise InvalidCredentials("The e-mail address or password is not correct.") from exc
            if code in ("TooManyRequestsException", "LimitExceededException"):
                raise RetryableFailure("Too many attempts; try again shortly.") from exc
            raise


def _tokens(response: dict[str, Any], refresh_token: str | None) -> AuthTokens:
    result = response.get("AuthenticationResult")
    if not result:  # another challenge, e.g. a password never set through our link
        raise InvalidCredentials("The e-mail address or password is not correct.")
    return AuthTokens(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result.get("RefreshToken", refresh_token),
        expires_in=int(result.get("ExpiresIn", 3600)),
    )


def _unusable_password() -> str:
    return secrets.token_urlsafe(24) + "aA1!"
