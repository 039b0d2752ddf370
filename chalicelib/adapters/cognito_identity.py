"""Logins live in the Cognito user pool; the business account id travels as a custom attribute."""

from __future__ import annotations

import secrets
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domain.errors import InvalidCredentials, RetryableFailure, ValidationFailed
from chalicelib.services.ports import AuthTokens

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

    def add_to_group(self, email: str, group: str) -> None:
        self._cognito.admin_add_user_to_group(
            UserPoolId=self._pool, Username=email, GroupName=group
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

    def login(self, email: str, password: str) -> AuthTokens:
        return self._authenticate(
            "USER_PASSWORD_AUTH", {"USERNAME": email, "PASSWORD": password}, None
        )

    def refresh(self, refresh_token: str) -> AuthTokens:
        return self._authenticate(
            "REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": refresh_token}, refresh_token
        )

    def _authenticate(
        self, flow: str, parameters: dict[str, str], refresh_token: str | None
    ) -> AuthTokens:
        try:
            response = self._cognito.initiate_auth(
                AuthFlow=flow, ClientId=self._client, AuthParameters=parameters
            )
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code in (
                "NotAuthorizedException",
                "UserNotFoundException",
                "InvalidParameterException",
                "UserNotConfirmedException",
                "PasswordResetRequiredException",
            ):
                raise InvalidCredentials("The e-mail address or password is not correct.") from exc
            if code in ("TooManyRequestsException", "LimitExceededException"):
                raise RetryableFailure("Too many attempts; try again shortly.") from exc
            raise
        result = response.get("AuthenticationResult")
        if not result:  # a challenge, e.g. a password never set through our link
            raise InvalidCredentials("The e-mail address or password is not correct.")
        return AuthTokens(
            id_token=result["IdToken"],
            access_token=result["AccessToken"],
            refresh_token=result.get("RefreshToken", refresh_token),
            expires_in=int(result.get("ExpiresIn", 3600)),
        )


def _unusable_password() -> str:
    return secrets.token_urlsafe(24) + "aA1!"
