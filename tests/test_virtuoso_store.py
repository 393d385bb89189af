"""OpenLink Virtuoso as a remote store: the seeds built into a real Virtuoso, and served from it.

One Virtuoso (Debian's ``virtuoso-opensource``: ``.ci/run`` installs it) per module, on
127.0.0.1 with a throw-away database, takes the seeds from ``occugraph build seeds --store
URL --store-layout virtuoso``, with the ``dba`` credentials in the URL. Every saved query
must then answer from it exactly as from the embedded store (the test the Oxigraph server
passes), rebuilds must send only what changed, a store emptied since is written again, and
``occugraph serve --store URL --store-layout virtuoso`` must answer like the embedded server.
"""

from __future__ import annotations

import asyncio
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from pyoxigraph import QuerySolutions, Store

from occugraph.build import BuildReport, build
from occugraph.build.targets import RemoteTarget
from occugraph.query.remote import RemotePool
from occugraph.query.workers import Answer, Job, QueryTimeoutError
from occugraph.store.remote import RemoteStore, RemoteStoreError
from occugraph.testing import NEVER_ENDING_QUERY, Server, occugraph_serve, virtuoso_serve
from tests.conftest import build_seeds_into
from tests.test_build_incremental import normalised, statements
from tests.test_queries import SEED_PARAMS
from tests.test_remote_store import (
    OCCUPATION_PATH,
    Recording,
    answers_as_embedded,
    both,
    built_then_changed,
    copy_seeds,
    solutions,
)

pytestmark = pytest.mark.skipif(
    shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None,
    reason="OpenLink Virtuoso is not installed (Debian: apt-get install virtuoso-opensource, "
    "as .ci/run does)",
)

LAYOUT = "virtuoso"
TIME_LIMIT = 5.0


def with_credentials(base: str) -> str:
    """The store's URL with the administrator of a new Virtuoso database in it."""
    return base.replace("http://", "http://dba:dba@", 1)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("virtuoso")
    with virtuoso_serve(folder / "db", log=folder / "virtuoso.log") as server:
        yield server


@pytest.fixture(scope="module")
def remote_seeds(virtuoso: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seeds built into Virtuoso by the command line."""
    url = with_credentials(virtuoso.base)
    folder = tmp_path_factory.mktemp("cli")
    output = build_seeds_into(url, virtuoso.base, folder, "--store-layout", LAYOUT)
    assert "dba:dba" not in output  # the password is not repeated
    return url


@pytest.fixture(scope="module")
def remote(remote_seeds: str) -> Iterator[RemoteStore]:
    with RemoteStore(remote_seeds, layout=LAYOUT) as store:
        yield store


def dump(remote: RemoteStore) -> str:
    """Everything the store lets anyone read, as N-Quads (Virtuoso's graph store gives one
    graph at a time, so a query lists the quads)."""
    result = remote.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(result, QuerySolutions)
    return "".join(f"{row['s']} {row['p']} {row['o']} {row['g']} .\n" for row in result)


def empty(remote: RemoteStore) -> None:
    """Drop every graph of the build (``DROP ALL`` would take Virtuoso's own graphs too)."""
    graphs = remote.graphs("https://graph.org.ai/")
    assert len(graphs) == 8
    remote.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in sorted(graphs)))


def same_as_full_build(
    corpus: Path, remote: RemoteStore, folder: Path, rebuilt: BuildReport
) -> None:
    full = build([corpus], store=folder / "store")
    assert normalised(dump(remote)) == statements(folder / "store")
    assert rebuilt.triples == full.triples == len(remote)


# -- the build ------------------------------------------------------------------


def test_the_remote_build_holds_what_the_embedded_build_holds(
    remote: RemoteStore, seeds_build: tuple[BuildReport, Store], tmp_path: Path
) -> None:
    report, _ = seeds_build
    assert normalised(dump(remote)) == statements(Path(report.store))
    assert len(remote) == report.triples > 1000


@pytest.mark.parametrize("name", sorted(SEED_PARAMS))
def test_every_saved_query_answers_as_the_embedded_store(
    name: str, remote: RemoteStore, seeds_store: Store
) -> None:
    answers_as_embedded(name, remote, seeds_store)


