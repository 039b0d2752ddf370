"""Every answer of the API checked against /openapi.json: the test clients (HttpApi over HTTP,
GatewayClient in-process) call `ApiContract.check` on each response, so every end-to-end test
also proves the document is exact — an undocumented status, a missing or extra field, a value
outside an enum or a wrong format fails the test that got it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

METHODS = ("get", "put", "post", "patch", "delete")
UNCHECKED_METHODS = frozenset({"OPTIONS", "HEAD"})  # CORS preflight and HEAD: no documented body


class ContractViolation(AssertionError):
    pass


@dataclass(frozen=True)
class _Route:
    template: str
    pattern: re.Pattern[str]
    literal_segments: int
    operations: dict[str, dict[str, Any]]  # method (upper case) -> operation


def _route(template: str, item: Mapping[str, Any]) -> _Route:
    parts = template.strip("/").split("/")
    regex = "/".join(
        "[^/]+" if part.startswith("{") and part.endswith("}") else re.escape(part)
        for part in parts
    )
    return _Route(
        template=template,
        pattern=re.compile(f"^/{regex}$"),
        literal_segments=sum(not part.startswith("{") for part in parts),
        operations={m.upper(): op for m, op in item.items() if m in METHODS},
    )


class ApiContract:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._components = document.get("components", {})
        # The most literal template first: /migration/confirm before /migration/{anything}.
        self._routes = sorted(
            (_route(path, item) for path, item in document["paths"].items()),
            key=lambda r: -r.literal_segments,
        )
        self._validators: dict[str, Draft202012Validator] = {}
        self._error = self._validator({"$ref": "#/components/schemas/ErrorOut"})

    def _validator(self, schema: dict[str, Any]) -> Draft202012Validator:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            rooted = {**schema, "components": self._components}
            self._validators[key] = Draft202012Validator(
                rooted, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
        return self._validators[key]

    def _find(self, path: str) -> _Route | None:
        return next((r for r in self._routes if r.pattern.match(path)), None)

    def check(
        self,
        method: str,
        url: str,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
    ) -> None:
        """Raises ContractViolation unless the answer is one /openapi.json documents."""
        method = method.upper()
        if method in UNCHECKED_METHODS:
            return
        path = urlsplit(url).path or "/"
        where = f"{method} {path} answered {status}"
        route = self._find(path)
        operation = route.operations.get(method) if route else None
        if operation is None:
            # No such operation: only a refusal in the error shape is a possible answer.
            if status < 400:
                raise ContractViolation(f"{where}, but the document has no {method} {path}")
            self._check_body(where, self._error, body, headers)
            return
        assert route is not None
        name = f"{method} {route.template}"
        responses = operation["responses"]
        documented = responses.get(str(status))
        if documented is None:
            raise ContractViolation(
                f"{where}: {status} is not documented for {name} "
                f"(documented: {', '.join(sorted(responses))}); body {body[:300]!r}"
            )
        self._check_headers(where, documented.get("headers", {}), headers)
        schema = documented.get("content", {}).get("application/json", {}).get("schema")
        media = documented.get("content", {})
        if schema is None and media:  # another media type (an XML document): that type, a body
            content_type = (_header(headers, "content-type") or "").split(";")[0].strip()
            if content_type not in media or not body.strip():
                raise ContractViolation(
                    f"{where}: {', '.join(media)} is documented, got {content_type!r}"
                )
            return
        if schema is None:
            if body.strip():
                raise ContractViolation(f"{where}: no body is documented, got {body[:300]!r}")
            return
        self._check_body(where, self._validator(schema), body, headers)

    def _check_body(
        self,
        where: str,
        validator: Draft202012Validator,
        body: bytes,
        headers: Mapping[str, str],
    ) -> None:
        content_type = _header(headers, "content-type") or ""
        if "json" not in content_type:
            raise ContractViolation(f"{where} with Content-Type {content_type!r}, not JSON")
        try:
            data = json.loads(body or b"null")
        except ValueError as exc:
            raise ContractViolation(f"{where}: the body is not JSON: {body[:300]!r}") from exc
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            problems = "; ".join(
                f"at {'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
                for e in errors[:5]
            )
            raise ContractViolation(
                f"{where}, not as documented: {problems}\nbody: {json.dumps(data)[:1500]}"
            )

    def _check_headers(
        self, where: str, documented: Mapping[str, Any], headers: Mapping[str, str]
    ) -> None:
        for name, spec in documented.items():
            if "$ref" in spec:
                spec = self._resolve(spec["$ref"])
            value = _header(headers, name)
            if value is None:
                if spec.get("required"):
                    raise ContractViolation(f"{where} without its documented {name} header")
                continue
            errors = list(self._validator(spec.get("schema", {})).iter_errors(value))
            if errors:
                raise ContractViolation(f"{where}: header {name}: {errors[0].message}")

    def _resolve(self, ref: str) -> dict[str, Any]:
        node: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return dict(node)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


_CONTRACTS: dict[str, ApiContract] = {}


def contract_for(key: str, fetch: Callable[[], dict[str, Any]]) -> ApiContract:
    """One contract per running API (its base URL, or the in-process app), fetched once."""
    if key not in _CONTRACTS:
        _CONTRACTS[key] = ApiContract(fetch())
    return _CONTRACTS[key]
