"""``occugraph serve`` under load: every answer right, /health always up, memory level.

The reduced form of ``tests/reliability/load.py`` (same code, fewer requests): 64 clients on
127.0.0.1 against a real server process on a seeds build, with 1% pathological queries that
the time limit must stop. The full form and its figures are in docs/RELIABILITY.md. No
timing is asserted: the machines that run the tests are shared.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx2
import pytest

from occugraph.testing import NEVER_ENDING_QUERY as PATHOLOGICAL
from tests.conftest import SEEDS
from tests.reliability.load import run_load, schedule, serving

CLIENTS = 64
REQUESTS = 1_000
WARMUP = 200
SHARE = 0.01
CHEAP = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def store(seeds_link: Path) -> Path:
    """The seeds build, read-only: the server is started without an update token."""
    return seeds_link


def test_the_server_holds_under_load(store: Path, tmp_path: Path) -> None:
    requests = schedule(store, SEEDS, count=REQUESTS, pathological=SHARE, seed=1)
    warmup = schedule(store, SEEDS, count=WARMUP, pathological=0, seed=2)
    with serving(store, workers=2, time_limit=2, log=tmp_path / "serve.log") as server:
        load = asyncio.run(run_load(server, requests, clients=CLIENTS, warmup=warmup, deadline=300))
    report = load.report()

    assert not load.stopped_early, report
    assert load.served + load.error_count == REQUESTS, report
    assert load.intended["pathological"] == round(REQUESTS * SHARE), report
    assert load.errors == {}, report
    assert load.health_polls > 0 and load.health_failures == 0, report
    assert load.memory_end <= 1.5 * load.memory_warm, report


def test_a_query_on_a_replacement_worker_gets_the_whole_time_limit(
    store: Path, tmp_path: Path
) -> None:
    """A worker stopped at the time limit is replaced; the next query goes to the new one
    and must get its whole time limit for itself, not share it with the worker's start-up
    (about 1 s: spawn imports occugraph.cli again). Found by the load test."""
    log = tmp_path / "serve.log"
    with (
        serving(store, workers=1, time_limit=0.5, log=log) as server,
        httpx2.Client(base_url=server.base, timeout=30) as client,
    ):
        assert client.get("/sparql", params={"query": CHEAP}, headers=JSON).status_code == 200
        stopped = client.get("/sparql", params={"query": PATHOLOGICAL}, headers=JSON)
        assert stopped.status_code == 503
        answer = client.get("/sparql", params={"query": CHEAP}, headers=JSON)
    assert answer.status_code == 200, answer.text
