"""The daily jobs (`DailyJobs.renewals()` / `.collections()`): items read and AWS calls per run.

Each job finds what is due through a sparse, sharded, KEYS_ONLY index (memberships:
`lifecycle-index`, hash `life_shard` "0".."7", range `life_on`; invoices: `collection-index`,
`collect_shard` / `collect_on`), one Query per shard for `date <= today`, and queues one
message per item on the `cps-lifecycle` queue, ten per `SendMessageBatch`. What is due must be
all it reads, however many memberships and invoices there are.

What is measured
----------------
The local runtime is started in this process without HTTP and without its event pump (as
`bench.legacy_import` does), so the queued work stays in the queue. Seeded (timed apart, not
counted): 10,000 memberships and 10,000 invoices, written with PynamoDB's `batch_write()` as
the repositories store them (`memberships._to_item`, `invoices._item` on realistic domain
objects, so the index attributes are the application's own), spread over the shards by
`shard_of`. Of each, 100 have a step due today or a few days before (a missed day), the open
rest later, and some are in no index at all (ended memberships; paid or cancelled invoices and
credit notes). Then each job is run once, called as the scheduled Lambda calls it
(`container().daily_jobs`), in this thread, and counted with the hook of
`bench.dynamodb_calls` (`before-call` for the calls, `after-call` for each response's
`Count` / `ScannedCount` and the round-trip time). After the count (not counted), the queue is
read back and its messages compared with what was seeded as due, then purged.

The extrapolation to 50,000 due items is arithmetic on the measured figures, not a run.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from typing import TYPE_CHECKING, Any

from bench.dynamodb_calls import COUNTER, DYNAMODB, CallLog

if TYPE_CHECKING:
    from chalicelib.domain.invoices import Invoice
    from chalicelib.domain.membership import Membership

MEMBERSHIPS = 10_000
INVOICES = 10_000
DUE = 100  # of each
ENDED_MEMBERSHIPS = 1_000  # EXPIRED or CANCELLED: in no index
PAID_INVOICES = 2_000  # PAID: in no index
CANCELLED_INVOICES = 250  # each with its credit note (neither in any index)
TARGET_READ = 150  # items read per job run
EXTRAPOLATED_DUE = 50_000
SQS_BATCH = 10
AWS_SEND_MS = (10, 30)  # an assumed SendMessageBatch round trip in AWS, for the extrapolation
PAGE_BYTES = 1024 * 1024  # a Query page: at most 1 MB of items read
JOB_TIMEOUT_KEYS = {"renewals": "membership_renewals", "collections": "invoice_collections"}
SEED = 20_260_301


# --- seeding ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seeded:
    kind: str  # "memberships", "invoices"
    items: int
    due: frozenset[str]  # the ids the job must queue
    indexed: int  # items with index attributes (due included)
    not_indexed: int
    by_shard: Counter[str]  # indexed items per shard
    key_bytes: int  # size of one index entry (KEYS_ONLY: table and index keys), as DynamoDB counts
    seconds: float
    batch_calls: int


def _ids(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _size(attributes: dict[str, str]) -> int:
    """DynamoDB's item size for string attributes: name plus UTF-8 value, each."""
    return sum(len(k.encode()) + len(v.encode()) for k, v in attributes.items())


