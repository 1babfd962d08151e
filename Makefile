# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: install, then one full cycle on a copy of the bundled demo
run: $(STAMP)
	rm -rf build/demo && mkdir -p build/demo
	cp sync/demo/flowsync.toml sync/demo/demo.xlsx build/demo/
	$(BIN)/flowsync --config build/demo/flowsync.toml run --once --as-of 2026-11-26

## test: install the test dependencies and run every test
test: $(STAMP)
	$(BIN)/python -m pytest

## lint: the static checks CI runs
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
