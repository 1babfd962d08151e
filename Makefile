# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-slow lint format bench bench-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: install, then one full cycle on a copy of the bundled demo
run: $(STAMP)
	rm -rf build/demo && mkdir -p build/demo
	cp sync/demo/flowsync.toml sync/demo/demo.xlsx build/demo/
	$(BIN)/flowsync --config build/demo/flowsync.toml run --once --now 2026-11-30T09:00

## test: install the test dependencies and run every test but the real-time ones, in parallel
test: $(STAMP)
	$(BIN)/python -m pytest -n auto

## test-slow: the real-time tests (subprocesses, threads against the clock); CI runs them too
test-slow: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m slow

## lint: the static checks CI runs, and that the README says what the code does (cog)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/cog --check README.md docs/WORKBOOK.md

## bench: the benchmarks of benchmarks/, by hand (not part of CI); results in benchmarks/results/
bench-deps: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'

bench: bench-deps
	$(BIN)/python benchmarks/bench_checks.py
	$(BIN)/python benchmarks/bench_xlsx.py
	$(BIN)/python benchmarks/bench_read.py
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_startup.py

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/cog -r README.md docs/WORKBOOK.md

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
