"""The VIES client against a local fake of the VIES REST API, over real HTTP."""

import logging
import socket
import time
from datetime import UTC, datetime

import pytest

from chalicelib.adapters.vies import DEFAULT_VIES_URL, ViesClient, ViesResult, ViesUnavailable
from tests.fakes.vies_server import run_fake_vies

NL = "NL822569759B01"
GR = "EL094259216"


def test_registered_number_is_valid_with_its_name() -> None:
    # GIVEN VIES knows a Dutch number
    with run_fake_vies({NL: {"name": "CANON NEDERLAND N.V.", "address": "Neptunusstraat"}}) as url:
        # WHEN it is checked
        result = ViesClient(url).check(NL)
        # THEN it is valid, with the name VIES discloses and VIES's request date
        assert result.valid is True
        assert result.name == "CANON NEDERLAND N.V."
        assert datetime.fromisoformat(result.checked_at).tzinfo is not None
        # AND the request had the shape VIES expects
        (request,) = url.requests
        assert request.method == "POST"
        assert request.path.endswith("/rest-api/check-vat-number")
        assert request.json == {"countryCode": "NL", "vatNumber": "822569759B01"}
        assert request.headers["Content-Type"] == "application/json"


def test_greece_is_sent_as_el() -> None:
    # GIVEN a Greek number (stored canonically with EL)
    with run_fake_vies({GR: {}}) as url:
        # WHEN it is checked
        result = ViesClient(url).check(GR)
        # THEN the request says EL and the number without prefix, and the name is withheld
        assert url.requests[0].json == {"countryCode": "EL", "vatNumber": "094259216"}
        assert result == ViesResult(valid=True, name=None, checked_at=result.checked_at)


def test_unknown_number_is_not_valid() -> None:
    # GIVEN VIES does not know the number
    with run_fake_vies({}) as url:
        # WHEN it is checked
        result = ViesClient(url).check("DE136695976")
        # THEN VIES's answer is "not valid", which is a definite answer (no exception)
        assert result.valid is False
        assert result.name is None
        assert url.requests[0].json == {"countryCode": "DE", "vatNumber": "136695976"}


def test_invalid_input_is_a_definite_not_valid() -> None:
    # GIVEN VIES refuses the input itself (400, errorWrappers INVALID_INPUT)
    with run_fake_vies({NL: {"error_wrapper": "INVALID_INPUT", "status": 400}}) as url:
        # WHEN checked THEN not valid: trying again would not change the answer
        assert ViesClient(url).check(NL).valid is False


@pytest.mark.parametrize(
    "error",
    [
        "MS_UNAVAILABLE",
        "TIMEOUT",
        "SERVICE_UNAVAILABLE",
        "MS_MAX_CONCURRENT_REQ",
        "GLOBAL_MAX_CONCURRENT_REQ",
    ],
)
def test_transient_user_errors_raise_vies_unavailable(error: str) -> None:
    # GIVEN the member state's register cannot answer now
    with run_fake_vies({NL: {"user_error": error}}) as url:
        # WHEN checked THEN ViesUnavailable (the workflow retries), not "not valid"
        with pytest.raises(ViesUnavailable) as info:
            ViesClient(url).check(NL)
        assert info.value.reason == error
        assert len(url.requests) == 1  # one attempt per call


def test_transient_error_in_error_wrappers_shape() -> None:
    # GIVEN VIES's other error shape ({"actionSucceed": false, "errorWrappers": [...]})
    with (
        run_fake_vies({NL: {"error_wrapper": "MS_MAX_CONCURRENT_REQ"}}) as url,
        pytest.raises(ViesUnavailable, match="MS_MAX_CONCURRENT_REQ"),
    ):
        ViesClient(url).check(NL)


def test_unknown_user_error_is_not_taken_for_not_registered() -> None:
    # GIVEN an error code the client does not know
    # THEN it is treated as "no answer", never as "not valid"
    with (
        run_fake_vies({NL: {"user_error": "IP_BLOCKED"}}) as url,
        pytest.raises(ViesUnavailable, match="IP_BLOCKED"),
    ):
        ViesClient(url).check(NL)


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_http_server_errors_raise_vies_unavailable(status: int) -> None:
    # GIVEN VIES answers with an HTTP error
    # WHEN checked THEN ViesUnavailable
    with (
        run_fake_vies({NL: {"status": status}}) as url,
        pytest.raises(ViesUnavailable, match=f"HTTP {status}"),
    ):
        ViesClient(url).check(NL)


def test_slow_reply_beyond_the_timeout_raises_vies_unavailable() -> None:
    # GIVEN VIES takes 2 s to answer and the client waits 0.3 s
    with run_fake_vies({NL: {"sleep_s": 2.0}}) as url:
        started = time.monotonic()
        # WHEN checked
        with pytest.raises(ViesUnavailable, match="timeout"):
            ViesClient(url, timeout_s=0.3).check(NL)
        # THEN the client gave up after about the timeout
        assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    "entry",
    [
        {"raw_body": "<html>Service temporarily down</html>"},
        {"raw_body": "[1, 2, 3]"},
        {"raw_body": '{"countryCode": "NL"}'},  # no "valid"
        {"raw_body": '{"valid": "yes"}'},  # not a boolean
        {"raw_body": "", "status": 200},
    ],
)
def test_malformed_reply_raises_vies_unavailable(entry: dict) -> None:
    # GIVEN a reply that is not a readable check-vat-number answer
    # WHEN checked THEN ViesUnavailable, never a guess
    with run_fake_vies({NL: entry}) as url, pytest.raises(ViesUnavailable):
        ViesClient(url).check(NL)


def test_connection_refused_raises_vies_unavailable() -> None:
    # GIVEN nothing listens on the port
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # WHEN checked THEN ViesUnavailable
    with pytest.raises(ViesUnavailable, match="request failed"):
        ViesClient(f"http://127.0.0.1:{port}/rest-api", timeout_s=1).check(NL)


@pytest.mark.parametrize("number", ["GB980780684", "CHE107787577MWST", "NO995525828MVA"])
def test_non_eu_numbers_are_not_sent(number: str) -> None:
    # GIVEN a number VIES does not cover
    with run_fake_vies({}) as url:
        # WHEN checked THEN ValueError and no request at all
        with pytest.raises(ValueError):
            ViesClient(url).check(number)
        assert url.requests == []


def test_missing_request_date_falls_back_to_the_injected_clock() -> None:
    moment = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    with run_fake_vies({NL: {"raw_body": '{"valid": true, "name": "---"}'}}) as url:
        result = ViesClient(url, clock=lambda: moment).check(NL)
    assert result == ViesResult(valid=True, name=None, checked_at="2026-03-06T12:00:00+00:00")


def test_base_url_with_trailing_slash() -> None:
    with run_fake_vies({NL: {}}) as url:
        assert ViesClient(url + "/").check(NL).valid is True
        assert url.requests[0].path.endswith("/rest-api/check-vat-number")


def test_the_vat_number_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    # GIVEN logging at DEBUG
    caplog.set_level(logging.DEBUG)
    with run_fake_vies({NL: {"name": "X"}, "DE136695976": {"status": 500}}) as url:
        # WHEN a number is checked successfully and another one fails
        ViesClient(url).check(NL)
        with pytest.raises(ViesUnavailable):
            ViesClient(url).check("DE136695976")
        assert len(caplog.records) >= 2
    # THEN no log record mentions the number
    text = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "822569759" not in text
    assert "136695976" not in text


def test_default_base_url_is_the_commissions() -> None:
    assert DEFAULT_VIES_URL == "https://ec.europa.eu/taxation_customs/vies/rest-api"
