# Two commands for a newcomer: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
CHECKOV_VENV := .venv-checkov
STAGE ?= prod

# Python's bytecode cache, also where the machine turns it off (PYTHONDONTWRITEBYTECODE): else
# every pytest worker and runtime compiles the project's modules and rewrites the test modules
# again (a quarter of the unit run's CPU). __pycache__ is ignored by git.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup run test lint lint-infra unit e2e system coverage package bench clean
.PHONY: node web web-api web-contract web-typecheck web-unit web-check chromium browser

# The web frontend (web/): Vite + TypeScript, built with the machine's Node.js.
WEB := web
WEB_DEPS := $(WEB)/node_modules/.package-lock.json
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/public -type f 2>/dev/null) \
	$(WEB)/index.html $(WEB)/vite.config.ts $(WEB)/tsconfig.json $(WEB)/package.json
CHROMIUM := /usr/bin/chromium
BEHIND ?=  # a command prefix: `make test` runs the checks and the unit run behind the others

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-einvoice.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# checkov pins libraries that clash with the app's, so it lives in a venv of its own.
$(CHECKOV_VENV)/.installed:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet checkov==3.3.30
	touch $@

setup: $(VENV)/.installed

# exec: the runtime replaces the recipe's shell, so SIGTERM/SIGINT reach it directly (make
# forwards its own to it too; the runtime stops within seconds however many arrive).
run: node setup web
	exec $(PY) -m local_runtime

# Node.js 20.19 or newer (Vite 8's minimum), else a clear message.
node:
	@sh $(WEB)/scripts/require_node.sh

# npm ci when node_modules is missing or package-lock.json is newer.
$(WEB_DEPS): $(WEB)/package-lock.json | node
	cd $(WEB) && npm ci --no-audit --no-fund
	touch $@

$(WEB)/dist/index.html: $(WEB_DEPS) $(WEB_SOURCES) | node
	cd $(WEB) && npm run build

web: node $(WEB)/dist/index.html

# The API's contract and the frontend's types generated from it: regenerate both...
web-api: setup $(WEB_DEPS)
	$(PY) $(WEB)/scripts/dump_openapi.py
	cd $(WEB) && npm run gen:api

# ...and check that the committed ones are what the API says now (into a temporary folder).
web-contract: setup $(WEB_DEPS)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PY) $(WEB)/scripts/dump_openapi.py "$$tmp/openapi.json" >/dev/null && \
	(cd $(WEB) && npx --no-install openapi-typescript "$$tmp/openapi.json" \
		--output "$$tmp/schema.d.ts" >/dev/null) && \
	if diff -u $(WEB)/openapi.json "$$tmp/openapi.json" && \
		diff -u $(WEB)/src/api/schema.d.ts "$$tmp/schema.d.ts"; then \
		echo "web-contract: web/openapi.json and web/src/api/schema.d.ts match the API"; \
	else \
		echo "web-contract: the API's contract changed: run 'make web-api' and commit" \
			"web/openapi.json and web/src/api/schema.d.ts" >&2; exit 1; \
	fi

web-typecheck: $(WEB_DEPS)
	cd $(WEB) && $(BEHIND) npm run typecheck

web-unit: $(WEB_DEPS)
	cd $(WEB) && $(BEHIND) npm test

web-check: web-contract web-typecheck web-unit

# Debian's Chromium for the browser tests (never a browser download).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

# One process: a second worker (a runtime and a Chromium of its own) only added CPU to
# `make test`, for a run that ends minutes before the e2e run anyway.
browser: setup web chromium
	$(PY) -m pytest -p no:xdist tests/browser

lint: setup
	$(BEHIND) $(VENV)/bin/ruff check .
	$(BEHIND) $(VENV)/bin/ruff format --check .
	$(BEHIND) $(VENV)/bin/lint-imports
	$(BEHIND) $(VENV)/bin/bandit --quiet --recursive --severity-level medium chalicelib

lint-infra: setup $(CHECKOV_VENV)/.installed
	$(VENV)/bin/cfn-lint infra/resources.yaml
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation --file infra/resources.yaml

# moto's in-process mock (unit, infra, integration) and the local runtime's moto server (system,
# e2e) share moto's global state, so they never share a process.
unit: setup $(CHECKOV_VENV)/.installed  # tests/infra also runs checkov
	$(BEHIND) $(PY) -m pytest -n 2 --dist loadfile tests/unit tests/infra tests/integration

e2e: setup
	$(PY) -m pytest -n 2 --dist loadfile tests/e2e

# The local runtime in-process, faults injected: beside the e2e run, in one process of its own.
system: setup
	$(PY) -m pytest -p no:xdist tests/system

# The checks and the four pytest runs overlap, each run's output printed whole when it ends.
# The end-to-end run is the longest, so the checks and the unit run give way to it for the CPU
# (BEHIND: nice); the browser run does not, its pages wait against timeouts. Only the frontend
# is built first: `make run` in the e2e tests must find it built. cfn-lint and checkov run
# inside the unit run (tests/infra/test_template.py), not twice.
test: web chromium
	$(MAKE) --no-print-directory -j6 --output-sync=target BEHIND="nice -n 10" \
		lint web-check unit e2e system browser

# The Python suite's line and branch coverage (coverage.py; pyproject.toml's [tool.coverage]):
# the Python runs of `make test` (system and e2e as one) under coverage, the runtimes they start
# measured too. Not part of `make test`: tracing slows the suite by about half.
coverage: setup $(CHECKOV_VENV)/.installed web
	rm -rf build/coverage && mkdir -p build/coverage
	$(PY) -m coverage run -m pytest -n 2 --dist loadfile tests/unit tests/infra tests/integration
	$(PY) -m coverage run -m pytest -n 2 --dist loadfile tests/system tests/e2e
	$(PY) -m coverage combine --quiet
	$(PY) -m coverage report --sort=cover
	$(PY) -m coverage html --quiet --directory build/coverage/html
	@echo "coverage: build/coverage/html/index.html"

package: setup
	$(PY) -m infra.package --stage $(STAGE) --out build/$(STAGE)

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) build .pytest_cache .ruff_cache test-results \
		$(WEB)/dist $(WEB)/node_modules