def _membership(rng: random.Random, n: int, today: date, kind: str, offset: int) -> Membership:
    """A membership as `MembershipService._buy` makes it, then as the renewal job left it:
    `kind` "due" (a step on today - `offset`, not yet done), "future" (every step up to today
    done, the next one later), "ended"."""
    from chalicelib.domain.membership import (
        HistoryEntry,
        Membership,
        MembershipStatus,
        PaymentMethod,
        Renewal,
        RenewalStep,
        TermsAcceptance,
        new_membership_number,
    )

    account_id, membership_id = _ids(rng), _ids(rng)
    auto_renew = rng.random() < 0.8
    card = rng.random() < 0.6
    steps = [
        s
        for s in RenewalStep
        if s in (RenewalStep.NOTICE, RenewalStep.END) or (s is RenewalStep.RENEWAL) == auto_renew
    ]
    if kind == "due":
        # The step due on `day` (today, or a day the job missed, up to three days back); the
        # steps before it are done.
        step = steps[n % len(steps)]
        day = today - timedelta(days=offset)
        expires_on = day - timedelta(days=_offset(step))
        done = frozenset(s.value for s in steps if expires_on + timedelta(_offset(s)) < day)
    else:
        # As the daily job leaves it: every step up to today done (all of them once ended).
        expires_on = today + timedelta(days=rng.randint(1, 365) * (1 if kind == "future" else -1))
        done = frozenset(
            s.value
            for s in steps
            if kind == "ended" or expires_on + timedelta(days=_offset(s)) <= today
        )
    starts_on = _year_before(expires_on)
    tier = rng.choice(("SILVER", "SILVER", "GOLD", "PLATINUM"))
    renewal = None
    if auto_renew and RenewalStep.RENEWAL.value in done and kind != "ended":
        renewal = Renewal(tier, f"renewal:{membership_id}:2:1")
    accepted = datetime.combine(starts_on, day_time(9, 30), tzinfo=UTC)
    status = MembershipStatus.ACTIVE
    if kind == "ended":
        status = rng.choice((MembershipStatus.EXPIRED, MembershipStatus.CANCELLED))
    return Membership(
        account_id=account_id,
        membership_id=membership_id,
        membership_number=new_membership_number(),
        tier=tier,
        status=status,
        starts_on=starts_on,
        expires_on=expires_on,
        auto_renew=auto_renew,
        payment_method=PaymentMethod.CARD if card else PaymentMethod.BANK_TRANSFER,
        terms=TermsAcceptance("2026-01", accepted, f"buyer-{n}@example.com"),
        purchase_id=_ids(rng),
        purchase_order_number=f"PO-{n:05d}" if rng.random() < 0.3 else None,
        payment_reference=f"cus_{n:06d}/pm_{n:06d}" if card else None,
        renewal=renewal,
        renewals_ordered=1 if renewal else 0,
        steps_done=done,
        history=(HistoryEntry(accepted, "PURCHASED", "", f"buyer-{n}@example.com"),),
        version=1,
    )


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _offset(step: Any) -> int:
    from chalicelib.domain.membership import STEP_OFFSET_DAYS

    return STEP_OFFSET_DAYS[step]


def seed_memberships(today: date, total: int = MEMBERSHIPS, due: int = DUE) -> Seeded:
    from chalicelib.adapters.dynamo.memberships import _to_item
    from chalicelib.adapters.dynamo.models import MembershipModel

    rng = random.Random(SEED)
    kinds = ["due"] * due + ["ended"] * ENDED_MEMBERSHIPS
    kinds += ["future"] * (total - len(kinds))
    items, due_ids, by_shard = [], set(), Counter()
    key_bytes = 0
    for n, kind in enumerate(kinds):
        m = _membership(rng, n, today, kind, offset=n % 4)
        item = _to_item(m, m.version)
        expected_due = kind == "due"
        is_due = item.life_on is not None and item.life_on <= today.isoformat()
        if is_due != expected_due or (kind == "ended") != (item.life_shard is None):
            raise RuntimeError(f"seeding: a {kind} membership got life_on={item.life_on}")
        if item.life_shard is not None:
            by_shard[item.life_shard] += 1
            key_bytes = key_bytes or _size(
                {
                    "account_id": item.account_id,
                    "membership_id": item.membership_id,
                    "life_shard": item.life_shard,
                    "life_on": item.life_on,
                }
            )
        if is_due:
            due_ids.add(f"{m.account_id}/{m.membership_id}")
        items.append(item)
    seconds, calls = _batch_write(MembershipModel, items)
    indexed = sum(by_shard.values())
    return Seeded(
        "memberships",
        len(items),
        frozenset(due_ids),
        indexed,
        len(items) - indexed,
        by_shard,
        key_bytes,
        seconds,
        calls,
    )


def _invoice_base() -> tuple[Invoice, Invoice]:
    """The PDF benchmark's two realistic invoices (a Dutch card payer, a Latvian bank-transfer
    payer), as `InvoicingService._issue` builds them."""
    from bench.invoice_pdf import dutch_card_invoice, latvian_bank_transfer_invoice

    return dutch_card_invoice(), latvian_bank_transfer_invoice()


