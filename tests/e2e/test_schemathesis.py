"""Bad input never gives a 5xx, and every answer is what /openapi.json says: schemathesis
generates requests for every operation (the hand-picked cases are in test_bad_input.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from tests.support.http_api import HttpApi
from tests.support.journey import PDF, apply, bearer, unique_email, upload
from tests.support.membership_http import (
    BANK_TRANSFER,
    bought,
    earn_points,
    invoices,
    wait_for_invoice_mail,
)
from tests.support.products_http import (
    complete_details,
    import_legacy_export,
    legacy_csv,
    me,
    new_customers,
    registered,
    unique_serial,
)
from tests.support.runtime_process import RuntimeProcess

pytestmark = pytest.mark.e2e


# schemathesis

SCHEMATHESIS_SEED = 20260611
SCHEMATHESIS_BUDGET = 240  # seconds, for the whole test: set-up and the three passes
METHODS = ("get", "put", "post", "patch", "delete")
# The reviewer's and finance routes (API.md); every other route with `security` is a customer's.
REVIEWER_PREFIXES = ("/review/", "/ops/", "/finance/")
# In the fuzzing pass, how often an id, status token or bearer token is the real one; otherwise
# schemathesis generates it (valid or not): unknown ids, tokens and credentials are fuzzed too.
REAL_VALUE_PROBABILITY = 0.8

# schemathesis's own defaults, extended below for single operations only.
POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
MISSING_HEADER_STATUSES = ["400", "401", "403", "406", "415", "422"]

# positive_data_acceptance: schema-valid data must be accepted. These operations have rules no
# JSON schema can state, written in /openapi.json in words and answered with the documented 422
# (API.md: "valid JSON, rule broken"); a 400 (the document is too loose) still fails the check.
RULES_BEYOND_THE_SCHEMA = {
    # VAT check digits per country, real ISO country codes, e-mail and phone formats
    "POST /applications": "the company's and contact's details",
    # a one-time token is one the API e-mailed; the password policy
    "POST /auth/password": "the e-mailed token",
    "POST /migration/confirm": "the e-mailed token",
    # the SKU is in the catalogue (data, not schema); serial, date, country and dealer rules
    "POST /products": "the catalogue and the product's details",
    "PATCH /products/{product_id}": "the product's details",
    # a tier the company's points open; the card (only the payment provider knows its tokens)
    "POST /checkout/quote": "the tier's eligibility",
    "POST /checkout": "the tier's eligibility and the card",
    "PATCH /membership": "the renewal tier's eligibility",
    "PUT /membership/payment-method": "the card",
    "POST /membership/upgrade": "a higher tier the points open",
    # the amount left to pay on that invoice; a date not in the future
    "POST /finance/invoices/{invoice_number}/payments": "the invoice's amount and dates",
}
# missing_required_header: the X-Status-Token is the application's only credential; without it
# the application is "absent, or not yours", a 404 as with another application's token
# (API.md; tests/e2e/test_access.py), not a 400 telling that it exists.
HIDDEN_WITHOUT_HEADER = (
    "GET /applications/{application_id}",
    "POST /applications/{application_id}/upload",
)
# TRACE and QUERY never reach the API: local_runtime's HTTP server answers them itself (a 405 in
# the error shape, without the `Allow` header that Chalice's own 405 for GET/PUT/POST/DELETE/
# PATCH carries), as API Gateway does in AWS. unsupported_method probes the methods Chalice routes.
UNEXPECTED_METHODS = ["get", "put", "post", "delete", "patch", "options"]


class Pass(Enum):
    """The three schemathesis runs, each with every check on (`--checks all`).

    REAL: the real records throughout, in the coverage phase (every boundary and every kind of
    invalid value of each parameter, header and body field, missing required headers,
    unsupported methods) and the stateful phase (sequences of calls along the links schemathesis
    infers); each operation's bearer token as it is, so that ignored_auth sends none and an
    invalid one once per secured operation.
    FUZZING: the fuzzing phase, where ids, status tokens and bearer tokens too are real only now
    and then (fuzz dictionaries): unknown ones, and no or malformed credentials, are generated
    the rest of the time.
    PEERS: the stateful phase over the customers' routes, as one customer whose objects another
    must not get: object_level_authorization replays each read as the other customer."""

    REAL = "examples,coverage,stateful"
    FUZZING = "fuzzing"
    PEERS = "stateful"


# --max-examples: the fuzzing phase's cases per operation, the stateful phase's scenarios (the
# coverage phase generates what the schema defines, whatever this says). Seeded, so each run
# sends the same requests; runs with other seeds and up to 10 times as many found nothing more.
SCHEMATHESIS_EXAMPLES = {Pass.REAL: 15, Pass.FUZZING: 20, Pass.PEERS: 15}


def report_of(output: str) -> str:
    """From schemathesis's first FAILURES, WARNINGS or SUMMARY banner to the end."""
    starts = [output.find(f" {banner} =") for banner in ("FAILURES", "WARNINGS", "SUMMARY")]
    found = [start for start in starts if start >= 0]
    start = output.rfind("\n", 0, min(found)) + 1 if found else max(len(output) - 4000, 0)
    return output[start:]


