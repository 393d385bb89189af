"""A remote store: the seeds built into a real Oxigraph server, and served from it.

One Oxigraph server (PyPI ``oxigraph``, ``serve`` on 127.0.0.1) per module takes the
seeds from ``occugraph build seeds --store URL``. Every saved query must then answer
from it exactly as from the embedded store; rebuilds must send only what changed and
still equal a full build; ``occugraph serve --store URL`` must answer like the embedded
server, time limit included.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
import rdflib
import rdflib.compare
from click.testing import CliRunner
from pyoxigraph import (
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Variable,
    parse_query_results,
)

from occugraph.build import BuildReport, build
from occugraph.build.targets import RemoteTarget
from occugraph.cli import main
from occugraph.query.remote import RemotePool
from occugraph.query.saved import find
from occugraph.query.workers import Answer, Job
from occugraph.store.remote import RemoteStore, RemoteStoreError, bind_values
from occugraph.testing import Server, free_port, occugraph_serve, oxigraph_serve
from occugraph.vocabulary import Term
from tests.conftest import CORPUS, SEEDS, build_seeds_into, term_value
from tests.test_build_incremental import TIMES, normalised, statements
from tests.test_queries import EMPTY_ON_SEEDS, SEED_PARAMS

OCCUPATION_PATH = "occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIME_LIMIT = 5.0
DATE_TIME = "http://www.w3.org/2001/XMLSchema#dateTime"
FOREIGN = "https://graph.org.ai/sources/0123456789abcdef"


class Recording(RemoteStore):
    """A remote store that remembers which graphs were written and which updates sent."""

    def __init__(self, url: str, *, layout: str = "oxigraph") -> None:
        super().__init__(url, layout=layout)
        self.puts: list[str] = []
        self.updates: list[str] = []

    def put(self, graph: str, data: bytes) -> None:
        self.puts.append(graph)
        super().put(graph, data)

    def update(self, update: str) -> None:
        self.updates.append(update)
        super().update(update)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("oxigraph")
    with oxigraph_serve(folder / "oxi", log=folder / "oxigraph.log") as server:
        yield server


@pytest.fixture(scope="module")
def remote_seeds(oxigraph: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seeds built into the Oxigraph server by the command line."""
    build_seeds_into(oxigraph.base, oxigraph.base, tmp_path_factory.mktemp("cli"))
    return oxigraph.base


@pytest.fixture(scope="module")
def remote(remote_seeds: str) -> Iterator[RemoteStore]:
    store = RemoteStore(remote_seeds)
    yield store
    store.close()


def dump(url: str) -> str:
    """Everything the remote store holds, as N-Quads (a GSP GET of the whole dataset)."""
    response = httpx2.get(f"{url}/store", headers={"Accept": "application/n-quads"}, timeout=60)
    response.raise_for_status()
    return response.text


def solutions(data: bytes, query: str = "") -> list[tuple[tuple[str, str], ...]]:
    """Rows of a SPARQL JSON answer as sorted (variable, term) pairs, build times aside.

    GROUP_CONCAT joins its values in no defined order (SPARQL 1.1, 18.5.1.7), and the
    order follows how each store laid out the graphs, so the parts of such a value are
    sorted before comparing.
    """
    result = parse_query_results(data, QueryResultsFormat.JSON)
    if isinstance(result, QueryBoolean):
        return [(("boolean", str(bool(result))),)]
    joined: dict[str, str] = dict(
        (name, separator)
        for separator, name in re.findall(r'GROUP_CONCAT\(.*?separator="(.*?)"\) AS \?(\w+)', query)
    )
    names = [v.value for v in result.variables]

    def value(name: str, term: Term) -> str:
        if isinstance(term, Literal) and term.datatype.value == DATE_TIME:
            return "(a build time)"
        if name not in joined:
            return str(term)
        return joined[name].join(sorted(term_value(term).split(joined[name])))

    return [
        tuple(sorted((n, value(n, t)) for n, t in zip(names, row, strict=True) if t is not None))
        for row in result
    ]


def embedded_rows(store: Store, name: str) -> list[tuple[tuple[str, str], ...]]:
    saved = find(name)
    result = saved.run(store, SEED_PARAMS[name])
    assert isinstance(result, QuerySolutions | QueryBoolean)
    return solutions(result.serialize(format=QueryResultsFormat.JSON) or b"", saved.text)