def seed_invoices(today: date, total: int = INVOICES, due: int = DUE) -> Seeded:
    from chalicelib.adapters.dynamo.invoices import _item
    from chalicelib.adapters.dynamo.models import InvoiceModel
    from chalicelib.domain.collection import PLANS
    from chalicelib.domain.invoices import (
        PAYMENT_TERM_DAYS,
        InvoiceOrder,
        InvoicePurpose,
        InvoiceStatus,
        credit_note_number,
        invoice_number,
    )

    rng = random.Random(SEED + 1)
    card, bank = _invoice_base()
    kinds = ["due"] * due + ["paid"] * PAID_INVOICES + ["cancelled"] * CANCELLED_INVOICES
    kinds += ["open"] * (total - len(kinds) - CANCELLED_INVOICES)
    sequence: Counter[str] = Counter()
    items, due_ids, by_shard = [], set(), Counter()
    key_bytes = 0

    def number(issued_on: date, credit: bool = False) -> str:
        key = f"{'cn' if credit else 'inv'}{issued_on.year}"
        sequence[key] += 1
        make = credit_note_number if credit else invoice_number
        return make(issued_on.year, sequence[key])

    for n, kind in enumerate(kinds):
        base = card if rng.random() < 0.6 else bank
        plan = PLANS[base.payment_method]
        if kind == "due":
            _, step_offset = plan[n % len(plan)]
            day = today - timedelta(days=n % 4)
            due_on = day - timedelta(days=step_offset)
            done = frozenset(s.value for s, o in plan if due_on + timedelta(days=o) < day)
        elif kind == "open":
            # Issued, not yet paid: most not yet due, some overdue (their charge declined, or
            # no transfer yet); every step up to today done, as the daily job leaves them.
            late = rng.random() < 0.1
            due_on = today + timedelta(days=rng.randint(-29, 0) if late else rng.randint(1, 30))
            done = frozenset(s.value for s, o in plan if due_on + timedelta(days=o) <= today)
        elif kind == "paid":
            due_on = today + timedelta(days=rng.randint(-300, 30))
            done = frozenset()
        else:  # cancelled for non-payment at D+30, with its credit note
            due_on = today - timedelta(days=rng.randint(30, 300))
            done = frozenset(s.value for s, _ in plan)
        issued_on = due_on - timedelta(days=PAYMENT_TERM_DAYS)
        account_id, membership_id = _ids(rng), _ids(rng)
        invoice = replace(
            base,
            invoice_number="",
            account_id=account_id,
            purchase_id=_ids(rng),
            membership_id=membership_id,
            issued_on=issued_on,
            due_on=due_on,
            purpose=rng.choice((InvoicePurpose.PURCHASE, InvoicePurpose.RENEWAL)),
            collection_done=done,
            pdf_available=True,
            version=1,
        ).numbered(number(issued_on))
        if kind == "paid":
            invoice = replace(
                invoice,
                status=InvoiceStatus.PAID,
                paid_on=min(today, due_on - timedelta(days=rng.randint(0, 20))),
                payment_reference=f"pi_{n:06d}",
            )
        documents = [invoice]
        if kind == "cancelled":
            cancelled_on = due_on + timedelta(days=30)
            credit = invoice.credit_note(
                InvoiceOrder(
                    order_id=f"credit:{invoice.purchase_id}",
                    account_id=account_id,
                    membership_id=membership_id,
                    purpose=InvoicePurpose.NON_PAYMENT,
                    issued_on=cancelled_on,
                    credits_order_id=invoice.purchase_id,
                )
            ).numbered(number(cancelled_on, credit=True))
            invoice = replace(
                invoice, status=InvoiceStatus.CANCELLED, cancelled_by=credit.invoice_number
            )
            documents = [invoice, replace(credit, version=1)]
        for document in documents:
            item = _item(document, document.version)
            expected_due = kind == "due"
            is_due = item.collect_on is not None and item.collect_on <= today.isoformat()
            indexed = kind in ("due", "open")
            if is_due != expected_due or indexed != (item.collect_shard is not None):
                raise RuntimeError(
                    f"seeding: a {kind} {document.kind.value} got collect_on={item.collect_on}"
                )
            if item.collect_shard is not None:
                by_shard[item.collect_shard] += 1
                key_bytes = key_bytes or _size(
                    {
                        "invoice_number": item.invoice_number,
                        "collect_shard": item.collect_shard,
                        "collect_on": item.collect_on,
                    }
                )
            if is_due:
                due_ids.add(document.invoice_number)
            items.append(item)
    seconds, calls = _batch_write(InvoiceModel, items)
    indexed_total = sum(by_shard.values())
    return Seeded(
        "invoices",
        len(items),
        frozenset(due_ids),
        indexed_total,
        len(items) - indexed_total,
        by_shard,
        key_bytes,
        seconds,
        calls,
    )


