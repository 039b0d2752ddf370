"""Products, points and the old-CPS import over real HTTP, for the end-to-end tests.

Points are read from `GET /catalog`, never written into the tests: a product's points depend on
the date (the catalogue has dated values).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import requests

from tests.support.http_api import HttpApi
from tests.support.journey import (
    SETTLES_WITHIN,
    Applicant,
    approve_to_login,
    bearer,
    eventually,
    mails_to,
)

T = TypeVar("T")

LEGACY_HEADER = "email,sku,serial_number,purchase_date,country_of_purchase,dealer"
MAX_PAGES = 50


def unique_serial(prefix: str = "E2E") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12].upper()}"


def complete_details(serial: str, **overrides: str) -> dict[str, str]:
    """The four mandatory details of a product bought in Riga, a best estimate of the date."""
    return {
        "serial_number": serial,
        "purchase_date": "2025-03-14",
        "country_of_purchase": "LV",
        "dealer": "Foto Riga SIA",
        **overrides,
    }


def _pages(api: HttpApi, path: str, token: str, key: str = "items") -> list[dict[str, Any]]:
    """Every item of a cursor-paginated list (bounded)."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        params = {"limit": "100", **({"cursor": cursor} if cursor else {})}
        response = api.request("GET", path, headers=bearer(token), params=params)
        assert response.status_code == 200, f"GET {path}: {response.text[:500]}"
        page = response.json()
        items.extend(page[key])
        cursor = page["next_cursor"]
        if not cursor:
            return items
    raise AssertionError(f"GET {path} did not end within {MAX_PAGES} pages")


def catalog_points(api: HttpApi, token: str) -> dict[str, int]:
    """Each eligible SKU's points today, from `GET /catalog`."""
    return {item["sku"]: item["points"] for item in _pages(api, "/catalog", token)}


def my_products(api: HttpApi, token: str) -> list[dict[str, Any]]:
    return _pages(api, "/products", token)


@dataclass(frozen=True)
class Points:
    balance: int
    ledger: list[dict[str, Any]]

    @property
    def ledger_sum(self) -> int:
        return sum(entry["delta"] for entry in self.ledger)

    def entries_for(self, product_id: str) -> list[dict[str, Any]]:
        return [entry for entry in self.ledger if entry["product_id"] == product_id]


def points_of(api: HttpApi, token: str) -> Points:
    """The balance and the whole ledger (every page)."""
    first = api.request("GET", "/points", headers=bearer(token), params={"limit": "100"})
    assert first.status_code == 200, first.text
    return Points(first.json()["balance"], _pages(api, "/points", token, key="ledger"))


def me(api: HttpApi, token: str) -> dict[str, Any]:
    response = api.request("GET", "/me", headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


def register(api: HttpApi, token: str, sku: str, **details: str) -> requests.Response:
    return api.request("POST", "/products", json={"sku": sku, **details}, headers=bearer(token))


def registered(api: HttpApi, token: str, sku: str, **details: str) -> dict[str, Any]:
    response = register(api, token, sku, **details)
    assert response.status_code == 201, response.text
    return response.json()


def patch(api: HttpApi, token: str, product_id: str, **details: str) -> requests.Response:
    return api.request("PATCH", f"/products/{product_id}", json=details, headers=bearer(token))


def delete(api: HttpApi, token: str, product_id: str) -> requests.Response:
    return api.request("DELETE", f"/products/{product_id}", headers=bearer(token))


# --- the old CPS system's export ----------------------------------------------------------------


def legacy_csv(rows: Sequence[Sequence[str]]) -> str:
    return "\n".join([LEGACY_HEADER, *(",".join(row) for row in rows)]) + "\n"


def start_legacy_import(api: HttpApi, reviewer_token: str) -> dict[str, Any]:
    """`POST /ops/legacy-imports`: `{import_id, upload}`."""
    response = api.request("POST", "/ops/legacy-imports", headers=bearer(reviewer_token))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["import_id"] and created["upload"]["url"], created
    return created


def upload_csv(upload: dict[str, Any], csv_text: str) -> int:
    """The reviewer's browser posts the export straight to S3 with the presigned form."""
    response = requests.post(
        upload["url"],
        data={**upload["fields"], "Content-Type": "text/csv"},
        files={"file": ("old-cps-export.csv", csv_text.encode(), "text/csv")},
        timeout=30,
    )
    return response.status_code


def import_report(api: HttpApi, reviewer_token: str, import_id: str) -> dict[str, Any]:
    response = api.request(
        "GET", f"/ops/legacy-imports/{import_id}", headers=bearer(reviewer_token)
    )
    assert response.status_code == 200, response.text
    return response.json()


def import_legacy_export(
    api: HttpApi, reviewer_token: str, csv_text: str, timeout: float = 60.0
) -> dict[str, Any]:
    """Asks for an upload link, uploads the CSV (the upload triggers the import) and waits until
    the report says COMPLETED; returns the report."""
    created = start_legacy_import(api, reviewer_token)
    assert upload_csv(created["upload"], csv_text) in (200, 201, 204)
    return eventually(
        lambda: (
            (report := import_report(api, reviewer_token, created["import_id"]))["status"]
            == "COMPLETED"
            and report
        ),
        timeout=timeout,
        interval=0.3,
    )


# --- mail ------------------------------------------------------------------------------------


def mails_with(api: HttpApi, address: str, subject_part: str) -> list[dict[str, Any]]:
    return [mail for mail in mails_to(api, address) if subject_part in mail["subject"]]


def wait_for_mail_with(
    api: HttpApi, address: str, subject_part: str, timeout: float = SETTLES_WITHIN
) -> list[dict[str, Any]]:
    return eventually(lambda: mails_with(api, address, subject_part), timeout=timeout)


# --- calls side by side ---------------------------------------------------------------------


def _on_threads(calls: Sequence[Callable[[], T]], timeout: float, together: bool) -> list[T]:
    """One thread per call; `together` releases them at once through a barrier. Every thread
    ends within `timeout` seconds in all, or the test fails."""
    barrier = threading.Barrier(len(calls), timeout=timeout) if together else None
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            if barrier is not None:
                barrier.wait()
            results[index] = call()
        except BaseException as exc:
            results[index] = exc

    threads = [
        threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)
    ]
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    assert not any(thread.is_alive() for thread in threads), f"calls still running after {timeout}s"
    errors = [result for result in results if isinstance(result, BaseException)]
    if errors:
        raise errors[0]
    return results


def side_by_side(
    calls: Sequence[Callable[[], requests.Response]], timeout: float = 60.0
) -> list[requests.Response]:
    """The calls released together by a barrier, each on its own thread; answers in order."""
    return _on_threads(calls, timeout, together=True)


def in_parallel(jobs: Sequence[Callable[[], T]], timeout: float = 120.0) -> list[T]:
    """Independent set-up steps on threads, to save wall time; results in order."""
    return _on_threads(jobs, timeout, together=False)


def new_customers(
    base_url: str, reviewer_token: str, count: int, **overrides: Any
) -> list[tuple[Applicant, str]]:
    """`count` approved customers with a password (applicant, ID token), set up side by side,
    each over its own HTTP session."""

    def one() -> tuple[Applicant, str]:
        api = HttpApi(base_url)
        try:
            return approve_to_login(api, reviewer_token, **overrides)
        finally:
            api.close()

    return in_parallel([one] * count)
