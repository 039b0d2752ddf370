"""Cold start of each Lambda function, in Python: its handler's module imported, plus what the
handler's first call imports, against a bare app measured in the same run.

What Lambda imports: Chalice deploys one package and names each function's handler in it. The
authorizer's is `chalicelib.handlers.gate.jwt_auth` (a blueprint's function: its own module);
every other function's is in `app`: the API (`app.app`), the six queue consumers, the three
schedules and the catalogue loader. So each of those imports all of app.py at its cold start
and then, at its first call, what its own handler needs (app.py defers the rest: the route
modules until the route table is first read, each consumer's and job's use case until it runs).

Each figure comes from fresh interpreters (`sys.executable`, the project's venv) started in the
project root with a clean environment: `CPS_STAGE=prod` (no /dev routes, as deployed), the
template's variables and dummy AWS settings whose endpoint is a closed loopback port.

1. What a first call imports (one child per entry point, not timed): the child imports the
   handler's module, calls the handler once with a realistic event (`ENTRY_POINTS`: GET /me as a
   logged-in customer, a well-formed ID token, one message per queue, a schedule's event, the
   catalogue's Create) and lists the modules the call added to `sys.modules`, in the order they
   were first imported. No AWS is reached: once the app imports `botocore.endpoint`, its
   `Endpoint.make_request` answers every call with an empty success (`{}`), and an audit hook
   refuses every other connection (`socket.getaddrinfo`, `socket.connect`). So the call runs
   as far as an empty answer lets it: it builds its use case and adapters through the container
   and makes its first calls, then finds nothing or fails on the empty answer ("first call
   ended" says how). Modules a real call would import only in a later step are not counted.
2. The timing (N children per entry point and state, interleaved so that a change in the
   machine's load touches every figure alike): a child imports the handler's module (`import`),
   then those modules by name in that order (`first call`), each timed with
   `time.perf_counter()`. Imports only, as for the bare app: what the call itself computes
   (botocore's service models, the models' validators, the first log line) is not counted.
   - with bytecode: the cache written by the untimed children first;
   - without bytecode: `-B` and an empty `PYTHONPYCACHEPREFIX`, so every module is compiled
     from source (a package shipped without `__pycache__` on a read-only file system).
3. `x`: an entry point's median total (import + first call) over the bare app's median import in
   the same state. The bare app (`bench/package_size.py`'s BARE_APP: a Chalice app with one
   route, `import boto3`, a PynamoDB model) is the floor of any function on this stack.

And, from `-X importtime` over N more children, the slowest imports of the API function's cold
start (app.py and its first request), by median cumulative time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DUMMY_ENDPOINT = "http://127.0.0.1:9"  # the discard port: nothing listens there
RESULT = "BENCH-RESULT "  # the child's last line (the app's logs go to stdout too)


def child_environment() -> dict[str, str]:
    """The parent's environment is not inherited: only what an interpreter needs, plus the
    stage, the variables the template's Globals set (dummy values of the right shape: the
    settings refuse to load without them) and dummy AWS settings."""
    from tests.support.settings_env import COMPLETE_ENV

    keep = {
        k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ
    }
    return {
        **keep,
        **COMPLETE_ENV,
        "CPS_STAGE": "prod",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_SESSION_TOKEN": "bench",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_REGION": "eu-west-1",
        "AWS_ENDPOINT_URL": DUMMY_ENDPOINT,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "POWERTOOLS_SERVICE_NAME": "cps",
        "POWERTOOLS_METRICS_NAMESPACE": "CPS",
        "PYTHONHASHSEED": "0",
    }


# --- the entry points and their first events ---------------------------------------------------

ACCOUNT = "123456789012"
REGION = "eu-west-1"


@dataclass(frozen=True)
class EntryPoint:
    label: str
    module: str  # what the function's handler string names
    handler: str | None  # its attribute; None: the import alone
    event: dict[str, Any] | None = None


def _sqs(queue: str, body: Any) -> dict[str, Any]:
    text = body if isinstance(body, str) else json.dumps(body)
    return {
        "Records": [
            {
                "messageId": "bench-1",
                "receiptHandle": "bench-1",
                "body": text,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue}",
                "awsRegion": REGION,
            }
        ]
    }


def _s3_notification(key: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Post",
                "s3": {"bucket": {"name": "cps-documents"}, "object": {"key": key, "size": 1}},
            }
        ]
    }


def _schedule(name: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "bench",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": "2026-01-05T01:05:00Z",
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{name}"],
        "detail": {},
    }


def _b64(data: dict[str, Any]) -> str:
    import base64

    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


# A well-formed ID token (not validly signed): the verifier fetches the pool's keys for its key
# id, which the audit hook refuses, so the call ends there as a 401 would.
ID_TOKEN = ".".join(
    (_b64({"alg": "RS256", "kid": "bench", "typ": "JWT"}), _b64({"sub": "bench"}), "c2ln")
)


def rest_api_event(method: str, path: str, authorizer: dict[str, str]) -> dict[str, Any]:
    """The event API Gateway sends the API function for a request its authorizer let through."""
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": {"accept": "application/json"},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "body": None,
        "isBase64Encoded": False,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": method,
            "requestId": "bench-request",
            "authorizer": authorizer,
        },
    }


GET_ME = rest_api_event(
    "GET",
    "/me",
    {
        "principalId": "bench-sub",
        "email": "anna@studio-lumen.example",
        "account_id": "acc-bench",
        "groups": "",
    },
)
INVOICE_ORDER = {
    "order_id": "order-bench",
    "account_id": "acc-bench",
    "membership_id": "mem-bench",
    "purpose": "PURCHASE",
    "issued_on": "2026-01-05",
    "tier": "SILVER",
    "net": {"amount": "85.00", "currency": "EUR"},
}
EMAIL = {
    "template": "password_reset",
    "language": "en",
    "to": "anna@studio-lumen.example",
    "context": {},
    "dedupe_key": "bench:1",
}

ENTRY_POINTS = (
    EntryPoint("import app (no call)", "app", None),
    EntryPoint("API: GET /me", "app", "app", GET_ME),
    EntryPoint(
        "authorizer jwt_auth",
        "chalicelib.handlers.gate",
        "jwt_auth",
        {
            "type": "TOKEN",
            "authorizationToken": f"Bearer {ID_TOKEN}",
            "methodArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT}:bench/api/GET/me",
        },
    ),
    EntryPoint(
        "SQS document_uploads",
        "app",
        "on_document_uploaded",
        _sqs("cps-document-uploads", _s3_notification("applications/app-bench/proof.pdf")),
    ),
    EntryPoint(
        "SQS validation_tasks",
        "app",
        "on_validation_task",
        _sqs(
            "cps-validation-tasks",
            {"task": "run_checks", "application_id": "app-bench", "task_token": "bench"},
        ),
    ),
    EntryPoint(
        "SQS legacy_imports",
        "app",
        "on_legacy_export_uploaded",
        _sqs("cps-legacy-imports", _s3_notification("legacy-imports/imp-bench.csv")),
    ),
    EntryPoint("SQS invoices", "app", "on_invoice_requested", _sqs("cps-invoices", INVOICE_ORDER)),
    EntryPoint(
        "SQS lifecycle",
        "app",
        "on_lifecycle_work",
        _sqs(
            "cps-lifecycle",
            {"kind": "membership", "account_id": "acc-bench", "membership_id": "mem-bench"},
        ),
    ),
    EntryPoint("SQS emails", "app", "on_email_requested", _sqs("cps-emails", EMAIL)),
    EntryPoint("schedule review_sla", "app", "review_sla", _schedule("review_sla")),
    EntryPoint(
        "schedule membership_renewals",
        "app",
        "membership_renewals",
        _schedule("membership_renewals"),
    ),
    EntryPoint(
        "catalog_loader",
        "app",
        "catalog_loader",
        {
            "RequestType": "Create",
            "StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/cps/bench",
            "RequestId": "bench",
            "LogicalResourceId": "CatalogData",
        },
    ),
)
API = ENTRY_POINTS[1]

# --- the children ------------------------------------------------------------------------------

# argv: the entry point as JSON. Prints the modules its first call imported, in order.
DISCOVER = r"""
import json, sys

