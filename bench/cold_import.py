"""Cold import time of `app.py`: what a Lambda cold start pays before the first event.

Each run is a fresh interpreter (`sys.executable`, the project's venv) started in the project
root with a clean environment: `CPS_STAGE=prod` (no /dev routes, as deployed) and dummy AWS
settings whose endpoint is a closed loopback port, so nothing can reach AWS or the metadata
service. Importing the app must not touch the network anyway (the container is built lazily).

Three figures, each the median of N runs:
- `import app`: `time.perf_counter()` around `import app` inside the child;
- process: the child's wall clock seen from outside (interpreter start-up + import + exit);
- no bytecode cache: `import app` with `-B` and an empty `PYTHONPYCACHEPREFIX`, so every module
  is compiled from source (a package shipped without `__pycache__` on a read-only file system);
and, from `-X importtime` over N more runs, the slowest modules by median cumulative time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MEASURE_IMPORT = "import time; t = time.perf_counter(); import app; print(time.perf_counter() - t)"
DUMMY_ENDPOINT = "http://127.0.0.1:9"  # the discard port: nothing listens there


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


def _run_child(
    args: list[str], env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"`python {' '.join(args)}` failed:\n{completed.stderr[-3000:]}")
    return completed, elapsed


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


@dataclass(frozen=True)
class ColdImport:
    runs: int
    import_s: list[float]
    process_s: list[float]
    no_bytecode_s: list[float]
    modules_imported: int
    slowest: list[tuple[str, float, float]]  # (module, median cumulative ms, median self ms)


def measure(runs: int = 5, top: int = 10) -> ColdImport:
    env = child_environment()
    # One untimed run first, so the bytecode cache of every module is written and current.
    _run_child(["-c", "import app"], env)

    import_s, process_s = [], []
    for _ in range(runs):
        completed, elapsed = _run_child(["-c", MEASURE_IMPORT], env)
        import_s.append(float(completed.stdout.strip().splitlines()[-1]))
        process_s.append(elapsed)

    no_bytecode_s = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-pycache-") as empty:
            completed, _ = _run_child(
                ["-B", "-c", MEASURE_IMPORT], {**env, "PYTHONPYCACHEPREFIX": empty}
            )
        no_bytecode_s.append(float(completed.stdout.strip().splitlines()[-1]))

    cumulative: dict[str, list[int]] = {}
    own: dict[str, list[int]] = {}
    modules = 0
    for _ in range(runs):
        completed, _ = _run_child(["-X", "importtime", "-c", "import app"], env)
        lines = parse_importtime(completed.stderr)
        modules = max(modules, len(lines))
        for line in lines:
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
    return ColdImport(runs, import_s, process_s, no_bytecode_s, modules, ranked[:top])


def _ms(values: list[float]) -> str:
    return (
        f"{statistics.median(values) * 1000:8.1f} ms   "
        f"(min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"
    )


def report(result: ColdImport) -> None:
    print(f"Cold import of app.py (CPS_STAGE=prod, fresh interpreter, median of {result.runs})")
    print(f"  import app                      {_ms(result.import_s)}")
    print(f"  process (start-up + import)     {_ms(result.process_s)}")
    print(f"  import app, no bytecode cache   {_ms(result.no_bytecode_s)}")
    print(f"  modules imported                {result.modules_imported}")
    print()
    print(f"Slowest {len(result.slowest)} imports by cumulative time (-X importtime, median):")
    width = max(len(m) for m, _, _ in result.slowest)
    print(f"  {'module':<{width}}  {'cumulative':>10}  {'self':>8}")
    for module, cumulative_ms, self_ms in result.slowest:
        print(f"  {module:<{width}}  {cumulative_ms:7.1f} ms  {self_ms:5.1f} ms")


def main(runs: int = 5) -> None:
    report(measure(runs))


if __name__ == "__main__":
    main()
