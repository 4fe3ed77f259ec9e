# The Makefile only strings the `sherloc` subcommands together; see README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test test-unit lint bench install services-up services-down clean

run: $(INSTALLED)  ## servers, reference data and the GraphQL API; Ctrl-C stops them all
	$(BIN)/sherloc run

test: $(INSTALLED)  ## the whole suite, against test servers of its own (profile "test"); then the API's tests again with every speed-up off (api/speedups)
	SHERLOC_PROFILE=test $(BIN)/sherloc fetch-assets
	SHERLOC_PROFILE=test $(BIN)/pytest
	SHERLOC_PROFILE=test SHERLOC_SPEEDUPS=off $(BIN)/pytest tests/integration -m 'api and not slow'

test-unit: $(INSTALLED)  ## the unit tests only: pure rules and data, no server (seconds)
	$(BIN)/pytest tests/unit

bench: $(INSTALLED)  ## the benchmarks against the raw databases (profile "bench"); SCALE=1 by default
	$(BIN)/python -m bench --scale $(or $(SCALE),1)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

services-up: $(INSTALLED)
	$(BIN)/sherloc services up

services-down: $(INSTALLED)
	$(BIN)/sherloc services down

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
