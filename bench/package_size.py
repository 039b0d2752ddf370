"""The deployment package: its size, and the cold import of each entry point run from it.

Builds the package as `make package` does (`chalice package`, then infra/package.py's
`rewrite_deployment_zip`: pruned, with bytecode), keeping Chalice's zip as it was written, and
unzips both. Each figure then comes from fresh interpreters that see only one unzipped package
and the standard library (`python -I -S -B`: no site-packages, no PYTHON* variables, nothing
written, as on Lambda's read-only /var/task), in the cold import benchmark's clean
environment (`CPS_STAGE=prod`, dummy AWS settings):

- with bytecode: the produced package (unchecked-hash pycs: nothing is compiled);
- without bytecode: Chalice's zip (sources only, as deployed before: every module compiled at
  every cold start);
- the bare app: `bench/package_size.py`'s BARE_APP (a Chalice app, boto3 and a PynamoDB
  model), run from the same package, in both states: the floor of any app on this stack.

Entry points: the modules of the functions' handlers in Chalice's template (`app` for the API,
queue and schedule functions; `chalicelib.handlers.gate` for the authorizer), and the queue
handlers' module `chalicelib.handlers.events` on its own (deployed through `app.on_*`, so a
figure of what an isolated queue entry point would cost). Figures only, never asserted.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.cold_import import child_environment
from infra import einvoice_layer
from infra.package import (
    DEPLOYMENT_ZIP,
    LAMBDA_RUNTIME,
    PROJECT_DIR,
    load,
    rewrite_deployment_zip,
    run_chalice_package,
    template_file,
)

BARE_APP = """
import boto3
from chalice import Chalice
from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

app = Chalice(app_name="bare")


class Item(Model):
    class Meta:
        table_name = "bare"
        region = "eu-west-1"

    pk = UnicodeAttribute(hash_key=True)


@app.route("/")
def index():
    return {"ok": True}
"""
BARE = ("bare_app", "app")  # (module, handler)
QUEUE_HANDLERS = "chalicelib.handlers.events"
# argv: the directories to put first on sys.path, the module, the handler's attribute or "".
MEASURE = """
import importlib, json, sys, time
sys.path[:0] = json.loads(sys.argv[1])
started = time.perf_counter()
module = importlib.import_module(sys.argv[2])
if sys.argv[3]:
    getattr(module, sys.argv[3])
print(json.dumps({"import_s": time.perf_counter() - started, "modules": len(sys.modules)}))
"""


@dataclass(frozen=True)
class Size:
    zipped: int
    unzipped: int
    files: int
    largest: list[tuple[str, int]]  # top-level entries by zipped bytes


def size_of(path: Path, top: int = 8, under: str = "") -> Size:
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    by_top: Counter[str] = Counter()
    for info in infos:
        by_top[info.filename.removeprefix(under).split("/")[0]] += info.compress_size
    return Size(
        path.stat().st_size,
        sum(i.file_size for i in infos),
        len(infos),
        by_top.most_common(top),
    )


@dataclass(frozen=True)
class Entry:
    label: str
    module: str
    attribute: str


@dataclass(frozen=True)
class Timing:
    import_s: list[float]
    modules: int


def entry_points(template_path: Path) -> list[Entry]:
    """One entry per handler module of the template, then the queue handlers' module."""
    template = load(template_path)
    by_module: dict[str, list[str]] = {}
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            module, _, attribute = resource["Properties"]["Handler"].rpartition(".")
            by_module.setdefault(module, []).append(attribute)
    entries = [
        Entry(
            f"{module} ({len(attributes)} function{'s' if len(attributes) > 1 else ''})",
            module,
            sorted(attributes)[0] if module != "app" else "app",
        )
        for module, attributes in sorted(by_module.items(), key=lambda kv: -len(kv[1]))
    ]
    entries.append(Entry(f"{QUEUE_HANDLERS} (alone)", QUEUE_HANDLERS, ""))
    return entries