def test_writes_without_credentials_are_refused_before_they_are_sent(virtuoso: Server) -> None:
    with (
        RemoteStore(virtuoso.base, layout=LAYOUT) as anonymous,
        pytest.raises(RemoteStoreError, match="takes writes only with credentials"),
    ):
        anonymous.put("http://x/g", b"<http://x/s> <http://x/p> <http://x/o> .")
    wrong = virtuoso.base.replace("http://", "http://dba:wrong@", 1)
    with (
        RemoteStore(wrong, layout=LAYOUT) as refused,
        pytest.raises(RemoteStoreError, match=r"sparql-graph-crud-auth answered 401 ") as error,
    ):
        refused.put("http://x/g", b"<http://x/s> <http://x/p> <http://x/o> .")
    assert "wrong" not in str(error.value)


def test_rebuilds_send_only_what_changed_and_an_emptied_store_is_written_again(
    tmp_path: Path,
) -> None:
    corpus = copy_seeds(tmp_path)
    with (
        virtuoso_serve(tmp_path / "db", log=tmp_path / "virtuoso.log") as server,
        Recording(with_credentials(server.base), layout=LAYOUT) as recording,
    ):
        assert isinstance(recording, Recording)
        target = RemoteTarget(recording, tmp_path / "state")
        changed = built_then_changed(corpus, recording, target)
        same_as_full_build(corpus, recording, tmp_path / "full-1", changed)

        empty(recording)
        assert len(recording) == 0
        recording.puts.clear()
        again = build([corpus], store=target)
        assert not again.up_to_date and again.written == 5
        assert len(recording.puts) == 8  # 5 documents, the ontology, reference and links
        same_as_full_build(corpus, recording, tmp_path / "full-2", again)


# -- serving ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def servers(
    remote_seeds: str, tmp_path_factory: pytest.TempPathFactory, seeds_link: Path
) -> Iterator[tuple[Server, Server]]:
    """``occugraph serve`` over the embedded seeds build and over Virtuoso (queries need no
    credentials: the URL is given without them)."""
    folder = tmp_path_factory.mktemp("serve")
    options = ("--time-limit", str(TIME_LIMIT))
    url = remote_seeds.replace("dba:dba@", "")
    with (
        occugraph_serve(seeds_link, log=folder / "embedded.log", options=options) as ours,
        occugraph_serve(
            url, log=folder / "remote.log", options=(*options, "--store-layout", LAYOUT)
        ) as theirs,
    ):
        yield ours, theirs


def test_a_page_and_a_saved_query_answer_as_the_embedded_ones(
    servers: tuple[Server, Server],
) -> None:
    ours, theirs = both(servers, "/" + OCCUPATION_PATH, headers={"Accept": "text/html"})
    assert "Probation Officers and Correctional Treatment Specialists" in theirs.text
    ours, theirs = both(servers, "/queries/occupation-tasks.json?occupation=21-1092.00")
    assert Counter(solutions(ours.content)) == Counter(solutions(theirs.content))
    assert len(solutions(theirs.content)) > 10


def test_the_sparql_endpoint_sees_the_build_s_graphs_only(servers: tuple[Server, Server]) -> None:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    ours, theirs = both(
        servers,
        "/sparql",
        method="POST",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert solutions(ours.content) == solutions(theirs.content)
    assert len(solutions(theirs.content)) == 8


def test_the_time_limit_stops_a_query(servers: tuple[Server, Server]) -> None:
    _, theirs = servers
    stopped = httpx2.post(
        theirs.base + "/sparql",
        data={"query": NEVER_ENDING_QUERY},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert stopped.status_code == 503, stopped.text
    assert "time limit" in stopped.json()["error"]
    ask = httpx2.get(theirs.base + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    assert ask.status_code == 200 and ask.json()["boolean"] is True


def test_an_answer_the_store_cut_short_is_never_taken_for_a_whole_one(virtuoso: Server) -> None:
    """Virtuoso answers a query stopped by its own ``timeout`` with 200 and the rows found
    so far (marked ``X-SQL-State: S1TAT``): the server answers that as a time-out. Here
    the store is given a tenth of the server's limit, so that it is the store that stops."""
    with RemoteStore(virtuoso.base, layout=LAYOUT) as remote:
        remote.layout = remote.layout.model_copy(update={"timeout_unit": 0.01})
        pool = RemotePool(remote, time_limit=5.0)
        assert pool.form(Job(NEVER_ENDING_QUERY))["timeout"] == "500"
        job = Job(NEVER_ENDING_QUERY, solution_format="json", graph_format="ntriples")
        with pytest.raises(QueryTimeoutError, match="stopped by the store"):
            asyncio.run(run(pool, job))
        pool.close()


async def run(pool: RemotePool, job: Job) -> Answer:
    try:
        return await pool.run(job)
    finally:
        await pool.aclose()
