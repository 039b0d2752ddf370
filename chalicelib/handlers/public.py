"""Public routes: health and the API description."""

from __future__ import annotations

from chalice import Response

from chalicelib.container import container
from chalicelib.handlers.docs import doc
from chalicelib.handlers.http import respond
from chalicelib.handlers.routing import Access, ApiBlueprint
from chalicelib.handlers.schemas.public import DegradedOut, HealthOut

public = ApiBlueprint(__name__)


@public.route("/health", methods=["GET"], access=Access.PUBLIC)
@doc(
    summary="Health of the API and its dependencies",
    tag="public",
    responses={200: HealthOut, 503: DegradedOut},
)
def health() -> Response:
    failing = container().health.failing()
    if failing:
        return respond(DegradedOut(status="degraded", failing=failing), status=503)
    return respond(HealthOut(status="ok"))
