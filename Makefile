# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= .occugraph/store

.PHONY: run build test lint format clean

$(BIN)/occugraph: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

HOST ?= 127.0.0.1
PORT ?= 8000

# Build the seeds, show what was built, then serve it on http://$(HOST):$(PORT)/.
run: build
	$(BIN)/occugraph sources --store $(STORE)
	$(BIN)/occugraph serve --store $(STORE) --host $(HOST) --port $(PORT)

build: $(BIN)/occugraph
	$(BIN)/occugraph build seeds --store $(STORE)

test: $(BIN)/occugraph
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

format: $(BIN)/occugraph
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

clean:
	rm -rf .occugraph $(VENV)