entry = json.loads(sys.argv[1])


started = []  # the modules whose import started, in order (a parent before its children)


def audit(event, args):
    if event == "import":
        started.append(args[0])
    elif event in ("socket.getaddrinfo", "socket.connect"):
        raise OSError(f"bench: no network ({event})")


class Answered:  # what botocore reads of an HTTP response it did not get
    status_code = 200
    headers = {}
    content = b""


def answer(endpoint, operation_model, request_dict):
    return Answered(), {}


def patch(module):
    module.Endpoint.make_request = answer


class EmptyAws:
    # Patches botocore.endpoint when the app first imports it (importing it here first would
    # leave it out of the modules the call imports).
    def find_spec(self, name, path=None, target=None):
        if name != "botocore.endpoint":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            patch(module)

        spec.loader.exec_module = exec_module
        return spec


class Context:
    function_name = "bench"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    memory_limit_in_mb = 512
    aws_request_id = "bench-request"
    log_group_name = "/aws/lambda/bench"
    log_stream_name = "bench"

    def get_remaining_time_in_millis(self):
        return 60_000


sys.addaudithook(audit)
if "botocore.endpoint" in sys.modules:
    patch(sys.modules["botocore.endpoint"])
else:
    sys.meta_path.insert(0, EmptyAws())
