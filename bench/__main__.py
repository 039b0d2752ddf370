"""`make bench` / `python -m bench`: runs every benchmark and prints its figures.

python -m bench                        # all of them
python -m bench --only import          # cold start per entry point: import + first call's imports
python -m bench --only package         # the deployment package: size, cold import from it
python -m bench --only dynamodb        # DynamoDB calls per request only (every route)
python -m bench --only checkout        # DynamoDB calls per request: the membership sign-up only
python -m bench --only jobs            # daily jobs: items read and calls per run, 10,000 of each
python -m bench --only pdf             # invoice PDF: import, first and warm render, size
python -m bench --only legacy          # legacy import rows/s: parse + validate, and end to end
python -m bench --only legacy-parse    # legacy import rows/s: parse + validate only (no AWS)
"""

from __future__ import annotations

import argparse
import time

from bench import (
    cold_import,
    dynamodb_calls,
    invoice_pdf,
    legacy_import,
    lifecycle_jobs,
    package_size,
)

CHOICES = ("import", "package", "dynamodb", "checkout", "jobs", "pdf", "legacy", "legacy-parse")


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--only", choices=CHOICES, default=None)
    parser.add_argument(
        "--runs", type=int, default=5, help="fresh interpreters per import and PDF figure"
    )
    parser.add_argument("--repeats", type=int, default=3, help="times each request is counted")
    parser.add_argument(
        "--legacy-rows", type=int, default=legacy_import.ROWS, help="rows of the legacy export"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    # The import benchmark goes first, while this process is idle: its children are timed.
    if args.only in (None, "import"):
        cold_import.main(runs=args.runs)
        print()
    # Fresh interpreters too, from the package it builds (`make package`'s steps).
    if args.only in (None, "package"):
        package_size.main(runs=args.runs)
        print()
    # Fresh interpreters too, so before this process starts the app.
    if args.only in (None, "pdf"):
        invoice_pdf.main(runs=args.runs)
        print()
    # Before the legacy import, which starts the app too: the DynamoDB benchmark's first request
    # must be this process's first (a cold container).
    if args.only in (None, "dynamodb"):
        dynamodb_calls.main(repeats=args.repeats)
        print()
    if args.only == "checkout":
        dynamodb_calls.main(repeats=args.repeats, sections=(dynamodb_calls.CHECKOUT,))
        print()
    # After the DynamoDB benchmark (whose first request must be the process's first), before
    # the legacy import; it resets the embedded AWS before and after (20,000 items seeded).
    if args.only in (None, "jobs"):
        lifecycle_jobs.main()
        print()
    if args.only in (None, "legacy", "legacy-parse"):
        legacy_import.main(args.legacy_rows, end_to_end=args.only != "legacy-parse")
        print()
    print(f"(benchmarks took {time.perf_counter() - started:.0f} s; figures only, never asserted)")


if __name__ == "__main__":
    main()
