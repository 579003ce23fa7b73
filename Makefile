# The two Quickstart commands: `make site` builds the archive, `make test` runs every test.
# Both create .venv and install the Python and npm dependencies first (idempotent).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: site test serve deps clean

$(VENV)/.deps-stamp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.deps-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

deps: $(VENV)/.deps-stamp node_modules/.deps-stamp

site: deps
	$(PY) build.py

test: deps
	$(PY) -m pytest -n 2 --dist loadfile

serve: deps
	$(PY) build.py serve

clean:
	rm -rf _site .site-tmp-* .pytest_cache
