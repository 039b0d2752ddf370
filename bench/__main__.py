"""`make bench` / `python -m bench`: runs every benchmark and prints its figures.

python -m bench                    # both
python -m bench --only import      # cold import time of app.py only
python -m bench --only dynamodb    # DynamoDB calls per request only
"""

from __future__ import annotations

import argparse
import time

from bench import cold_import, dynamodb_calls


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=("import", "dynamodb"), default=None)
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters per import figure")
    parser.add_argument("--repeats", type=int, default=3, help="times each request is counted")
    args = parser.parse_args()

    started = time.perf_counter()
    # The import benchmark goes first, while this process is idle: its children are timed.
    if args.only in (None, "import"):
        cold_import.main(runs=args.runs)
        print()
    if args.only in (None, "dynamodb"):
        dynamodb_calls.main(repeats=args.repeats)
        print()
    print(f"(benchmarks took {time.perf_counter() - started:.0f} s; figures only, never asserted)")


if __name__ == "__main__":
    main()