def _batch_write(model: Any, items: list[Any]) -> tuple[float, int]:
    """PynamoDB's batch writer: 25 items a BatchWriteItem, unprocessed items retried. Counted
    with the hook so the calls are known (seeding is not part of the jobs' figures)."""
    with COUNTER.window() as log:
        started = time.perf_counter()
        with model.batch_write() as batch:
            for item in items:
                batch.save(item)
        seconds = time.perf_counter() - started
    return seconds, log.dynamodb()["BatchWriteItem"]


# --- the jobs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobRun:
    job: str  # "renewals", "collections"
    seeded: Seeded
    result: dict[str, int]
    seconds: float
    log: CallLog
    queued: list[str]  # the ids of the messages found in the queue after the run

    @property
    def read(self) -> int:
        return self.log.items_read()

    @property
    def returned(self) -> int:
        return sum(self.log.returned.values())

    @property
    def background(self) -> int:
        """Calls other threads made while the job ran (none expected: the pump is off)."""
        return sum(self.log.other_threads.values())

    def ops(self, service: str) -> Counter[str]:
        return Counter({op: n for (svc, op), n in self.log.own.items() if svc == service})

    def seconds_of(self, service: str, op: str) -> float:
        return self.log.seconds.get((service, op), 0.0)

    def query_ms(self) -> float:
        """Milliseconds per Query call."""
        return self.seconds_of(DYNAMODB, "Query") / max(1, self.log.dynamodb()["Query"]) * 1000


@dataclass(frozen=True)
class Measurement:
    today: date
    memberships: Seeded
    invoices: Seeded
    runs: list[JobRun]
    lambda_timeouts: dict[str, int]


def _queued_ids(sqs: Any, queue_url: str) -> list[str]:
    """Every message now in the queue (the pump is off: nobody else reads it), as ids; each is
    deleted once read, so the next job's queue starts empty (PurgeQueue: once a minute)."""
    ids: list[str] = []
    while got := sqs.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=600, WaitTimeSeconds=0
    ).get("Messages", []):
        for message in got:
            body = json.loads(message["Body"])
            if body.get("kind") == "membership":
                ids.append(f"{body['account_id']}/{body['membership_id']}")
            else:
                ids.append(body.get("invoice_number", "?"))
        sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)
            ],
        )
    return ids


def _run_job(job: str, seeded: Seeded) -> JobRun:
    from chalicelib.container import container

    c = container()
    jobs = c.daily_jobs  # built before the count: the container's wiring is not the job's
    run = getattr(jobs, job)
    with COUNTER.window() as log:
        started = time.perf_counter()
        result = run()
        seconds = time.perf_counter() - started
    queued = _queued_ids(c.client("sqs"), c.settings.lifecycle_queue_url)
    return JobRun(job, seeded, result, seconds, log, queued)


def _lambda_timeouts() -> dict[str, int]:
    from pathlib import Path

    config = json.loads(
        (Path(__file__).resolve().parent.parent / ".chalice/config.json").read_text()
    )
    functions = config.get("lambda_functions", {})
    default = int(config.get("lambda_timeout", 3))
    return {
        job: int(functions.get(name, {}).get("lambda_timeout", default))
        for job, name in JOB_TIMEOUT_KEYS.items()
    }


