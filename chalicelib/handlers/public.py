"""Public routes: health and the API description."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.container import container
from chalicelib.handlers.docs import doc
from chalicelib.handlers.http import json_response
from chalicelib.handlers.schemas import HealthOut

public = Blueprint(__name__)


@public.route("/health", methods=["GET"])
@doc(
    summary="Health of the API and its dependencies",
    tag="public",
    security=False,
    responses={200: HealthOut, 503: HealthOut},
)
def health() -> Response:
    failing = container().health.failing()
    if failing:
        return json_response({"status": "degraded", "failing": failing}, status=503)
    return json_response({"status": "ok"})