async def run_remotely(remote: RemoteStore, job: Job) -> tuple[Answer, bytes]:
    """A job run as the remote-backed server runs it, and its answer's bytes."""
    pool = RemotePool(remote, time_limit=60)
    try:
        answer = await pool.run(job)
        return answer, answer.read()
    finally:
        await pool.aclose()
        pool.close()


def graph_of(data: bytes, format_: str) -> rdflib.Graph:
    """The statements of an RDF answer, build times aside."""
    graph = rdflib.Graph().parse(data=data, format=format_)
    for time in TIMES:
        graph.remove((None, rdflib.URIRef(time), None))
    return graph


def integer(node: rdflib.term.Node) -> int:
    """An rdflib literal's value as an int."""
    assert isinstance(node, rdflib.Literal), node
    return int(node)


# -- the build ------------------------------------------------------------------


def test_the_remote_build_holds_what_the_embedded_build_holds(
    remote_seeds: str, seeds_build: tuple[BuildReport, Store]
) -> None:
    report, store = seeds_build
    assert normalised(dump(remote_seeds)) == normalised(
        (store.dump(format=RdfFormat.N_QUADS) or b"").decode()
    )
    with RemoteStore(remote_seeds) as remote:
        assert len(remote) == report.triples


@pytest.mark.parametrize("name", sorted(SEED_PARAMS))
def test_every_saved_query_answers_as_the_embedded_store(
    name: str, remote: RemoteStore, seeds_store: Store
) -> None:
    answers_as_embedded(name, remote, seeds_store)


def answers_as_embedded(name: str, remote: RemoteStore, seeds_store: Store) -> None:
    """The saved query ``name`` answers from ``remote`` (run as the remote-backed server
    runs it) what it answers from the embedded store."""
    saved = find(name)
    bound = saved.bind(remote, SEED_PARAMS[name])
    job = Job(
        saved.text,
        solution_format="json",
        graph_format="ntriples",
        substitutions={v.value: t for v, t in bound.items()},
    )
    answer, data = asyncio.run(run_remotely(remote, job))
    if answer.form == "graph":
        result = saved.run(seeds_store, SEED_PARAMS[name])
        assert isinstance(result, QueryTriples)
        expected = graph_of("".join(f"{triple} .\n" for triple in result).encode(), "nt")
        assert len(expected) > 0
        assert rdflib.compare.isomorphic(graph_of(data, "nt"), expected)
        return
    found, expected_rows = solutions(data, saved.text), embedded_rows(seeds_store, name)
    assert len(expected_rows) > 0 or name in EMPTY_ON_SEEDS
    if re.search(r"^ORDER BY", saved.text, re.MULTILINE):
        assert found == expected_rows
    else:
        assert Counter(found) == Counter(expected_rows)


