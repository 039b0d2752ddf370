"""What PynamoDB's errors mean for the caller."""

from __future__ import annotations


def is_condition_failure(exc: Exception) -> bool:
    """The write's condition did not hold (the item existed, or changed meanwhile)."""
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"
