"""Time to render one invoice PDF (`chalicelib.invoice_pdf.render.render_invoice_pdf`).

The invoices queue handler renders the PDF of every invoice it issues; the container imports
`chalicelib.invoice_pdf` lazily (on the first invoice of a Lambda container), and the renderer
parses the two DejaVu Sans files once per process (`FontCache`). So a container's first invoice
pays the import and the font load, every later one only the render. Three figures, each from
fresh interpreters (the project's venv, `cold_import.child_environment()`):

- `import chalicelib.invoice_pdf`: `time.perf_counter()` around the import, the child's first
  statement (fpdf2, fontTools and the invoice domain modules come with it);
- first render: the process's first `render_invoice_pdf(invoice)` (font load included);
- warm render: the median of the next 20 renders of the same invoice in the same process;

plus the PDF's size and whether all 21 renders gave the same bytes (they must: the renderer is
deterministic, so a retried invoice stores the same document).

Two realistic invoices, built in code as `InvoicingService._issue` builds them (the seller is
the settings' default, the fee and VAT come from `domain.tiers` and `domain.vat_rates`, and the
bank reference from `Invoice.numbered`): a Dutch business paying CPS Silver by card (Dutch VAT,
a PO number, in Dutch), and a Latvian business with a VAT number paying CPS Gold by bank
transfer (reverse charge, bank details, Latvian letters, in Latvian). Each invoice has its own
children, so each first render is a first render.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bench.cold_import import RESULT, _run_child, child_environment

if TYPE_CHECKING:
    from chalicelib.domain.invoices import Invoice

WARM_RENDERS = 20

# The child (`python -c CHILD <invoice kind or -> <packaged|venv>`): the import is timed first,
# before anything else of the project is imported. "packaged" hides numpy, as in the Lambda
# package: numpy is no runtime dependency (the venv has it for checkov, through rustworkx), and
# fpdf2 imports it, when present, at `import fpdf` (fpdf/image_parsing.py, for images only).
CHILD = (
    "import sys, time\n"
    "if sys.argv[2] == 'packaged':\n"
    "    sys.modules['numpy'] = None  # import numpy raises ImportError\n"
    "started = time.perf_counter()\n"
    "import chalicelib.invoice_pdf\n"
    "imported = time.perf_counter() - started\n"
    "from bench.invoice_pdf import child\n"
    "child(sys.argv[1], imported)\n"
)
PACKAGED, VENV = "packaged", "venv"
IMPORT_ONLY = "-"


def _seller() -> Any:
    from chalicelib.settings import Settings

    return Settings.from_env(child_environment()).seller  # Canon Europa N.V., Amstelveen


def dutch_card_invoice() -> Invoice:
    """Fotostudio Licht & Schaduw B.V., Amsterdam: CPS Silver by card, 21 % Dutch VAT."""
    return _invoice(
        number_in_year=123,
        tier_id="SILVER",
        buyer=("Fotostudio Licht & Schaduw B.V.", "Keizersgracht 123, 1015 CJ Amsterdam", "NL"),
        vat_number=None,
        purchase_order_number="PO-2026-17",
        card=True,
        language="nl",
        membership_number="151335488",
    )


def latvian_bank_transfer_invoice() -> Invoice:
    """SIA Gaismas Darbnīca, Rīga, with a VAT number: CPS Gold by bank transfer, reverse
    charge, bank details and reference, in Latvian."""
    return _invoice(
        number_in_year=124,
        tier_id="GOLD",
        buyer=("SIA Gaismas Darbnīca", "Krišjāņa Barona iela 12-4, LV-1050 Rīga", "LV"),
        vat_number="LV40003245752",
        purchase_order_number=None,
        card=False,
        language="lv",
        membership_number="274019633",
    )


def _invoice(
    *,
    number_in_year: int,
    tier_id: str,
    buyer: tuple[str, str, str],
    vat_number: str | None,
    purchase_order_number: str | None,
    card: bool,
    language: str,
    membership_number: str,
) -> Invoice:
    from datetime import date

    from chalicelib.domain.invoices import BankDetails, Invoice, Party, due_date, invoice_number
    from chalicelib.domain.membership import PaymentMethod, one_year_after
    from chalicelib.domain.tiers import annual_fee, tier
    from chalicelib.domain.vat_rates import vat_line

    s = _seller()
    issued_on = date(2026, 3, 2)
    name, address, country = buyer
    line = vat_line(annual_fee(tier_id, "EUR", issued_on), country, vat_number)
    draft = Invoice(
        invoice_number="",
        account_id=f"bench-{country.lower()}",
        purchase_id=f"bench-purchase-{country.lower()}",
        issued_on=issued_on,
        due_on=due_date(issued_on),
        seller=Party(s.name, s.address, s.country, s.vat_number),
        buyer=Party(name, address, country, vat_number),
        description=(
            f"{tier(tier_id).name} membership "
            f"{issued_on.isoformat()} to {one_year_after(issued_on).isoformat()}"
        ),
        net=line.net,
        vat_rate=line.rate,
        vat=line.vat,
        total=line.total,
        vat_note=line.note,
        purchase_order_number=purchase_order_number,
        payment_method=PaymentMethod.CARD if card else PaymentMethod.BANK_TRANSFER,
        bank_details=None if card else BankDetails(s.name, s.iban, s.bic, ""),
        membership_number=membership_number,
        language=language,
    )
    return draft.numbered(invoice_number(issued_on.year, number_in_year))


INVOICES: dict[str, tuple[str, Callable[[], Invoice]]] = {
    "nl-card": ("NL, card, Dutch VAT (nl)", dutch_card_invoice),
    "lv-bank": ("LV, bank transfer, reverse charge (lv)", latvian_bank_transfer_invoice),
}


def child(kind: str, import_s: float) -> None:
    """Runs in the fresh interpreter: first render, then WARM_RENDERS more; prints the result
    line (`RESULT` and JSON), which `_run_child` looks for."""
    from chalicelib.invoice_pdf.render import render_invoice_pdf

    if kind == IMPORT_ONLY:
        print(
            RESULT
            + json.dumps({"import_s": import_s, "numpy": sys.modules.get("numpy") is not None})
        )
        return

    invoice = INVOICES[kind][1]()
    started = time.perf_counter()
    first = render_invoice_pdf(invoice)
    first_s = time.perf_counter() - started
    warm_s, same = [], True
    for _ in range(WARM_RENDERS):
        started = time.perf_counter()
        pdf = render_invoice_pdf(invoice)
        warm_s.append(time.perf_counter() - started)
        same = same and pdf == first
    print(
        RESULT
        + json.dumps(
            {
                "import_s": import_s,
                "first_s": first_s,
                "warm_s": warm_s,
                "size": len(first),
                "is_pdf": first.startswith(b"%PDF-") and first.rstrip().endswith(b"%%EOF"),
                "same_bytes": same,
                "numpy": sys.modules.get("numpy") is not None,
            }
        )
    )


@dataclass(frozen=True)
class ImportRuns:
    packaged_s: list[float]  # numpy hidden, as in the Lambda package
    venv_s: list[float]  # the project's venv as it is (numpy present)


@dataclass(frozen=True)
class PdfRuns:
    label: str
    first_s: list[float]
    warm_median_s: list[float]  # one median of WARM_RENDERS per process
    sizes: set[int]
    is_pdf: bool
    same_bytes: bool


def _child(env: dict[str, str], kind: str, mode: str) -> dict[str, Any]:
    output, _ = _run_child(["-c", CHILD, kind, mode], env)
    if output["numpy"] and mode != VENV:  # the venv may or may not hold numpy
        raise RuntimeError(f"numpy imported in {mode} mode")
    return output


def measure(runs: int = 5) -> tuple[ImportRuns, list[PdfRuns]]:
    env = child_environment()
    _run_child(["-c", CHILD, "nl-card", VENV], env)  # untimed: writes the bytecode cache
    results = []
    packaged_imports = []
    for kind, (label, _) in INVOICES.items():
        outputs = [_child(env, kind, PACKAGED) for _ in range(runs)]
        packaged_imports.extend(o["import_s"] for o in outputs)
        results.append(
            PdfRuns(
                label=label,
                first_s=[o["first_s"] for o in outputs],
                warm_median_s=[statistics.median(o["warm_s"]) for o in outputs],
                sizes={o["size"] for o in outputs},
                is_pdf=all(o["is_pdf"] for o in outputs),
                same_bytes=all(o["same_bytes"] for o in outputs),
            )
        )
    venv_imports = [_child(env, IMPORT_ONLY, VENV)["import_s"] for _ in range(runs)]
    return ImportRuns(packaged_imports, venv_imports), results


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms"


def _spread(values: list[float]) -> str:
    return f"({min(values) * 1000:.1f}-{max(values) * 1000:.1f})"


def report(imports: ImportRuns, results: list[PdfRuns]) -> None:
    runs = len(results[0].first_s)
    print(
        f"Invoice PDF (render_invoice_pdf; a fresh interpreter per run, {runs} runs per invoice; "
        "medians, min-max in brackets)"
    )
    print("  import chalicelib.invoice_pdf (fresh interpreter, bytecode cache warm):")
    print(
        f"    as packaged (no numpy)        {_ms(imports.packaged_s)} "
        f"{_spread(imports.packaged_s)}   {len(imports.packaged_s)} runs"
    )
    print(
        f"    in the venv (numpy present)   {_ms(imports.venv_s)} "
        f"{_spread(imports.venv_s)}   {len(imports.venv_s)} runs; fpdf2 imports numpy if it can"
    )
    print()
    rows = [
        (
            r.label,
            f"{_ms(r.first_s)} {_spread(r.first_s)}",
            f"{_ms(r.warm_median_s)} {_spread(r.warm_median_s)}",
            f"{(statistics.median(r.first_s) - statistics.median(r.warm_median_s)) * 1000:.1f} ms",
            " | ".join(f"{size:,} B" for size in sorted(r.sizes)),
            ("yes" if r.same_bytes else "NO") + ("" if r.is_pdf else ", NOT A PDF"),
        )
        for r in results
    ]
    header = (
        "invoice",
        "first render",
        f"warm render (median of {WARM_RENDERS})",
        "first - warm",
        "PDF size",
        "same bytes",
    )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("{:<" + str(w) + "}" for w in widths)
    print("  " + line.format(*header).rstrip())
    print("  " + line.format(*("-" * w for w in widths)))
    for row in rows:
        print("  " + line.format(*row).rstrip())
    print()
    print(
        "  Renders run as packaged (no numpy). first render: the process's first, fonts parsed "
        "(FontCache);\n  first - warm is about that font load. A Lambda container's first invoice "
        "pays import + first render."
    )


def main(runs: int = 5) -> None:
    report(*measure(runs))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
