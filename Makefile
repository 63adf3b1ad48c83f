# KÖP – the four contract targets: site, test, check, serve. The Makefile only calls
# the Python CLI (scripts/kop); set-up happens on first use.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
KOP := PYTHONPATH=scripts $(PY) -m kop
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-16)
NODE_STAMP := node_modules/.installed-$(shell sha256sum package-lock.json 2>/dev/null | cut -c1-16)

.PHONY: site test test-fast check serve prepare ny register status inbjudan lint bench system-deps clean

site: $(STAMP)
	$(KOP) build

check: $(STAMP)
	$(KOP) check

serve: $(STAMP)
	$(KOP) serve

prepare: $(STAMP)
	$(KOP) prepare

# Add the site's current addresses to published-urls.txt (the build never writes it).
register: $(STAMP)
	$(KOP) registrera

# What needs a maintainer: old literature searches, stale drafts, overviews in review (with their authors).
status: $(STAMP)
	@$(KOP) status

# Start a new overview (asks in Swedish; or pass options: make ny ARGS='--titel "…" …').
ny: $(STAMP)
	$(KOP) ny $(ARGS)

# A seminar's ready-to-send invitation on the screen: make inbjudan SEMINARIUM=kortnamn [FORMAT=markdown|html]
# (kortnamn = the file name in seminars/ without .md). To a file: make -s inbjudan SEMINARIUM=… > inbjudan.txt
inbjudan: $(STAMP)
	@test -n '$(SEMINARIUM)' || { echo "Skriv vilket seminarium: make inbjudan SEMINARIUM=kortnamn (filnamnet i seminars/ utan .md)." >&2; exit 2; }
	@$(KOP) inbjudan '$(SEMINARIUM)' --format '$(or $(FORMAT),text)'

test: $(STAMP) $(NODE_STAMP) system-deps
	$(PY) -m pytest

# The edit loop: no browser tests, no `slow` ones (at most one whole-site build, the session-wide
# link_site fixture). About a minute on a 2-core machine; `make test` still runs everything.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser and not slow" -q

# Benchmark on generated corpora (synthetic data in bench-out/, git-ignored); see scripts/kop/dev/bench.py.
bench: $(STAMP)
	$(KOP) bench

lint: $(STAMP)
	$(PY) -m ruff check scripts tests

# The virtual environment, created on first use and refreshed when the lock changes.
$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	scripts/install-python-deps.sh $(PY) requirements.lock
	@$(PY) -m compileall -q scripts >/dev/null  # the package's bytecode, as the install compiles the libraries
	@rm -f $(VENV)/.installed-*
	@touch $@

# axe-core for the accessibility checks in the browser tests (from the npm registry).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian packages the tests need (headless Chromium, zbar for decoding QR codes).
system-deps:
	@bash scripts/install-system-deps.sh

clean:
	rm -rf build site .cache .pytest_cache
