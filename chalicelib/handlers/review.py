"""Back-office routes: the review queue and the reviewer's decision (reviewer role)."""

from __future__ import annotations

from chalice import Response

from chalicelib.container import container
from chalicelib.domain.applications import ApplicationStatus
from chalicelib.handlers.docs import CURSOR, LIMIT, Param, doc
from chalicelib.handlers.errors import MalformedRequest
from chalicelib.handlers.http import page_params, parse_body, respond, reviewer
from chalicelib.handlers.routing import Access, ApiBlueprint
from chalicelib.handlers.schemas.review import DecisionIn, DecisionOut, ReviewListOut
from chalicelib.handlers.views.review import decision_out, review_item_out

review = ApiBlueprint(__name__)


@review.route("/review/applications", methods=["GET"], access=Access.REVIEWER)
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
    params = review.current_request.query_params or {}
    try:
        status = ApplicationStatus(params.get("status", ApplicationStatus.PENDING_REVIEW.value))
    except ValueError as exc:
        raise MalformedRequest(
            "Unknown status.", fields={"status": ", ".join(s.value for s in ApplicationStatus)}
        ) from exc
    limit, cursor = page_params(review)
    page = container().application_service.review_queue(status, limit, cursor)
    return respond(
        ReviewListOut(items=[review_item_out(i) for i in page.items], next_cursor=page.next_cursor)
    )


@review.route(
    "/review/applications/{application_id}/decision", methods=["POST"], access=Access.REVIEWER
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
        application_id, body.decision, body.reason, decided_by
    )
    return respond(decision_out(decided))
