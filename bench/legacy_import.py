"""Rows per second of the old-CPS import, for a 100,000-row export.

Two figures, measured apart:

(a) parse + validate: `chalicelib.domain.legacy.parse_rows` over the export's lines, in memory,
    no AWS. The import's CPU floor: what the Lambda pays per row before any write.
(b) end to end: `container().legacy_import_service.run(key)` against the embedded AWS (moto
    server): the file is streamed from the documents bucket, parsed, written to DynamoDB in
    batches (BatchWriteItem, 25 items a call) and the report written.

The export
----------
`make_export()` builds it deterministically (a seeded `random.Random`, no clock): valid rows over
every SKU of `packaged_catalog()`, about 5 % of them incomplete (a missing date, country or
dealer), about 2 % invalid rows (a bad e-mail, an unknown SKU, a future or impossible date, a
bad country, a missing column), e-mails drawn from 5,000 addresses (some in upper case: the
import normalises them), unique serial numbers, and dealers with commas and non-ASCII letters
(quoted by `csv.writer`, as a spreadsheet would).

How (b) is run
--------------
The bench process starts the local runtime (moto server, the template deployed, the packaged
catalogue loaded) without its event pump, creates the import record with
`legacy_import_service.new_import("bench")` and uploads the file to the documents bucket under
`legacy-imports/<import_id>.csv`. S3 notifies the legacy-imports queue as in AWS, but nothing
consumes it: the import is run directly, once, in a CHILD process (`python -m
bench.legacy_import --run-import <key>`) that inherits the runtime's environment and talks to
the moto server over loopback, like the Lambda would talk to DynamoDB and S3. The child is
there so its peak RSS is the importer's alone, as in a Lambda: in the bench process it would
include moto, which holds every table in memory. The child times `run(key)` only (not its
interpreter start-up) and counts its AWS calls with the hook of `bench/dynamodb_calls.py`.

Bounded: a 2,000-row probe import first estimates the rate; when 100,000 rows would take more
than `E2E_BUDGET_S` on moto, 20,000 rows are imported instead and the figures extrapolated
(linearly, assuming a constant rate; the probe's and the full run's rates have been
close), which the output says.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 100_000
FALLBACK_ROWS = 20_000
PROBE_ROWS = 2_000
E2E_BUDGET_S = 240.0
SEED = 20_261_122
DISTINCT_EMAILS = 5_000
INVALID_SHARE = 0.02
INCOMPLETE_SHARE = 0.05
RESULT_MARKER = "BENCH-LEGACY-RESULT "
# What AWS documents: a function gets one vCPU's worth of CPU at 1,769 MB, proportionally less
# below. Used only to say how the parse rate of this machine may translate.
MB_PER_VCPU = 1769

COUNTRIES = ("NL", "DE", "BE", "DK", "LV", "FR", "GB", "SE", "AT", "PL")
DEALERS = (
    "Kamera Express",
    "Foto Koch, Düsseldorf",
    "Calumet Photographic",
    "Cameraland",
    "Photospecialist",
    "Foto Erhardt",
    "Wex Photo Video",
    "Rīgas Foto",
    "Fotohandel Sørensen",
    "CameraNU.nl",
)
FIRST_PURCHASE = date(2012, 1, 1)
PURCHASE_DAYS = (date(2025, 12, 31) - FIRST_PURCHASE).days  # all in the past, whatever today


@dataclass(frozen=True)
class Export:
    lines: list[str]  # the header first; each line ends in "\n"
    rows: int  # data rows (the header not counted)
    invalid: int
    incomplete: int
    emails: int  # distinct addresses, case folded

    def data(self) -> bytes:
        return "".join(self.lines).encode()


def make_export(rows: int, *, serial_prefix: str = "LG", seed: int = SEED) -> Export:
    """The same `rows` rows for the same arguments, every time: the first n rows of a bigger
    export are the smaller export."""
    from chalicelib.domain.catalog import packaged_catalog
    from chalicelib.domain.legacy import HEADER

    skus = sorted({p.sku for p in packaged_catalog()})
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    invalid = incomplete = 0
    emails: set[str] = set()
    for n in range(rows):
        email = f"photographer{rng.randrange(DISTINCT_EMAILS):04d}@old-cps.example"
        emails.add(email)
        if rng.random() < 0.1:
            email = email.upper()
        bought = FIRST_PURCHASE + timedelta(days=rng.randrange(PURCHASE_DAYS))
        row = [
            email,
            rng.choice(skus),
            f"{serial_prefix}{n:08d}",
            bought.isoformat(),
            rng.choice(COUNTRIES),
            rng.choice(DEALERS),
        ]
        if rng.random() < INVALID_SHARE:
            invalid += 1
            kind = rng.randrange(6)
            if kind == 0:
                row[0] = "photographer.at.old-cps.example"
            elif kind == 1:
                row[1] = "EOS-999D-BODY"
            elif kind == 2:
                row[3] = "2099-01-01"
            elif kind == 3:
                row[3] = f"{bought.year}-02-30"
            elif kind == 4:
                row[4] = "XX"
            else:
                row = row[:5]
        elif rng.random() < INCOMPLETE_SHARE:
            incomplete += 1
            for column in rng.sample((3, 4, 5), rng.randint(1, 3)):
                row[column] = ""
        writer.writerow(row)
    return Export(
        buffer.getvalue().splitlines(keepends=True), rows, invalid, incomplete, len(emails)
    )


# --- (a) parse + validate -----------------------------------------------------------------------


@dataclass(frozen=True)
class ParseResult:
    rows: int
    valid: int
    rejected: int
    seconds: list[float]  # one per run

    @property
    def best_rate(self) -> float:
        return self.rows / min(self.seconds)

    @property
    def median_rate(self) -> float:
        return self.rows / statistics.median(self.seconds)


def measure_parse(export: Export, runs: int = 3) -> ParseResult:
    from chalicelib.domain.catalog import packaged_catalog
    from chalicelib.domain.legacy import LegacyProduct, parse_rows

    known = frozenset(p.sku for p in packaged_catalog())  # what run() reads from the table
    today = date.today()
    seconds: list[float] = []
    valid = rejected = 0
    for _ in range(runs):
        valid = rejected = 0
        started = time.perf_counter()
        for outcome in parse_rows(export.lines, known, today):
            if isinstance(outcome, LegacyProduct):
                valid += 1
            else:
                rejected += 1
        seconds.append(time.perf_counter() - started)
    return ParseResult(valid + rejected, valid, rejected, seconds)


# --- (b) end to end ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRun:
    """What the child reports about one `run(key)`."""

    rows: int
    imported: int
    rejected: int
    status: str
    seconds: float
    rss_before_mb: float  # peak RSS after imports and the container, before run()
    rss_peak_mb: float  # peak RSS after run()
    calls: dict[str, int]  # AWS calls made by run(), "service.Operation" -> count

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def _peak_rss_mb() -> float:
    """The process's peak RSS. Linux carries `getrusage(RUSAGE_SELF).ru_maxrss` across fork and
    exec, so in the child it starts at the bench process's peak (moto and its tables, hundreds
    of MB); /proc/self/status's VmHWM is the peak of the child's own memory. `getrusage` is the
    fallback where there is no /proc."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child_run_import(key: str) -> None:
    """In the child: one `run(key)`, timed and counted; the result on one marked line."""
    from bench.dynamodb_calls import COUNTER

    COUNTER.install()  # before any botocore client exists
    from chalicelib.container import container

    service = container().legacy_import_service
    rss_before = _peak_rss_mb()
    with COUNTER.window() as log:
        started = time.perf_counter()
        report = service.run(key)
        seconds = time.perf_counter() - started
    if report is None:
        raise SystemExit(f"no import record for {key}")
    result = ImportRun(
        rows=report.rows,
        imported=report.imported,
        rejected=report.rejected,
        status=report.status.value,
        seconds=seconds,
        rss_before_mb=rss_before,
        rss_peak_mb=_peak_rss_mb(),
        calls={f"{svc}.{op}": n for (svc, op), n in sorted(log.own.items())},
    )
    print(RESULT_MARKER + json.dumps(result.__dict__), flush=True)


