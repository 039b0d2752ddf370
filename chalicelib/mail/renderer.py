"""Renders the transactional mails (subject, plain text, HTML) in the customer's language.

Templates live in `templates/<language>/<name>.subject.txt.j2`, `<name>.txt.j2` and
`<name>.html.j2`; the HTML ones extend `templates/<language>/_layout.html.j2`, which extends the
shared `templates/base.html.j2` and fills in the translated footer. Every template exists in
every supported language: there is no fallback, an unknown template or language is a
`ValueError`, and a missing context variable raises `jinja2.UndefinedError` (StrictUndefined).

Besides the caller's context, every template sees `language`, `no_reply_address` and (text and
HTML parts) the rendered `subject`; the filter `num` formats an integer the way the language
writes it, and `plural(n, one, other)` picks the grammatical number.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from email.utils import parseaddr
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import jinja2

from chalicelib.domain.languages import SUPPORTED_LANGUAGES
from chalicelib.mail.message import RenderedMail

__all__ = [
    "DEFAULT_NO_REPLY_ADDRESS",
    "SUPPORTED_LANGUAGES",
    "TEMPLATE_CONTEXT",
    "TEMPLATE_NAMES",
    "MailRenderer",
    "RenderedMail",
]

# The context each template needs. `invoice_issued.bank_details` (a mapping with iban, bic,
# beneficiary, reference) is only read when payment_method is BANK_TRANSFER.
TEMPLATE_CONTEXT: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "application_approved": (
            "company_name",
            "contact_name",
            "set_password_url",
            "link_expires_hours",
        ),
        "application_rejected": ("company_name", "contact_name", "reason", "apply_again_url"),
        "password_reset": ("contact_name", "reset_url", "link_expires_hours"),
        "review_escalation": (
            "application_id",
            "company_name",
            "country",
            "decision_due_by",
            "review_url",
        ),
        "cps_invitation": ("company_name", "contact_name", "points", "signup_url"),
        "invoice_issued": (
            "company_name",
            "contact_name",
            "invoice_number",
            "total",
            "due_on",
            "payment_method",
            "bank_details",
            "membership_number",
            "tier_name",
        ),
    }
)
TEMPLATE_NAMES: Final[tuple[str, ...]] = tuple(TEMPLATE_CONTEXT)

# Context values restricted to a closed set (anything else would silently render a wrong branch).
_CHOICES: Final[Mapping[str, Mapping[str, frozenset[str]]]] = MappingProxyType(
    {"invoice_issued": {"payment_method": frozenset({"CARD", "BANK_TRANSFER"})}}
)
_RESERVED: Final = frozenset({"language", "no_reply_address", "subject"})

DEFAULT_NO_REPLY_ADDRESS: Final = "donotreply@canon-europe.com"
TEMPLATES_DIR: Final = Path(__file__).parent / "templates"

_THOUSANDS_SEPARATOR: Final[Mapping[str, str]] = MappingProxyType(
    {"en": ",", "nl": ".", "de": ".", "da": ".", "lv": "\u00a0"}
)


@jinja2.pass_context
def _format_number(context: jinja2.runtime.Context, value: int) -> str:
    """2500 → "2,500" (en), "2.500" (nl, de, da), "2500" (lv groups from five digits)."""
    number = int(value)
    language = context["language"]
    if language == "lv" and abs(number) < 10_000:
        return str(number)
    return f"{number:,}".replace(",", _THOUSANDS_SEPARATOR[language])


@jinja2.pass_context
def _plural(context: jinja2.runtime.Context, count: int, one: str, other: str) -> str:
    """The word form for `count`: Latvian uses the singular for 1, 21, 31… but not 11."""
    n = abs(int(count))
    if context["language"] == "lv":
        return one if n % 10 == 1 and n % 100 != 11 else other
    return one if n == 1 else other


@functools.cache
def _environment() -> jinja2.Environment:
    """One Environment per process: a warm Lambda reuses its parsed templates."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        # HTML parts are escaped, text parts and subjects are not; anything else errs on escaping.
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2",),
            disabled_extensions=("txt.j2",),
            default_for_string=True,
            default=True,
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["num"] = _format_number
    env.globals["plural"] = _plural
    return env


class MailRenderer:
    def __init__(self, no_reply_address: str = DEFAULT_NO_REPLY_ADDRESS) -> None:
        # Accepts "Name <address>" too: the footer names the bare address.
        self._no_reply_address = parseaddr(no_reply_address)[1] or no_reply_address

    def render(self, template: str, language: str, context: Mapping[str, Any]) -> RenderedMail:
        if template not in TEMPLATE_CONTEXT:
            raise ValueError(f"unknown mail template {template!r}")
        if language not in SUPPORTED_LANGUAGES:
            raise ValueError(f"unsupported mail language {language!r}")
        reserved = _RESERVED.intersection(context)
        if reserved:
            raise ValueError(f"context keys reserved by the renderer: {sorted(reserved)}")
        for key, allowed in _CHOICES.get(template, {}).items():
            if key in context and context[key] not in allowed:
                raise ValueError(f"{template}.{key} must be one of {sorted(allowed)}")

        env = _environment()
        values: dict[str, Any] = {
            **context,
            "language": language,
            "no_reply_address": self._no_reply_address,
        }
        try:
            subject_template = env.get_template(f"{language}/{template}.subject.txt.j2")
            text_template = env.get_template(f"{language}/{template}.txt.j2")
            html_template = env.get_template(f"{language}/{template}.html.j2")
        except jinja2.TemplateNotFound as exc:
            raise ValueError(f"mail template {template!r} is missing in {language!r}") from exc

        # A subject is one header line: collapse any whitespace a value may have brought in.
        subject = " ".join(subject_template.render(values).split())
        if not subject:
            raise ValueError(f"mail template {template!r} rendered an empty subject")
        values["subject"] = subject
        text = text_template.render(values).strip() + "\n"
        html = html_template.render(values).strip() + "\n"
        return RenderedMail(subject=subject, text=text, html=html)
