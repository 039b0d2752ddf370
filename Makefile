# Two commands for a newcomer: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
CHECKOV_VENV := .venv-checkov
STAGE ?= prod

.PHONY: setup run test lint lint-infra unit e2e package bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
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
run: setup
	exec $(PY) -m local_runtime

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/bandit --quiet --recursive --severity-level medium chalicelib

lint-infra: setup $(CHECKOV_VENV)/.installed
	$(VENV)/bin/cfn-lint infra/resources.yaml
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation --file infra/resources.yaml

# Two pytest runs: moto's in-process mock (unit, infra, integration) and the local runtime's
# moto server (system, e2e) share moto's global state, so they never share a process.
unit: setup $(CHECKOV_VENV)/.installed  # tests/infra also runs checkov
	$(PY) -m pytest -n 2 --dist loadfile tests/unit tests/infra tests/integration

e2e: setup
	$(PY) -m pytest -n 2 --dist loadfile tests/system tests/e2e

# The two pytest runs overlap: the end-to-end tests spend most of their time waiting on the
# runtime (queues, polls), the unit run mostly computing, so together they fit the 2 cores.
test: lint
	$(MAKE) --no-print-directory -j3 lint-infra unit e2e

package: setup
	$(PY) -m infra.package --stage $(STAGE) --out build/$(STAGE)

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) build .pytest_cache .ruff_cache
