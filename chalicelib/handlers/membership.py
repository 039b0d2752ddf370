"""Signing up for CPS: tiers, quote, checkout, the membership card."""

from __future__ import annotations

import re

from chalice import Response

from chalicelib.container import container
from chalicelib.domain.membership import PaymentMethod, PurchaseRequest
from chalicelib.domain.tiers import Family
from chalicelib.handlers.docs import IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_PATTERN, Param, doc
from chalicelib.handlers.errors import MalformedRequest
from chalicelib.handlers.http import account_id, json_response, parse_body, principal, respond, wire
from chalicelib.handlers.routing import Access, ApiBlueprint
from chalicelib.handlers.schemas.card import MembershipOut
from chalicelib.handlers.schemas.membership import (
    CheckoutIn,
    CheckoutOut,
    MembershipPatchIn,
    PaymentMethodIn,
    QuoteIn,
    QuoteOut,
    TiersOut,
    UpgradeIn,
    UpgradeOut,
)
from chalicelib.handlers.views.card import membership_out
from chalicelib.handlers.views.membership import checkout_out, quote_out, tiers_out, upgrade_out

membership = ApiBlueprint(__name__)

IDEMPOTENCY_HEADER = "idempotency-key"
_IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)


@membership.route("/tiers", methods=["GET"], access=Access.CUSTOMER)
@doc(
    summary="The CPS tiers, their fees and which are open to the company",
    tag="membership",
    query=(Param("family", {"enum": [f.value for f in Family]}, description="Default: both"),),
    responses={200: TiersOut},
)
def tiers() -> Response:
    family = (membership.current_request.query_params or {}).get("family")
    if family is not None and family not in {f.value for f in Family}:
        raise MalformedRequest("Unknown family.", fields={"family": "individual or corporate"})
    return respond(tiers_out(container().membership_service.tiers(account_id(membership), family)))


@membership.route("/checkout/quote", methods=["POST"], access=Access.CUSTOMER)
@doc(
    summary="Price of a tier with VAT", tag="membership", request=QuoteIn, responses={200: QuoteOut}
)
def quote() -> Response:
    body = parse_body(membership, QuoteIn)
    return respond(
        quote_out(container().membership_service.quote(account_id(membership), body.tier))
    )


def _idempotency_key() -> str:
    # Exactly the documented rule (IDEMPOTENCY_KEY), blanks around it dropped as HTTP does.
    key = (membership.current_request.headers or {}).get(IDEMPOTENCY_HEADER, "").strip(" \t")
    if not _IDEMPOTENCY_KEY.fullmatch(key):
        raise MalformedRequest(
            "An Idempotency-Key header is required for a purchase.",
            fields={"Idempotency-Key": "1 to 255 visible ASCII characters (spaces inside)"},
        )
    return key


@membership.route("/checkout", methods=["POST"], access=Access.CUSTOMER)
@doc(
    summary="Buy a CPS membership (needs an Idempotency-Key)",
    tag="membership",
    request=CheckoutIn,
    headers=(IDEMPOTENCY_KEY,),
    responses={201: CheckoutOut, 409: None, 503: None},
)
def checkout() -> Response:
    owner = account_id(membership)
    key = _idempotency_key()
    body = parse_body(membership, CheckoutIn)
    command = PurchaseRequest(
        tier=body.tier,
        auto_renew=body.auto_renew,
        purchase_order_number=body.purchase_order_number,
        accept_terms=body.accept_terms,
        terms_version=body.terms_version,
        payment_method=PaymentMethod(body.payment.method),
        payment_method_token=getattr(body.payment, "payment_method_token", None),
    )
    caller = principal(membership)
    result = container().checkout_idempotency.run(
        owner,
        key,
        body.model_dump(mode="json"),
        lambda: wire(
            checkout_out(
                container().membership_service.checkout(
                    owner, caller.email or caller.subject, key, command
                )
            )
        ),
        membership.lambda_context,
    )
    return json_response(result, status=201)  # CheckoutOut, built once and replayed as stored


@membership.route("/membership", methods=["GET"], access=Access.CUSTOMER)
@doc(summary="The subscription card", tag="membership", responses={200: MembershipOut})
def get_membership() -> Response:
    owner = account_id(membership)
    service = container().membership_service
    return respond(membership_out(service.card_for(owner, service.membership(owner))))


@membership.route("/membership", methods=["PATCH"], access=Access.CUSTOMER)
@doc(
    summary="Switch auto-renewal on or off; choose the tier for the renewal",
    tag="membership",
    request=MembershipPatchIn,
    responses={200: MembershipOut, 409: None},
)
def patch_membership() -> Response:
    body = parse_body(membership, MembershipPatchIn)
    if body.auto_renew is None and body.renewal_tier is None:
        raise MalformedRequest(
            "Nothing to change: send auto_renew, renewal_tier or both.",
            fields={"auto_renew": "true or false", "renewal_tier": "a tier id"},
        )
    owner = account_id(membership)
    caller = principal(membership)
    service = container().membership_service
    changed = service.change(
        owner, caller.email or caller.subject, body.auto_renew, body.renewal_tier
    )
    return respond(membership_out(service.card_for(owner, changed)))


@membership.route("/membership/payment-method", methods=["PUT"], access=Access.CUSTOMER)
@doc(
    summary="A new card: authorised for zero; an open invoice that is due is charged at once",
    tag="membership",
    request=PaymentMethodIn,
    responses={200: MembershipOut, 409: None, 503: None},
)
def put_payment_method() -> Response:
    body = parse_body(membership, PaymentMethodIn)
    owner = account_id(membership)
    caller = principal(membership)
    service = container().membership_service
    changed = service.change_card(owner, caller.email or caller.subject, body.payment_method_token)
    return respond(membership_out(service.card_for(owner, changed)))


@membership.route("/membership/upgrade", methods=["POST"], access=Access.CUSTOMER)
@doc(
    summary="Upgrade mid-term to a tier with a higher fee (needs an Idempotency-Key)",
    tag="membership",
    request=UpgradeIn,
    headers=(IDEMPOTENCY_KEY,),
    responses={201: UpgradeOut, 409: None, 503: None},
)
def upgrade() -> Response:
    owner = account_id(membership)
    key = _idempotency_key()
    body = parse_body(membership, UpgradeIn)
    caller = principal(membership)
    result = container().checkout_idempotency.run(
        owner,
        f"upgrade:{key}",
        body.model_dump(mode="json"),
        lambda: wire(
            upgrade_out(
                container().membership_service.upgrade(
                    owner, caller.email or caller.subject, key, body.tier
                )
            )
        ),
        membership.lambda_context,
    )
    return json_response(result, status=201)  # UpgradeOut, built once and replayed as stored
