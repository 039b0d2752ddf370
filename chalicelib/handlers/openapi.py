"""GET /openapi.json: generated from the registered routes and their pydantic shapes."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Chalice, Response
from pydantic import BaseModel

from chalicelib.handlers.docs import RouteDoc, doc
from chalicelib.handlers.http import json_response
from chalicelib.handlers.schemas import ErrorOut

openapi = Blueprint(__name__)

_ERRORS = {
    400: "Malformed request",
    401: "Missing or invalid token",
    403: "Wrong role",
    404: "Absent, or not yours",
    409: "Conflict with the current state",
    422: "A business rule is broken",
}


def _ref(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        schemas[name] = definition
    schemas[model.__name__] = schema
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
            operation: dict[str, Any] = {
                "operationId": entry.view_name,
                "summary": meta.summary,
                "tags": [meta.tag],
                "parameters": [
                    {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                    for p in entry.view_args
                ]
                + [
                    {"name": h, "in": "header", "required": req, "schema": {"type": "string"}}
                    for h, req in meta.headers
                ]
                + [{"name": q, "in": "query", "schema": {"type": "string"}} for q in meta.query],
                "responses": {},
            }
            if meta.request is not None:
                operation["requestBody"] = {"required": True, **_json(_ref(meta.request, schemas))}
            for status, model in meta.responses.items():
                if model is not None:
                    body = _json(_ref(model, schemas))
                else:
                    body = _json(error_ref) if status >= 400 else {}
                operation["responses"][str(status)] = {"description": "OK", **body}
            error_statuses = {400, 404, 422} | ({401, 403} if meta.security else set())
            for status in sorted(error_statuses):
                operation["responses"].setdefault(
                    str(status), {"description": _ERRORS[status], **_json(error_ref)}
                )
            if meta.security:
                operation["security"] = [{"bearer": []}]
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "CPS membership API", "version": "1.0.0"},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


@openapi.route("/openapi.json", methods=["GET"])
@doc(summary="This API's OpenAPI 3 document", tag="public", security=False, responses={200: None})
def openapi_document() -> Response:
    return json_response(build_document(openapi.current_app))
