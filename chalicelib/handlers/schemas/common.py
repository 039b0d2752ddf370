"""What the areas share: the request and response bases, dates, the error shape, money, the
presigned upload, a company and its contact, the plain "accepted" answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StrictStr

Text = StrictStr


# defer_build: a model's validator and serializer are built when it is first used, not when
# its module is imported (an API function's first request builds only the models it answers
# with).
class Request(BaseModel):
    model_config = ConfigDict(extra="ignore", str_max_length=2000, defer_build=True)


class Response(BaseModel):
    """An answer of the API: exactly these fields (extra ones are a programming error)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


def _iso(value: date) -> str:
    return value.isoformat()


# Dates `YYYY-MM-DD` and timestamps ISO 8601 (API.md), written by `isoformat()`.
IsoDate = Annotated[date, PlainSerializer(_iso, return_type=str)]
IsoDateTime = Annotated[datetime, PlainSerializer(_iso, return_type=str)]

VAT_RATE = r"^\d+\.\d{2}$"


class ErrorBody(Response):
    code: str
    message: str
    fields: dict[str, str]


class ErrorOut(Response):
    error: ErrorBody


class MoneyOut(Response):
    amount: str = Field(pattern=r"^-?\d+\.\d{2}$")
    currency: str


class AcceptedOut(Response):
    status: Literal["accepted"]


class UploadOut(Response):
    """A presigned S3 POST: send `fields` and then the file as multipart form data to `url`."""

    url: str
    fields: dict[str, str]
    expires_at: IsoDateTime
    max_bytes: int
    accepted_types: list[str]


class CompanyOut(Response):
    name: str
    street: str
    postcode: str
    city: str
    country: str


class ContactOut(Response):
    name: str
    email: str
    phone: str
