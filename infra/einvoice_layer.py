"""The e-invoice Lambda layer: factur-x, Saxon-HE (saxonche), lxml and pypdf, from
requirements-einvoice.txt, for the one function that issues invoices and credit notes.

Why a layer: Saxon-HE alone is 114 MB unzipped (39 MB zipped). In the deployment zip, which
every function shares, it would put the zip far over its 25 MB budget (ZIP_BUDGET) and slow
every cold start's download; only the invoices consumer validates and embeds e-invoices (the
lifecycle consumer orders its credit notes through the invoices queue; the API serves the
stored XML). The layer is `<out>/einvoice-layer.zip`, a `python/` tree that Lambda unpacks
under /opt (on sys.path after the function's own code):
- the wheels for Lambda's platform (manylinux2014 / manylinux_2_24, x86_64; the python3.11
  runtime has glibc 2.26), binary only, without their dependencies: each is pinned in
  requirements-einvoice.txt, and factur-x's others (python-stdnum, requests) are the
  function's own (requirements.txt);
- pruned of what no code path reads: factur-x's schemas and schematrons of other profiles
  (Order-X, ZUGFeRD 1, Factur-X MINIMUM to EXTENDED, the French CTC rules), C headers and
  sources of lxml, test suites, wheels' RECORD files;
- with bytecode (unchecked-hash pycs beside the sources), as for the deployment zip.
A build is kept in `build/cache/` under a key of what makes its bytes (the requirements, the
pruning and compiling code, this Python): the next package with the same key copies it instead
of installing and zipping 130 MB again, as Chalice keeps its built dependencies in
`.chalice/deployments/`.
`attach` adds it to the template as an `AWS::Serverless::LayerVersion` and lists it in the
`Layers` of each function consuming the invoices queue.
"""

from __future__ import annotations

import fcntl
import hashlib
import inspect
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements-einvoice.txt"
CACHE = Path(__file__).resolve().parent.parent / "build" / "cache"
LAYER_ZIP = "einvoice-layer.zip"
LAYER_ID = "EInvoiceLayer"
LAYER_ROOT = "python"  # Lambda puts /opt/python on sys.path
INVOICES_QUEUE = "cps-invoices"
PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_24_x86_64")
UNZIPPED_LIMIT = 250_000_000  # Lambda: a function's code and its layers, unzipped
FACTURX_DATA = "facturx/xsd_and_schematron/"
FACTURX_KEPT = ("facturx-en16931/", "ubl-2.1/maindoc/", "ubl-2.1/common/")
FACTURX_KEPT_FILES = ("ubl-2.1/EN16931-UBL-validation.xslt",)
SOURCES = (".c", ".h", ".pyx", ".pxd", ".pxi")


@dataclass(frozen=True)
class Layer:
    path: Path
    zipped: int
    unzipped: int
    files: int

    def summary(self) -> str:
        return (
            f"{LAYER_ZIP}: {self.zipped / 1e6:.1f} MB zipped, {self.unzipped / 1e6:.1f} MB "
            f"unzipped, {self.files} files (factur-x, saxonche, lxml, pypdf: the invoices "
            "consumer's layer)"
        )


def prune_reason(name: str) -> str | None:
    """Why a file of the layer (a path under python/) is left out, or None when kept."""
    parts = name.split("/")
    if name.startswith(FACTURX_DATA):
        rest = name.removeprefix(FACTURX_DATA)
        if rest.startswith(FACTURX_KEPT) or rest in FACTURX_KEPT_FILES:
            return None
        return "factur-x schemas of other profiles"
    if parts[0] == "lxml" and name.endswith(SOURCES):
        return "lxml's C headers and sources"
    if len(parts) > 2 and parts[1] in ("tests", "test"):
        return "test suites"
    if parts[0].endswith(".dist-info") and parts[-1] == "RECORD":
        return "wheel RECORD files"
    if "__pycache__" in parts:
        return "bytecode compiled here (compiled again below)"
    return None


