"""In-memory fakes of the ports the use cases talk to (chalicelib/services/ports.py and
chalicelib/services/payments.py), for unit tests of the service layer. Never used by the
application.

Each fake keeps the semantics of its adapter that the use cases rely on, and nothing more:

* memberships (adapters/dynamo/memberships.py): a number is claimed forever (`NumberTaken`),
  one open membership per account (`MembershipActive`), optimistic `version` (`StaleState`), and the
  renewal steps due by a day from `Membership.next_step_on()`;
* invoices (adapters/dynamo/invoices.py): one document per order (`for_purchase`), numbered per
  kind and year without gaps (`invoice_number`, `credit_note_number`), optimistic `version`,
  open invoices due by a day from `domain.collection.next_step_on`, finance's receivables;
* registrations (adapters/dynamo/registrations.py): registration, serial claim, ledger entry and
  the account's balance change all or nothing (`SerialTaken`, `StaleBalance`);
* the payment provider (adapters/stripe_payments.py): the provider's idempotency, so the same
  key replays the first outcome (a decline too) and creates nothing new.

Stored objects are the domain's frozen dataclasses, so nothing read can change what is stored.
A write the real adapter makes conditionally and does not translate into a domain error raises
`ConditionFailed` here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.domain.accounts import Account
from chalicelib.domain.catalog import CatalogProduct
from chalicelib.domain.clock import FixedClock
from chalicelib.domain.collection import next_step_on
from chalicelib.domain.credentials import ChallengeKind, OneTimeToken
from chalicelib.domain.einvoice import EInvoice, EInvoiceRejected
from chalicelib.domain.errors import InvalidCredentials, InvalidCursor, SerialTaken
from chalicelib.domain.invoices import (
    Invoice,
    InvoiceKind,
    InvoiceOrder,
    InvoiceStatus,
    credit_note_number,
    invoice_number,
)
from chalicelib.domain.membership import Membership, MembershipActive
from chalicelib.domain.points import LedgerEntry
from chalicelib.domain.products import Registration
from chalicelib.services.payments import (
    CardAuthorisation,
    Charge,
    ChargeStatus,
    PaymentDeclined,
    PaymentUnavailable,
)
from chalicelib.services.ports import (
    AuthTokens,
    EInvoiceFiles,
    EmailRequest,
    MfaChallenge,
    NumberTaken,
    Page,
    RegistrationChange,
    StaleBalance,
    StaleState,
    StoredObject,
    UploadTicket,
)

__all__ = [
    "ConditionFailed",
    "FakeAccounts",
    "FakeCatalog",
    "FakeDocuments",
    "FakeEInvoicing",
    "FakeIdentity",
    "FakeInvoices",
    "FakeMemberships",
    "FakePayments",
    "FakeRegistrations",
    "FakeTokens",
    "FixedClock",
    "IdempotencyKeyReused",
    "Recorder",
]


class ConditionFailed(Exception):
    """A conditional write the real adapter does not translate (DynamoDB would refuse it)."""


_FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


def _page(items: Sequence[Any], limit: int, cursor: str | None, partition: str) -> Page:
    """Pages like a Query: the cursor is only valid for the list it came from."""
    start = 0
    if cursor:
        name, _, offset = cursor.rpartition("@")
        if name != partition or not offset.isdigit():
            raise InvalidCursor("The cursor is not valid.", fields={"cursor": "invalid"})
        start = int(offset)
    end = start + limit
    return Page(list(items[start:end]), f"{partition}@{end}" if end < len(items) else None)


# --- identity ----------------------------------------------------------------------------------


@dataclass
class _User:
    password: str
    groups: tuple[str, ...]
    mfa: bool = False
    secret: str | None = None


class FakeIdentity:
    """Cognito as the auth service sees it (also the token verifier): a user with an
    authenticator app is asked for its code; the code of this fake is always "123456"."""

    CODE = "123456"

    def __init__(self) -> None:
        self.users: dict[str, _User] = {}
        self.signed_out: list[str] = []

    def add_user(self, email: str, password: str, *groups: str, mfa: bool = False) -> None:
        self.users[email] = _User(password, groups, mfa)

    def login(self, email: str, password: str) -> AuthTokens | MfaChallenge:
        user = self.users.get(email)
        if user is None or user.password != password:
            raise InvalidCredentials("The e-mail address or password is not correct.")
        if user.mfa:
            return MfaChallenge(ChallengeKind.SOFTWARE_TOKEN_MFA, f"session:{email}")
        return self._tokens(email)

    def answer_mfa(self, email: str, session: str, code: str) -> AuthTokens:
        if session != f"session:{email}" or code != self.CODE:
            raise InvalidCredentials("The code is not correct.")
        return self._tokens(email)

    def refresh(self, refresh_token: str) -> AuthTokens:
        return self._tokens(refresh_token.removeprefix("refresh:"))

    def start_mfa_setup(self, access_token: str) -> str:
        user = self._by_access(access_token)
        user.secret = "JBSWY3DPEHPK3PXP"
        return user.secret

    def finish_mfa_setup(self, access_token: str, code: str) -> None:
        user = self._by_access(access_token)
        if user.secret is None or code != self.CODE:
            raise InvalidCredentials("The code is not correct.")
        user.mfa = True

    def has_mfa(self, email: str) -> bool:
        return email in self.users and self.users[email].mfa

    def groups_of(self, id_token: str) -> tuple[str, ...]:
        return self.users[id_token.removeprefix("id:")].groups

    def sign_out_everywhere(self, email: str) -> None:
        self.signed_out.append(email)

    def _by_access(self, access_token: str) -> _User:
        user = self.users.get(access_token.removeprefix("access:"))
        if user is None:
            raise InvalidCredentials("The session is not valid.")
        return user

    @staticmethod
    def _tokens(email: str) -> AuthTokens:
        return AuthTokens(f"id:{email}", f"access:{email}", f"refresh:{email}", 3600)


# --- accounts, tokens, catalogue ----------------------------------------------------------------


class FakeAccounts:
    """AccountRepository. `put` (a test's set-up) stores an account as given."""

    def __init__(self, *accounts: Account) -> None:
        self.items: dict[str, Account] = {a.account_id: a for a in accounts}

    def put(self, account: Account) -> Account:
        self.items[account.account_id] = account
        return account

    def add(self, account: Account) -> bool:
        if account.account_id in self.items:
            return False
        self.items[account.account_id] = account
        return True

    def get(self, account_id: str) -> Account | None:
        return self.items.get(account_id)

    def find_by_email(self, email: str) -> Account | None:
        return next((a for a in self.items.values() if a.email == email), None)

    def account_ids_with_vat(self, vat_number: str) -> list[str]:
        return [a.account_id for a in self.items.values() if a.vat_number == vat_number]

    def mark_migrated(self, account_id: str) -> None:
        self.put(replace(self._existing(account_id), migrated=True))

    def _existing(self, account_id: str) -> Account:
        account = self.items.get(account_id)
        if account is None:
            raise ConditionFailed(f"no account {account_id}")
        return account


class FakeTokens:
    """TokenStore: a token is used once, and only before it expires."""

    def __init__(self) -> None:
        self.items: dict[str, OneTimeToken] = {}

    def add(self, token: OneTimeToken) -> None:
        if token.token_hash in self.items:
            raise ConditionFailed("the token exists")
        self.items[token.token_hash] = token

    def get(self, token_hash: str) -> OneTimeToken | None:
        return self.items.get(token_hash)

    def mark_used(self, token_hash: str, now: datetime) -> bool:
        token = self.items.get(token_hash)
        if token is None or token.used_at is not None or not token.expires_at > now:
            return False
        self.items[token_hash] = replace(token, used_at=now)
        return True

    def release(self, token_hash: str) -> None:
        token = self.items.get(token_hash)
        if token is not None:
            self.items[token_hash] = replace(token, used_at=None)


class FakeCatalog:
    """CatalogRepository: one partition, read in SKU order."""

    def __init__(self, products: Iterable[CatalogProduct] = ()) -> None:
        self.items: dict[str, CatalogProduct] = {p.sku: p for p in products}

    def get(self, sku: str) -> CatalogProduct | None:
        return self.items.get(sku)

    def all(self) -> list[CatalogProduct]:
        return [self.items[sku] for sku in sorted(self.items)]

    def replace_all(self, products: list[CatalogProduct]) -> int:
        self.items = {p.sku: p for p in products}
        return len(products)


# --- documents, mail and queues ----------------------------------------------------------------


class FakeDocuments:
    """DocumentStore: one version per key, kept as bytes."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}  # key -> (data, content type)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.objects[key] = (data, content_type)

    def inspect(self, key: str) -> StoredObject | None:
        if key not in self.objects:
            return None
        data = self.objects[key][0]
        return StoredObject(key, len(data), data[:16], version_id=None)

    def current_version(self, key: str) -> str | None:
        return None  # no versioning

    def delete(self, key: str, version_id: str | None = None) -> None:
        self.objects.pop(key, None)

    def lines(self, key: str) -> Iterator[str]:
        return iter(self.objects[key][0].decode().splitlines())

    def read(self, key: str) -> bytes:
        return self.objects[key][0]

    def upload_ticket(self, key: str, max_bytes: int, expires_in_s: int) -> UploadTicket:
        return UploadTicket(f"https://documents.test/{key}", {"key": key}, _FAR_FUTURE)

    def download_url(self, key: str, expires_in_s: int) -> str:
        return f"https://documents.test/{key}?expires={expires_in_s}"

    def attachment_url(
        self,
        key: str,
        expires_in_s: int,
        *,
        version_id: str | None,
        filename: str,
        content_type: str,
    ) -> str:
        return f"https://documents.test/{key}?attachment={filename}"


@dataclass
class Recorder:
    """Outbox, InvoiceRequests and WorkQueue: records what was queued, in order. The e-mail
    consumer sends each `dedupe_key` once; `mail_causes` shows what it would be given."""

    mails: list[EmailRequest] = field(default_factory=list)
    orders: list[InvoiceOrder] = field(default_factory=list)
    work: list[Mapping[str, str]] = field(default_factory=list)

    def send(self, request: EmailRequest) -> None:
        self.mails.append(request)

    def request(self, order: InvoiceOrder) -> None:
        self.orders.append(order)

    def dispatch(self, messages: Iterable[Mapping[str, str]]) -> int:
        batch = list(messages)
        self.work.extend(batch)
        return len(batch)

    def mail_causes(self, template: str | None = None) -> list[str]:
        return [m.dedupe_key for m in self.mails if template is None or m.template == template]

    def mails_of(self, template: str) -> list[EmailRequest]:
        return [m for m in self.mails if m.template == template]

    def take_orders(self) -> list[InvoiceOrder]:
        orders, self.orders = self.orders, []
        return orders

    def take_work(self) -> list[Mapping[str, str]]:
        work, self.work = self.work, []
        return work


# --- memberships and invoices ------------------------------------------------------------------


class FakeMemberships:
    """MembershipRepository. `put` (a test's set-up) stores a membership as given, claiming its
    number and making it the account's latest."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Membership] = {}
        self.numbers: dict[str, str] = {}  # membership number -> account id, claimed forever
        self.current: dict[str, str] = {}  # account id -> its latest membership id (the guard)

    def put(self, membership: Membership) -> Membership:
        stored = replace(membership, version=max(membership.version, 1))
        self.items[(stored.account_id, stored.membership_id)] = stored
        self.numbers[stored.membership_number] = stored.account_id
        self.current[stored.account_id] = stored.membership_id
        return stored

    def latest(self, account_id: str) -> Membership | None:
        membership_id = self.current.get(account_id)
        return None if membership_id is None else self.get(account_id, membership_id)

    def get(self, account_id: str, membership_id: str) -> Membership | None:
        return self.items.get((account_id, membership_id))

    def create(self, membership: Membership) -> Membership:
        if membership.membership_number in self.numbers:
            raise NumberTaken
        open_one = self.latest(membership.account_id)
        if open_one is not None and open_one.blocks_purchase:
            raise MembershipActive()
        if (membership.account_id, membership.membership_id) in self.items:
            raise ConditionFailed(f"membership {membership.membership_id} exists")
        return self.put(replace(membership, version=1))

    def save(self, membership: Membership) -> Membership:
        stored = self.get(membership.account_id, membership.membership_id)
        if stored is None or stored.version != membership.version:
            raise StaleState(f"membership {membership.membership_id} changed")
        saved = replace(membership, version=membership.version + 1)
        self.items[(saved.account_id, saved.membership_id)] = saved
        return saved

    def due(self, today: date) -> Iterator[tuple[str, str]]:
        return iter(
            [
                (m.account_id, m.membership_id)
                for m in self.items.values()
                if (on := m.next_step_on()) is not None and on <= today
            ]
        )

    def earliest_due(self) -> date | None:
        dates = [on for m in self.items.values() if (on := m.next_step_on()) is not None]
        return min(dates) if dates else None


class FakeInvoices:
    """InvoiceRepository: one document per order, each kind numbered per year without gaps."""

    def __init__(self) -> None:
        self.items: dict[str, Invoice] = {}
        self.by_purchase: dict[str, str] = {}  # order id -> invoice number
        self.counters: dict[str, int] = {}  # "invoice#2026", "credit-note#2026" -> last number

    def issue(self, draft: Invoice) -> Invoice:
        existing = self.for_purchase(draft.purchase_id)
        if existing is not None:
            return existing
        credit = draft.kind is InvoiceKind.CREDIT_NOTE
        year = draft.issued_on.year
        counter = f"{'credit-note' if credit else 'invoice'}#{year}"
        sequence = self.counters.get(counter, 0) + 1
        number = (credit_note_number if credit else invoice_number)(year, sequence)
        invoice = replace(draft.numbered(number), version=1)
        self.counters[counter] = sequence
        self.by_purchase[draft.purchase_id] = number
        self.items[number] = invoice
        return invoice

    def for_purchase(self, purchase_id: str) -> Invoice | None:
        number = self.by_purchase.get(purchase_id)
        return None if number is None else self.get(number)

    def get(self, number: str) -> Invoice | None:
        return self.items.get(number)

    def list_for(self, account_id: str, limit: int, cursor: str | None) -> Page:
        mine = [i for i in self.items.values() if i.account_id == account_id]
        newest_first = sorted(mine, key=lambda i: (i.issued_on, i.invoice_number), reverse=True)
        return _page(newest_first, limit, cursor, account_id)

    def open_for(self, account_id: str, membership_id: str) -> list[Invoice]:
        return [
            i
            for i in self.items.values()
            if i.account_id == account_id and i.membership_id == membership_id and i.is_open
        ]

    def save(self, invoice: Invoice) -> Invoice:
        stored = self.get(invoice.invoice_number)
        if stored is None or stored.version != invoice.version:
            raise StaleState(f"invoice {invoice.invoice_number} changed")
        saved = replace(invoice, version=invoice.version + 1)
        self.items[saved.invoice_number] = saved
        return saved

    def mark_pdf_available(self, number: str) -> None:
        stored = self.get(number)
        if stored is None:
            raise ConditionFailed(f"no invoice {number}")
        self.items[number] = replace(stored, pdf_available=True)  # the version stays

    def due(self, today: date) -> Iterator[str]:
        return iter([n for n, on in self._collect_on().items() if on <= today])

    def earliest_due(self) -> date | None:
        dates = self._collect_on().values()
        return min(dates) if dates else None

    def receivables(
        self, status: InvoiceStatus, today: date, limit: int, cursor: str | None
    ) -> Page:
        stored = InvoiceStatus.ISSUED if status is InvoiceStatus.OVERDUE else status
        found = [
            i
            for i in self.items.values()
            if i.kind is InvoiceKind.INVOICE
            and i.status is stored
            and (status is not InvoiceStatus.OVERDUE or i.due_on < today)
            and (status is not InvoiceStatus.ISSUED or i.due_on >= today)
        ]
        by_due_date = sorted(found, key=lambda i: (i.due_on, i.invoice_number))
        return _page(by_due_date, limit, cursor, stored.value)

    def _collect_on(self) -> dict[str, date]:
        """The next collection step's date of every open invoice (the collection index)."""
        dates = {
            i.invoice_number: next_step_on(i.payment_method, i.due_on, i.collection_done)
            for i in self.items.values()
            if i.is_open
        }
        return {n: on for n, on in dates.items() if on is not None}


# --- registrations and points ------------------------------------------------------------------


class FakeRegistrations:
    """RegistrationStore. The balance lives on the account, as in DynamoDB: commit changes the
    registration, the serial claims, the ledger and the account's points all or nothing."""

    def __init__(self, accounts: FakeAccounts) -> None:
        self._accounts = accounts
        self.items: dict[tuple[str, str], Registration] = {}
        self.claims: dict[str, str] = {}  # "sku#serial" -> the account that holds it
        self.entries: dict[tuple[str, str], LedgerEntry] = {}

    def get(self, account_id: str, product_id: str) -> Registration | None:
        return self.items.get((account_id, product_id))

    def list(self, account_id: str, limit: int, cursor: str | None) -> Page:
        mine = sorted(
            (r for r in self.items.values() if r.account_id == account_id),
            key=lambda r: r.product_id,
        )
        return _page(mine, limit, cursor, account_id)

    def ledger(self, account_id: str, limit: int, cursor: str | None) -> Page:
        mine = sorted(
            (e for e in self.entries.values() if e.account_id == account_id),
            key=lambda e: (e.at, e.entry_id),
            reverse=True,
        )
        return _page(mine, limit, cursor, account_id)

    def mark_invitation_mailed(self, account_id: str) -> None:
        account = self._accounts.get(account_id)
        if account is None:
            raise ConditionFailed(f"no account {account_id}")
        self._accounts.put(replace(account, invitation_mailed=True))

    def commit(self, change: RegistrationChange) -> None:
        before, after = change.before, change.after
        subject = after or before
        assert subject is not None
        key = (change.account_id, subject.product_id)
        stored = self.items.get(key)
        if before is None:
            moved = stored is not None
        else:
            moved = stored is None or stored.version != before.version
        old_claim = before.claim_key if before else None
        new_claim = after.claim_key if after else None
        releases = old_claim is not None and old_claim != new_claim
        claims = new_claim is not None and new_claim != old_claim
        if releases and self.claims.get(old_claim or "") != change.account_id:
            moved = True
        account = self._accounts.get(change.account_id)
        if change.entry is not None:
            entry_key = (change.entry.account_id, change.entry.entry_id)
            balance = None if account is None else account.points
            if entry_key in self.entries or balance != change.balance_before:
                moved = True
        if claims and new_claim in self.claims:
            raise SerialTaken(
                "This product (model and serial number) is already registered.",
                fields={"serial_number": "already registered"},
            )
        if moved:
            raise StaleBalance
        # Nothing failed: every write of the transaction happens.
        if after is None:
            del self.items[key]
        else:
            self.items[key] = replace(after, version=(after.version or 0) + 1)
        if releases:
            del self.claims[old_claim or ""]
        if claims:
            self.claims[new_claim or ""] = change.account_id
        if change.entry is not None:
            assert account is not None
            self.entries[(change.entry.account_id, change.entry.entry_id)] = change.entry
            self._accounts.put(
                replace(
                    account,
                    points=change.balance_before + change.entry.delta,
                    invited=account.invited or change.invite,
                )
            )


# --- the card payment provider -----------------------------------------------------------------


class IdempotencyKeyReused(RuntimeError):
    """The provider refuses a key reused with other parameters (a fault of the caller)."""


@dataclass(frozen=True)
class _Answer:
    params: tuple[Any, ...]
    outcome: CardAuthorisation | Charge | PaymentDeclined


class FakePayments:
    """PaymentProvider with the provider's idempotency: a call with a key seen before replays
    the first outcome (a decline too) and creates nothing new; another card under the same
    checkout key is another authorisation (as in the Stripe adapter).

    Test cards (any other token authorises and its charges succeed):
    `tok_declined` is refused at authorisation; `tok_insufficient` authorises but its charges
    are declined; `tok_needs_auth` authorises but its charges need the customer's
    authentication. `charge_status` is the status of new charges that are not declined;
    `unavailable` makes the provider unreachable (nothing happens); `lose_next_response` lets
    the next call happen at the provider and loses its answer."""

    DECLINED = "tok_declined"
    INSUFFICIENT = "tok_insufficient"
    NEEDS_AUTHENTICATION = "tok_needs_auth"

    def __init__(self) -> None:
        self.customers: dict[str, str] = {}  # idempotency key -> customer ref
        self.authorisations: dict[str, _Answer] = {}  # key + card fingerprint -> answer
        self.charges: dict[str, _Answer] = {}  # idempotency key -> answer
        self.cards: dict[str, str] = {}  # payment method ref -> the token it was saved from
        self.authorise_calls = 0
        self.charge_calls = 0
        self.charge_status: ChargeStatus = "succeeded"
        self.unavailable = False
        self.lose_next_response = False

    @property
    def payments(self) -> list[Charge]:
        """The payments that exist at the provider (money taken or on its way)."""
        return [a.outcome for a in self.charges.values() if isinstance(a.outcome, Charge)]

    def authorise_card(
        self, *, account_id: str, email: str, payment_method_token: str, idempotency_key: str
    ) -> CardAuthorisation:
        self.authorise_calls += 1
        _require_key(idempotency_key)
        self._reachable()
        customer = self.customers.setdefault(idempotency_key, f"cus_{len(self.customers) + 1}")
        fingerprint = hashlib.sha256(payment_method_token.encode()).hexdigest()[:16]
        setup_key = f"{idempotency_key}:setup:{fingerprint}"
        params = (account_id, payment_method_token)
        answer = self.authorisations.get(setup_key)
        if answer is None:
            outcome: CardAuthorisation | PaymentDeclined
            if payment_method_token == self.DECLINED or not payment_method_token:
                outcome = PaymentDeclined("card declined", decline_code="generic_decline")
            else:
                n = len(self.authorisations) + 1
                outcome = CardAuthorisation(customer, f"pm_{n}", f"seti_{n}")
                self.cards[outcome.payment_method_ref] = payment_method_token
            answer = self.authorisations[setup_key] = _Answer(params, outcome)
        return self._answer(answer, params)  # type: ignore[return-value]

    def charge(
        self,
        *,
        authorisation: CardAuthorisation,
        amount_cents: int,
        currency: str,
        description: str,
        idempotency_key: str,
    ) -> Charge:
        self.charge_calls += 1
        _require_key(idempotency_key)
        if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
            raise ValueError("amount_cents must be a positive whole number of minor units")
        if not re.fullmatch(r"[A-Za-z]{3}", currency):
            raise ValueError("currency must be an ISO 4217 code")
        self._reachable()
        params = (
            authorisation.customer_ref,
            authorisation.payment_method_ref,
            amount_cents,
            currency,
            description,
        )
        answer = self.charges.get(idempotency_key)
        if answer is None:
            token = self.cards.get(authorisation.payment_method_ref)
            outcome: Charge | PaymentDeclined
            if token is None:
                outcome = PaymentDeclined("the payment method is not valid")
            elif token == self.INSUFFICIENT:
                outcome = PaymentDeclined("insufficient funds", decline_code="insufficient_funds")
            elif token == self.NEEDS_AUTHENTICATION:
                outcome = PaymentDeclined(
                    "the card needs authentication", decline_code="authentication_required"
                )
            else:
                outcome = Charge(f"pi_{len(self.charges) + 1}", self.charge_status)
            answer = self.charges[idempotency_key] = _Answer(params, outcome)
        return self._answer(answer, params)  # type: ignore[return-value]

    def saved_card(self, token: str = "tok_visa", account_id: str = "acc") -> str:
        """A test's set-up: a card saved at the provider, as a membership keeps it."""
        card = self.authorise_card(
            account_id=account_id,
            email="set-up@example.com",
            payment_method_token=token,
            idempotency_key=f"set-up:{account_id}:{token}",
        )
        return f"{card.customer_ref}/{card.payment_method_ref}"

    def _reachable(self) -> None:
        if self.unavailable:
            raise PaymentUnavailable("the provider does not answer")

    def _answer(self, answer: _Answer, params: tuple[Any, ...]) -> CardAuthorisation | Charge:
        if answer.params != params:
            raise IdempotencyKeyReused("an idempotency key was reused with other parameters")
        if self.lose_next_response:
            self.lose_next_response = False
            raise PaymentUnavailable("no answer from the provider")
        if isinstance(answer.outcome, PaymentDeclined):
            raise PaymentDeclined(answer.outcome.reason, decline_code=answer.outcome.decline_code)
        return answer.outcome


def _require_key(idempotency_key: str) -> None:
    if not idempotency_key or len(idempotency_key) > 200:
        raise ValueError("an idempotency key of 1 to 200 characters is required")


@dataclass
class FakeEInvoicing:
    """EInvoicing: stands-in documents naming the invoice, the PDF passed through unchanged;
    `reject` set, every document is refused with those rule ids (a broken serialiser)."""

    reject: tuple[str, ...] = ()
    built: list[EInvoice] = field(default_factory=list)

    def documents(self, document: EInvoice) -> EInvoiceFiles:
        if self.reject:
            raise EInvoiceRejected("CII", self.reject)
        self.built.append(document)
        return EInvoiceFiles(
            cii=f"<cii>{document.number}</cii>".encode(),
            ubl=f"<ubl>{document.number}</ubl>".encode(),
        )

    def factur_x(self, pdf: bytes, cii: bytes, document: EInvoice, language: str) -> bytes:
        return pdf