def _import_in_child(export: Export) -> ImportRun:
    """Creates the import record, uploads the export and runs the import in a child."""
    from chalicelib.container import container
    from chalicelib.services.legacy import IMPORT_PREFIX

    created = container().legacy_import_service.new_import("bench")
    key = f"{IMPORT_PREFIX}{created.import_id}.csv"
    container().documents.put(key, export.data(), "text/csv")
    done = subprocess.run(
        [sys.executable, "-m", "bench.legacy_import", "--run-import", key],
        cwd=ROOT,
        env=dict(os.environ),  # the runtime's: endpoint, credentials, table and bucket names
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARKER):
            return ImportRun(**json.loads(line.removeprefix(RESULT_MARKER)))
    raise RuntimeError(
        f"the import child failed (exit {done.returncode}):\n{done.stdout[-3000:]}\n"
        f"{done.stderr[-3000:]}"
    )


@dataclass(frozen=True)
class EndToEnd:
    probe: ImportRun
    measured: ImportRun
    export: Export
    extrapolated: bool


def measure_end_to_end(rows: int = ROWS) -> EndToEnd:
    from local_runtime.runtime import LocalRuntime, RuntimeConfig
    from tests.support.ports import free_port

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
        probe = _import_in_child(make_export(PROBE_ROWS, serial_prefix="PROBE"))
        extrapolated = rows / probe.rate > E2E_BUDGET_S and rows > FALLBACK_ROWS
        export = make_export(FALLBACK_ROWS if extrapolated else rows)
        return EndToEnd(probe, _import_in_child(export), export, extrapolated)
    finally:
        runtime.stop()


