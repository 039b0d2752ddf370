"""The invoice PDF benchmark's child reports its figures in the line `_run_child` reads (it once
printed bare JSON, and `make bench` failed with "a benchmark child failed")."""

from __future__ import annotations

from bench.cold_import import child_environment
from bench.invoice_pdf import IMPORT_ONLY, PACKAGED, _child


def test_the_benchmark_child_reports_its_import_time_as_packaged() -> None:
    # GIVEN a fresh interpreter as the package runs it (no numpy)
    # WHEN the benchmark's child only imports the renderer
    output = _child(child_environment(), IMPORT_ONLY, PACKAGED)
    # THEN its result line is read: an import time, and numpy was not imported
    assert output["import_s"] > 0
    assert output["numpy"] is False
