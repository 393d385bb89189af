# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= .occugraph/store

.PHONY: run build test lint format clean reliability kill-builds load faults hostile-input
.PHONY: hostile-requests abuse

$(BIN)/occugraph: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

HOST ?= 127.0.0.1
PORT ?= 8000

# Build the seeds, show what was built, then serve it on http://$(HOST):$(PORT)/
# (`make run PORT=8080 HOST=0.0.0.0`; STORE=path for another store).
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

# The full forms of the fault, hostile-input and load tests, about 22 minutes on 2 CPUs
# (faults 2, hostile-input 3.5, hostile-requests 1, abuse 1, load about 11). They
# print the figures docs/RELIABILITY.md reports, and each stops by itself. The tests
# named there are their reduced forms, run by `make test`. LOAD_ARGS adds options,
# e.g. LOAD_ARGS="--log serve.log". The full-disk trials of `make faults` need root (a tmpfs).
reliability: kill-builds faults hostile-input hostile-requests abuse load

faults: $(BIN)/occugraph
	$(BIN)/python -m tests.reliability.faults --kills 20 --after 20 --idle-kills 5 --pages 500

hostile-input: $(BIN)/occugraph
	$(BIN)/python -m tests.reliability.hostile_input --run-length 500000 --repeat 3 --profile fuzz-long

hostile-requests: $(BIN)/occugraph
	$(BIN)/python -m tests.reliability.hostile_requests --rounds 3 --silent 300 --drippers 60

abuse: $(BIN)/occugraph
	$(BIN)/python -m tests.reliability.abuse --abandoning 40 200 --bodies 4x8 8x15 --slow 300

kill-builds: $(BIN)/occugraph
	$(BIN)/python -m tests.reliability.kill_builds --pages 300 --changed 100 --turnover 20 --trials 30

load: $(BIN)/occugraph
	$(BIN)/python -m tests.reliability.load --requests 20000 --clients 64 --workers 2 --time-limit 2 $(LOAD_ARGS)

# The screenshots README.md shows, taken by the browser tests on the seeds build.
.PHONY: screenshots
screenshots: $(BIN)/occugraph
	$(BIN)/pytest -q -p no:cacheprovider tests/test_browser_find.py
	cp tests/artifacts/occupation.png tests/artifacts/result-table.png tests/artifacts/search.png \
		tests/artifacts/sparql-editor.png tests/artifacts/ontology.png docs/
