"""Steps of the customer journey shared by the integration and end-to-end tests."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

import requests

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
STRONG_PASSWORD = "Sunny-Lenses-2026"


class Response(Protocol):
    status_code: int

    def json(self) -> Any: ...


class Api(Protocol):
    def request(
        self, method: str, path: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> Response: ...


# How long asynchronous work (queues, workflows, mails) may take before a wait gives up. A wait
# returns as soon as the work is done; this only bounds a hang. Generous, because `make test`
# runs all its suites and their runtimes side by side on two cores: at its busiest start,
# eleven approvals that take 3 s on an idle runtime took over 30 s.
SETTLES_WITHIN = 120.0


def eventually(
    check: Callable[[], Any], timeout: float = SETTLES_WITHIN, interval: float = 0.2
) -> Any:
    """Polls until `check` returns something truthy (asynchronous queues and workflows)."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s; last value: {last!r}")


def unique_email(prefix: str = "anna") -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}@studio-lumen.example"


def application_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "company": {
            "name": "Studio Lumen B.V.",
            "street": "Keizersgracht 1",
            "postcode": "1015 CJ",
            "city": "Amsterdam",
            "country": "NL",
        },
        "vat_number": None,
        "contact": {"name": "Anna de Vries", "email": unique_email(), "phone": "+31 20 123 4567"},
        "language": "nl",
        "document_type": "COMPANY_INVOICE",
        "authorised": True,
    }
    body.update(overrides)
    return body


def upload(upload: dict[str, Any], content: bytes, filename: str = "proof.pdf") -> int:
    response = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": (filename, content, "application/pdf")},
        timeout=30,
    )
    return response.status_code


@dataclass
class Applicant:
    application_id: str
    status_token: str
    email: str
    upload: dict[str, Any]

    def status(self, api: Api) -> dict[str, Any]:
        response = api.request(
            "GET",
            f"/applications/{self.application_id}",
            headers={"X-Status-Token": self.status_token},
        )
        assert response.status_code == 200, response.json()
        return response.json()

    def wait_for(self, api: Api, *statuses: str, timeout: float = SETTLES_WITHIN) -> dict[str, Any]:
        return eventually(
            lambda: (s := self.status(api))["status"] in statuses and s, timeout=timeout
        )


def apply(api: Api, **overrides: Any) -> Applicant:
    body = application_body(**overrides)
    response = api.request("POST", "/applications", json=body)
    assert response.status_code == 201, response.json()
    created = response.json()
    return Applicant(
        created["application_id"],
        created["status_token"],
        body["contact"]["email"],
        created["upload"],
    )


def login(api: Api, email: str, password: str) -> str:
    response = api.request("POST", "/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.json()
    return response.json()["id_token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def decide(
    api: Api, reviewer_token: str, application_id: str, decision: str, reason: str = ""
) -> Any:
    return api.request(
        "POST",
        f"/review/applications/{application_id}/decision",
        json={"decision": decision, "reason": reason},
        headers=bearer(reviewer_token),
    )


def mails_to(api: Api, address: str) -> list[dict[str, Any]]:
    response = api.request("GET", f"/dev/mailbox?to={address}")
    assert response.status_code == 200
    return response.json()["items"]


def wait_for_mail(
    api: Api, address: str, count: int = 1, timeout: float = SETTLES_WITHIN
) -> list[dict[str, Any]]:
    def enough() -> list[dict[str, Any]] | None:
        mails = mails_to(api, address)
        return mails if len(mails) >= count else None

    return eventually(enough, timeout)


def token_from_link(link: str) -> str:
    return parse_qs(urlparse(link).query)["token"][0]


def approve_to_login(api: Api, reviewer_token: str, **overrides: Any) -> tuple[Applicant, str]:
    """Apply, upload, get approved and set a password; returns the applicant and its ID token."""
    applicant = apply(api, **overrides)
    assert upload(applicant.upload, PDF) in (200, 201, 204)
    applicant.wait_for(api, "PENDING_REVIEW")
    assert decide(api, reviewer_token, applicant.application_id, "APPROVE").status_code == 200
    mail = wait_for_mail(api, applicant.email)[0]
    token = token_from_link(next(link for link in mail["links"] if "token=" in link))
    response = api.request(
        "POST", "/auth/password", json={"token": token, "password": STRONG_PASSWORD}
    )
    assert response.status_code == 200, response.json()
    return applicant, login(api, applicant.email, STRONG_PASSWORD)
