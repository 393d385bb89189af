"""Serving speed side by side: `occugraph serve` against Oxigraph's own server and rdflib-endpoint.

Three servers on 127.0.0.1 serve the same build:

- (a) `occugraph serve --store STORE` (query workers, a time limit);
- (b) `oxigraph serve-read-only` (PyPI `oxigraph`, the same Oxigraph as pyoxigraph) on a
  copy of the build's Oxigraph directory, without a time limit;
- (c) rdflib-endpoint (pure Python, rdflib's in-memory store) on an N-Quads export of the
  build. rdflib answers some of these queries on the whole 1,016-occupation graph only after
  many minutes, so by default it gets the reference, links and ontology graphs plus the
  documents of a few occupations (``--rdflib-occupations``; 0 leaves it out).

The same query text goes to every server: saved queries from queries/ with the occupation
filled in as a leading ``VALUES`` (through ``/sparql`` on (a); (a) also runs them as
``/queries/NAME.json?occupation=CODE``, binding the value its own way), and a DESCRIBE of
the occupation on (b) and (c) against dereferencing its IRI as Turtle on (a). (a) also
dereferences it as JSON-LD. In each run every scenario gets ``--duration`` seconds of N
clients sending one request at a time, back to back; the scenarios take turns within a run,
so drift on a shared machine falls on all of them. Ratios are taken within each run.
Finally a query that no time limit lets finish is sent to (a), which must answer 503.

.venv/bin/python -m benchmarks.serve_compare --store STORE [--occupation 47-2111.00]
    [--clients 8] [--duration 5] [--runs 5] [--workers 2] [--time-limit 10]
    [--rdflib-occupations 10] [--serve-option=--some-option ...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, RdfFormat, Store, Variable, parse

from occugraph.query.describe import DESCRIBE_QUERY
from occugraph.query.saved import Bindings, find, resolve_occupation
from occugraph.store.embedded import current_build
from occugraph.testing import (
    HOST,
    NEVER_ENDING_QUERY,
    Server,
    free_port,
    occugraph_serve,
    oxigraph_serve,
    percentile,
    running,
)

QUERIES = ("occupation-card", "occupation-context", "occupation-summary")
"""Saved queries whose cost in Oxigraph is about the same whether the occupation is bound by
substitution (as /queries does) or written into the text as VALUES (as the other servers
get it), so that the comparison measures serving, not two query plans. Many saved queries
differ 10-300x between the two on this graph; the script prints both costs."""
RESULTS_JSON = "application/sparql-results+json"
GRAPHS = "https://graph.org.ai/graphs/"
SHARED_GRAPHS = [GRAPHS + "reference", GRAPHS + "links", GRAPHS + "ontology"]
DOCUMENTS = """PREFIX occ: <https://graph.org.ai/ontology#>
SELECT DISTINCT ?source ?occupation WHERE { ?source occ:about ?occupation }"""
TIMEOUT = 120.0
"""Seconds one request may take (rdflib is slow) before it counts as an error."""


@dataclass(frozen=True)
class Scenario:
    name: str
    server: str
    """'a', 'b' or 'c'."""
    how: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    accept: str = RESULTS_JSON

    @property
    def label(self) -> str:
        return f"{self.name} ({self.server}) {self.how}"


@dataclass(frozen=True)
class Run:
    latencies: list[float]
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def p(self, q: int) -> float:
        return percentile(sorted(self.latencies), q)


@dataclass(frozen=True)
class Comparison:
    """Scenario ``first`` against ``second``, and the bounds it must meet."""

    first: str
    second: str
    rate: float | None = 0.5
    """(first) requests/s must be at least this times (second)'s."""
    p99: float | None = 3.0
    """(first) p99 must be at most this times (second)'s."""
    p50: float | None = None


def filled(name: str, iri: str) -> str:
    """The saved query's text with the occupation given as a leading VALUES."""
    values = f"WHERE {{ VALUES ?occupation {{ <{iri}> }}"
    return re.sub(r"WHERE\s*\{", values, find(name).text, count=1)


def scenarios(code: str, iri: str, with_rdflib: bool) -> list[Scenario]:
    path = "/" + iri.removeprefix("https://graph.org.ai/")
    describe = f"DESCRIBE <{iri}>"
    union = {"union-default-graph": ""}
    found: list[Scenario] = []
    for name in QUERIES:
        text = filled(name, iri)
        graph = "CONSTRUCT" in text  # answered as Turtle, not as SPARQL results
        suffix, accept = ("ttl", "text/turtle") if graph else ("json", RESULTS_JSON)
        found += [
            Scenario(
                name, "a", "/queries", f"/queries/{name}.{suffix}", {"occupation": code}, accept
            ),
            Scenario(name, "a", "/sparql", "/sparql", {"query": text}, accept),
            Scenario(name, "b", "/query", "/query", {"query": text, **union}, accept),
        ]
        if with_rdflib:
            found.append(Scenario(name, "c", "/", "/", {"query": text}, accept))
    found += [
        Scenario("describe", "a", "dereference Turtle", path, accept="text/turtle"),
        Scenario("describe", "a", "dereference JSON-LD", path, accept="application/ld+json"),
        Scenario(
            "describe", "b", "DESCRIBE", "/query", {"query": describe, **union}, "text/turtle"
        ),
    ]
    if with_rdflib:
        found.append(Scenario("describe", "c", "DESCRIBE", "/", {"query": describe}, "text/turtle"))
    return found


