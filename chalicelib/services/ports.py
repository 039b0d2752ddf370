"""What the use cases need from the outside world. Adapters implement these; tests may fake them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from chalicelib.domain.accounts import Account
from chalicelib.domain.applications import Application, ApplicationStatus
from chalicelib.domain.catalog import CatalogProduct
from chalicelib.domain.credentials import ChallengeKind, OneTimeToken
from chalicelib.domain.einvoice import EInvoice
from chalicelib.domain.invoices import Invoice, InvoiceOrder, InvoiceStatus
from chalicelib.domain.legacy import LegacyProduct
from chalicelib.domain.legacy_imports import ImportReport
from chalicelib.domain.membership import Membership
from chalicelib.domain.points import LedgerEntry
from chalicelib.domain.products import Registration

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


@dataclass(frozen=True)
class UploadTicket:
    url: str
    fields: dict[str, str]
    expires_at: datetime


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    head: bytes  # the first bytes, enough to recognise the file type
    version_id: str | None = None  # the S3 version these bytes belong to (versioned bucket)


@dataclass(frozen=True)
class AuthTokens:
    id_token: str
    access_token: str
    refresh_token: str | None
    expires_in: int


@dataclass(frozen=True)
class MfaChallenge:
    """A login that needs a second step; `session` continues it (opaque to the caller)."""

    challenge: ChallengeKind
    session: str


@dataclass(frozen=True)
class EmailRequest:
    """A mail to send once: `dedupe_key` names its cause so a redelivery never sends it twice."""

    template: str
    language: str
    to: str
    context: Mapping[str, Any]
    dedupe_key: str
    attachments: Sequence[str] = field(default_factory=tuple)  # keys in the documents bucket
    # A one-time link to issue when the mail is sent (LinkRequest.to_json()): the token and its
    # URL never travel through the queue; the sender puts the URL in the context.
    link: Mapping[str, str] | None = None


class ApplicationRepository(Protocol):
    def add(self, application: Application) -> None: ...
    def get(self, application_id: str) -> Application | None: ...
    def save(self, application: Application) -> Application:
        """Optimistic: raises Conflict when someone else changed it since it was read."""
        ...

    def list_by_status(self, status: ApplicationStatus, limit: int, cursor: str | None) -> Page: ...


class AccountRepository(Protocol):
    def add(self, account: Account) -> bool:
        """False when the account already exists (a retried approval)."""
        ...

    def get(self, account_id: str) -> Account | None: ...
    def find_by_email(self, email: str) -> Account | None: ...
    def account_ids_with_vat(self, vat_number: str) -> list[str]: ...
    def mark_migrated(self, account_id: str) -> None: ...


class TokenStore(Protocol):
    def add(self, token: OneTimeToken) -> None: ...
    def get(self, token_hash: str) -> OneTimeToken | None: ...
    def mark_used(self, token_hash: str, now: datetime) -> bool:
        """Atomically use the token once; False when it was used or expired meanwhile."""
        ...

    def release(self, token_hash: str) -> None: ...


class DocumentStore(Protocol):
    def upload_ticket(self, key: str, max_bytes: int, expires_in_s: int) -> UploadTicket: ...
    def inspect(self, key: str) -> StoredObject | None:
        """Size, first bytes and version of the current object, all of that one version."""
        ...

    def current_version(self, key: str) -> str | None:
        """The version the key serves now; None when there is no object (or no versioning)."""
        ...

    def delete(self, key: str, version_id: str | None = None) -> None:
        """With a version: that version is gone for good (no delete marker)."""
        ...

    def download_url(self, key: str, expires_in_s: int) -> str: ...
    def attachment_url(
        self,
        key: str,
        expires_in_s: int,
        *,
        version_id: str | None,
        filename: str,
        content_type: str,
    ) -> str:
        """A short-lived link to one version, downloaded (never shown inline) as `content_type`."""
        ...

    def lines(self, key: str) -> Iterator[str]: ...
    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def read(self, key: str) -> bytes:
        """The object's bytes (a small one: an e-invoice XML)."""
        ...


class Workflow(Protocol):
    def start_validation(self, application_id: str, execution_name: str) -> None: ...
    def complete_task(self, task_token: str, output: Mapping[str, Any]) -> None: ...
    def fail_task(self, task_token: str, error: str, cause: str) -> None: ...
    def heartbeat(self, task_token: str) -> bool: ...


class IdentityProvider(Protocol):
    def ensure_user(self, email: str, account_id: str) -> None: ...
    def set_password(self, email: str, password: str) -> None: ...
    def sign_out_everywhere(self, email: str) -> None:
        """Ends every session: refresh tokens issued so far are refused from now on."""
        ...

    def login(self, email: str, password: str) -> AuthTokens | MfaChallenge: ...
    def answer_mfa(self, email: str, session: str, code: str) -> AuthTokens: ...
    def refresh(self, refresh_token: str) -> AuthTokens: ...
    def start_mfa_setup(self, access_token: str) -> str: ...
    def finish_mfa_setup(self, access_token: str, code: str) -> None: ...
    def has_mfa(self, email: str) -> bool: ...