def build(out: Path, requirements: Path = REQUIREMENTS, cache: Path = CACHE) -> Layer:
    """`<out>/einvoice-layer.zip` from the requirements file (pip reaches the index), or a copy
    of the cached build with the same key."""
    cache.mkdir(parents=True, exist_ok=True)
    cached = cache / f"einvoice-layer-{_cache_key(requirements)}.zip"
    with (cache / "einvoice-layer.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time; the others wait and copy it
        if not cached.exists():
            partial = cached.with_suffix(".partial")
            _build_zip(partial, requirements)
            partial.replace(cached)
    path = out / LAYER_ZIP
    shutil.copyfile(cached, path)
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    return Layer(path, path.stat().st_size, sum(i.file_size for i in infos), len(infos))


def _cache_key(requirements: Path) -> str:
    """What the layer's bytes depend on: the pins, how they are pruned and compiled, the
    interpreter that compiles them."""
    from infra.package import compile_tree

    digest = hashlib.sha256(requirements.read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(inspect.getsource(compile_tree).encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:32]


def _build_zip(path: Path, requirements: Path) -> None:
    from infra.package import compile_tree  # the same bytecode as the deployment zip

    with tempfile.TemporaryDirectory(prefix="cps-einvoice-layer-") as tmp:
        target = Path(tmp) / LAYER_ROOT
        command = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            str(target),
            "--implementation",
            "cp",
            "--python-version",
            f"{sys.version_info.major}.{sys.version_info.minor}",
            "--only-binary=:all:",
            "--no-deps",
            *[arg for platform in PLATFORMS for arg in ("--platform", platform)],
            "-r",
            str(requirements),
        ]
        subprocess.run(command, check=True)  # noqa: S603 - fixed interpreter and arguments
        for entry in sorted(target.rglob("*"), reverse=True):
            relative = entry.relative_to(target).as_posix()
            if entry.is_file() and prune_reason(relative):
                entry.unlink()
            elif entry.is_dir() and not any(entry.iterdir()):
                entry.rmdir()
        compile_tree(target, debug_ranges=False, prefix=f"/opt/{LAYER_ROOT}")
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for file in sorted(p for p in target.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(
                    f"{LAYER_ROOT}/{file.relative_to(target).as_posix()}", (2026, 1, 1, 0, 0, 0)
                )
                info.external_attr = (0o755 if file.suffix == ".so" else 0o644) << 16
                data = file.read_bytes()
                z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def consumers(template: Mapping[str, Any], queue: str = INVOICES_QUEUE) -> list[str]:
    """The functions whose SQS event source is the queue named `queue`."""
    queue_ids = {
        r["Properties"]["QueueName"]: logical_id
        for logical_id, r in template["Resources"].items()
        if r["Type"] == "AWS::SQS::Queue"
        and isinstance(r.get("Properties", {}).get("QueueName"), str)
    }
    wanted = {"Fn::GetAtt": [queue_ids.get(queue), "Arn"]}
    return [
        logical_id
        for logical_id, r in template["Resources"].items()
        if r["Type"] == "AWS::Serverless::Function"
        and any(
            e["Type"] == "SQS" and e["Properties"]["Queue"] == wanted
            for e in r["Properties"].get("Events", {}).values()
        )
    ]


def attach(template: dict[str, Any], runtime: str) -> list[str]:
    """The layer as a resource of the template, in the Layers of the invoices consumer(s)."""
    functions = consumers(template)
    if not functions:
        raise ValueError(f"no function consumes {INVOICES_QUEUE}: the layer would serve none")
    template["Resources"][LAYER_ID] = {
        "Type": "AWS::Serverless::LayerVersion",
        "Properties": {
            "Description": "EN 16931 e-invoices: factur-x, Saxon-HE, lxml (issue 11)",
            "ContentUri": f"./{LAYER_ZIP}",
            "CompatibleRuntimes": [runtime],
            "CompatibleArchitectures": ["x86_64"],
            "RetentionPolicy": "Delete",
        },
    }
    for logical_id in functions:
        layers = template["Resources"][logical_id]["Properties"].setdefault("Layers", [])
        layers.append({"Ref": LAYER_ID})
    return functions
