"""Typed domain exceptions. The single error mapper turns them into the API's error shape."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every business-rule failure; `code` is the stable machine-readable name."""

    code = "DOMAIN_ERROR"

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    """Well-formed input that breaks a rule (422)."""

    code = "VALIDATION_FAILED"


class NotFound(DomainError):
    """Absent, or not the caller's (404: never reveal which)."""

    code = "NOT_FOUND"


class Conflict(DomainError):
    """The current state forbids the action (409)."""

    code = "CONFLICT"


class InvalidCredentials(DomainError):
    """Login or token refused (401)."""

    code = "INVALID_CREDENTIALS"


class Forbidden(DomainError):
    """Authenticated but not allowed (403)."""

    code = "FORBIDDEN"


class MfaRequired(Forbidden):
    """A reviewer without a second factor (403)."""

    code = "MFA_REQUIRED"


class InvalidToken(DomainError):
    """A one-time link that is unknown, used or expired (422)."""

    code = "INVALID_TOKEN"


class RetryableFailure(DomainError):
    """A dependency is unavailable; the caller (queue, workflow) should try again."""

    code = "DEPENDENCY_UNAVAILABLE"


class SerialTaken(Conflict):
    """The physical product (model + serial) is registered to an account already (409)."""

    code = "SERIAL_ALREADY_REGISTERED"


class InvalidCursor(DomainError):
    """A list cursor we did not hand out (400: malformed, not a broken rule)."""

    code = "INVALID_CURSOR"
