"""The custom authorizer: verifies the Cognito ID token and passes the caller on as context."""

from __future__ import annotations

from chalice import AuthResponse, Blueprint
from chalice.app import AuthRequest

from chalicelib.container import container
from chalicelib.domain.errors import InvalidCredentials

gate = Blueprint(__name__)


@gate.authorizer(name="jwt_auth", ttl_seconds=300)
def jwt_auth(auth_request: AuthRequest) -> AuthResponse:
    scheme, _, token = (auth_request.token or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Exception("Unauthorized")  # API Gateway's convention for a 401
    try:
        caller = container().token_verifier.verify(token.strip())
    except InvalidCredentials:
        raise Exception("Unauthorized") from None
    # API Gateway passes only flat string values of the context on to the routes.
    return AuthResponse(
        routes=["*"],
        principal_id=caller.subject,
        context={
            "email": caller.email,
            "account_id": caller.account_id or "",
            "groups": ",".join(caller.groups),
        },
    )
