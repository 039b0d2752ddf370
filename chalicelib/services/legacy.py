"""Importing the old CPS system's export, and migrating a customer's old products (SPEC §2)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import islice
from typing import Protocol

from chalicelib.domain.accounts import Account, LegacyConfirmation
from chalicelib.domain.clock import Clock
from chalicelib.domain.credentials import (
    TOKEN_LIFETIME,
    OneTimeToken,
    TokenPurpose,
    hash_token,
    issue_token,
)
from chalicelib.domain.errors import Conflict, InvalidToken, NotFound, SerialTaken
from chalicelib.domain.legacy import LegacyProduct, UnreadableExport, parse_rows, sniff_export
from chalicelib.domain.legacy_imports import ImportReport, ImportStatus
from chalicelib.domain.products import Source
from chalicelib.services.ports import (
    AccountRepository,
    CatalogRepository,
    DocumentStore,
    EmailRequest,
    LegacyStore,
    Outbox,
    Throttle,
    TokenStore,
    UploadTicket,
)
from chalicelib.services.products import ProductService

IMPORT_PREFIX = "legacy-imports/"
REPORT_PREFIX = "legacy-import-reports/"
MAX_EXPORT_BYTES = 200 * 1024 * 1024
UPLOAD_LINK_SECONDS = 30 * 60
WRITE_BATCH = 500  # rows handed to the store at a time (it writes 25 per request)
CONFIRM_PATH = "/migration/confirm"
CONFIRMATION_LIFETIME = TOKEN_LIFETIME[TokenPurpose.LEGACY_CONFIRMATION]
RESEND_WINDOW = timedelta(minutes=15)  # at most one resent confirmation per old address
NOT_CONFIRMABLE = (
    "This confirmation link is invalid, has already been used, has been replaced by a newer "
    "one or has expired."
)


@dataclass(frozen=True)
class NewImport:
    import_id: str
    upload: UploadTicket


class LegacyImportService:
    def __init__(
        self,
        *,
        legacy: LegacyStore,
        catalog: CatalogRepository,
        documents: DocumentStore,
        clock: Clock,
    ) -> None:
        self._legacy = legacy
        self._catalog = catalog
        self._documents = documents
        self._clock = clock

    def new_import(self, reviewer: str) -> NewImport:
        import_id = uuid.uuid4().hex
        self._legacy.save_report(
            ImportReport(import_id, ImportStatus.AWAITING_FILE, reviewer, self._clock.now())
        )
        ticket = self._documents.upload_ticket(
            f"{IMPORT_PREFIX}{import_id}.csv", MAX_EXPORT_BYTES, UPLOAD_LINK_SECONDS
        )
        return NewImport(import_id, ticket)

    def report(self, import_id: str) -> ImportReport:
        report = self._legacy.report(import_id)
        if report is None:
            raise NotFound("No such import.")
        return report

    def run(self, key: str) -> ImportReport | None:
        """The export arrived (S3 → SQS): stream it, keep the valid rows, report the others."""
        import_id = key.removeprefix(IMPORT_PREFIX).removesuffix(".csv")
        report = self._legacy.report(import_id)
        if report is None or report.status is ImportStatus.COMPLETED:
            return report  # unknown upload, or a redelivered event: nothing to do again
        report = ImportReport(
            import_id, ImportStatus.IMPORTING, report.requested_by, report.requested_at
        )
        self._legacy.save_report(report)
        try:
            unreadable = self._import(key, report)
            if unreadable:
                return self._finish(report, ImportStatus.FAILED, unreadable)
            return self._finish(report, ImportStatus.COMPLETED)
        except Exception as exc:
            # Not the file's fault (a dependency failed): the queue delivers the event again and
            # the import starts over (its keys are stable). Meanwhile, and once no delivery is
            # left, the report says it stopped rather than IMPORTING for ever.
            report.status = ImportStatus.FAILED
            report.finished_at = self._clock.now()
            report.failure_reason = (
                f"the import stopped on an unexpected error ({type(exc).__name__}); it is "
                "retried automatically, or upload the file again"
            )
            with contextlib.suppress(Exception):  # the original error is what matters
                self._legacy.save_report(report)
            raise

    def _import(self, key: str, report: ImportReport) -> str | None:
        """Every line is its own row: a broken one is rejected with its number, the rest go on.
        Returns why the file as a whole is not an export (nothing is imported then), or None."""
        stored = self._documents.inspect(key)
        if stored is None:
            return "the uploaded file is no longer there"
        problem = sniff_export(stored.size, stored.head)
        if problem:
            return problem
        known = frozenset(p.sku for p in self._catalog.all())
        outcomes = parse_rows(self._documents.lines(key), known, self._clock.now().date())
        try:
            while batch := list(islice(outcomes, WRITE_BATCH)):
                for outcome in batch:
                    report.count(outcome)
                self._legacy.save_products(p for p in batch if isinstance(p, LegacyProduct))
        except UnreadableExport as exc:  # raised on the first line, before anything is saved
            return str(exc)
        return None

    def _finish(
        self, report: ImportReport, status: ImportStatus, failure_reason: str | None = None
    ) -> ImportReport:
        report.status = status
        report.failure_reason = failure_reason
        report.finished_at = self._clock.now()
        report.report_key = f"{REPORT_PREFIX}{report.import_id}.json"
        self._documents.put(
            report.report_key,
            json.dumps(
                {
                    "import_id": report.import_id,
                    "status": status.value,
                    "failure_reason": failure_reason,
                    "rows": report.rows,
                    "imported": report.imported,
                    "rejected": [asdict(r) for r in report.rejections],
                }
            ).encode(),
            "application/json",
        )
        self._legacy.save_report(report)
        return report


class SkipReason(StrEnum):
    SERIAL_ALREADY_REGISTERED = "SERIAL_ALREADY_REGISTERED"


@dataclass(frozen=True)
class LegacyListing:
    """An old CPS product with its catalogue name (the SKU when the catalogue lacks it)."""

    product: LegacyProduct
    name: str


@dataclass(frozen=True)
class SkippedProduct:
    listing: LegacyListing
    reason: SkipReason


@dataclass(frozen=True)
class MigrationStatus:
    available: bool
    confirmation: LegacyConfirmation
    migrated: bool
    legacy_products: list[LegacyListing]  # empty until the old address is confirmed


@dataclass(frozen=True)
class MigrationResult:
    migrated: int
    points_added: int
    skipped: list[SkippedProduct]
    already_migrated: bool = False


class MigrationService:
    def __init__(
        self,
        *,
        legacy: LegacyStore,
        accounts: AccountRepository,
        products: ProductService,
        catalog: CatalogRepository,
    ) -> None:
        self._legacy = legacy
        self._accounts = accounts
        self._products = products
        self._catalog = catalog

    def status(self, account_id: str) -> MigrationStatus:
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFound("There is no business account for this login.")
        confirmation = account.legacy_confirmation
        # Nothing of the old address is shown until its owner has confirmed it: typing someone
        # else's old address must not even reveal what they own.
        legacy = (
            self._legacy.products_for(account.legacy_cps_email)
            if account.legacy_cps_email and confirmation is LegacyConfirmation.CONFIRMED
            else []
        )
        names = self._names()
        return MigrationStatus(
            available=bool(legacy) and not account.migrated,
            confirmation=confirmation,
            migrated=account.migrated,
            legacy_products=[self._listing(p, names) for p in legacy],
        )

    def migrate(self, account_id: str) -> MigrationResult:
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFound("There is no business account for this login.")
        if account.migrated:
            return MigrationResult(0, 0, [], already_migrated=True)
        if not account.legacy_cps_email:
            raise Conflict(
                "No old CPS e-mail address was given with the application: register your "
                "products again or contact CPS Priority Support.",
            )
        if account.legacy_confirmed_at is None:
            raise Conflict(
                "The old CPS e-mail address is not confirmed yet: its owner must open the link "
                "we e-mailed to it (you can have it sent again).",
            )
        migrated = points = 0
        skipped: list[SkippedProduct] = []
        names = self._names()
        for legacy in self._legacy.products_for(account.legacy_cps_email):
            product_id = (
                "mig-" + hashlib.sha256(f"{account_id}|{legacy.row_key}".encode()).hexdigest()[:24]
            )
            if self._products.exists(account_id, product_id):
                continue  # brought over by an earlier, interrupted run
            try:
                registration = self._products.register(
                    account_id,
                    legacy.sku,
                    legacy.details,
                    source=Source.MIGRATED,
                    product_id=product_id,
                )
            except SerialTaken:
                skipped.append(
                    SkippedProduct(
                        self._listing(legacy, names), SkipReason.SERIAL_ALREADY_REGISTERED
                    )
                )
                continue
            except Conflict:
                continue  # a concurrent migration registered it first
            migrated += 1
            points += registration.points
        self._accounts.mark_migrated(account_id)
        return MigrationResult(migrated, points, skipped)

    def _names(self) -> dict[str, str]:
        return {p.sku: p.name for p in self._catalog.all()}

    @staticmethod
    def _listing(product: LegacyProduct, names: dict[str, str]) -> LegacyListing:
        return LegacyListing(product, names.get(product.sku, product.sku))


# --- the old CPS address confirms that the applicant may take its products over (SPEC §2) -----


class LegacyConfirmations(Protocol):
    """The accounts, as far as the confirmation of their old CPS address goes."""

    def get(self, account_id: str) -> Account | None: ...

    def replace_legacy_link(self, account_id: str, token_hash: str) -> bool:
        """Only this link confirms from now on; False once confirmed (or no old address)."""
        ...

    def confirm_legacy(self, account_id: str, token_hash: str, at: datetime) -> bool:
        """False unless the link is still valid for the account and nothing was confirmed."""
        ...


def _confirmation_link(account: Account, now: datetime) -> tuple[str, OneTimeToken]:
    assert account.legacy_cps_email is not None
    return issue_token(
        account.account_id, account.legacy_cps_email, TokenPurpose.LEGACY_CONFIRMATION, now
    )


def _confirmation_mail(
    account: Account, plain: str, frontend_url: str, dedupe_key: str
) -> EmailRequest:
    assert account.legacy_cps_email is not None
    return EmailRequest(
        template="legacy_confirmation",
        language=account.language,
        to=account.legacy_cps_email,
        dedupe_key=dedupe_key,
        context={
            "company_name": account.company.name,
            "contact_name": account.contact_name,
            "old_email": account.legacy_cps_email,
            "confirm_url": f"{frontend_url}{CONFIRM_PATH}?token={plain}",
            "link_expires_days": CONFIRMATION_LIFETIME.days,
        },
    )


def request_legacy_confirmation(
    account: Account, *, tokens: TokenStore, outbox: Outbox, now: datetime, frontend_url: str
) -> None:
    """At approval: when the application named an old CPS address, a one-time link goes to that
    address (once per approval). A retried approval issues a link nobody receives (the mail is
    deduplicated); every unexpired approval link stays valid until one is resent."""
    if not account.legacy_cps_email or account.legacy_confirmed_at is not None:
        return
    plain, record = _confirmation_link(account, now)
    tokens.add(record)
    outbox.send(
        _confirmation_mail(
            account, plain, frontend_url, f"legacy-confirmation:approval:{account.account_id}"
        )
    )


class LegacyConfirmationService:
    def __init__(
        self,
        *,
        accounts: LegacyConfirmations,
        tokens: TokenStore,
        outbox: Outbox,
        clock: Clock,
        frontend_url: str,
        throttle: Throttle,
    ) -> None:
        self._accounts = accounts
        self._tokens = tokens
        self._outbox = outbox
        self._clock = clock
        self._frontend_url = frontend_url
        self._throttle = throttle

    def resend(self, account_id: str) -> None:
        """A new link to the old address; every earlier one is void from now on.

        At most one such mail per old address and RESEND_WINDOW: the address belongs to
        someone else until confirmed, and asking again must not flood it. Within the window
        nothing happens (the last link stays valid), and the answer is the same."""
        account = self._accounts.get(account_id)
        if account is None:
            raise NotFound("There is no business account for this login.")
        if not account.legacy_cps_email:
            raise Conflict("No old CPS e-mail address was given with the application.")
        if account.legacy_confirmed_at is not None:
            raise Conflict("The old CPS e-mail address is confirmed already.")
        now = self._clock.now()
        key = f"legacy-confirmation#{hash_token(account.legacy_cps_email)}"
        if not self._throttle.acquire(key, now, RESEND_WINDOW):
            return
        try:
            plain, record = _confirmation_link(account, now)
            self._tokens.add(record)
            # The account names the new link before it is mailed: a crash in between voids the
            # old links and sends nothing, and asking again sends a new one.
            if not self._accounts.replace_legacy_link(account_id, record.token_hash):
                raise Conflict("The old CPS e-mail address is confirmed already.")
            self._outbox.send(
                _confirmation_mail(
                    account,
                    plain,
                    self._frontend_url,
                    f"legacy-confirmation:{record.token_hash}",
                )
            )
        except Exception:
            self._throttle.release(key, now + RESEND_WINDOW)  # no mail left: the window is free
            raise

    def confirm(self, token: str) -> None:
        """The owner of the old address opened the link: the applicant may migrate its products."""
        now = self._clock.now()
        record = self._tokens.get(hash_token(token))
        if (
            record is None
            or record.purpose is not TokenPurpose.LEGACY_CONFIRMATION
            or not record.usable_at(now)
        ):
            raise InvalidToken(NOT_CONFIRMABLE)
        account = self._accounts.get(record.account_id)
        if account is None or account.legacy_cps_email != record.email:
            raise InvalidToken(NOT_CONFIRMABLE)
        if not self._tokens.mark_used(record.token_hash, now):
            raise InvalidToken(NOT_CONFIRMABLE)
        if not self._accounts.confirm_legacy(account.account_id, record.token_hash, now):
            raise InvalidToken(NOT_CONFIRMABLE)  # replaced by a resent link, or confirmed before