def measure() -> Measurement:
    from local_runtime.runtime import LocalRuntime, RuntimeConfig
    from tests.support.ports import free_port

    COUNTER.install()  # before any client exists (idempotent after the DynamoDB benchmark)
    _reset_embedded_aws()
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            runtime = LocalRuntime(
                RuntimeConfig(
                    api_port=free_port(), aws_port=free_port(), serve_http=False, pump=False
                )
            ).start()
    except BaseException:
        print(captured.getvalue()[-5000:], file=sys.stderr)
        raise
    try:
        from chalicelib.container import container

        today = container().clock.now().date()
        memberships = seed_memberships(today)
        invoices = seed_invoices(today)
        runs = [_run_job("renewals", memberships), _run_job("collections", invoices)]
        if container().clock.now().date() != today:
            raise RuntimeError("the date changed during the benchmark (midnight UTC): run again")
        return Measurement(today, memberships, invoices, runs, _lambda_timeouts())
    finally:
        runtime.stop()
        _reset_embedded_aws()  # 20,000 items: give the memory back to the next benchmark


def _reset_embedded_aws() -> None:
    """moto's backends are process-wide: what an earlier runtime in this process left there
    would clash with the template."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


# --- report -----------------------------------------------------------------------------------


def _ops(ops: Counter[str]) -> str:
    return ", ".join(f"{op} {n}" for op, n in sorted(ops.items())) or "-"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]], out: Any) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("{:<" + str(w) + "}" for w in widths)
    print(line.format(*header).rstrip(), file=out)
    print(line.format(*("-" * w for w in widths)), file=out)
    for row in rows:
        print(line.format(*row).rstrip(), file=out)


def report(m: Measurement, out: Any = sys.stdout) -> None:
    print("Daily jobs: items read and AWS calls per run", file=out)
    print(
        f"(local runtime in-process, moto; event pump off, so the queued work stays queued; "
        f"today {m.today.isoformat()}; job called as the schedule calls it, in this thread)",
        file=out,
    )
    seeding = []
    for s in (m.memberships, m.invoices):
        shards = " ".join(f"{k}:{v}" for k, v in sorted(s.by_shard.items()))
        seeding.append(
            (
                s.kind,
                f"{s.items:,}",
                f"{len(s.due):,}",
                f"{s.indexed - len(s.due):,}",
                f"{s.not_indexed:,}",
                shards,
                f"{s.seconds:.1f} s",
                f"{s.batch_calls:,}",
                f"{s.items / s.seconds:,.0f}/s" if s.seconds else "-",
            )
        )
    print("Seeded (batch_write, not counted in the job figures):", file=out)
    _table(
        (
            "table",
            "items",
            "due by today",
            "due later",
            "in no index",
            "index entries by shard",
            "seeding",
            "BatchWriteItem",
            "rate",
        ),
        seeding,
        out,
    )
    print(file=out)

    rows = []
    for r in m.runs:
        expected = r.seeded.due
        found = Counter(r.queued)
        duplicates = sum(n - 1 for n in found.values() if n > 1)
        missing = len(expected - set(found))
        extra = len(set(found) - expected)
        match = (
            "yes"
            if not (duplicates or missing or extra)
            else f"NO: {missing} missing, {extra} not due, {duplicates} twice"
        )
        sqs = r.ops("sqs")
        rows.append(
            (
                f"DailyJobs.{r.job}()",
                f"{len(expected)}",
                f"{r.result.get('queued', '?')}",
                match,
                f"{r.read}",
                f"{r.returned}",
                str(sum(r.log.dynamodb().values())),
                _ops(r.log.dynamodb()),
                _ops(sqs),
                f"{r.seconds * 1000:.0f} ms",
                f"{r.seconds_of('dynamodb', 'Query') * 1000:.0f} ms",
                f"{r.seconds_of('sqs', 'SendMessageBatch') * 1000:.0f} ms",
                "holds" if r.read <= TARGET_READ else "!!! DOES NOT HOLD !!!",
            )
        )
    _table(
        (
            "job",
            "due",
            "queued",
            "queue = due",
            "items read",
            "returned",
            "DynamoDB",
            "by operation",
            "SQS",
            "wall time",
            "in Query",
            "in SendMessageBatch",
            f"read <= {TARGET_READ}",
        ),
        rows,
        out,
    )
    print(file=out)
    for r in m.runs:
        scans = r.log.dynamodb()["Scan"]
        gets = r.log.dynamodb()["GetItem"] + r.log.dynamodb()["BatchGetItem"]
        if scans:
            print(f"!!! SCAN !!! DailyJobs.{r.job}() made {scans} Scan call(s)", file=out)
        if gets:
            print(f"!!! DailyJobs.{r.job}() read {gets} item(s) by key besides its index", file=out)
        if r.read > len(r.seeded.due):
            print(
                f"!!! DailyJobs.{r.job}() read {r.read} items for {len(r.seeded.due)} due",
                file=out,
            )
        if r.background:
            print(f"DailyJobs.{r.job}(): other threads made {r.background} call(s)", file=out)
    if not any(r.log.dynamodb()["Scan"] for r in m.runs):
        print("No Scan in either job.", file=out)
    per_query = ", ".join(f"{r.job} {r.query_ms():.0f}" for r in m.runs)
    print(
        f"Query time is moto's, not DynamoDB's ({per_query} ms a Query): moto answers an index "
        "Query by looking at every item of the table (moto/dynamodb/models/table.py, "
        "Table.query), so its time grows with the table; DynamoDB reads only the index entries "
        "in the key range, which is what 'items read' (ScannedCount) counts.",
        file=out,
    )
    print(file=out)
    _extrapolation(m, out)


def _extrapolation(m: Measurement, out: Any) -> None:
    print(
        f"Extrapolated to {EXTRAPOLATED_DUE:,} due items per job (arithmetic on the figures "
        "above, not a run):",
        file=out,
    )
    batches = math.ceil(EXTRAPOLATED_DUE / SQS_BATCH)
    rows = []
    for r in m.runs:
        send_calls = r.ops("sqs")["SendMessageBatch"]
        send_s = r.seconds_of("sqs", "SendMessageBatch")
        per_send = send_s / send_calls if send_calls else 0.0
        queries = r.log.dynamodb()["Query"]
        query_s = r.seconds_of("dynamodb", "Query")
        other_s = max(0.0, r.seconds - send_s - query_s)  # the job's own Python
        per_item = other_s / max(1, len(r.seeded.due))
        shards = max(1, len(r.seeded.by_shard))
        per_shard = math.ceil(EXTRAPOLATED_DUE / shards)
        pages = shards * math.ceil(per_shard * r.seeded.key_bytes / PAGE_BYTES)
        extrapolated = (
            batches * per_send + (query_s / max(1, queries)) * pages + per_item * EXTRAPOLATED_DUE
        )
        own = per_item * EXTRAPOLATED_DUE  # the job's Python (messages, JSON), as measured
        aws = tuple(batches * ms / 1000 + own for ms in AWS_SEND_MS)
        timeout = m.lambda_timeouts.get(r.job, 0)
        rows.append(
            (
                f"DailyJobs.{r.job}()",
                f"{batches:,}",
                f"{pages} (~{r.seeded.key_bytes} B a key)",
                f"{EXTRAPOLATED_DUE:,}",
                f"{per_send * 1000:.1f} ms",
                f"{extrapolated:.0f} s",
                f"{aws[0]:.0f}-{aws[1]:.0f} s",
                f"{timeout} s",
                f"{(timeout - own) / batches * 1000:.0f} ms" if batches else "-",
            )
        )
    _table(
        (
            "job",
            "SendMessageBatch",
            "Query pages",
            "items read",
            "moto: per SendMessageBatch",
            "moto: wall time",
            f"AWS at {AWS_SEND_MS[0]}-{AWS_SEND_MS[1]} ms a batch (assumed)",
            "Lambda timeout",
            "max per batch",
        ),
        rows,
        out,
    )
    print(
        "What bounds the wall time: the SendMessageBatch round trips, made one after another "
        f"({EXTRAPOLATED_DUE:,} / {SQS_BATCH} = {batches:,} calls, nothing in parallel). The "
        "Queries stay one per shard and 1 MB page of KEYS_ONLY entries (8 calls), and the job's "
        "own Python (reading the Query results, a JSON body per message) is the smaller part, "
        "included as measured. The AWS column "
        "assumes a SendMessageBatch from a Lambda in the queue's region takes 10-30 ms (not "
        "measured here); the job outruns its Lambda timeout only when a SendMessageBatch takes "
        "longer than 'max per batch'. The workers' time (50,000 messages on the lifecycle queue) "
        "is not the job's.",
        file=out,
    )


def main() -> None:
    report(measure())


if __name__ == "__main__":
    main()
