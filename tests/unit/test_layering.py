"""The layers stay apart: the domain imports no AWS, Chalice or Powertools module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_IN_DOMAIN = {
    "boto3",
    "botocore",
    "pynamodb",
    "chalice",
    "aws_lambda_powertools",
    "stripe",
    "moto",
}


def test_import_linter_contracts_hold():
    # GIVEN the contracts in pyproject.toml WHEN import-linter checks the package THEN all hold
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_domain_module_imports_infrastructure_even_lazily():
    # import-linter sees module-level imports; this also catches imports inside functions
    for path in (ROOT / "chalicelib" / "domain").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN_IN_DOMAIN, f"{path.name} imports {name}"