def time_import(paths: list[Path], entry: Entry) -> tuple[float, int]:
    """One fresh interpreter: (seconds to import the entry point, modules loaded)."""
    completed = subprocess.run(
        [
            sys.executable,
            *("-I", "-S", "-B", "-c", MEASURE),
            json.dumps([str(p) for p in paths]),
            entry.module,
            entry.attribute,
        ],
        cwd=paths[-1],
        env=child_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"import {entry.module} failed:\n{completed.stderr[-3000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    return result["import_s"], result["modules"]


@dataclass(frozen=True)
class PackageBench:
    runs: int
    build_s: float
    chalice: Size
    produced: Size
    summary: str
    layer: Size  # the e-invoice layer (infra/einvoice_layer.py), the invoices consumer's only
    entries: list[Entry]
    with_bytecode: dict[str, Timing]  # by entry label (the first entry: the bare app)
    without_bytecode: dict[str, Timing]


def measure(runs: int = 5) -> PackageBench:
    with tempfile.TemporaryDirectory(prefix="bench-package-") as tmp:
        root = Path(tmp)
        out = root / "prod"
        started = time.perf_counter()
        run_chalice_package(PROJECT_DIR, "prod", out, "eu-west-1")
        chalice_zip = root / "chalice.zip"
        shutil.copyfile(out / DEPLOYMENT_ZIP, chalice_zip)
        rewrite = rewrite_deployment_zip(out / DEPLOYMENT_ZIP, [LAMBDA_RUNTIME])
        layer = einvoice_layer.build(out)
        build_s = time.perf_counter() - started
        produced_dir, chalice_dir, bare_dir = root / "produced", root / "chalice", root / "bare"
        zipfile.ZipFile(out / DEPLOYMENT_ZIP).extractall(produced_dir)
        zipfile.ZipFile(chalice_zip).extractall(chalice_dir)
        bare_dir.mkdir()
        (bare_dir / f"{BARE[0]}.py").write_text(BARE_APP, encoding="utf-8")
        entries = entry_points(template_file(out))
        bare = Entry("bare app", *BARE)
        # Runs interleaved (each run: every entry point in both states), so that a change in
        # the machine's load touches every figure alike.
        seconds: dict[tuple[str, Path], list[float]] = {}
        modules: dict[tuple[str, Path], int] = {}
        for _ in range(runs):
            for entry in [bare, *entries]:
                for directory in (produced_dir, chalice_dir):
                    paths = [bare_dir, directory] if entry is bare else [directory]
                    took, loaded = time_import(paths, entry)
                    seconds.setdefault((entry.label, directory), []).append(took)
                    modules[entry.label, directory] = loaded

        def timings(directory: Path) -> dict[str, Timing]:
            return {
                e.label: Timing(seconds[e.label, directory], modules[e.label, directory])
                for e in [bare, *entries]
            }

        return PackageBench(
            runs,
            build_s,
            size_of(chalice_zip),
            size_of(out / DEPLOYMENT_ZIP),
            rewrite.summary(),
            size_of(layer.path, under=f"{einvoice_layer.LAYER_ROOT}/"),
            [bare, *entries],
            timings(produced_dir),
            timings(chalice_dir),
        )


def _median_ms(timing: Timing) -> float:
    return statistics.median(timing.import_s) * 1000


def _cell(timing: Timing, bare: Timing) -> str:
    return (
        f"{_median_ms(timing):7.0f} ms ({min(timing.import_s) * 1000:.0f}-"
        f"{max(timing.import_s) * 1000:.0f})  {_median_ms(timing) / _median_ms(bare):4.2f}x"
    )


def report(result: PackageBench) -> None:
    print(
        f"Deployment package (chalice package + infra/package.py; built in {result.build_s:.0f} s)"
    )
    for label, size in (("as Chalice writes it", result.chalice), ("produced", result.produced)):
        print(
            f"  {label:<22} {size.zipped / 1e6:6.1f} MB zipped  {size.unzipped / 1e6:6.1f} MB "
            f"unzipped  {size.files:5d} files"
        )
    print(
        "  largest in the produced zip (zipped): "
        + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in result.produced.largest)
    )
    layer = result.layer
    print(
        f"  {'e-invoice layer':<22} {layer.zipped / 1e6:6.1f} MB zipped  "
        f"{layer.unzipped / 1e6:6.1f} MB unzipped  {layer.files:5d} files  (the invoices "
        f"consumer only: with the zip {(layer.unzipped + result.produced.unzipped) / 1e6:.1f} "
        f"MB unzipped of Lambda's {einvoice_layer.UNZIPPED_LIMIT / 1e6:.0f})"
    )
    print(
        "  largest in the layer (zipped): "
        + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in layer.largest)
    )
    print()
    print(result.summary)
    print()
    bare_with = result.with_bytecode[result.entries[0].label]
    bare_without = result.without_bytecode[result.entries[0].label]
    width = max(len(e.label) for e in result.entries)
    print(
        f"Cold import from the unzipped package (python -I -S -B, median of {result.runs}; "
        "x: ratio to the bare app in the same state)"
    )
    print(
        f"  {'entry point':<{width}}  {'with bytecode (produced)':<29}  "
        f"{'without bytecode (as Chalice)':<29}  modules"
    )
    for entry in result.entries:
        with_bytecode = result.with_bytecode[entry.label]
        without = result.without_bytecode[entry.label]
        print(
            f"  {entry.label:<{width}}  {_cell(with_bytecode, bare_with):<29}  "
            f"{_cell(without, bare_without):<29}  {with_bytecode.modules}"
        )


def main(runs: int = 5) -> None:
    report(measure(runs))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
