"""Renders the transactional mails (subject, plain text, HTML) in the customer's language.

Templates live in `templates/<language>/<name>.subject.txt.j2`, `<name>.txt.j2` and
`<name>.html.j2`; the HTML ones extend `templates/<language>/_layout.html.j2`, which extends the
shared `templates/base.html.j2` and fills in the translated footer. Every template exists in
every supported language: there is no fallback, an unknown template or language is a
`ValueError`, and a missing context variable raises `jinja2.UndefinedError` (StrictUndefined).

Besides the caller's context, every template sees `language`, `no_reply_address`,
`support_email` and (text and HTML parts) the rendered `subject`. Filters: `num` formats an
integer the way the language writes it; `money` formats `{"amount": "102.85", "currency": "EUR"}`
(the amount a decimal string: contexts travel as JSON) and `date` formats an ISO date
("2026-12-30") the way the language writes them (Babel, CLDR data). `plural(n, one, other)`
picks the grammatical number.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from email.utils import parseaddr
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import jinja2

from chalicelib.domain.languages import SUPPORTED_LANGUAGES
from chalicelib.mail.message import RenderedMail

__all__ = [
    "DEFAULT_NO_REPLY_ADDRESS",
    "DEFAULT_SUPPORT_EMAIL",
    "SUPPORTED_LANGUAGES",
    "TEMPLATE_CONTEXT",
    "TEMPLATE_NAMES",
    "MailRenderer",
    "RenderedMail",
]

# The context each template needs. Money values are mappings {"amount": "102.85", "currency":
# "EUR"} for the `money` filter, dates ISO strings ("2026-12-30") for `date`; `bank_details` is a
# mapping with beneficiary, iban, bic and reference (`invoice_issued` reads it only when
# payment_method is BANK_TRANSFER); `payment_failed.next_attempt_on` may be None (no retry left).
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
        # To the old CPS address named in an application: confirm that the applicant may take
        # over the products registered under it (SPEC §2 "Migrate products").
        "legacy_confirmation": (
            "company_name",
            "contact_name",
            "old_email",
            "confirm_url",
            "link_expires_days",
        ),
        "account_exists": (
            "company_name",
            "contact_name",
            "login_url",
            "reset_url",
            "link_expires_hours",
        ),
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
            "purpose",
        ),
        "renewal_notice": (
            "company_name",
            "contact_name",
            "membership_number",
            "tier_name",
            "renewal_tier_name",
            "renewal_fee",
            "renews_on",
            "manage_url",
        ),
        "expiry_reminder": (
            "company_name",
            "contact_name",
            "membership_number",
            "tier_name",
            "expires_on",
            "days_left",
            "last",
            "manage_url",
        ),
        "payment_reminder": (
            "company_name",
            "contact_name",
            "membership_number",
            "invoice_number",
            "total",
            "due_on",
            "overdue",
            "bank_details",
        ),
        "payment_failed": (
            "company_name",
            "contact_name",
            "membership_number",
            "invoice_number",
            "total",
            "due_on",
            "authentication_required",
            "next_attempt_on",
            "pay_url",
        ),
        "payment_received": (
            "company_name",
            "contact_name",
            "membership_number",
            "tier_name",
            "invoice_number",
            "total",
            "paid_on",
        ),
        "membership_suspended": (
            "company_name",
            "contact_name",
            "membership_number",
            "tier_name",
            "invoice_number",
            "total",
            "due_on",
            "cancel_on",
            "pay_url",
        ),
        "membership_cancelled": (
            "company_name",
            "contact_name",
            "membership_number",
            "tier_name",
            "invoice_number",
            "credit_note_number",
            "total",
            "signup_url",
        ),
        "membership_expired": (
            "company_name",
            "contact_name",
            "membership_number",
            "tier_name",
            "expired_on",
            "signup_url",
        ),
        "renewal_not_possible": (
            "company_name",
            "contact_name",
            "membership_number",
            "tier_name",
            "points",
            "min_points",
            "expires_on",
            "products_url",
        ),
        "credit_note_issued": (
            "company_name",
            "contact_name",
            "membership_number",
            "invoice_number",
            "credit_note_number",
            "total",
            "expires_on",
        ),
    }
)
TEMPLATE_NAMES: Final[tuple[str, ...]] = tuple(TEMPLATE_CONTEXT)

# Context values restricted to a closed set (anything else would silently render a wrong branch).
_CHOICES: Final[Mapping[str, Mapping[str, frozenset[str]]]] = MappingProxyType(
    {
        "invoice_issued": {
            "payment_method": frozenset({"CARD", "BANK_TRANSFER"}),
            "purpose": frozenset({"PURCHASE", "RENEWAL", "UPGRADE"}),
        }
    }
)
# Context values that choose a branch and must be real booleans (the string "false" is truthy).
_FLAGS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "expiry_reminder": ("last",),
        "payment_reminder": ("overdue",),
        "payment_failed": ("authentication_required",),
    }
)
_RESERVED: Final = frozenset({"language", "no_reply_address", "support_email", "subject"})

DEFAULT_NO_REPLY_ADDRESS: Final = "donotreply@canon-europe.com"
DEFAULT_SUPPORT_EMAIL: Final = "cps-support@canon-europe.com"
TEMPLATES_DIR: Final = Path(__file__).parent / "templates"

_THOUSANDS_SEPARATOR: Final[Mapping[str, str]] = MappingProxyType(
    {"en": ",", "nl": ".", "de": ".", "da": ".", "lv": "\u00a0"}
)
# The CLDR locale whose conventions a mail in each language follows (money, dates).
BABEL_LOCALES: Final[Mapping[str, str]] = MappingProxyType(
    {"en": "en_GB", "nl": "nl_NL", "de": "de_DE", "da": "da_DK", "lv": "lv_LV"}
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


@jinja2.pass_context
def _format_money(context: jinja2.runtime.Context, value: Mapping[str, Any]) -> str:
    """{"amount": "102.85", "currency": "EUR"} → "€102.85" (en), "€ 102,85" (nl), "102,85 €" (de).

    The spaces Babel puts between amount and sign are no-break spaces (U+00A0)."""
    from babel.numbers import format_currency

    if isinstance(value, str):  # the pre-formatted "€ 102.85" of old: the mail would mix styles
        raise ValueError(f"a money value is a mapping with amount and currency, not {value!r}")
    amount, currency = value["amount"], value["currency"]
    if isinstance(amount, float | bool) or not isinstance(currency, str):
        raise ValueError(f"a money value is a decimal string and a currency code, not {value!r}")
    try:
        decimal = Decimal(str(amount))
    except InvalidOperation:
        raise ValueError(f"not a decimal amount: {amount!r}") from None
    if not decimal.is_finite():
        raise ValueError(f"not a decimal amount: {amount!r}")
    return format_currency(decimal, currency, locale=BABEL_LOCALES[context["language"]])


@jinja2.pass_context
def _format_date(context: jinja2.runtime.Context, value: str | datetime.date) -> str:
    """An ISO date (or a date) in the long form of the language: "2026-12-30" → "30 December
    2026" (en), "30 december 2026" (nl), "30. Dezember 2026" (de), "30. december 2026" (da),
    "2026. gada 30. decembris" (lv: nominative, so Latvian sentences put it after a colon or in
    parentheses rather than after a preposition)."""
    from babel.dates import format_date

    if isinstance(value, datetime.datetime):
        raise ValueError(f"a date, not a timestamp: {value!r}")
    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    return format_date(day, format="long", locale=BABEL_LOCALES[context["language"]])


@jinja2.pass_context
def _format_timestamp(context: jinja2.runtime.Context, value: str) -> str:
    """An ISO timestamp with its offset, as the language writes a date and time, in the
    timestamp's own time zone: "2025-03-04T17:00:00+01:00" → "4 Mar 2025, 17:00" (en)."""
    from babel.dates import format_date, format_time

    moment = datetime.datetime.fromisoformat(str(value))
    locale = BABEL_LOCALES[context["language"]]
    day = format_date(moment, format="medium", locale=locale)
    return f"{day}, {format_time(moment, format='short', tzinfo=moment.tzinfo, locale=locale)}"


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
    env.filters["timestamp"] = _format_timestamp
    env.filters["money"] = _format_money
    env.filters["date"] = _format_date
    env.globals["plural"] = _plural
    return env


