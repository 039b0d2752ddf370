"""The web frontend in the local stage: `web/dist` (Vite's build) served over HTTP on loopback.

What CloudFront does when deployed, in a few lines: static files with their MIME types, any
other path answered with `index.html` (the single-page app routes in the browser), the
runtime configuration at `/config.json` (deployed, the deploy step uploads it), and security
headers like the deployed ones (CSP, no framing, origin-only referrers: set-password links
carry their one-time token in the query string).

Without a build (tests that start the runtime without Node.js), every page says how to get
one and the runtime still starts.
"""

from __future__ import annotations

import json
import mimetypes
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# CPS_WEB_DIST: another build of the frontend (a developer's or a test's own `vite build
# --outDir`); web/dist by default.
WEB_DIST = Path(
    os.environ.get("CPS_WEB_DIST") or Path(__file__).resolve().parent.parent / "web" / "dist"
)
STRIPE_JS = "https://js.stripe.com"

# Explicit, so the answer never depends on the machine's /etc/mime.types.
MIME_TYPES: Mapping[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}

NOT_BUILT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CPS web frontend not built</title></head>
<body><main><h1>The web frontend is not built</h1>
<p>Run <code>make run</code>: it builds the frontend (Node.js 20 or newer) and serves it here.
The API is running at <a href="{api_url}">{api_url}</a>.</p></main></body></html>
"""


@dataclass(frozen=True)
class WebSite:
    """What the web server serves: the build folder and the runtime configuration."""

    dist: Path
    api_url: str
    stage: str
    upload_origin: str  # where the browser posts documents (the presigned S3 POST)
    stripe_publishable_key: str | None = None

    def runtime_config(self) -> dict[str, Any]:
        return {
            "apiUrl": self.api_url,
            "stage": self.stage,
            "stripePublishableKey": self.stripe_publishable_key,
        }

    def security_headers(self) -> dict[str, str]:
        """The deployed site's headers (infra/resources.yaml, SiteSecurityHeadersPolicy) with
        this runtime's origins: the API and the embedded S3 instead of AWS's; no HSTS over
        plain HTTP on loopback."""
        stripe_scripts = f"{STRIPE_JS} https://*.js.stripe.com"
        policy = "; ".join(
            [
                "default-src 'self'",
                f"script-src 'self' {stripe_scripts}",
                "style-src 'self'",
                "img-src 'self' data:",
                f"connect-src 'self' {self.api_url} https://api.stripe.com {self.upload_origin}",
                f"frame-src {stripe_scripts} https://hooks.stripe.com",
                "frame-ancestors 'none'",
                "base-uri 'self'",
                f"form-action 'self' {self.upload_origin}",
                "object-src 'none'",
            ]
        )
        return {
            "Content-Security-Policy": policy,
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            # Other origins get the site's origin only, never the path or query: the
            # set-password and reset links carry one-time tokens there.
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        }

    def built(self) -> bool:
        return (self.dist / "index.html").is_file()


class _WebHandler(BaseHTTPRequestHandler):
    server: _WebServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        site = self.server.site
        path = unquote(urlsplit(self.path).path)
        if path == "/config.json":
            body = json.dumps(site.runtime_config()).encode()
            self._send(HTTPStatus.OK, "application/json", body, send_body, cache="no-store")
            return
        if not site.built():
            page = NOT_BUILT_PAGE.format(api_url=site.api_url).encode()
            self._send(HTTPStatus.OK, MIME_TYPES[".html"], page, send_body, cache="no-store")
            return
        file = _static_file(site.dist, path)
        if file is not None:
            immutable = file.parent.name == "assets"  # Vite's content-hashed names
            cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
            self._send(HTTPStatus.OK, _mime_type(file), file.read_bytes(), send_body, cache)
            return
        if Path(path).suffix:  # a missing asset, not a page of the app
            self._send(HTTPStatus.NOT_FOUND, MIME_TYPES[".txt"], b"Not found\n", send_body)
            return
        index = (site.dist / "index.html").read_bytes()
        self._send(HTTPStatus.OK, MIME_TYPES[".html"], index, send_body, cache="no-cache")

    def _send(
        self, status: int, content_type: str, body: bytes, send_body: bool, cache: str = "no-cache"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        for name, value in self.server.site.security_headers().items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per file would drown the runtime's own output


def _static_file(root: Path, path: str) -> Path | None:
    """The file under `root` that `path` names, or None (also for anything outside root)."""
    relative = path.lstrip("/")
    if not relative:
        return None
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()) or not candidate.is_file():
        return None
    return candidate


def _mime_type(file: Path) -> str:
    known = MIME_TYPES.get(file.suffix.lower())
    if known is not None:
        return known
    guessed, _ = mimetypes.guess_type(file.name)
    return guessed or "application/octet-stream"


class _WebServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: WebSite) -> None:
        self.site = site
        super().__init__(address, _WebHandler)


class WebServer:
    """The frontend's server on a daemon thread; `stop()` closes its socket."""

    def __init__(self, host: str, port: int, site: WebSite) -> None:
        self._server = _WebServer((host, port), site)  # binds now: a taken port fails here
        self.url = f"http://{host}:{self._server.server_address[1]}"
        self._thread: threading.Thread | None = None

    def start(self) -> WebServer:
        self._thread = threading.Thread(target=self._server.serve_forever, name="web", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