import importlib

module = importlib.import_module(entry["module"])
before = set(sys.modules)
ended = "imported"
if entry["handler"]:
    try:
        result = getattr(module, entry["handler"])(entry["event"], Context())
        status = result.get("statusCode") if isinstance(result, dict) else None
        ended = f"HTTP {status}" if status else "returned"
    except BaseException as exc:
        ended = type(exc).__name__
loaded = set(sys.modules) - before
added = [name for name in dict.fromkeys(started) if name in loaded]
added += sorted(loaded - set(added))  # any imported without the event (none seen so far)
print("BENCH-RESULT " + json.dumps({"modules": added, "ended": ended}))
"""

# argv: sys.path entries to put first (JSON), the module, a file with the module names to import.
# `__import__`, not importlib.import_module: -X importtime sees only the former's imports.
TIME = r"""
import json, sys, time

sys.path[:0] = json.loads(sys.argv[1])
with open(sys.argv[3]) as names_file:
    names = json.load(names_file)
started = time.perf_counter()
__import__(sys.argv[2])
imported = time.perf_counter()
missing = 0
for name in names:
    try:
        __import__(name)
    except Exception:
        missing += 1
done = time.perf_counter()
result = {"import_s": imported - started, "call_s": done - imported, "modules": len(sys.modules)}
print("BENCH-RESULT " + json.dumps({**result, "missing": missing}))
"""


def _run_child(
    args: list[str], env: dict[str, str]
) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    results = [line for line in completed.stdout.splitlines() if line.startswith(RESULT)]
    if completed.returncode != 0 or not results:
        raise RuntimeError(f"a benchmark child failed:\n{completed.stderr[-3000:]}")
    return json.loads(results[-1][len(RESULT) :]), completed


def first_call_modules(entry: EntryPoint, env: dict[str, str]) -> tuple[list[str], str]:
    """The modules the entry point's first call imports, in order, and how the call ended."""
    if entry.handler is None:
        return [], "-"
    spec = {"module": entry.module, "handler": entry.handler, "event": entry.event}
    found, _ = _run_child(["-c", DISCOVER, json.dumps(spec)], env)
    return found["modules"], found["ended"]


@dataclass(frozen=True)
class ImportTimeLine:
    module: str
    self_us: int
    cumulative_us: int


def parse_importtime(stderr: str) -> list[ImportTimeLine]:
    """`import time: self [us] | cumulative | imported package` lines, nesting indent dropped."""
    lines = []
    for raw in stderr.splitlines():
        if not raw.startswith("import time:"):
            continue
        fields = raw[len("import time:") :].split("|")
        if len(fields) != 3 or not fields[0].strip().isdigit():
            continue  # the header line
        lines.append(ImportTimeLine(fields[2].strip(), int(fields[0]), int(fields[1])))
    return lines


@dataclass
class Row:
    label: str
    first_call: int  # modules the first call imports
    ended: str
    modules: int = 0  # in sys.modules at the end (with bytecode)
    missing: int = 0  # first-call modules not importable by name (left out of the timing)
    import_s: dict[bool, list[float]] | None = None  # by "with bytecode"
    total_s: dict[bool, list[float]] | None = None


@dataclass(frozen=True)
class ColdStart:
    runs: int
    bare: Row
    rows: list[Row]
    slowest: list[tuple[str, float, float]]  # (module, median cumulative ms, median self ms)