def _subject_line(rendered: str) -> str:
    """A subject is one header line: collapse any whitespace a value may have brought in, and
    never end in ".." (a company name such as "Studio B.V." before a closing period)."""
    subject = " ".join(rendered.split())
    while subject.endswith(".."):
        subject = subject[:-1]
    return subject


class MailRenderer:
    def __init__(
        self,
        no_reply_address: str = DEFAULT_NO_REPLY_ADDRESS,
        support_email: str = DEFAULT_SUPPORT_EMAIL,
    ) -> None:
        # Accepts "Name <address>" too: the footer names the bare address.
        self._no_reply_address = parseaddr(no_reply_address)[1] or no_reply_address
        self._support_email = parseaddr(support_email)[1] or support_email

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
        for key in _FLAGS.get(template, ()):
            if key in context and not isinstance(context[key], bool):
                raise ValueError(f"{template}.{key} must be true or false")

        env = _environment()
        values: dict[str, Any] = {
            **context,
            "language": language,
            "no_reply_address": self._no_reply_address,
            "support_email": self._support_email,
        }
        try:
            subject_template = env.get_template(f"{language}/{template}.subject.txt.j2")
            text_template = env.get_template(f"{language}/{template}.txt.j2")
            html_template = env.get_template(f"{language}/{template}.html.j2")
        except jinja2.TemplateNotFound as exc:
            raise ValueError(f"mail template {template!r} is missing in {language!r}") from exc

        subject = _subject_line(subject_template.render(values))
        if not subject:
            raise ValueError(f"mail template {template!r} rendered an empty subject")
        values["subject"] = subject
        text = text_template.render(values).strip() + "\n"
        html = html_template.render(values).strip() + "\n"
        return RenderedMail(subject=subject, text=text, html=html)
