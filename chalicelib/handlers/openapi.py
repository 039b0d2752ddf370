"""GET /openapi.json: generated from the registered routes and their pydantic shapes."""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Response
from pydantic import BaseModel

from chalicelib.container import container
from chalicelib.handlers.docs import Param, RouteDoc, doc
from chalicelib.handlers.http import json_response
from chalicelib.handlers.routing import Access, ApiBlueprint
from chalicelib.handlers.schemas.common import ErrorOut
from chalicelib.handlers.schemas.public import OpenApiDocumentOut

openapi = ApiBlueprint(__name__)

_ERRORS = {
    400: "Malformed request",
    401: "Missing or invalid token",
    403: "Wrong role",
    404: "Absent, or not yours",
    409: "Conflict with the current state",
    413: "The request is over 10 MB (refused by the API gateway)",
    415: "A Content-Type other than application/json",
    422: "A business rule is broken",
    503: "A service this route depends on cannot answer now; try again shortly",
}
_SUCCESS = {200: "OK", 201: "Created", 202: "Accepted", 204: "No content"}
# What any route can answer; a secured one also 401 (token) and 403 (role).
_ANY_ROUTE = {400, 404, 413, 415, 422}
_SECURED = {401, 403}

# The middleware reads it on every route: a well-formed one (1 to 100 letters, digits and
# hyphens) is kept for the logs and echoed back; any other is replaced by a new one.
_CORRELATION_IN = Param(
    "X-Correlation-Id",
    description="Ties the request to its log records; echoed back when well-formed.",
)


# Every answer of the API carries it; the gateway's own refusals (no or a refused token, an
# unknown route, over 10 MB) do not, so an error answer may lack it.
_CORRELATION_OUT = {
    "description": "The request's correlation id",
    "schema": {"type": "string", "minLength": 1, "maxLength": 100},
}
_HEADERS = {
    "CorrelationId": {**_CORRELATION_OUT, "required": True},
    "CorrelationIdIfAny": {**_CORRELATION_OUT, "required": False},
}


def _parameter(param: str | tuple[str, bool] | Param, location: str) -> dict[str, Any]:
    if isinstance(param, str):
        param = Param(param)
    elif isinstance(param, tuple):
        param = Param(param[0], required=param[1])
    declared: dict[str, Any] = {
        "name": param.name,
        "in": location,
        "required": param.required,
        "schema": param.schema,
    }
    if param.description:
        declared["description"] = param.description
    return declared


def _ref(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in [*schema.pop("$defs", {}).items(), (model.__name__, schema)]:
        # One name, one shape: two models or enums of the same name would overwrite each other.
        if schemas.setdefault(name, definition) != definition:
            raise ValueError(f"two different schemas are named {name}")
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def build_document(app: Chalice) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    error_ref = _ref(ErrorOut, schemas)
    paths: dict[str, Any] = {}
    for path, methods in sorted(app.routes.items()):
        for method, entry in sorted(methods.items()):
            meta: RouteDoc | None = getattr(entry.view_function, "route_doc", None)
            if meta is None:
                continue
            secured = getattr(entry.view_function, "access", Access.PUBLIC) is not Access.PUBLIC
            operation: dict[str, Any] = {
                "operationId": entry.view_name,
                "summary": meta.summary,
                "tags": [meta.tag],
                "parameters": [
                    {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                    for p in entry.view_args
                ]
                + [_parameter(h, "header") for h in (*meta.headers, _CORRELATION_IN)]
                + [_parameter(q, "query") for q in meta.query],
                "responses": {},
            }
            if meta.request is not None:
                operation["requestBody"] = {"required": True, **_json(_ref(meta.request, schemas))}
            statuses: dict[int, type[BaseModel] | None] = dict.fromkeys(
                _ANY_ROUTE | (_SECURED if secured else set())
            )
            statuses.update(meta.responses)
            for status, model in sorted(statuses.items()):
                correlation = "CorrelationId" if status < 400 else "CorrelationIdIfAny"
                headers: dict[str, Any] = {
                    "X-Correlation-Id": {"$ref": f"#/components/headers/{correlation}"}
                }
                if status < 300:
                    headers.update(
                        {
                            name: {"required": True, "schema": schema}
                            for name, schema in meta.response_headers.items()
                        }
                    )
                if status in meta.media:
                    body = {"content": {meta.media[status]: {"schema": {"type": "string"}}}}
                elif model is not None:
                    body = _json(_ref(model, schemas))
                elif status >= 400:
                    body = _json(error_ref)
                elif status == 204:
                    body = {}
                else:
                    body = _json({"type": "object"})
                operation["responses"][str(status)] = {
                    "description": _ERRORS.get(status) or _SUCCESS.get(status, "OK"),
                    "headers": headers,
                    **body,
                }
            if secured:
                operation["security"] = [{"bearer": []}]
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "CPS membership API", "version": "1.0.0"},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "headers": _HEADERS,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


@openapi.route("/openapi.json", methods=["GET"], access=Access.PUBLIC)
@doc(summary="This API's OpenAPI 3 document", tag="public", responses={200: OpenApiDocumentOut})
def openapi_document() -> Response:
    document = build_document(openapi.current_app)
    # Checkout accepts only the terms in force, which are the stage's.
    terms = document["components"]["schemas"]["CheckoutIn"]["properties"]["terms_version"]
    terms["enum"] = [container().settings.terms_version]
    return json_response(document)