def comparisons() -> list[Comparison]:
    pairs = [
        Comparison(f"{name} (a) {how}", f"{name} (b) /query")
        for name in QUERIES
        for how in ("/queries", "/sparql")
    ]
    pairs.append(Comparison("describe (a) dereference Turtle", "describe (b) DESCRIBE"))
    pairs.append(
        Comparison(
            "describe (a) dereference JSON-LD",
            "describe (a) dereference Turtle",
            rate=None,
            p99=None,
            p50=3.0,
        )
    )
    return pairs


async def load(base: str, scenario: Scenario, *, clients: int, duration: float) -> Run:
    """``clients`` clients, one request at a time each, for ``duration`` seconds."""
    latencies: list[float] = []
    errors = 0
    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=TIMEOUT) as client:

        async def one_client(until: float) -> None:
            nonlocal errors
            while time.perf_counter() < until:
                sent = time.perf_counter()
                try:
                    response = await client.get(
                        scenario.path, params=scenario.params, headers={"Accept": scenario.accept}
                    )
                    await response.aread()
                except httpx2.TransportError:
                    errors += 1
                    continue
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - sent)
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(one_client(started + duration) for _ in range(clients)))
        seconds = time.perf_counter() - started
    return Run(latencies, errors, seconds)


def size_of(response: httpx2.Response) -> str:
    """Rows or triples of one answer, to show the servers answer alike."""
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    media_type = response.headers.get("content-type", "").split(";")[0]
    try:
        if media_type == RESULTS_JSON:
            return f"{len(response.json()['results']['bindings'])} rows"
        graph = RdfFormat.from_media_type(media_type)
        if graph is not None and graph != RdfFormat.JSON_LD:
            return f"{len(list(parse(response.content, format=graph)))} triples"
    except (ValueError, SyntaxError) as error:
        return f"unreadable {media_type}: {error!s:.60}"
    return f"{len(response.content)} bytes of {media_type}"


def spread(values: list[float], digits: int = 1) -> str:
    if not values:
        return "none"
    median, low, high = statistics.median(values), min(values), max(values)
    return f"{median:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


def evaluation_costs(store: Store, iri: str) -> list[str]:
    """In-process cost of each query in pyoxigraph, bound by substitution and filled in."""

    def median_ms(text: str, bound: NamedNode | None = None, name: str = "occupation") -> float:
        substitutions: Bindings | None = {Variable(name): bound} if bound else None
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            result = store.query(text, substitutions=substitutions, use_default_graph_as_union=True)
            assert not isinstance(result, QueryBoolean)
            for _answer in result:
                pass
            samples.append((time.perf_counter() - started) * 1000)
        return statistics.median(samples)

    lines = []
    for name in QUERIES:
        by_substitution = median_ms(find(name).text, NamedNode(iri))
        by_values = median_ms(filled(name, iri))
        lines.append(
            f"  {name:<22} substitution {by_substitution:8.2f} ms   VALUES {by_values:8.2f} ms"
        )
    lines.append(f"  {'DESCRIBE':<22} {median_ms(f'DESCRIBE <{iri}>'):8.2f} ms")
    described = median_ms(DESCRIBE_QUERY, NamedNode(iri), "resource")
    lines.append(f"  {'(a) description':<22} {described:8.2f} ms (what a dereference runs, once)")
    return lines


def rdflib_data(store: Store, iri: str, occupations: int, out: Path) -> int:
    """N-Quads of the shared graphs and of the documents of ``occupations`` occupations (the
    measured one first); returns the number of documents."""
    rows = store.query(DOCUMENTS, use_default_graph_as_union=True)
    assert isinstance(rows, QuerySolutions)
    by_occupation: dict[str, list[str]] = {}
    for row in rows:
        by_occupation.setdefault(row["occupation"].value, []).append(row["source"].value)
    chosen = [iri, *sorted(o for o in by_occupation if o != iri)][:occupations]
    documents = sorted({g for o in chosen for g in by_occupation.get(o, [])})
    with out.open("wb") as handle:
        for graph in SHARED_GRAPHS + documents:
            store.dump(handle, format=RdfFormat.N_QUADS, from_graph=NamedNode(graph))
    return len(documents)


@contextlib.contextmanager
def rdflib_serve(data: Path, *, log: Path) -> Iterator[Server]:
    port = free_port()
    command = [sys.executable, "-m", "rdflib_endpoint", "serve", str(data)]
    command += ["--host", HOST, "--port", str(port)]
    with running(command, port=port, ready="/?query=ASK%7B%7D", log=log) as server:
        yield server


