"""Writes the API's OpenAPI document (what `GET /openapi.json` answers) to a file, offline.

The web frontend's API types are generated from that file (`npm run gen:api`), so the client
and the contract cannot drift: `make web-contract` regenerates both into a temporary folder and
fails on any difference from the committed ones.

    python web/scripts/dump_openapi.py [OUTPUT]     # default: web/openapi.json

The document is built from the app's registered routes (`chalicelib.handlers.openapi`) as a
deployed stage serves it: the local-only `/dev` routes are not part of the contract.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "web" / "openapi.json"


def build_contract() -> dict[str, Any]:
    """The document of a deployed stage (no /dev routes), whatever the caller's environment:
    app.py reads its settings when imported, so it gets the template's complete environment
    (tests/support/settings_env.py, as tests/unit/test_openapi_document.py does)."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from tests.support.settings_env import complete_env

    os.environ.update(complete_env(CPS_STAGE="prod"))
    from app import app
    from chalicelib.handlers.openapi import build_document

    return build_document(app)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    text = json.dumps(build_contract(), indent=2, ensure_ascii=False) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"OpenAPI document written to {args.output}")


if __name__ == "__main__":
    main()
