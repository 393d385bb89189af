"""``occugraph serve`` as a real process, spoken to over HTTP by clients that know nothing of it.

One server per module: the test run's seeds build, ``python -m occugraph.cli serve``
on a free port of 127.0.0.1 with two query workers and a 3 s time limit. What the in-process
tests (``test_server.py``) cannot show is shown here: uvicorn starting up, generic SPARQL
clients (SPARQLWrapper, rdflib's SPARQLStore), linked-data dereferencing with rdflib over a
real socket, and a time limit that stops a query while other clients are still answered.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper

from occugraph.testing import occugraph_serve

TIME_LIMIT = 3.0
GO = "https://graph.org.ai/"
OCC = rdflib.Namespace(GO + "ontology#")
OCCUPATION_PATH = "occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
OCCUPATION = rdflib.URIRef(GO + OCCUPATION_PATH)
CODE = "21-1092.00"
LEVELS = ["Advanced", "Developing", "Emerging", "Proficient"]
SELECT_LEVELS = """PREFIX occ: <https://graph.org.ai/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?level ?label WHERE { ?level a occ:ProficiencyLevel ; rdfs:label ?label } ORDER BY ?label"""
CONSTRUCT_CODE = f"""PREFIX occ: <https://graph.org.ai/ontology#>
CONSTRUCT {{ ?occupation occ:onetCode ?code }}
WHERE {{ ?occupation occ:onetCode ?code . FILTER(?code = "{CODE}") }}"""
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeds_link: Path) -> Iterator[str]:
    """Over the shared seeds build: without an update token the server only reads it."""
    folder = tmp_path_factory.mktemp("serve")
    options = ("--workers", "2", "--time-limit", f"{TIME_LIMIT:g}")
    with occugraph_serve(seeds_link, log=folder / "serve.log", options=options) as running:
        yield running.base


@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
def test_sparqlwrapper_selects(server: str, method: str) -> None:
    sparql = SPARQLWrapper(f"{server}/sparql")
    sparql.setQuery(SELECT_LEVELS)
    sparql.setReturnFormat(JSON)
    if method != "GET":
        sparql.setMethod(POST)
        sparql.setRequestMethod(POSTDIRECTLY if method == "POSTDIRECTLY" else URLENCODED)
    results = sparql.queryAndConvert()
    assert isinstance(results, dict)
    bindings = results["results"]["bindings"]
    assert [b["label"]["value"] for b in bindings] == LEVELS
    assert {b["level"]["value"] for b in bindings} == {f"{GO}levels/{name}" for name in LEVELS}


# SPARQLWrapper 2.0 parses RDF answers into an rdflib ConjunctiveGraph, which rdflib 7 deprecates.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_sparqlwrapper_constructs(server: str) -> None:
    """Left to its defaults, SPARQLWrapper asks for RDF/XML (format=xml) and parses it."""
    sparql = SPARQLWrapper(f"{server}/sparql")
    sparql.setQuery(CONSTRUCT_CODE)
    graph = sparql.queryAndConvert()
    assert isinstance(graph, rdflib.Graph)
    assert set(graph) == {(OCCUPATION, OCC.onetCode, rdflib.Literal(CODE))}


def test_rdflib_sparqlstore_selects_and_constructs(server: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{server}/sparql"))
    labels = [str(row[1]) for row in graph.query(SELECT_LEVELS)]  # type: ignore[index]
    assert labels == LEVELS
    constructed = graph.query(CONSTRUCT_CODE).graph
    assert constructed is not None
    assert constructed.value(OCCUPATION, OCC.onetCode) == rdflib.Literal(CODE)


@pytest.mark.parametrize("path", [OCCUPATION_PATH, f"occupations/{CODE}"])
def test_rdflib_dereferences_the_occupation(server: str, path: str) -> None:
    """The description is served at the local path, about the graph.org.ai IRI; the O*NET
    code redirects to it."""
    graph = rdflib.Graph().parse(f"{server}/{path}")
    assert graph.value(OCCUPATION, OCC.onetCode) == rdflib.Literal(CODE)
    assert len(graph) > 50


def test_a_query_past_its_limit_is_stopped_while_others_are_answered(server: str) -> None:
    def query(text: str) -> int:
        with httpx2.Client(timeout=60) as client:
            response = client.get(
                f"{server}/sparql",
                params={"query": text},
                headers={"Accept": "application/sparql-results+json"},
            )
            return response.status_code

    statuses: list[int] = []
    slow_done = threading.Event()

    def keep_asking() -> None:
        while not slow_done.is_set():
            statuses.append(query(SELECT_LEVELS))

    with ThreadPoolExecutor(max_workers=4) as pool:
        started = time.monotonic()
        slow = pool.submit(query, PATHOLOGICAL)
        time.sleep(0.2)  # let the slow one take its worker first
        askers = [pool.submit(keep_asking) for _ in range(3)]
        try:
            slow_status = slow.result(timeout=60)
            elapsed = time.monotonic() - started
        finally:
            slow_done.set()
        for asker in askers:
            asker.result(timeout=60)

    assert slow_status == 503
    assert TIME_LIMIT <= elapsed < TIME_LIMIT + 7
    assert len(statuses) >= 5, statuses
    assert set(statuses) == {200}, statuses
    health = httpx2.get(f"{server}/health", timeout=10)
    assert health.status_code == 200 and health.json()["ok"] is True


def children(pid: int) -> list[int]:
    """The processes ``pid`` started as its own (not multiprocessing's resource tracker)."""
    found = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [c for c in found if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def test_several_processes_share_the_port_and_one_that_dies_is_replaced(
    seeds_link: Path, tmp_path: Path
) -> None:
    """``--processes 2``: two server processes answer on one port; one killed is started
    again while the other goes on answering; stopping the parent stops every process."""
    options = ("--processes", "2", "--workers", "1")
    with occugraph_serve(seeds_link, log=tmp_path / "serve.log", options=options) as server:
        url = f"{server.base}/{OCCUPATION_PATH}"
        turtle = {"Accept": "text/turtle"}
        first = httpx2.get(url, headers=turtle, timeout=30)
        assert first.status_code == 200 and CODE in first.text
        servers = children(server.pid)
        assert len(servers) == 2
        os.kill(servers[0], signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            answer = httpx2.get(url, headers=turtle, timeout=30)  # the survivor answers
            assert (answer.status_code, answer.text) == (200, first.text)
            now = children(server.pid)
            if len(now) == 2 and servers[0] not in now:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"no server process replaced the one killed: {children(server.pid)}")
        log = server.log.read_text()
        assert f"server process {servers[0]} exited (-9); starting another" in log
        everyone = [server.pid, *now, *(w for s in now for w in children(s))]
    for pid in everyone:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
