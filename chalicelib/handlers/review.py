"""Back-office routes: the review queue and the reviewer's decision (reviewer role)."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.container import container
from chalicelib.domain.applications import ApplicationStatus, Decision
from chalicelib.handlers.docs import CURSOR, LIMIT, Param, doc
from chalicelib.handlers.errors import MalformedRequest
from chalicelib.handlers.gate import jwt_auth
from chalicelib.handlers.http import json_response, page_params, parse_body, reviewer
from chalicelib.handlers.schemas import DecisionIn, DecisionOut, ReviewListOut

review = Blueprint(__name__)


@review.route("/review/applications", methods=["GET"], authorizer=jwt_auth)
@doc(
    summary="Applications to review, with check results and a document link",
    tag="review",
    query=(
        Param(
            "status",
            {"enum": [s.value for s in ApplicationStatus]},
            description="Default PENDING_REVIEW",
        ),
        LIMIT,
        CURSOR,
    ),
    responses={200: ReviewListOut},
)
def review_queue() -> Response:
    reviewer(review)
    params = review.current_request.query_params or {}
    try:
        status = ApplicationStatus(params.get("status", ApplicationStatus.PENDING_REVIEW.value))
    except ValueError as exc:
        raise MalformedRequest(
            "Unknown status.", fields={"status": ", ".join(s.value for s in ApplicationStatus)}
        ) from exc
    limit, cursor = page_params(review)
    page = container().application_service.review_queue(status, limit, cursor)
    return json_response({"items": page.items, "next_cursor": page.next_cursor})


@review.route(
    "/review/applications/{application_id}/decision", methods=["POST"], authorizer=jwt_auth
)
@doc(
    summary="Approve or reject an application",
    tag="review",
    request=DecisionIn,
    responses={200: DecisionOut, 409: None},
)
def decide(application_id: str) -> Response:
    decided_by = reviewer(review)
    body = parse_body(review, DecisionIn)
    decided = container().application_service.decide(
        application_id, Decision(body.decision), body.reason, decided_by
    )
    return json_response(
        {
            "application_id": decided.application_id,
            "decision": body.decision,
            "status": decided.status.value,
        }
    )
