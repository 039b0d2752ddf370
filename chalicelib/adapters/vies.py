"""Client of the EU VIES REST API (``POST {base}/check-vat-number``).

One attempt per call: retries belong to the Step Functions ``Retry`` on ``ViesUnavailable``.
The VAT number is never logged (for sole traders it can be a personal number).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from aws_lambda_powertools import Logger

from chalicelib.domain.vat import vies_parts

__all__ = ["DEFAULT_VIES_URL", "ViesClient", "ViesResult", "ViesUnavailable"]

logger = Logger(service="cps", child=True)

DEFAULT_VIES_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api"

# userError values meaning "VIES could not answer now": worth trying again later.
TRANSIENT_ERRORS = frozenset(
    {
        "MS_UNAVAILABLE",
        "TIMEOUT",
        "SERVICE_UNAVAILABLE",
        "MS_MAX_CONCURRENT_REQ",
        "GLOBAL_MAX_CONCURRENT_REQ",
    }
)
# VIES has no record of the number (or refuses it as input): a definite "not valid".
NOT_VALID_ERRORS = frozenset({"INVALID", "INVALID_INPUT"})
_NO_VALUE = frozenset({"", "---"})  # VIES's placeholders for withheld name/address


class ViesUnavailable(Exception):
    """VIES did not give an answer this time (timeout, outage, overload, unreadable reply).

    The name is what a Step Functions ``Retry`` matches: keep it.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"VIES is unavailable: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class ViesResult:
    """VIES's answer: ``valid`` is whether the number is registered; ``name`` when disclosed."""

    valid: bool
    name: str | None
    checked_at: str  # VIES's requestDate (ISO 8601), or our clock's time when absent


class ViesClient:
    def __init__(
        self,
        base_url: str = DEFAULT_VIES_URL,
        timeout_s: float = 5.0,
        session: requests.Session | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._url = base_url.rstrip("/") + "/check-vat-number"
        self._timeout_s = timeout_s
        self._session = session or requests.Session()
        self._clock = clock or (lambda: datetime.now(UTC))

    def check(self, canonical_vat: str) -> ViesResult:
        """Ask VIES whether an EU VAT number (canonical form, e.g. "EL094259216") is registered.

        Raises ``ValueError`` for non-EU numbers (nothing is sent) and ``ViesUnavailable`` when
        VIES gives no definite answer.
        """
        country_code, number = vies_parts(canonical_vat)
        started = time.monotonic()
        try:
            response = self._session.post(
                self._url,
                json={"countryCode": country_code, "vatNumber": number},
                headers={"Accept": "application/json"},
                timeout=self._timeout_s,
            )
        except requests.Timeout as exc:
            self._log(country_code, "timeout", started)
            raise ViesUnavailable("no reply within the timeout") from exc
        except requests.RequestException as exc:
            self._log(country_code, "connection error", started)
            raise ViesUnavailable(f"request failed ({type(exc).__name__})") from exc

        body = _json_object(response)
        if response.status_code >= 500 or response.status_code == 429:
            self._log(country_code, f"HTTP {response.status_code}", started)
            raise ViesUnavailable(f"HTTP {response.status_code}")

        error = _user_error(body)
        if error in TRANSIENT_ERRORS:
            self._log(country_code, error, started)
            raise ViesUnavailable(error)
        if error in NOT_VALID_ERRORS and (body is None or body.get("valid") is not True):
            self._log(country_code, error, started)
            return ViesResult(valid=False, name=None, checked_at=self._checked_at(body))
        if error is not None:  # an error we do not know: do not take it for "not registered"
            self._log(country_code, error, started)
            raise ViesUnavailable(f"unexpected error {error}")
        if response.status_code != 200 or body is None or not isinstance(body.get("valid"), bool):
            self._log(country_code, "unreadable reply", started)
            raise ViesUnavailable(f"HTTP {response.status_code} with an unreadable reply")

        valid = body["valid"]
        self._log(country_code, "valid" if valid else "not valid", started)
        return ViesResult(
            valid=valid,
            name=_text(body.get("name")) if valid else None,
            checked_at=self._checked_at(body),
        )

    def _checked_at(self, body: Mapping[str, Any] | None) -> str:
        stamp = body.get("requestDate") if body else None
        return stamp if isinstance(stamp, str) and stamp else self._clock().isoformat()

    @staticmethod
    def _log(country_code: str, outcome: str, started: float) -> None:
        logger.info(
            "VIES check",
            extra={
                "vies_country": country_code,
                "vies_outcome": outcome,
                "vies_ms": round((time.monotonic() - started) * 1000),
            },
        )


def _json_object(response: requests.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:  # requests' JSONDecodeError is a ValueError
        return None
    return body if isinstance(body, dict) else None


def _user_error(body: Mapping[str, Any] | None) -> str | None:
    """The error code: ``userError`` of a normal reply or the first of ``errorWrappers``."""
    if body is None:
        return None
    error = body.get("userError")
    if isinstance(error, str) and error and error != "VALID":
        return error.upper()
    wrappers = body.get("errorWrappers")
    if isinstance(wrappers, list):
        for wrapper in wrappers:
            if isinstance(wrapper, dict) and isinstance(wrapper.get("error"), str):
                return str(wrapper["error"]).upper()
    return None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return None if value in _NO_VALUE else value
