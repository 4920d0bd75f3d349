# onesource: `make demo` serves the demo partnership, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
UV := $(PYTHON) -m uv
# Modules are compiled to bytecode when installed (and ours at each setup): where PYTHONDONTWRITEBYTECODE
# is set, every command would otherwise compile every module it imports, seconds each time.
STAMP := $(VENV)/.stamp-compiled
# Each checkout tests against its own PostgreSQL database, so two checkouts never collide.
PG_URL_BASE ?= postgres://postgres@127.0.0.1:5432
PG_DB ?= onesource_$(shell echo "$(CURDIR)" | md5sum | cut -c1-8)
TEST_DATABASE_URL ?= $(PG_URL_BASE)/$(PG_DB)
ASSETS := onesource/static/build/.stamp

.PHONY: setup demo serve test test-sqlite test-postgres lint bench bench-load system-packages clean

setup: system-packages $(STAMP) $(ASSETS)
	@$(BIN)/python -m compileall -q onesource bench

# Debian packages: Chromium for browser tests, Pango for PDF rendering.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list 2>/dev/null | grep -qi liberation || missing="$$missing fonts-liberation"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

$(ASSETS): package.json package-lock.json frontend/build.mjs
	npm ci --no-audit --no-fund --loglevel=error
	node frontend/build.mjs
	@touch $@

demo: setup
	$(BIN)/onesource migrate --noinput
	$(BIN)/onesource demo
	$(BIN)/onesource serve --port $(PORT)

serve: setup
	$(BIN)/onesource serve --port $(PORT)

test: setup test-sqlite test-postgres

test-sqlite:
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -q

test-postgres:
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL_BASE)/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== Test suite on PostgreSQL ($(TEST_DATABASE_URL)) =="; \
	  DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -q -m "not browser"; \
	else \
	  echo "== PostgreSQL not reachable at $(PG_URL_BASE): ran on SQLite only =="; \
	fi

lint: setup
	$(BIN)/ruff check onesource bench
	$(BIN)/ruff format --check onesource bench
	$(BIN)/mypy onesource
	$(BIN)/onesource check
	$(BIN)/onesource makemigrations --check --dry-run

bench: setup
	$(BIN)/python -m bench

# Only the load check: 50 clients for 60 s against gunicorn on port 8150 (BENCH_LOAD_* to change).
bench-load: setup
	$(BIN)/python -m bench load

clean:
	rm -rf $(VENV) node_modules onesource/static/build var