HOSTILE = [
    'x" } } ; DROP ALL ; SELECT * { {',
    "x' } # ",
    'a\\" ) } VALUES ?o { 1 }',
    "tri\"\"\"ple'''",
    "line\nbreak\r\ttab \\u0022",
    "é ☃ \U0001f600 }",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_bound_value_comes_back_as_itself_and_changes_nothing(
    value: str, remote: RemoteStore
) -> None:
    before = len(remote)
    query = "SELECT ?v ?w WHERE { BIND(STRLEN(?v) AS ?w) }"
    result = remote.query(query, substitutions={Variable("v"): Literal(value, language="en")})
    assert isinstance(result, QuerySolutions)
    [row] = list(result)
    assert row["v"] == Literal(value, language="en")
    assert int(row["w"].value) == len(value)
    assert len(remote) == before


def test_a_value_that_is_not_a_term_never_reaches_the_store() -> None:
    with pytest.raises(ValueError):
        bind_values("SELECT * { ?s ?p ?o }", {"s": NamedNode("http://x/> } DROP ALL { <y")})


def test_values_open_the_where_clause_of_every_query_form() -> None:
    term = {"s": NamedNode("http://x/")}
    assert bind_values("ASK { ?s ?p ?o }", term) == "ASK { VALUES (?s) { (<http://x/>) } ?s ?p ?o }"
    assert bind_values(
        "PREFIX a: <http://a/#> # CONSTRUCT { }\nCONSTRUCT WHERE { ?s ?p ?o }", term
    ).endswith("WHERE { VALUES (?s) { (<http://x/>) } ?s ?p ?o }")
    assert bind_values("SELECT (COUNT(*) AS ?n) # { not here\nWHERE { ?s ?p '{' }", term).endswith(
        "WHERE { VALUES (?s) { (<http://x/>) } ?s ?p '{' }"
    )


def copy_seeds(folder: Path) -> Path:
    corpus = folder / "corpus"
    shutil.copytree(SEEDS, corpus)
    return corpus


def built_then_changed(corpus: Path, recording: Recording, target: RemoteTarget) -> BuildReport:
    """A first build (every graph sent), a rebuild with nothing changed (nothing sent) and
    one with an article changed (its new graph alone sent, the old one dropped)."""
    first = build([corpus], store=target)
    assert (first.written, first.removed, first.errors) == (5, 0, [])
    graphs = {e.source.iri for e in first.entries}
    assert set(recording.puts) == graphs | {
        "https://graph.org.ai/graphs/ontology",
        "https://graph.org.ai/graphs/reference",
        "https://graph.org.ai/graphs/links",
    }

    recording.puts.clear()
    assert build([corpus], store=target).up_to_date
    assert recording.puts == [] and recording.updates == []

    article = next(corpus.glob("002_*.txt"))
    article.write_text(
        article.read_text(encoding="utf-8") + "\nThey also inspect safety procedures daily.\n",
        encoding="utf-8",
    )
    changed = build([corpus], store=target)
    assert (changed.written, changed.removed) == (1, 1)
    [new] = [e.source.iri for e in changed.entries if e.source.iri not in graphs]
    [old] = graphs - {e.source.iri for e in changed.entries}
    assert recording.puts == [new]
    assert [u for u in recording.updates if "DROP" in u] == [f"DROP SILENT GRAPH <{old}>"]
    return changed


def test_rebuilds_send_only_what_changed_and_equal_a_full_build(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    with (
        oxigraph_serve(tmp_path / "oxi", log=tmp_path / "oxi.log") as server,
        Recording(server.base) as recording,
    ):
        assert isinstance(recording, Recording)  # RemoteStore.__enter__ is typed RemoteStore
        target = RemoteTarget(recording, tmp_path / "state")
        changed = built_then_changed(corpus, recording, target)
        same_as_full_build(corpus, server.base, tmp_path / "full-1", changed)

        recording.puts.clear()
        next(corpus.glob("004_*.txt")).unlink()
        shrunk = build([corpus], store=target)
        assert (shrunk.written, shrunk.removed) == (0, 1)
        assert recording.puts == []
        same_as_full_build(corpus, server.base, tmp_path / "full-2", shrunk)


def test_a_store_emptied_or_changed_since_the_last_build_is_written_again(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    with (
        oxigraph_serve(tmp_path / "oxi", log=tmp_path / "oxi.log") as server,
        RemoteStore(server.base) as remote,
    ):
        target = RemoteTarget(remote, tmp_path / "state")
        first = build([corpus], store=target)
        assert first.written == 5
        remote.update("DROP ALL")
        assert len(remote) == 0
        again = build([corpus], store=target)
        assert not again.up_to_date and again.written == 5
        same_as_full_build(corpus, server.base, tmp_path / "full", again)
        # One graph dropped by another client: the statement count tells, and only it goes.
        one = sorted(e.source.iri for e in first.entries if e.graph_key)[2]
        remote.update(f"DROP GRAPH <{one}>")
        repaired = build([corpus], store=target)
        assert (repaired.up_to_date, repaired.written) == (False, 1)
        same_as_full_build(corpus, server.base, tmp_path / "full-2", repaired)
        assert build([corpus], store=target).up_to_date


def same_as_full_build(corpus: Path, url: str, folder: Path, rebuilt: BuildReport) -> None:
    full = build([corpus], store=folder / "store")
    assert normalised(dump(url)) == statements(folder / "store")
    assert rebuilt.triples == full.triples


def test_a_build_cut_short_by_the_store_is_finished_by_the_next(tmp_path: Path) -> None:
    """The store refuses writes (Oxigraph serving read-only) once the build has begun: the
    build stops with the URL and status; the next build, into the same store now taking
    writes, writes everything the failed one may have touched."""
    corpus = copy_seeds(tmp_path)
    state, location = tmp_path / "state", tmp_path / "oxi"
    Store(str(location)).flush()  # a read-only server opens an existing store only
    with (
        oxigraph_serve(location, log=tmp_path / "ro.log", read_only=True) as server,
        RemoteStore(server.base) as refusing,
    ):
        with pytest.raises(RemoteStoreError, match=rf": {server.base}/\w+ answered 403 "):
            build([corpus], store=RemoteTarget(refusing, state))
        assert (state / "pending.json").exists()
    with (
        oxigraph_serve(location, log=tmp_path / "oxi.log") as server,
        RemoteStore(server.base) as remote,
    ):
        right = build([corpus], store=RemoteTarget(remote, state))
        assert right.errors == [] and right.written == 5
        assert not (state / "pending.json").exists()
        same_as_full_build(corpus, server.base, tmp_path / "full", right)


def test_a_bad_file_gets_one_line_and_the_rest_is_built(tmp_path: Path) -> None:
    """Also: a first build drops the documents' graphs the store held and no file gives."""
    corpus = copy_seeds(tmp_path)
    bad = corpus / "bad.json"
    bad.write_text('{"occupation": {"code": ', encoding="utf-8")
    with (
        oxigraph_serve(tmp_path / "oxi", log=tmp_path / "oxi.log") as server,
        contextlib.chdir(tmp_path),
    ):
        with RemoteStore(server.base) as remote:
            remote.put(FOREIGN, b"<http://x/s> <http://x/p> <http://x/o> .")
            assert remote.graphs("https://graph.org.ai/sources/") == {FOREIGN}
        result = CliRunner().invoke(main, ["build", str(corpus), "--store", server.base])
        assert result.exit_code == 0, result.output
        [line] = [x for x in result.stderr.splitlines() if not x.startswith("note:")]
        assert line.startswith(f"{bad}:")
        assert "5 graph(s) written" in result.stdout
        with RemoteStore(server.base) as remote:
            held = remote.graphs("https://graph.org.ai/sources/")
            assert len(held) == 5 and FOREIGN not in held
        assert list((tmp_path / ".occugraph" / "remote").iterdir())


def test_an_unreachable_store_is_one_clear_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", url])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and f"cannot reach {url}/query" in line


def test_the_other_occupations_build_remotely_as_embedded(
    tmp_path: Path, corpus_build: tuple[BuildReport, Store]
) -> None:
    with (
        oxigraph_serve(tmp_path / "oxi", log=tmp_path / "oxi.log") as server,
        RemoteStore(server.base) as remote,
    ):
        report = build([CORPUS], store=RemoteTarget(remote, tmp_path / "s"))
        embedded, store = corpus_build
        assert report.triples == embedded.triples
        assert normalised(dump(server.base)) == normalised(
            (store.dump(format=RdfFormat.N_QUADS) or b"").decode()
        )


# -- serving ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def servers(
    remote_seeds: str, tmp_path_factory: pytest.TempPathFactory, seeds_link: Path
) -> Iterator[tuple[Server, Server]]:
    """``occugraph serve`` over the embedded seeds build (read-only: no update token) and over
    the remote store."""
    folder = tmp_path_factory.mktemp("serve")
    options = ("--time-limit", str(TIME_LIMIT))
    with (
        occugraph_serve(seeds_link, log=folder / "embedded.log", options=options) as ours,
        occugraph_serve(remote_seeds, log=folder / "remote.log", options=options) as theirs,
    ):
        yield ours, theirs


def both(
    servers: tuple[Server, Server], path: str, method: str = "GET", **options: object
) -> list[httpx2.Response]:
    """The same request to the embedded server and to the remote one."""
    answers = [
        httpx2.request(method, server.base + path, timeout=60, **options)  # type: ignore[arg-type]
        for server in servers
    ]
    assert [a.status_code for a in answers] == [200, 200], [a.text[:300] for a in answers]
    return answers


def test_a_page_reads_as_the_embedded_one(servers: tuple[Server, Server]) -> None:
    ours, theirs = both(servers, "/" + OCCUPATION_PATH, headers={"Accept": "text/html"})
    build_times = re.compile(r"<time [^>]*>[^<]*</time>")
    assert build_times.sub("", ours.text) == build_times.sub("", theirs.text)
    assert "Probation Officers and Correctional Treatment Specialists" in theirs.text


def test_a_saved_query_answers_as_the_embedded_one(servers: tuple[Server, Server]) -> None:
    ours, theirs = both(servers, "/queries/occupation-tasks.json?occupation=21-1092.00")
    assert Counter(solutions(ours.content)) == Counter(solutions(theirs.content))
    assert len(solutions(theirs.content)) > 10
    assert theirs.headers["X-Result-Rows"] == ours.headers["X-Result-Rows"]


@pytest.mark.parametrize(
    ("accept", "format_"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]
)
def test_a_dereference_gives_the_embedded_description(
    servers: tuple[Server, Server], accept: str, format_: str
) -> None:
    ours, theirs = both(servers, "/" + OCCUPATION_PATH, headers={"Accept": accept})
    assert theirs.headers["content-type"].startswith(accept)
    assert "ETag" in ours.headers and "ETag" not in theirs.headers
    if format_ == "json-ld":
        assert json.loads(ours.content) == json.loads(theirs.content)
        return
    mine, yours = graph_of(ours.content, format_), graph_of(theirs.content, format_)
    assert len(yours) > 100
    assert rdflib.compare.isomorphic(mine, yours)


def test_the_sparql_endpoint_answers_as_the_embedded_one(servers: tuple[Server, Server]) -> None:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    ours, theirs = both(
        servers,
        "/sparql",
        method="POST",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert json.loads(ours.content) == json.loads(theirs.content)
    assert len(solutions(theirs.content)) == 8


def test_home_redirect_and_service_description_come_from_the_remote_store(
    servers: tuple[Server, Server],
) -> None:
    _, theirs = servers
    home = httpx2.get(theirs.base + "/", headers={"Accept": "text/html"}, timeout=60)
    assert home.status_code == 200 and "Probation Officers" in home.text
    moved = httpx2.get(theirs.base + "/occupations/21-1092.00", timeout=60)
    assert moved.status_code == 301
    assert moved.headers["location"].endswith("/" + OCCUPATION_PATH)
    descriptions = both(servers, "/sparql", headers={"Accept": "text/turtle"})
    void = rdflib.URIRef("http://rdfs.org/ns/void#triples")
    counts = [
        sorted(integer(n) for n in graph_of(d.content, "turtle").objects(None, void))
        for d in descriptions
    ]
    assert counts[0] == counts[1] and len(counts[1]) == 10  # dataset, default, 8 graphs


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_parameter_is_a_value_through_the_server(
    servers: tuple[Server, Server], remote: RemoteStore, value: str
) -> None:
    before = len(remote)
    params = {"occupation": "21-1092.00", "level": value}
    ours, theirs = both(servers, "/queries/competency-statements.json", params=params)
    assert solutions(ours.content) == solutions(theirs.content) == []
    assert len(remote) == before


def test_a_bad_query_is_a_400_that_does_not_name_the_store(
    servers: tuple[Server, Server], remote_seeds: str
) -> None:
    answers = [
        httpx2.post(server.base + "/sparql", data={"query": "SELECT * WHERE {"}, timeout=60)
        for server in servers
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert remote_seeds not in answers[1].text and "1:17" in answers[1].json()["error"]


def test_writes_are_refused_and_the_time_limit_stops_a_query(
    servers: tuple[Server, Server],
) -> None:
    _, theirs = servers
    refused = httpx2.put(
        theirs.base + "/graph-store?graph=http://x/g",
        content=b"<http://x/s> <http://x/p> <http://x/o> .",
        headers={"Content-Type": "application/n-triples"},
    )
    assert refused.status_code == 403  # read-only, as any server started without a token
    gsp = httpx2.get(theirs.base + "/graph-store?graph=https://graph.org.ai/graphs/links")
    assert gsp.status_code == 501

    stopped = httpx2.post(
        theirs.base + "/sparql",
        data={"query": PATHOLOGICAL},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert stopped.status_code == 503
    assert "time limit" in stopped.json()["error"]
    ask = httpx2.get(theirs.base + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    assert ask.status_code == 200 and ask.json()["boolean"] is True


def test_health_asks_the_remote_store_and_says_when_it_is_gone(tmp_path: Path) -> None:
    with (
        oxigraph_serve(tmp_path / "oxi", log=tmp_path / "oxi.log") as store,
        occugraph_serve(store.base, log=tmp_path / "serve.log") as server,
    ):
        alive = httpx2.get(f"{server.base}/health", timeout=30)
        assert alive.status_code == 200
        queries = {"workers": 4, "busy": 0, "waiting": 0, "max_waiting": 1000, "saturated": False}
        assert alive.json() == {"ok": True, "build": None, "triples": None, "queries": queries}
        stop_oxigraph(store)
        gone = httpx2.get(f"{server.base}/health", timeout=30)
        assert gone.status_code == 503
        assert gone.json() == {"ok": False, "error": "the store does not answer"}
        assert store.base not in gone.text


def stop_oxigraph(store: Server) -> None:
    os.kill(store.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(store.pid, 0)
