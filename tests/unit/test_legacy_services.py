"""The legacy import's outcome and the old address's confirmation, over in-memory ports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.accounts import Account
from chalicelib.domain.applications import Company
from chalicelib.domain.catalog import packaged_catalog
from chalicelib.domain.clock import FixedClock
from chalicelib.domain.credentials import OneTimeToken, TokenPurpose, hash_token, issue_token
from chalicelib.domain.errors import Conflict, InvalidToken
from chalicelib.domain.legacy import LegacyProduct
from chalicelib.domain.legacy_imports import ImportReport, ImportStatus
from chalicelib.services.legacy import (
    IMPORT_PREFIX,
    LegacyConfirmationService,
    LegacyImportService,
    request_legacy_confirmation,
)
from chalicelib.services.ports import EmailRequest, StoredObject

NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)
HEADER = b"email,sku,serial_number,purchase_date,country_of_purchase,dealer\n"


# --- in-memory ports -----------------------------------------------------------------------


@dataclass
class Documents:
    files: dict[str, bytes] = field(default_factory=dict)
    fail_reading: Exception | None = None

    def inspect(self, key: str) -> StoredObject | None:
        data = self.files.get(key)
        return None if data is None else StoredObject(key, len(data), data[:262])

    def lines(self, key: str) -> Iterator[str]:
        for line in self.files[key].splitlines(True):
            if self.fail_reading is not None:
                raise self.fail_reading
            yield line.decode("utf-8-sig", errors="surrogateescape")

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.files[key] = data


@dataclass
class Legacy:
    reports: dict[str, ImportReport] = field(default_factory=dict)
    products: list[LegacyProduct] = field(default_factory=list)

    def save_products(self, products: Iterable[LegacyProduct]) -> None:
        self.products.extend(products)

    def save_report(self, report: ImportReport) -> None:
        self.reports[report.import_id] = replace(report)

    def report(self, import_id: str) -> ImportReport | None:
        return self.reports.get(import_id)


class Catalog:
    def all(self) -> list[Any]:
        return packaged_catalog()


def importer(data: bytes, fail_reading: Exception | None = None) -> tuple[Legacy, Any]:
    """An import waiting for its file, and the run that the file's arrival starts."""
    legacy, documents = Legacy(), Documents(fail_reading=fail_reading)
    service = LegacyImportService(
        legacy=legacy,
        catalog=Catalog(),  # type: ignore[arg-type]
        documents=documents,  # type: ignore[arg-type]
        clock=FixedClock(NOW),
    )
    legacy.save_report(ImportReport("imp1", ImportStatus.AWAITING_FILE, "reviewer", NOW))
    documents.files[f"{IMPORT_PREFIX}imp1.csv"] = data
    return legacy, lambda: service.run(f"{IMPORT_PREFIX}imp1.csv")


def import_of(data: bytes) -> tuple[Legacy, ImportReport]:
    legacy, run = importer(data)
    run()
    return legacy, legacy.reports["imp1"]


def test_a_bad_line_is_rejected_and_the_import_completes():
    # GIVEN an export with a non-UTF-8 row between two good ones
    good = b"a@b.nl,EOS-R5-BODY,SN1,2024-01-01,NL,X\n"
    _, report = import_of(HEADER + good + b"a@b.nl,EOS-R5-BODY,SN2,2024-01-01,NL,\xff\n" + good)
    # WHEN imported THEN it completes, with that line rejected and the others imported
    assert report.status is ImportStatus.COMPLETED
    assert (report.rows, report.imported, report.rejected) == (3, 2, 1)
    assert report.rejections[0].line == 3


@pytest.mark.parametrize(
    "data", [b"", b"\x00\x01\x02binary" * 100, b"name,address\nx,y\n", b"%PDF-1.7\n%\xe2\xe3\n"]
)
def test_a_file_that_is_no_export_fails_with_its_reason(data):
    # GIVEN an empty, binary, foreign CSV or PDF file WHEN imported
    legacy, report = import_of(data)
    # THEN the report is FAILED (not IMPORTING) with the reason, and nothing was stored
    assert report.status is ImportStatus.FAILED
    assert report.failure_reason and report.finished_at == NOW
    assert legacy.products == []