async def time_limit_kept(base: str) -> str:
    async with httpx2.AsyncClient(base_url=base, timeout=TIMEOUT) as client:
        started = time.perf_counter()
        response = await client.get("/sparql", params={"query": NEVER_ENDING_QUERY})
        return f"{response.status_code} after {time.perf_counter() - started:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, required=True, help="an occugraph build (its link)")
    parser.add_argument("--occupation", default="47-2111.00", help="O*NET-SOC code")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per scenario and run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="(a)'s query workers")
    parser.add_argument("--time-limit", type=float, default=10.0, help="(a)'s time limit")
    parser.add_argument("--rdflib-occupations", type=int, default=10)
    parser.add_argument("--serve-option", action="append", default=[], help="more options for (a)")
    args = parser.parse_args()

    python = os.path.relpath(sys.executable)
    print(
        "$",
        shlex.join(
            [
                sys.executable if python.startswith("..") else python,
                "-m",
                "benchmarks.serve_compare",
                *sys.argv[1:],
            ]
        ),
    )
    build = current_build(args.store)
    if build is None:
        raise SystemExit(f"no build at {args.store}")
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        work = Path(folder)
        copy = work / "oxigraph"
        shutil.copytree(build / "oxigraph", copy)
        store = Store.read_only(str(copy))
        iri = resolve_occupation(store, args.occupation).value
        print(f"occupation {args.occupation} <{iri}>; {len(store)} quads")
        print("in-process evaluation (pyoxigraph, median of 5):")
        print("\n".join(evaluation_costs(store, iri)))
        with_rdflib = args.rdflib_occupations > 0
        options = ("--workers", str(args.workers), "--time-limit", f"{args.time_limit:g}")
        servers = {
            "a": stack.enter_context(
                occugraph_serve(
                    args.store, log=work / "a.log", options=(*options, *args.serve_option)
                )
            ),
            "b": stack.enter_context(oxigraph_serve(copy, log=work / "b.log", read_only=True)),
        }
        if with_rdflib:
            data = work / "rdflib.nq"
            documents = rdflib_data(store, iri, args.rdflib_occupations, data)
            started = time.perf_counter()
            servers["c"] = stack.enter_context(rdflib_serve(data, log=work / "c.log"))
            print(
                f"(c) holds the shared graphs and {documents} documents of "
                f"{args.rdflib_occupations} occupations, loaded in "
                f"{time.perf_counter() - started:.0f} s"
            )
        del store
        for key, server in servers.items():
            print(f"({key}) {shlex.join(server.command)}")
        plan = scenarios(args.occupation, iri, with_rdflib)
        sizes = {}
        for scenario in plan:  # warm-up, not counted; one answer of each for its size
            base = servers[scenario.server].base
            response = httpx2.get(
                base + scenario.path,
                params=scenario.params,
                headers={"Accept": scenario.accept},
                timeout=TIMEOUT,
            )
            sizes[scenario.label] = size_of(response)
            asyncio.run(load(base, scenario, clients=args.clients, duration=1.0))
        print(
            f"{args.clients} clients, {args.duration:g} s per scenario and run, {args.runs} runs, "
            f"{os.cpu_count()} CPUs shared by the servers and the clients, "
            f"load average {os.getloadavg()[0]:.2f} before"
        )
        runs: dict[str, list[Run]] = {s.label: [] for s in plan}
        for _ in range(args.runs):
            for scenario in plan:
                runs[scenario.label].append(
                    asyncio.run(
                        load(
                            servers[scenario.server].base,
                            scenario,
                            clients=args.clients,
                            duration=args.duration,
                        )
                    )
                )
        print(f"load average {os.getloadavg()[0]:.2f} after")
        print(
            f"\n{'scenario':<42} {'requests/s':>22} {'p50 ms':>22} {'p99 ms':>24}  errors  answer"
        )
        for label, done in runs.items():
            print(
                f"{label:<42} {spread([r.per_second for r in done]):>22} "
                f"{spread([r.p(50) for r in done]):>22} {spread([r.p(99) for r in done]):>24}  "
                f"{sum(r.errors for r in done):>6}  {sizes[label]}"
            )
        print(f"\n{'comparison (ratio within each run)':<78} {'median (min–max)':>24}  target")
        for pair in comparisons():
            first, second = runs.get(pair.first), runs.get(pair.second)
            if first is None or second is None:
                continue
            checks: list[tuple[str, Callable[[Run], float], float | None, bool]] = [
                ("req/s", lambda r: r.per_second, pair.rate, True),
                ("p50", lambda r: r.p(50), pair.p50, False),
                ("p99", lambda r: r.p(99), pair.p99, False),
            ]
            for what, measure, bound, at_least in checks:
                if bound is None:
                    continue
                ratios = [measure(a) / measure(b) for a, b in zip(first, second, strict=True)]
                median = statistics.median(ratios)
                met = median >= bound if at_least else median <= bound
                sign = ">=" if at_least else "<="
                print(
                    f"{what + ' ' + pair.first + ' / ' + pair.second:<78} "
                    f"{spread(ratios, 2):>24}  {sign} {bound:g}: {'met' if met else 'NOT met'}"
                )
        kept = asyncio.run(time_limit_kept(servers["a"].base))
        print(f"\n(a) time limit {args.time_limit:g} s: a runaway query got {kept}")


if __name__ == "__main__":
    main()
