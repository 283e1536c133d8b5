# The everyday commands of aslgraph. `make` (or `make help`) lists them.
#
# Every tool runs from .venv; the targets that need it create or refresh it first. Extra
# arguments go in ARGS, e.g. `make test ARGS='-x -k crosswalk'`, `make serve ARGS='--port 8080'`.
# Written for GNU make 4.3.

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=
LINTED := src tests benchmarks

# The venv is (re)installed only when it is missing or pyproject.toml / constraints.txt are
# newer than the last install, which these stamp files record.
DEV_STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

# Benchmark sizes, shortened by overriding them, e.g. `make bench BENCH_SIZES=1e3 BENCH_SECONDS=1`.
BENCH_REPEAT ?= 5
BENCH_SIZES ?= 1e3,1e4,1e5
BENCH_PYSHACL_MAX ?= 1e4
BENCH_SECONDS ?= 5

.PHONY: help venv test quick lint format bench check serve clean

help: ## list the targets (this text)
	@echo "make TARGET [ARGS='...']"
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  %-7s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

venv: $(DEV_STAMP) ## create .venv and install the package with the dev tools (only if missing or out of date)

$(DEV_STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

# The HTTP benchmark's baseline needs rdflib-endpoint (the `bench` extra).
$(BENCH_STAMP): $(DEV_STAMP) pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,bench]'
	touch $@

test: $(DEV_STAMP) ## the full test suite (pytest; includes real servers and large graphs)
	$(BIN)/pytest $(ARGS)

quick: $(DEV_STAMP) ## the fast loop: pytest -m quick -n 2 (all but tests marked server or large, on two cores)
	$(BIN)/pytest -m quick -n 2 $(ARGS)

lint: $(DEV_STAMP) ## ruff check, ruff format --check and mypy --strict, as CI runs them
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

# Fixes first, then format: a fix (an import sorted, a comprehension rewritten) may leave lines
# that the formatter then lays out.
format: $(DEV_STAMP) ## rewrite the code in place: ruff check --fix, then ruff format
	$(BIN)/ruff check --fix $(LINTED)
	$(BIN)/ruff format $(LINTED)

bench: $(BENCH_STAMP) ## the benchmark runners: load, validate, http (minutes; shorten: BENCH_SIZES=1e3 BENCH_SECONDS=1)
	$(BIN)/python -m benchmarks.load --repeat $(BENCH_REPEAT)
	$(BIN)/python -m benchmarks.validate --sizes $(BENCH_SIZES) --pyshacl-max $(BENCH_PYSHACL_MAX)
	$(BIN)/python -m benchmarks.http --seconds $(BENCH_SECONDS)

check: $(DEV_STAMP) ## aslgraph check: the knowledge graph against shapes/kg and queries/qa
	$(BIN)/aslgraph check $(ARGS)

serve: $(DEV_STAMP) ## aslgraph serve on 127.0.0.1:8000 (Ctrl-C stops it)
	$(BIN)/aslgraph serve $(ARGS)

clean: ## remove caches and build output (keeps .venv; rm -rf .venv to start over)
	rm -rf .pytest_cache .mypy_cache .ruff_cache build dist
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -prune -exec rm -rf {} +