def test_an_unexpected_error_leaves_a_failed_report_and_is_raised_for_a_retry():
    # GIVEN a store that breaks while the export is read
    legacy, run = importer(HEADER + b"a@b.nl,EOS-R5-BODY,SN1,,,\n", ConnectionError("S3"))
    # WHEN imported THEN the error propagates (the queue delivers the file again)
    with pytest.raises(ConnectionError):
        run()
    # AND meanwhile the report says the import stopped, and why, rather than IMPORTING
    report = legacy.reports["imp1"]
    assert report.status is ImportStatus.FAILED
    assert report.failure_reason is not None and "ConnectionError" in report.failure_reason


# --- the old address's confirmation -------------------------------------------------------


@dataclass
class Tokens:
    items: dict[str, OneTimeToken] = field(default_factory=dict)

    def add(self, token: OneTimeToken) -> None:
        self.items[token.token_hash] = token

    def get(self, token_hash: str) -> OneTimeToken | None:
        return self.items.get(token_hash)

    def mark_used(self, token_hash: str, now: datetime) -> bool:
        token = self.items.get(token_hash)
        if token is None or not token.usable_at(now):
            return False
        self.items[token_hash] = replace(token, used_at=now)
        return True

    def release(self, token_hash: str) -> None:
        self.items[token_hash] = replace(self.items[token_hash], used_at=None)


@dataclass
class Accounts:
    items: dict[str, Account] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)

    def get(self, account_id: str) -> Account | None:
        return self.items.get(account_id)

    def replace_legacy_link(self, account_id: str, token_hash: str) -> bool:
        account = self.items[account_id]
        if not account.legacy_cps_email or account.legacy_confirmed_at is not None:
            return False
        self.links[account_id] = token_hash
        return True

    def confirm_legacy(self, account_id: str, token_hash: str, at: datetime) -> bool:
        account = self.items[account_id]
        current = self.links.get(account_id)
        if account.legacy_confirmed_at is not None or current not in (None, token_hash):
            return False
        self.items[account_id] = replace(account, legacy_confirmed_at=at)
        self.links.pop(account_id, None)
        return True


@dataclass
class Outbox:
    sent: list[EmailRequest] = field(default_factory=list)
    fail: bool = False

    def send(self, request: EmailRequest) -> None:
        if self.fail:
            raise ConnectionError("SQS")
        self.sent.append(request)


@dataclass
class Throttle:
    until: dict[str, datetime] = field(default_factory=dict)

    def acquire(self, key: str, now: datetime, window: timedelta) -> bool:
        if key in self.until and self.until[key] > now:
            return False
        self.until[key] = now + window
        return True

    def release(self, key: str, until: datetime) -> None:
        if self.until.get(key) == until:
            del self.until[key]


def account(legacy_cps_email: str | None = "old@studio.example") -> Account:
    return Account(
        account_id="acc-1",
        company=Company("Studio Lumen", "Keizersgracht 1", "1015 CJ", "Amsterdam", "NL"),
        vat_number=None,
        contact_name="Anna",
        email="anna@studio.example",
        phone="+31 20 123 4567",
        language="nl",
        legacy_cps_email=legacy_cps_email,
        application_id="app-1",
        created_at=NOW,
    )


@dataclass
class World:
    clock: FixedClock
    tokens: Tokens
    accounts: Accounts
    outbox: Outbox
    service: LegacyConfirmationService

    def approve(self, who: Account) -> None:
        self.accounts.items[who.account_id] = who
        request_legacy_confirmation(
            who,
            tokens=self.tokens,  # type: ignore[arg-type]
            outbox=self.outbox,
            now=self.clock.now(),
            frontend_url="https://cps.example",
        )

    def link_token(self, index: int = -1) -> str:
        return self.outbox.sent[index].context["confirm_url"].rsplit("token=", 1)[1]


