# backstride task runner. `make demo` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-stamp
SERVE ?= 1
DEMO_DIR := .demo
# One test process more than cores: the tests wait on a browser's page loads, on subprocesses
# (serve, killed imports, eight processes opening one database) and on the database, and two
# processes on two cores left about a quarter of them idle (`make test` on both databases from a
# fresh clone: 11 min 59 s with three, against 15 min 49 s with two; docs/postgresql.md).
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))

.PHONY: setup demo test lint typecheck format browser pdftools postgresql bench clean help

help:
	@echo "make demo    set up, import the demo athlete, show it (SERVE=0 to stop before serving)"
	@echo "make test    set up, lint, type-check and run all tests on SQLite and PostgreSQL (TEST_DB=sqlite: SQLite alone)"
	@echo "make lint    ruff, mypy, import-linter"
	@echo "make bench   run the benchmarks under bench/"

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium; no download).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# Debian's poppler-utils (pdftotext, pdftoppm) read the report's PDF back in the tests.
pdftools:
	@if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  echo "Installing Debian's poppler-utils for the report tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils >/dev/null; \
	fi

# Debian's postgresql (server binaries only are used): the tests start a throwaway cluster of
# their own on loopback (tools/pg_cluster.py), never the machine's own cluster.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then \
	  echo "Installing Debian's postgresql for the tests on PostgreSQL..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql >/dev/null; \
	fi

lint: setup
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format src tests bench tools
	$(BIN)/ruff check --fix src tests bench tools

# TEST_DB=both (the default) runs every test that uses a database on SQLite and on PostgreSQL as well (a
# throwaway cluster the tests start from Debian's postgresql, installed by `make postgresql`).
# Tests that open no database run once (docs/postgresql.md). TEST_DB=sqlite or postgresql runs
# one engine alone.
TEST_DB ?= both
# Coverage traces only the packages its threshold is about: tracing the web and services layers
# as well cost about a tenth more CPU time in the tests, for figures no report showed. On
# PostgreSQL it traces the store's own tests (tests/adapters, postgresql_only): the others ran
# traced on SQLite already, and tracing them again cost about a fifth of their CPU time.
COVERAGE := --cov=backstride.domain --cov=backstride.adapters --cov-postgresql adapters

# --dist worksteal: each worker starts on its half of the tests, and one that runs dry takes
# half of what the other has left (with the default, load, a long test handed out last kept
# one core busy while the other sat idle); the modules with a test marked slow come first
# (tests/conftest.py).
test: setup browser pdftools postgresql lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal --db $(TEST_DB) $(COVERAGE) --cov-report= -q
	$(BIN)/coverage report --include='src/backstride/domain/*,src/backstride/adapters/*' --fail-under=90 --skip-covered

demo: setup
	@rm -rf $(DEMO_DIR)
	$(BIN)/backstride --db $(DEMO_DIR)/demo.sqlite3 demo --dir $(DEMO_DIR)/files
	@if [ "$(SERVE)" != "0" ] && $(BIN)/backstride serve --help >/dev/null 2>&1; then \
	  $(BIN)/backstride --db $(DEMO_DIR)/demo.sqlite3 serve; \
	fi

bench: setup
	$(PY) bench/import_bench.py
	$(PY) bench/load_bench.py
	$(PY) bench/today_bench.py
	$(PY) bench/pain_rules_bench.py
	$(PY) bench/demo_bench.py
	$(PY) bench/web_bench.py
	$(PY) bench/cli_bench.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage tests/artifacts
