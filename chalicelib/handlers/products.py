"""The customer's "My Products", points and the catalogue of eligible products."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.container import container
from chalicelib.domain.points import LedgerEntry
from chalicelib.domain.products import ProductDetails, Registration, validate_details
from chalicelib.handlers.docs import CATALOG_CURSOR, CURSOR, LIMIT, Param, doc
from chalicelib.handlers.errors import MalformedRequest
from chalicelib.handlers.gate import jwt_auth
from chalicelib.handlers.http import (
    account_id,
    json_response,
    page_params,
    parse_body,
    principal,
)
from chalicelib.handlers.schemas import (
    CatalogListOut,
    PointsOut,
    ProductIn,
    ProductListOut,
    ProductOut,
    ProductPatchIn,
)

products = Blueprint(__name__)


def product_view(registration: Registration) -> dict[str, Any]:
    d = registration.details
    return {
        "product_id": registration.product_id,
        "sku": registration.sku,
        "name": registration.name,
        "serial_number": d.serial_number,
        "purchase_date": d.purchase_date.isoformat() if d.purchase_date else None,
        "country_of_purchase": d.country_of_purchase,
        "dealer": d.dealer,
        "complete": registration.complete,
        "missing": list(d.missing()),
        "points": registration.points,
        "source": registration.source.value,
        "registered_at": registration.registered_at.isoformat(),
    }


def _entry_view(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "entry_id": entry.entry_id,
        "at": entry.at.isoformat(),
        "delta": entry.delta,
        "reason": entry.reason.value,
        "product_id": entry.product_id,
    }


def _details(body: ProductIn | ProductPatchIn) -> ProductDetails:
    return validate_details(
        serial_number=body.serial_number,
        purchase_date=body.purchase_date,
        country_of_purchase=body.country_of_purchase,
        dealer=body.dealer,
        today=container().clock.now().date(),
    )


@products.route("/catalog", methods=["GET"], authorizer=jwt_auth)
@doc(
    summary="Eligible products and their points; ?q= searches, ?category= filters",
    tag="products",
    query=(
        Param("q", description="Words of a name or SKU, in any order"),
        Param("category", description="An exact category, any case; an unknown one finds none"),
        LIMIT,
        CATALOG_CURSOR,
    ),
    responses={200: CatalogListOut},
)
def catalog() -> Response:
    principal(products)  # any logged-in user, reviewers too: the catalogue is no one's own
    params = products.current_request.query_params or {}
    limit, cursor = page_params(products)
    page = container().catalog_service.search(
        params.get("q"), params.get("category"), limit, cursor
    )
    return json_response({"items": page.items, "next_cursor": page.next_cursor})


@products.route("/products", methods=["GET"], authorizer=jwt_auth)
@doc(
    summary="My registered products",
    tag="products",
    query=(LIMIT, CURSOR),
    responses={200: ProductListOut},
)
def list_products() -> Response:
    limit, cursor = page_params(products)
    page = container().product_service.list(account_id(products), limit, cursor)
    return json_response(
        {"items": [product_view(r) for r in page.items], "next_cursor": page.next_cursor}
    )


@products.route("/products", methods=["POST"], authorizer=jwt_auth)
@doc(
    summary="Register a product (complete or not)",
    tag="products",
    request=ProductIn,
    responses={201: ProductOut, 409: None},
)
def register_product() -> Response:
    owner = account_id(products)
    body = parse_body(products, ProductIn)
    registration = container().product_service.register(owner, body.sku, _details(body))
    return json_response(product_view(registration), status=201)


@products.route("/products/{product_id}", methods=["GET"], authorizer=jwt_auth)
@doc(summary="One of my products", tag="products", responses={200: ProductOut})
def get_product(product_id: str) -> Response:
    return json_response(
        product_view(container().product_service.get(account_id(products), product_id))
    )


@products.route("/products/{product_id}", methods=["PATCH"], authorizer=jwt_auth)
@doc(
    summary="Complete or correct a product's details",
    tag="products",
    request=ProductPatchIn,
    responses={200: ProductOut, 409: None},
)
def correct_product(product_id: str) -> Response:
    owner = account_id(products)
    body = parse_body(products, ProductPatchIn)
    if not body.model_fields_set:
        raise MalformedRequest("Nothing to change.", fields={"body": "name at least one detail"})
    changed = container().product_service.correct(owner, product_id, _details(body))
    return json_response(product_view(changed))


@products.route("/products/{product_id}", methods=["DELETE"], authorizer=jwt_auth)
@doc(
    summary="Remove a product; its points are taken back",
    tag="products",
    responses={204: None, 409: None},
)
def remove_product(product_id: str) -> Response:
    container().product_service.remove(account_id(products), product_id)
    return Response(body="", status_code=204)


@products.route("/points", methods=["GET"], authorizer=jwt_auth)
@doc(
    summary="My points balance and ledger (newest first)",
    tag="products",
    query=(LIMIT, CURSOR),
    responses={200: PointsOut},
)
def points() -> Response:
    limit, cursor = page_params(products)
    view = container().product_service.points(account_id(products), limit, cursor)
    return json_response(
        {
            "balance": view.balance,
            "ledger": [_entry_view(e) for e in view.ledger.items],
            "next_cursor": view.ledger.next_cursor,
        }
    )
