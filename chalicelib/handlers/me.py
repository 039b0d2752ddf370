"""The logged-in customer's own account."""

from __future__ import annotations

from chalice import Response

from chalicelib.container import container
from chalicelib.domain.errors import NotFound
from chalicelib.handlers.docs import doc
from chalicelib.handlers.http import account_id, respond
from chalicelib.handlers.routing import Access, ApiBlueprint
from chalicelib.handlers.schemas.me import MeOut
from chalicelib.handlers.views.me import me_out

me = ApiBlueprint(__name__)


@me.route("/me", methods=["GET"], access=Access.CUSTOMER)
@doc(summary="My business account", tag="customer", responses={200: MeOut})
def my_account() -> Response:
    account = container().accounts.get(account_id(me))
    if account is None:
        raise NotFound("There is no business account for this login.")
    return respond(me_out(account, container().membership_service.my_card(account)))
