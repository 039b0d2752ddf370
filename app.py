"""Wiring only: the Chalice app, its middleware, blueprints and the non-HTTP entry points.

Every Lambda function of the app imports this module at its cold start, so it imports only what
they all use; each function imports the rest at its first call. The HTTP routes' modules are
named here with the paths they serve and registered when the route table is read (a request's
path: only the module serving it; handlers/routing.py, RoutedApp), the queue consumers,
schedules and catalogue loader import their use cases when they run.
tests/unit/test_cold_start.py checks that `import app` loads none of the heavy libraries.
"""

from __future__ import annotations

from typing import Any

from chalice import CORSConfig, Cron, Rate, Response
from chalice.app import CloudWatchEvent, SQSEvent

from chalicelib.handlers import events
from chalicelib.handlers.catalog_loader import handle_custom_resource
from chalicelib.handlers.errors import map_exception, normalise_error_response
from chalicelib.handlers.gate import gate
from chalicelib.handlers.jobs import scheduled_jobs
from chalicelib.handlers.routing import RoutedApp
from chalicelib.observability import (
    CORRELATION_HEADER,
    completed,
    correlation_id_from,
    flush_metrics,
    logger,
    start_invocation,
    with_invocation_logging,
)
from chalicelib.settings import Settings

settings = Settings.from_env()
app = RoutedApp(app_name="cps")
# The web frontend calls the API from its own origin.
app.api.cors = CORSConfig(
    allow_origin=settings.frontend_origin,
    allow_headers=[
        "Authorization",
        "Content-Type",
        "Idempotency-Key",
        "X-Status-Token",
        "X-Correlation-Id",
    ],
    expose_headers=["X-Correlation-Id"],
    max_age=600,
)

app.register_blueprint(gate)  # the authorizer, its own function (chalicelib.handlers.gate)
# Each route module and the paths it serves (its routes' paths begin with one of these): a
# request's first lookup of its path imports only the module serving it (handlers/routing.py).
app.register_blueprints_later(
    {
        "chalicelib.handlers.public:public": ("/health",),
        "chalicelib.handlers.openapi:openapi": ("/openapi.json",),
        "chalicelib.handlers.applications:applications": ("/applications",),
        "chalicelib.handlers.auth:auth": ("/auth",),
        "chalicelib.handlers.me:me": ("/me",),
        "chalicelib.handlers.products:products": ("/catalog", "/products", "/points"),
        "chalicelib.handlers.legacy:legacy": ("/ops/legacy-imports", "/migration"),
        "chalicelib.handlers.membership:membership": ("/tiers", "/checkout", "/membership"),
        "chalicelib.handlers.invoices:invoices": ("/invoices", "/finance/invoices"),
        "chalicelib.handlers.review:review": ("/review",),
    }
)
if settings.is_local:  # the /dev routes never exist in a deployed stage
    app.register_blueprints_later({"chalicelib.handlers.dev:dev": ("/dev",)})


@app.middleware("http")
def http_middleware(event: Any, get_response: Any) -> Response:
    context = event.context or {}
    correlation_id = correlation_id_from(event.headers, context.get("requestId"))
    start_invocation(
        correlation_id=correlation_id, route=context.get("resourcePath"), method=event.method
    )
    try:
        response = get_response(event)
    except Exception as exc:  # the one error mapper decides the status and shape
        response = map_exception(exc)
    finally:
        flush_metrics()
    response = normalise_error_response(response)
    response.headers[CORRELATION_HEADER] = correlation_id
    logger.info("Request handled", extra={"status": response.status_code})
    return response


@app.on_sqs_message(queue="cps-document-uploads", batch_size=10, name="document_uploads")
def on_document_uploaded(event: SQSEvent) -> dict[str, Any]:
    return events.consume("document_uploads", event)


@app.on_sqs_message(queue="cps-validation-tasks", batch_size=10, name="validation_tasks")
def on_validation_task(event: SQSEvent) -> dict[str, Any]:
    return events.consume("validation_tasks", event)


@app.on_sqs_message(queue="cps-legacy-imports", batch_size=1, name="legacy_imports")
def on_legacy_export_uploaded(event: SQSEvent) -> dict[str, Any]:
    return events.consume("legacy_imports", event)


@app.on_sqs_message(queue="cps-invoices", batch_size=5, name="invoices")
def on_invoice_requested(event: SQSEvent) -> dict[str, Any]:
    return events.consume("invoices", event)


@app.on_sqs_message(queue="cps-lifecycle", batch_size=10, name="lifecycle")
def on_lifecycle_work(event: SQSEvent) -> dict[str, Any]:
    return events.consume("lifecycle", event)


@app.on_sqs_message(queue="cps-emails", batch_size=10, name="emails")
def on_email_requested(event: SQSEvent) -> dict[str, Any]:
    return events.consume("emails", event)


@app.lambda_function(name="catalog_loader")
def catalog_loader(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return with_invocation_logging("catalog_loader", lambda: handle_custom_resource(event, context))


@app.schedule(Rate(1, unit=Rate.HOURS), name="review_sla")
def review_sla(event: CloudWatchEvent) -> dict[str, int]:
    return with_invocation_logging("review_sla", scheduled_jobs()["review-sla"])


# The membership year's daily jobs (SPEC §5), early in the morning UTC, renewals first.
@app.schedule(Cron(5, 1, "*", "*", "?", "*"), name="membership_renewals")
def membership_renewals(event: CloudWatchEvent) -> dict[str, int]:
    return with_invocation_logging(
        "membership_renewals",
        completed("MembershipRenewals", scheduled_jobs()["membership-renewals"]),
    )


@app.schedule(Cron(35, 1, "*", "*", "?", "*"), name="invoice_collections")
def invoice_collections(event: CloudWatchEvent) -> dict[str, int]:
    return with_invocation_logging(
        "invoice_collections",
        completed("InvoiceCollections", scheduled_jobs()["invoice-collections"]),
    )
