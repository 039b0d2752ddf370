"""The customer's "My Products", points and the catalogue of eligible products."""

from __future__ import annotations

from chalice import Response

from chalicelib.container import container
from chalicelib.domain.products import ProductDetails, validate_details
from chalicelib.handlers.docs import CATALOG_CURSOR, CURSOR, LIMIT, Param, doc
from chalicelib.handlers.errors import MalformedRequest
from chalicelib.handlers.http import account_id, page_params, parse_body, respond
from chalicelib.handlers.routing import Access, ApiBlueprint
from chalicelib.handlers.schemas.products import (
    CatalogListOut,
    PointsOut,
    ProductIn,
    ProductListOut,
    ProductOut,
    ProductPatchIn,
)
from chalicelib.handlers.views.products import catalog_item_out, ledger_entry_out, product_out

products = ApiBlueprint(__name__)


def _details(body: ProductIn | ProductPatchIn) -> ProductDetails:
    return validate_details(
        serial_number=body.serial_number,
        purchase_date=body.purchase_date,
        country_of_purchase=body.country_of_purchase,
        dealer=body.dealer,
        today=container().clock.now().date(),
    )


@products.route("/catalog", methods=["GET"], access=Access.CUSTOMER)
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
    # Any logged-in caller, reviewers too: the catalogue is no one's own.
    params = products.current_request.query_params or {}
    limit, cursor = page_params(products)
    page = container().catalog_service.search(
        params.get("q"), params.get("category"), limit, cursor
    )
    return respond(
        CatalogListOut(
            items=[catalog_item_out(e) for e in page.items], next_cursor=page.next_cursor
        )
    )


@products.route("/products", methods=["GET"], access=Access.CUSTOMER)
@doc(
    summary="My registered products",
    tag="products",
    query=(LIMIT, CURSOR),
    responses={200: ProductListOut},
)
def list_products() -> Response:
    limit, cursor = page_params(products)
    page = container().product_service.list(account_id(products), limit, cursor)
    return respond(
        ProductListOut(items=[product_out(r) for r in page.items], next_cursor=page.next_cursor)
    )


@products.route("/products", methods=["POST"], access=Access.CUSTOMER)
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
    return respond(product_out(registration), status=201)


@products.route("/products/{product_id}", methods=["GET"], access=Access.CUSTOMER)
@doc(summary="One of my products", tag="products", responses={200: ProductOut})
def get_product(product_id: str) -> Response:
    return respond(product_out(container().product_service.get(account_id(products), product_id)))


@products.route("/products/{product_id}", methods=["PATCH"], access=Access.CUSTOMER)
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
    return respond(product_out(changed))


@products.route("/products/{product_id}", methods=["DELETE"], access=Access.CUSTOMER)
@doc(
    summary="Remove a product; its points are taken back",
    tag="products",
    responses={204: None, 409: None},
)
def remove_product(product_id: str) -> Response:
    container().product_service.remove(account_id(products), product_id)
    return Response(body="", status_code=204)


@products.route("/points", methods=["GET"], access=Access.CUSTOMER)
@doc(
    summary="My points balance and ledger (newest first)",
    tag="products",
    query=(LIMIT, CURSOR),
    responses={200: PointsOut},
)
def points() -> Response:
    limit, cursor = page_params(products)
    view = container().product_service.points(account_id(products), limit, cursor)
    return respond(
        PointsOut(
            balance=view.balance,
            ledger=[ledger_entry_out(e) for e in view.ledger.items],
            next_cursor=view.ledger.next_cursor,
        )
    )