def measure(runs: int = 5, top: int = 12) -> ColdStart:
    from bench.package_size import BARE_APP

    env = child_environment()
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        root = Path(tmp)
        bare_dir = root / "bare"
        bare_dir.mkdir()
        (bare_dir / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
        no_modules = root / "none.json"
        no_modules.write_text("[]", encoding="utf-8")

        # Untimed: each first call, which also writes the bytecode cache of every module.
        plans: list[tuple[Row, list[str], Path, str, list[str]]] = []
        bare = Row("bare app (Chalice, boto3, PynamoDB)", 0, "-")
        plans.append((bare, [str(bare_dir)], no_modules, "bare_app", []))
        for index, entry in enumerate(ENTRY_POINTS):
            modules, ended = first_call_modules(entry, env)
            names = root / f"entry-{index}.json"
            names.write_text(json.dumps(modules), encoding="utf-8")
            plans.append((Row(entry.label, len(modules), ended), [], names, entry.module, modules))
        _run_child(["-c", TIME, json.dumps([str(bare_dir)]), "bare_app", str(no_modules)], env)

        for row, _, _, _, _ in plans:
            row.import_s, row.total_s = {True: [], False: []}, {True: [], False: []}
        for _ in range(runs):
            for row, paths, names, module, _ in plans:
                for with_bytecode in (True, False):
                    args, child_env = ["-c", TIME], env
                    if not with_bytecode:
                        args = ["-B", *args]
                        child_env = {**env, "PYTHONPYCACHEPREFIX": str(root / "empty-pycache")}
                    took, _ = _run_child([*args, json.dumps(paths), module, str(names)], child_env)
                    row.import_s[with_bytecode].append(took["import_s"])
                    row.total_s[with_bytecode].append(took["import_s"] + took["call_s"])
                    if with_bytecode:
                        row.modules, row.missing = took["modules"], took["missing"]

        # The API function's cold start under -X importtime: its slowest imports.
        api_names = plans[1 + ENTRY_POINTS.index(API)][2]
        cumulative: dict[str, list[int]] = {}
        own: dict[str, list[int]] = {}
        for _ in range(runs):
            _, completed = _run_child(
                ["-X", "importtime", "-c", TIME, "[]", API.module, str(api_names)], env
            )
            for line in parse_importtime(completed.stderr):
                cumulative.setdefault(line.module, []).append(line.cumulative_us)
                own.setdefault(line.module, []).append(line.self_us)
    ranked = sorted(
        (
            (m, statistics.median(v) / 1000, statistics.median(own[m]) / 1000)
            for m, v in cumulative.items()
        ),
        key=lambda row: row[1],
        reverse=True,
    )
    return ColdStart(runs, bare, [row for row, *_ in plans[1:]], ranked[:top])


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def report(result: ColdStart) -> None:
    bare = result.bare
    assert bare.total_s is not None
    bare_ms = {state: _median_ms(bare.total_s[state]) for state in (True, False)}
    print(
        "Cold start per entry point: its module imported, then what its first call imports "
        f"(fresh interpreters, CPS_STAGE=prod, median of {result.runs}; x: over the bare app's "
        "import in the same state, same run)"
    )
    width = max(len(row.label) for row in [bare, *result.rows])
    print(
        f"  {'entry point':<{width}}  {'with bytecode':>31}  {'without bytecode':>18}  "
        f"{'modules':>7}  {'first call':>10}  first call ended"
    )
    print(
        f"  {'':<{width}}  {'import':>8}  {'+ first call':>12}  {'x':>5}  {'total':>10}  {'x':>5}"
        f"  {'':>7}  {'imports':>10}"
    )
    for row in [bare, *result.rows]:
        assert row.import_s is not None and row.total_s is not None
        with_total = _median_ms(row.total_s[True])
        without_total = _median_ms(row.total_s[False])
        missing = f" ({row.missing} not importable by name)" if row.missing else ""
        print(
            f"  {row.label:<{width}}  {_median_ms(row.import_s[True]):5.0f} ms  "
            f"{with_total:9.0f} ms  {with_total / bare_ms[True]:4.2f}x  "
            f"{without_total:7.0f} ms  {without_total / bare_ms[False]:4.2f}x  "
            f"{row.modules:7d}  {row.first_call:10d}  {row.ended}{missing}"
        )
    print()
    print(
        f"Slowest {len(result.slowest)} imports of the API function's cold start (import app, "
        "then GET /me's imports), by cumulative time (-X importtime, median):"
    )
    width = max(len(m) for m, _, _ in result.slowest)
    print(f"  {'module':<{width}}  {'cumulative':>10}  {'self':>8}")
    for module, cumulative_ms, self_ms in result.slowest:
        print(f"  {module:<{width}}  {cumulative_ms:7.1f} ms  {self_ms:5.1f} ms")


def main(runs: int = 5) -> None:
    started = time.perf_counter()
    report(measure(runs))
    print(f"  (took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