class TokenVerifier(Protocol):
    def groups_of(self, id_token: str) -> tuple[str, ...]: ...


class Outbox(Protocol):
    def send(self, request: EmailRequest) -> None: ...


class VatRegistry(Protocol):
    def is_registered(self, canonical_vat: str) -> bool:
        """Raises RetryableFailure when the registry cannot answer now."""
        ...


@dataclass(frozen=True)
class RegistrationChange:
    """One atomic step of a registration: its new state, its ledger entry, the new balance."""

    account_id: str
    before: Registration | None  # None: a new registration
    after: Registration | None  # None: the registration is removed
    entry: LedgerEntry | None
    balance_before: int  # the balance this change was computed from (optimistic check)
    invite: bool = False  # the change brings the company to the invitation threshold


class StaleBalance(Exception):
    """The balance or the registration changed meanwhile: recompute and try again."""


class CatalogRepository(Protocol):
    def get(self, sku: str) -> CatalogProduct | None: ...
    def all(self) -> list[CatalogProduct]: ...
    def replace_all(self, products: list[CatalogProduct]) -> int: ...


class RegistrationStore(Protocol):
    def get(self, account_id: str, product_id: str) -> Registration | None: ...
    def list(self, account_id: str, limit: int, cursor: str | None) -> Page: ...
    def commit(self, change: RegistrationChange) -> None:
        """All or nothing. Raises SerialTaken, or StaleBalance when something moved meanwhile."""
        ...

    def ledger(self, account_id: str, limit: int, cursor: str | None) -> Page: ...
    def mark_invitation_mailed(self, account_id: str) -> None: ...


class LegacyStore(Protocol):
    def save_products(self, products: Iterable[LegacyProduct]) -> None: ...
    def products_for(self, email: str) -> list[LegacyProduct]: ...
    def save_report(self, report: ImportReport) -> None: ...
    def report(self, import_id: str) -> ImportReport | None: ...


class NumberTaken(Exception):
    """The random membership number was issued before: draw another."""


class StaleState(Exception):
    """The item changed since it was read (optimistic concurrency): read again and retry."""


class MembershipRepository(Protocol):
    def latest(self, account_id: str) -> Membership | None: ...
    def get(self, account_id: str, membership_id: str) -> Membership | None: ...
    def create(self, membership: Membership) -> Membership:
        """Raises NumberTaken for a used number, Conflict while a membership is open."""
        ...

    def save(self, membership: Membership) -> Membership:
        """Raises StaleState when it changed since it was read; returns it as stored."""
        ...

    def due(self, today: date) -> Iterator[tuple[str, str]]:
        """(account_id, membership_id) of the memberships with a renewal step due by today."""
        ...

    def earliest_due(self) -> date | None:
        """The earliest date on which a renewal step falls due (past dates included)."""
        ...


class InvoiceRepository(Protocol):
    def issue(self, draft: Invoice) -> Invoice: ...
    def for_purchase(self, purchase_id: str) -> Invoice | None: ...
    def get(self, number: str) -> Invoice | None: ...
    def list_for(self, account_id: str, limit: int, cursor: str | None) -> Page: ...
    def open_for(self, account_id: str, membership_id: str) -> list[Invoice]: ...
    def save(self, invoice: Invoice) -> Invoice:
        """Raises StaleState when it changed since it was read; returns it as stored."""
        ...

    def mark_pdf_available(self, number: str) -> None: ...
    def due(self, today: date) -> Iterator[str]:
        """Numbers of the invoices with a collection step due by today."""
        ...

    def earliest_due(self) -> date | None:
        """The earliest date on which a collection step falls due (past dates included)."""
        ...

    def receivables(
        self, status: InvoiceStatus, today: date, limit: int, cursor: str | None
    ) -> Page: ...


class InvoiceRequests(Protocol):
    def request(self, order: InvoiceOrder) -> None: ...


class WorkQueue(Protocol):
    """Fans a daily job's work out: one message per membership or invoice due."""

    def dispatch(self, messages: Iterable[Mapping[str, str]]) -> int: ...


class Throttle(Protocol):
    def acquire(self, key: str, now: datetime, window: timedelta) -> bool:
        """True for the first call of a window (which then runs from `now`), False until it ends."""
        ...

    def release(self, key: str, until: datetime) -> None:
        """Gives back the window that ends at `until` (the action it allowed failed)."""
        ...


class LinkRevocations(Protocol):
    def void_links_before(self, account_id: str, at: datetime) -> None: ...
    def links_void_before(self, account_id: str) -> datetime | None: ...


@dataclass(frozen=True)
class EInvoiceFiles:
    """An invoice's EN 16931 documents, both validated: UN/CEFACT CII and UBL 2.1."""

    cii: bytes
    ubl: bytes


class EInvoicing(Protocol):
    def documents(self, document: EInvoice) -> EInvoiceFiles:
        """Both documents, validated; raises EInvoiceRejected naming the rules they break."""
        ...

    def factur_x(self, pdf: bytes, cii: bytes, document: EInvoice, language: str) -> bytes:
        """The PDF/A-3 invoice with the CII embedded: Factur-X, profile EN 16931."""
        ...
