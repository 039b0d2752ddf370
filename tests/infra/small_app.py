"""A small Chalice app with the real app's kinds of functions (an API, the three queue consumers
the template names, the catalogue loader and the review schedule): packaging it checks the merge
and the post-processing in a fraction of the real app's time."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from infra.package import PROJECT_DIR

SMALL_APP = """
from chalice import Chalice, Rate

app = Chalice(app_name="cps")


@app.route("/health")
def health():
    return {"ok": True}


@app.on_sqs_message(queue="cps-emails", batch_size=10, name="emails")
def send_emails(event):
    return {"batchItemFailures": []}


@app.on_sqs_message(queue="cps-invoices", batch_size=1, name="invoices")
def issue_invoices(event):
    return {"batchItemFailures": []}


@app.on_sqs_message(queue="cps-legacy-imports", batch_size=1, name="legacy_imports")
def on_legacy_import(event):
    return {"batchItemFailures": []}


@app.lambda_function(name="catalog_loader")
def catalog_loader(event, context):
    return None


@app.schedule(Rate(1, unit=Rate.HOURS))
def review_sla(event):
    return None
"""

SMALL_CONFIG = {
    "version": "2.0",
    "app_name": "cps",
    "xray": True,
    # as .chalice/config.json: a role per function, ours replacing Chalice's placeholder
    "autogen_policy": False,
    "iam_policy_file": str(PROJECT_DIR / "infra" / "chalice_role_placeholder.json"),
    "stages": {
        "prod": {
            "api_gateway_stage": "api",
            "lambda_timeout": 25,
            "lambda_functions": {
                "emails": {"lambda_timeout": 60},
                "invoices": {"lambda_timeout": 60},
                "legacy_imports": {"lambda_timeout": 900},
            },
        }
    },
}


def write_small_app(project: Path) -> Path:
    """The small app's project directory, written at `project`."""
    (project / ".chalice").mkdir(parents=True, exist_ok=True)
    (project / "app.py").write_text(textwrap.dedent(SMALL_APP), encoding="utf-8")
    (project / "requirements.txt").write_text("", encoding="utf-8")
    (project / ".chalice" / "config.json").write_text(json.dumps(SMALL_CONFIG), encoding="utf-8")
    return project