@pytest.fixture
def world() -> World:
    clock, tokens, accounts, outbox = FixedClock(NOW), Tokens(), Accounts(), Outbox()
    service = LegacyConfirmationService(
        accounts=accounts,
        tokens=tokens,  # type: ignore[arg-type]
        outbox=outbox,
        clock=clock,
        frontend_url="https://cps.example",
        throttle=Throttle(),
    )
    return World(clock, tokens, accounts, outbox, service)


def test_approval_mails_one_link_to_the_old_address_only(world):
    # GIVEN an approved account that named an old address
    world.approve(account())
    # THEN one mail went to the old address, with a link to the confirmation page
    [mail] = world.outbox.sent
    assert mail.to == "old@studio.example" and mail.template == "legacy_confirmation"
    assert mail.context["confirm_url"].startswith("https://cps.example/migration/confirm?token=")
    assert mail.context["link_expires_days"] == 7
    # AND only the link's hash is stored
    assert world.link_token() not in world.tokens.items
    assert hash_token(world.link_token()) in world.tokens.items


def test_no_old_address_means_no_mail(world):
    world.approve(account(legacy_cps_email=None))
    assert world.outbox.sent == []


def test_the_link_confirms_once(world):
    world.approve(account())
    token = world.link_token()
    world.service.confirm(token)
    assert world.accounts.items["acc-1"].legacy_confirmation == "CONFIRMED"
    with pytest.raises(InvalidToken):
        world.service.confirm(token)


def test_an_expired_link_does_not_confirm(world):
    world.approve(account())
    world.clock.set(NOW + timedelta(days=7, seconds=1))
    with pytest.raises(InvalidToken):
        world.service.confirm(world.link_token())
    assert world.accounts.items["acc-1"].legacy_confirmation == "PENDING"


def test_a_password_link_does_not_confirm(world):
    world.approve(account())
    plain, record = issue_token("acc-1", "old@studio.example", TokenPurpose.RESET_PASSWORD, NOW)
    world.tokens.add(record)
    with pytest.raises(InvalidToken):
        world.service.confirm(plain)


def test_a_resent_link_voids_the_earlier_one(world):
    world.approve(account())
    first = world.link_token()
    world.service.resend("acc-1")
    second = world.link_token()
    assert first != second and len(world.outbox.sent) == 2
    assert world.outbox.sent[0].dedupe_key != world.outbox.sent[1].dedupe_key
    with pytest.raises(InvalidToken):
        world.service.confirm(first)
    world.service.confirm(second)
    assert world.accounts.items["acc-1"].legacy_confirmation == "CONFIRMED"


@pytest.mark.parametrize("confirmed", [False, True])
def test_resending_without_an_old_address_or_once_confirmed_is_a_conflict(world, confirmed):
    world.approve(account(legacy_cps_email="old@studio.example" if confirmed else None))
    if confirmed:
        world.service.confirm(world.link_token())
    with pytest.raises(Conflict):
        world.service.resend("acc-1")


def test_resending_floods_no_one_at_most_one_mail_per_window(world):
    # GIVEN a claim whose confirmation was resent once
    world.approve(account())
    world.service.resend("acc-1")
    resent = world.link_token()
    # WHEN it is asked for again and again within 15 minutes
    for _ in range(5):
        world.service.resend("acc-1")
    # THEN no further mail leaves and the last link sent still confirms
    assert len(world.outbox.sent) == 2
    # AND a quarter of an hour later a new one may go
    world.clock.set(NOW + timedelta(minutes=15))
    world.service.resend("acc-1")
    assert len(world.outbox.sent) == 3
    world.service.confirm(world.link_token())
    with pytest.raises(InvalidToken):
        world.service.confirm(resent)


def test_a_resend_whose_mail_fails_frees_its_window(world):
    world.approve(account())
    world.outbox.fail = True
    with pytest.raises(ConnectionError):
        world.service.resend("acc-1")
    world.outbox.fail = False
    world.service.resend("acc-1")
    assert len(world.outbox.sent) == 2
