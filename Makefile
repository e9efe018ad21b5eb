# Two commands do all set-up: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.installed-runtime
TEST_STAMP := $(VENV)/.installed-test
NODE_STAMP := node_modules/.installed

.PHONY: build test system-deps clean

build: $(RUNTIME_STAMP)
	$(PY) build.py

test: $(TEST_STAMP) $(NODE_STAMP) system-deps
	$(PY) -m ruff check handouts tests bench scripts build.py
	$(PY) -m mypy
	$(PY) -m pytest

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Handouts needs Python 3.11 or newer: run make PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): pyproject.toml $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(RUNTIME_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(NODE_STAMP): package.json | system-deps  # system-deps always runs: order only
	ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error
	touch $@

system-deps:
	@bash scripts/install-system-deps.sh

clean:
	rm -rf $(VENV) node_modules dist
