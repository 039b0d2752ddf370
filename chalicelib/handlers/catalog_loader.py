"""The CloudFormation custom resource that loads the catalogue file at each deployment.

Every function imports this module through app.py; what the load needs is imported by the call.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.container import container
from chalicelib.observability import logger


def handle_custom_resource(event: dict[str, Any], context: Any) -> dict[str, Any]:
    import requests

    from chalicelib.services.catalog import load_packaged_catalog

    status, data, reason = "SUCCESS", {}, ""
    try:
        if event.get("RequestType") in ("Create", "Update"):
            data = {"Products": load_packaged_catalog(container().catalog)}
        # Delete: the table is retained with the stack's data; nothing to undo.
    except Exception as exc:  # CloudFormation must hear back, or the stack hangs for an hour
        logger.exception("Catalogue load failed")
        status, reason = "FAILED", f"{type(exc).__name__}: see the function's logs"
    response = {
        "Status": status,
        "Reason": reason,
        "PhysicalResourceId": event.get("PhysicalResourceId") or "cps-catalog-data",
        "StackId": event.get("StackId"),
        "RequestId": event.get("RequestId"),
        "LogicalResourceId": event.get("LogicalResourceId"),
        "Data": data,
    }
    if event.get("ResponseURL"):
        requests.put(
            event["ResponseURL"],
            data=json.dumps(response),
            headers={"Content-Type": ""},
            timeout=10,
        ).raise_for_status()
    return response