def _reset_embedded_aws() -> None:
    """moto's backends are process-wide: a runtime started earlier in this process (the
    DynamoDB calls benchmark) left its resources there, and the template would clash."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


# --- report -----------------------------------------------------------------------------------


def _lambda_limits() -> tuple[int, int]:
    """The import consumer's timeout (s) and memory (MB), from .chalice/config.json."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    own = config.get("lambda_functions", {}).get("legacy_imports", {})
    timeout = int(own.get("lambda_timeout", config.get("lambda_timeout", 3)))
    memory = int(own.get("lambda_memory_size", config.get("lambda_memory_size", 128)))
    return timeout, memory


def report_parse(export: Export, parsed: ParseResult) -> None:
    print("(a) parse + validate (chalicelib.domain.legacy.parse_rows, in memory, no AWS)")
    print(
        f"    export: {export.rows:,} rows + header, {len(export.data()) / 1e6:.1f} MB, "
        f"{export.emails:,} distinct e-mails, {export.invalid:,} invalid rows "
        f"({export.invalid / export.rows:.1%}), {export.incomplete:,} incomplete"
    )
    runs = ", ".join(f"{s:.2f}" for s in parsed.seconds)
    print(
        f"    {parsed.rows:,} rows -> {parsed.valid:,} valid, {parsed.rejected:,} rejected "
        f"(expected {export.invalid:,}) in {runs} s ({len(parsed.seconds)} runs)"
    )
    print(f"    rate: {parsed.median_rate:,.0f} rows/s median, {parsed.best_rate:,.0f} rows/s best")


