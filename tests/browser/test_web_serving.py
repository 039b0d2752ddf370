"""How the local runtime serves the frontend (local_runtime/web.py) and lets it call the API
(CORS from the frontend's origin, also on the gateway's own refusals)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from local_runtime.web import WebServer, WebSite
from tests.support.runtime_process import RuntimeProcess

API_URL = "http://127.0.0.1:8000"
UPLOAD_ORIGIN = "http://127.0.0.1:4566"


def _serve(dist: Path) -> Iterator[str]:
    site = WebSite(dist=dist, api_url=API_URL, stage="local", upload_origin=UPLOAD_ORIGIN)
    server = WebServer("127.0.0.1", 0, site).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def built_site(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>app</title>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('app')")
    (tmp_path / "assets" / "index-abc123.css").write_text("body{}")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    (tmp_path.parent / "secret.txt").write_text("not served")
    yield from _serve(tmp_path)


def test_the_runtime_configuration_names_the_api_and_the_stage(built_site: str) -> None:
    answer = requests.get(f"{built_site}/config.json", timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.json() == {"apiUrl": API_URL, "stage": "local", "stripePublishableKey": None}


@pytest.mark.parametrize(
    ("path", "content_type", "cache"),
    [
        ("/assets/index-abc123.js", "text/javascript; charset=utf-8", "immutable"),
        ("/assets/index-abc123.css", "text/css; charset=utf-8", "immutable"),
        ("/favicon.svg", "image/svg+xml", "no-cache"),
    ],
)
def test_files_are_served_with_their_type(
    built_site: str, path: str, content_type: str, cache: str
) -> None:
    answer = requests.get(f"{built_site}{path}", timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == content_type
    assert cache in answer.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/", "/login", "/set-password?token=abc", "/products/p-1"])
def test_the_apps_routes_are_answered_with_index_html(built_site: str, path: str) -> None:
    answer = requests.get(f"{built_site}{path}", timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>app</title>" in answer.text


@pytest.mark.parametrize("path", ["/assets/missing.js", "/../secret.txt", "/%2e%2e/secret.txt"])
def test_a_missing_file_or_one_outside_the_build_is_not_found(built_site: str, path: str) -> None:
    answer = requests.get(f"{built_site}{path}", timeout=5)
    assert answer.status_code == 404
    assert "not served" not in answer.text


def test_every_answer_carries_the_security_headers(built_site: str) -> None:
    headers = requests.get(f"{built_site}/login", timeout=5).headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert f"connect-src 'self' {API_URL}" in policy
    assert UPLOAD_ORIGIN in policy  # the browser posts documents to the embedded S3
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_without_a_build_every_page_says_how_to_get_one(tmp_path: Path) -> None:
    for url in _serve(tmp_path / "dist"):
        answer = requests.get(f"{url}/login", timeout=5)
        assert answer.status_code == 200
        assert "make run" in answer.text
        assert json.loads(requests.get(f"{url}/config.json", timeout=5).text)["apiUrl"] == API_URL


# --- the API, called from the frontend's origin ------------------------------------------------


def test_the_api_answers_the_frontends_preflight(web_runtime: RuntimeProcess) -> None:
    answer = requests.options(
        f"{web_runtime.api_url}/me",
        headers={
            "Origin": web_runtime.web_url,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == web_runtime.web_url
    assert "Authorization" in answer.headers["Access-Control-Allow-Headers"]


@pytest.mark.parametrize(
    ("path", "headers"),
    [("/me", {}), ("/me", {"Authorization": "Bearer not-a-token"}), ("/health", {})],
)
def test_the_frontend_can_read_the_apis_answers_and_refusals(
    web_runtime: RuntimeProcess, path: str, headers: dict[str, str]
) -> None:
    # The gateway's own 401 too: the frontend reads it to refresh an expired token.
    answer = requests.get(
        f"{web_runtime.api_url}{path}",
        headers={"Origin": web_runtime.web_url, **headers},
        timeout=10,
    )
    assert answer.headers.get("Access-Control-Allow-Origin") == web_runtime.web_url, (
        answer.status_code,
        dict(answer.headers),
    )
