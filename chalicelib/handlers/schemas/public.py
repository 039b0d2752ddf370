"""The public routes' answers: health and the API description."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, RootModel

from chalicelib.handlers.schemas.common import Response


class OpenApiDocumentOut(RootModel[dict[str, Any]]):
    """An OpenAPI 3.1 document (its own schema is the OpenAPI specification's)."""


class HealthOut(Response):
    status: Literal["ok"]


class DegradedOut(Response):
    status: Literal["degraded"]
    failing: list[str] = Field(description="the dependencies that do not answer")