@dataclass(frozen=True)
class RealData:
    """Ids of real records, so that the generated requests reach more than a 404."""

    customer_token: str
    peer_token: str  # another customer's, with a product of their own
    reviewer_token: str
    application_id: str  # waiting for its document: a new upload link is a 201
    status_token: str
    reviewed_application_id: str  # waiting for the reviewer's decision
    product_id: str
    doomed_product_ids: tuple[str, str]  # one for each of the first two passes to remove
    import_id: str
    invoice_number: str
    # a cursor each list handed out (path -> (filters it was handed out with, cursor))
    cursors: dict[str, tuple[dict[str, str], str]]


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    assert isinstance(value, dict), value
    pairs = (f"{json.dumps(key)} = {_toml(item)}" for key, item in value.items())
    return "{ " + ", ".join(pairs) + " }"


class _Config:
    """A schemathesis.toml: one [[operations]] entry per operation (entries matching the same
    operation would not merge their `parameters` or `checks`), fuzz dictionaries of real values."""

    def __init__(self) -> None:
        self.sections: list[tuple[str, dict[str, Any]]] = [
            ("phases.coverage", {"unexpected-methods": UNEXPECTED_METHODS})
        ]
        self.dictionaries: dict[str, list[str]] = {}
        self.operations: list[dict[str, Any]] = []

    def dictionary(self, value: str, probability: float) -> dict[str, Any]:
        name = next((n for n, v in self.dictionaries.items() if v == [value]), None)
        if name is None:
            name = f"real_{len(self.dictionaries)}"
            self.dictionaries[name] = [value]
        return {"dictionary": name, "probability": probability}

    def text(self) -> str:
        sections = [
            *self.sections,
            *(
                (f"dictionaries.{name}", {"values": values})
                for name, values in self.dictionaries.items()
            ),
        ]
        lines = []
        for header, settings in sections:
            lines += [f"[{header}]", *(f"{key} = {_toml(v)}" for key, v in settings.items()), ""]
        for operation in self.operations:
            lines.append("[[operations]]")
            lines += [f"{json.dumps(key)} = {_toml(value)}" for key, value in operation.items()]
            lines.append("")
        return "\n".join(lines)


def _real_parameters(name: str, path: str, real: RealData, run: Pass) -> dict[str, str]:
    """The operation's path parameters and status token, taken from real records. DELETE gets
    a product of its own: removing the one the others use would leave them nothing but 404s."""
    reviewed = path.startswith("/review/")
    doomed = real.doomed_product_ids[run is Pass.FUZZING]
    ids = {
        "application_id": real.reviewed_application_id if reviewed else real.application_id,
        "product_id": doomed if name.startswith("DELETE ") else real.product_id,
        "import_id": real.import_id,
        "invoice_number": real.invoice_number,
    }
    found = {key: value for key, value in ids.items() if f"{{{key}}}" in path}
    if path.startswith("/applications/"):
        found["X-Status-Token"] = real.status_token
    return found


def customer_paths(document: dict[str, Any]) -> list[str]:
    """The paths of the customers' own routes: secured, not the reviewer's."""
    return sorted(
        path
        for path, item in document["paths"].items()
        if not path.startswith(REVIEWER_PREFIXES)
        and any(
            method in METHODS and (operation.get("security") or document.get("security"))
            for method, operation in item.items()
        )
    )