def report_end_to_end(e2e: EndToEnd, parsed: ParseResult | None, rows: int = ROWS) -> None:
    from chalicelib.services.legacy import WRITE_BATCH

    timeout, memory = _lambda_limits()
    m, probe = e2e.measured, e2e.probe
    print(
        "(b) end to end: container().legacy_import_service.run(key) on the embedded AWS "
        "(moto server), in a child process"
    )
    print(
        f"    probe: {probe.rows:,} rows at {probe.rate:,.0f} rows/s -> {rows:,} rows estimated "
        f"at {rows / probe.rate:,.0f} s (budget {E2E_BUDGET_S:.0f} s)"
    )
    if e2e.extrapolated:
        print(
            f"    !! {rows:,} rows would take longer than the budget on moto: MEASURED "
            f"{m.rows:,} ROWS AND EXTRAPOLATED the {rows:,}-row figures linearly"
        )
    print(
        f"    {m.rows:,} rows: status {m.status}, imported {m.imported:,}, rejected "
        f"{m.rejected:,} (the file has {e2e.export.invalid:,} invalid rows)"
    )
    print(f"    wall time of run(): {m.seconds:,.1f} s -> {m.rate:,.0f} rows/s")
    calls = ", ".join(f"{k} {v:,}" for k, v in m.calls.items())
    print(f"    AWS calls made by run(): {calls}")
    print(
        f"      (BatchWriteItem at 25 items a call needs at least {-(-m.imported // 25):,} "
        f"for {m.imported:,} items; each {WRITE_BATCH}-row batch of the service flushes its own "
        "last, partial call)"
    )
    print(
        f"    peak RSS of the importing process ({m.rows:,} rows): {m.rss_peak_mb:,.0f} MB "
        f"({m.rss_before_mb:,.0f} MB before run(): interpreter, imports, container; VmHWM, "
        f"see _peak_rss_mb); the function has {memory:,} MB"
    )
    full_s = rows / m.rate
    label = "extrapolated" if e2e.extrapolated else "measured"
    verdict = "YES" if full_s <= timeout else "NO"
    print(
        f"    {rows:,} rows in one Lambda ({timeout} s timeout)? {verdict}: {full_s:,.0f} s "
        f"{label} on moto, {full_s / timeout:.0%} of the timeout"
    )
    print(
        "    moto is slower than DynamoDB: every BatchWriteItem is an HTTP round trip to a "
        "Python server on this machine that also serialises each item, so this rate is a "
        "pessimistic figure for the write side."
    )
    if parsed is not None:
        vcpu = memory / MB_PER_VCPU
        cpu_s = rows / parsed.median_rate / vcpu
        batch_writes = m.calls.get("dynamodb.BatchWriteItem", 0) * rows / max(m.rows, 1)
        print(
            f"    In AWS (estimated, not measured): at {memory:,} MB (~{vcpu:.2f} vCPU) parsing "
            f"{rows:,} rows takes ~{cpu_s:,.0f} s at (a)'s rate, and ~{batch_writes:,.0f} "
            f"BatchWriteItem calls at a pessimistic 50 ms each add ~{batch_writes * 0.05:,.0f} s "
            "(PynamoDB's item serialisation is in the moto figure above, not here)."
        )


def main(rows: int = ROWS, *, end_to_end: bool = True) -> None:
    started = time.perf_counter()
    print(f"Legacy import: rows per second for a {rows:,}-row old-CPS export")
    export = make_export(rows)
    parsed = measure_parse(export)
    report_parse(export, parsed)
    if end_to_end:
        del export  # (b) builds its own; the bench process's memory is not the figure there
        report_end_to_end(measure_end_to_end(rows), parsed, rows)
    print(f"    (legacy import benchmark took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.legacy_import", description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--parse-only", action="store_true", help="(a) only: no AWS")
    parser.add_argument("--run-import", metavar="KEY", help=argparse.SUPPRESS)  # the child
    args = parser.parse_args()
    if args.run_import:
        _child_run_import(args.run_import)
    else:
        main(args.rows, end_to_end=not args.parse_only)
