# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= .occugraph/store

.PHONY: run build test lint format clean reliability kill-builds load

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

# The full forms of the fault and load tests (about 15 minutes on 2 CPUs); they print the
# figures docs/RELIABILITY.md reports. tests/test_build_killed.py and tests/test_load.py are
# their reduced forms, run by `make test`. LOAD_ARGS adds options, e.g. LOAD_ARGS="--log serve.log".
reliability: kill-builds load

kill-builds: $(BIN)/occugraph
	$(BIN)/python benchmarks/kill_builds.py --pages 300 --changed 100 --turnover 20 --trials 30

load: $(BIN)/occugraph
	$(BIN)/python -m benchmarks.load --requests 20000 --clients 64 --workers 2 --time-limit 2 $(LOAD_ARGS)