def schemathesis_config(document: dict[str, Any], real: RealData, run: Pass, wfc: Path) -> str:
    """Every operation with `security` gets the reviewer's bearer token (reviewer and finance
    routes) or the customer's; the routes taking an id get a real one: an application with its
    status token (the reviewer decides another), one of the customer's products, an import of
    the reviewer's, the customer's invoice (also for finance's payments route). The customer is
    a member, so that the membership routes answer with their card. Lists get the cursor they
    handed out (with the filter it belongs to) where schemathesis generates valid data; an
    invalid one is its own. For PEERS, the two customers are in the WFC file `wfc`, and ids
    come from the responses of the run itself (what one customer created, the other must not
    read)."""
    config = _Config()
    if run is Pass.REAL:
        # The bearer token is a header of the operation's entry, which schemathesis leaves as
        # it is (ignored_auth then sends no token, and an invalid one, once per operation).
        config.sections.append(("generation", {"with-security-parameters": False}))
    if run is Pass.PEERS:
        customers = {"user": "customer", "peers": ["customer", "peer"]}
        config.sections.append(("auth.wfc", {"path": str(wfc), **customers}))
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            name = f"{method.upper()} {path}"
            entry: dict[str, Any] = {"include-name": name}
            parameters: dict[str, Any] = {}
            checks: dict[str, Any] = {}
            real_values = _real_parameters(name, path, real, run)
            if run is Pass.REAL:
                parameters.update(real_values)
            elif run is Pass.FUZZING:
                for key, value in real_values.items():
                    parameters[key] = config.dictionary(value, REAL_VALUE_PROBABILITY)
            if path == "/dev/jobs/{job}/run":
                parameters["job"] = "review-sla"  # the others move the shared world's memberships
            if method == "get" and path in real.cursors:
                filters, cursor = real.cursors[path]
                parameters["cursor"] = config.dictionary(cursor, 1.0)
                for key, value in filters.items():
                    parameters[key] = config.dictionary(value, 1.0)
            if run is not Pass.PEERS and (operation.get("security") or document.get("security")):
                reviewer = path.startswith(REVIEWER_PREFIXES)
                token = real.reviewer_token if reviewer else real.customer_token
                if run is Pass.REAL:
                    entry["headers"] = {"Authorization": f"Bearer {token}"}
                else:
                    parameters["header.Authorization"] = config.dictionary(
                        f"Bearer {token}", REAL_VALUE_PROBABILITY
                    )
            if name in RULES_BEYOND_THE_SCHEMA:
                checks["positive_data_acceptance"] = {
                    "expected-statuses": [*POSITIVE_STATUSES, "422"]
                }
            if name in HIDDEN_WITHOUT_HEADER:
                checks["missing_required_header"] = {
                    "expected-statuses": [*MISSING_HEADER_STATUSES, "404"]
                }
            if parameters:
                entry["parameters"] = parameters
            if checks:
                entry["checks"] = checks
            if len(entry) > 1:
                config.operations.append(entry)
    return config.text()


