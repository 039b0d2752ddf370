"""The logged-in customer's own account."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.container import container
from chalicelib.domain.errors import NotFound
from chalicelib.handlers.docs import doc
from chalicelib.handlers.gate import jwt_auth
from chalicelib.handlers.http import account_id, json_response
from chalicelib.handlers.schemas import MeOut

me = Blueprint(__name__)


@me.route("/me", methods=["GET"], authorizer=jwt_auth)
@doc(summary="My business account", tag="customer", responses={200: MeOut})
def my_account() -> Response:
    account = container().accounts.get(account_id(me))
    if account is None:
        raise NotFound("There is no business account for this login.")
    return json_response(
        {
            **account.profile(),
            "membership": container().membership_service.my_card(account),
        }
    )
