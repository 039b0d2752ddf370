"""DynamoDB tables for moto-backed tests, built from the real definitions in the template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from infra.local_template import load_template

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "resources.yaml"
_KEYS = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes")


def table_definitions() -> dict[str, dict[str, Any]]:
    """TableName → the create_table arguments the template gives it."""
    resources = load_template(TEMPLATE)["Resources"]
    definitions = {}
    for resource in resources.values():
        if resource["Type"] != "AWS::DynamoDB::Table":
            continue
        props = resource["Properties"]
        args: dict[str, Any] = {k: props[k] for k in _KEYS if k in props}
        args["TableName"] = props["TableName"]
        args["BillingMode"] = "PAY_PER_REQUEST"
        definitions[props["TableName"]] = args
    return definitions


def create_tables(dynamodb: Any, *names: str) -> None:
    definitions = table_definitions()
    for name in names or tuple(definitions):
        dynamodb.create_table(**definitions[name])