def wfc_auth(real: RealData) -> str:
    """The two customers as Web Fuzzing Commons users."""
    users = {"customer": real.customer_token, "peer": real.peer_token}
    return json.dumps(
        {
            "auth": [
                {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {t}"}]}
                for name, t in users.items()
            ]
        }
    )


def _first_cursor(api: HttpApi, token: str, path: str, filters: dict[str, str]) -> str:
    """The cursor of a first page of one item; a list of one item has none: then the empty
    cursor (the first page)."""
    response = api.request("GET", path, headers=bearer(token), params={"limit": "1", **filters})
    assert response.status_code == 200, response.text
    return str(response.json()["next_cursor"] or "")


def real_data(api: HttpApi, base_url: str, reviewer_token: str) -> RealData:
    """An application waiting for its document, one waiting for review; a customer of their
    own (schemathesis registers, corrects and removes products for them) with an incomplete
    product, two complete ones to remove, and an old-CPS e-mail whose export has been imported,
    so that "Migrate products" has something to migrate; the customer has 500 points and a CPS
    membership paid by bank transfer, whose invoice has arrived (schemathesis quotes, checks out
    again, switches auto-renewal and records payments); another customer with a product; a
    cursor of each list."""
    old_email = unique_email("old")
    report = import_legacy_export(
        api,
        reviewer_token,
        legacy_csv(
            [
                (old_email, "EOS-R5-BODY", unique_serial(), "2021-05-01", "DE", "Foto Koch"),
                (old_email, "RF-50-F1.2L-USM", unique_serial(), "", "", ""),
            ]
        ),
    )
    assert report["imported"] == 2, report
    applicant = apply(api)
    assert upload(applicant.upload, PDF) in (200, 201, 204)
    [(_, customer_token)] = new_customers(base_url, reviewer_token, 1, legacy_cps_email=old_email)
    [(_, peer_token)] = new_customers(base_url, reviewer_token, 1)
    applicant.wait_for(api, "PENDING_REVIEW")
    waiting = apply(api)
    product = registered(api, customer_token, "EOS-R6-BODY", serial_number=unique_serial())
    doomed = [
        registered(api, customer_token, "EOS-R-BODY", **complete_details(unique_serial()))
        for _ in range(2)
    ]
    registered(api, peer_token, "EOS-R6-BODY", serial_number=unique_serial())
    earn_points(api, customer_token, 500)
    bought(api, customer_token, "schemathesis-membership", payment=BANK_TRANSFER)
    wait_for_invoice_mail(api, me(api, customer_token)["contact"]["email"])
    [issued] = invoices(api, customer_token)
    lists = {
        "/products": (customer_token, {}),
        "/points": (customer_token, {}),
        "/invoices": (customer_token, {}),
        "/review/applications": (reviewer_token, {"status": "PENDING_REVIEW"}),
        "/finance/invoices": (reviewer_token, {"status": "ISSUED"}),
    }
    return RealData(
        customer_token=customer_token,
        peer_token=peer_token,
        reviewer_token=reviewer_token,
        application_id=waiting.application_id,
        status_token=waiting.status_token,
        reviewed_application_id=applicant.application_id,
        product_id=product["product_id"],
        doomed_product_ids=(doomed[0]["product_id"], doomed[1]["product_id"]),
        import_id=report["import_id"],
        invoice_number=issued["invoice_number"],
        cursors={
            path: (filters, _first_cursor(api, token, path, filters))
            for path, (token, filters) in lists.items()
        },
    )


def schemathesis_command(
    config: Path, api_url: str, run: Pass, document: dict[str, Any]
) -> list[str]:
    if run is Pass.PEERS:
        paths = "|".join(re.escape(path) for path in customer_paths(document))
        selection = ["--include-path-regex", f"^({paths})$"]
    else:
        # moving the clock would change the world of the other tests sharing this runtime
        selection = ["--exclude-path", "/dev/clock"]
    return [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        f"{api_url}/openapi.json",
        *selection,
        "--checks",
        "all",
        # In the fuzzing pass the real bearer token is one of a fuzz dictionary's values, which
        # schemathesis cannot tell from a generated one: ignored_auth would call each 2xx of a
        # secured operation a generated token accepted. The other passes run it on every secured
        # operation (a request without a token and one with an invalid token must be a 401).
        *(["--exclude-checks", "ignored_auth"] if run is Pass.FUZZING else []),
        # valid data and invalid data (negative testing) in every part of the request
        "--mode",
        "all",
        "--phases",
        run.value,
        "--max-examples",
        str(SCHEMATHESIS_EXAMPLES[run]),
        "--seed",
        str(SCHEMATHESIS_SEED),
        "--request-timeout",
        "20",
        "--generation-database",
        "none",
        "--workers",
        "2",
        "--no-color",
    ]


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    http_api: HttpApi, e2e_runtime: RuntimeProcess, reviewer_token: str, tmp_path: Path
) -> None:
    # GIVEN real records for the routes taking an id (an application and its status token,
    # a customer's product, an import, an invoice), two customers' and the reviewer's tokens
    started = time.monotonic()
    real = real_data(http_api, e2e_runtime.api_url, reviewer_token)
    document = http_api.request("GET", "/openapi.json").json()
    wfc = tmp_path / "customers.json"
    wfc.write_text(wfc_auth(real))
    outputs = []
    for run in Pass:
        config = tmp_path / f"schemathesis-{run.name.lower()}.toml"
        config.write_text(schemathesis_config(document, real, run, wfc))
        command = schemathesis_command(config, e2e_runtime.api_url, run, document)
        # WHEN schemathesis generates requests for every operation of /openapi.json, with
        # every check on
        try:
            result = subprocess.run(
                command,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=max(SCHEMATHESIS_BUDGET - (time.monotonic() - started), 1),
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            partial = (exc.stdout or b"") + (exc.stderr or b"")
            text = partial.decode(errors="replace") if isinstance(partial, bytes) else str(partial)
            pytest.fail(f"schemathesis ran past {SCHEMATHESIS_BUDGET}s in all:\n{text[-5_000:]}")
        output = result.stdout + result.stderr
        print(f"schemathesis, {run.name} pass ({run.value}):\n{report_of(output)}")
        outputs.append((result.returncode, output))
    print(f"schemathesis test: {time.monotonic() - started:.0f}s in all")
    # THEN no answer is a 5xx, every answer is documented (status, content type, headers, body),
    # valid data is accepted, invalid data refused, auth is enforced, and one customer's objects
    # are not another's
    for returncode, output in outputs:
        assert returncode == 0, output[-20_000:]
