"""A bounded load test: many clients, every kind of request, a few pathological queries.

The script builds a corpus (by default the seeds) into a fresh store and starts
``occugraph serve`` on a free port of 127.0.0.1 (by default 2 query workers and a 2 s time
limit). Then N clients (httpx AsyncClient, one request at a time each) send a fixed number
of requests, drawn in a fixed random order from these kinds:

- saved query: several ``/queries/{name}`` with parameters, as JSON, CSV, TSV or Turtle;
- dereference HTML, Turtle and JSON-LD: an occupation, a skill, a task, a NOC unit group,
  a proficiency level and a source document, by ``Accept``;
- SPARQL: SELECT, ASK and CONSTRUCT by GET, form POST and direct POST;
- pathological (a small share): a triple cross product that no time limit lets finish.

Every answer must be a 200, except the pathological queries, which must be stopped at the
time limit with a 503; anything else (another status, a refused connection, a time-out)
counts as an error. Meanwhile ``/health`` is polled twice a second, and the resident memory
of the server and its worker processes (from /proc) is sampled every second. A warm-up
(not counted) comes first. The script prints requests, errors, p50/p99 per kind, the health
polls, and the memory series with its slope over the second half of the requests. It
stops by itself: a fixed number of requests, a time-out per request and a deadline for the
whole run. It exits 1 on any error or failed health poll. ``tests/test_load.py`` runs a
reduced form.

.venv/bin/python -m tests.reliability.load [--requests 20000] [--clients 64] [--warmup 500]
    [--workers 2] [--time-limit 2] [--pathological 0.01] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shlex
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

from occugraph.build import build
from occugraph.build.sources import hash_file
from occugraph.store.embedded import open_read_only
from occugraph.testing import NEVER_ENDING_QUERY as PATHOLOGICAL
from occugraph.testing import Server, occugraph_serve, percentile

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GO = "https://graph.org.ai/"
CODE = "21-1092.00"
RESULTS_JSON = "application/sparql-results+json"
TIMED_OUT = "503 time limit"
"""An error: an ordinary request stopped by the time limit meant for pathological ones."""
KINDS = {
    # kind: share of the requests that are not pathological
    "saved query": 0.35,
    "dereference HTML": 0.15,
    "dereference Turtle": 0.15,
    "dereference JSON-LD": 0.15,
    "SPARQL": 0.20,
}
ACCEPT = {
    "dereference HTML": "text/html",
    "dereference Turtle": "text/turtle",
    "dereference JSON-LD": "application/ld+json",
}
PREFIXES = "PREFIX occ: <https://graph.org.ai/ontology#>\n"
PREFIXES += "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
SAMPLE_RESOURCES = (
    PREFIXES
    + """SELECT ?type (MIN(STR(?thing)) AS ?example) WHERE {
  VALUES ?type { occ:OnetSkill occ:Task occ:NocUnitGroup occ:ProficiencyLevel }
  ?thing a ?type . FILTER(STRSTARTS(STR(?thing), "https://graph.org.ai/"))
} GROUP BY ?type"""
)


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] | None = None
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def expected(self) -> int:
        return 503 if self.kind == "pathological" else 200


def saved_queries() -> list[Request]:
    occupation = {"occupation": CODE}
    return [
        Request("saved query", "GET", f"/queries/{path}", params)
        for path, params in [
            ("occupation-card.json", occupation),
            ("occupation-tasks.json", occupation),
            ("occupation-skills.csv", occupation),
            ("competency-statements.tsv", {**occupation, "level": "Proficient"}),
            ("described-by-sources.json", {**occupation, "min_sources": "2"}),
            ("occupation-summary.ttl", occupation),
            ("noc-sub-roles.json", {"noc": "4155"}),
            ("occupations-with-skill.json", {"skill": GO + "skills/Communication"}),
            ("occupations-by-label.json", {"label": "probation@en"}),
            ("graph-statistics.json", {}),
        ]
    ]


def dereferences(store: Path, corpus: Path) -> dict[str, list[Request]]:
    """The seeds' occupation, a source document and one resource of a few other kinds,
    each asked for in each format."""
    rows = open_read_only(store).query(SAMPLE_RESOURCES, use_default_graph_as_union=True)
    iris = [row["example"].value for row in rows]  # type: ignore[union-attr]
    iris.append(GO + "occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists")
    iris.append(hash_file(next(p for p in sorted(corpus.iterdir()) if p.is_file()))[1].iri)
    return {
        kind: [
            Request(kind, "GET", "/" + iri.removeprefix(GO), headers={"Accept": accept})
            for iri in sorted(iris)
        ]
        for kind, accept in ACCEPT.items()
    }


def sparql_requests() -> list[Request]:
    levels = PREFIXES + (
        "SELECT ?level ?label WHERE { ?level a occ:ProficiencyLevel ; rdfs:label ?label } "
        "ORDER BY ?label"
    )
    tasks = PREFIXES + "SELECT ?task ?label WHERE { ?task a occ:Task ; rdfs:label ?label } LIMIT 50"
    ask = PREFIXES + f'ASK {{ ?occupation occ:onetCode "{CODE}" }}'
    construct = PREFIXES + (
        f'CONSTRUCT {{ ?o occ:onetCode ?c ; rdfs:label ?l }} WHERE {{ ?o occ:onetCode "{CODE}" ;'
        " occ:onetCode ?c ; rdfs:label ?l }"
    )
    json = {"Accept": RESULTS_JSON}
    return [
        Request("SPARQL", "GET", "/sparql", {"query": levels}, headers=json),
        Request("SPARQL", "GET", "/sparql", {"query": tasks}, headers={"Accept": "text/csv"}),
        Request("SPARQL", "POST", "/sparql", form={"query": ask}, headers=json),
        Request(
            "SPARQL",
            "POST",
            "/sparql",
            body=construct,
            headers={"Accept": "text/turtle", "Content-Type": "application/sparql-query"},
        ),
    ]


def schedule(
    store: Path, corpus: Path, *, count: int, pathological: float, seed: int
) -> list[Request]:
    """``count`` requests in a fixed random order; exactly round(count × pathological) of
    them pathological."""
    chance = random.Random(seed)
    pools = {"saved query": saved_queries(), "SPARQL": sparql_requests()}
    pools.update(dereferences(store, corpus))
    bad = round(count * pathological)
    kinds = chance.choices(list(KINDS), weights=list(KINDS.values()), k=count - bad)
    requests = [chance.choice(pools[kind]) for kind in kinds]
    requests += [
        Request(
            "pathological",
            "GET",
            "/sparql",
            {"query": PATHOLOGICAL},
            headers={"Accept": RESULTS_JSON},
        )
    ] * bad
    chance.shuffle(requests)
    return requests


# -- the server and its memory ------------------------------------------------------


def serving(
    store: Path, *, workers: int, time_limit: float, log: Path
) -> contextlib.AbstractContextManager[Server]:
    """``occugraph serve`` on the store, stopped (with its query workers) on leaving."""
    options = ("--workers", str(workers), "--time-limit", f"{time_limit:g}")
    return occugraph_serve(store, log=log, options=options)


def descendants(pid: int) -> list[int]:
    """The process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def resident_memory(pid: int) -> tuple[int, int]:
    """Bytes resident in memory (VmRSS) of the process and its descendants, and how many."""
    total = processes = 0
    for member in descendants(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    processes += 1
    return total, processes


# -- the load ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    seconds: float
    done: int
    rss: int
    processes: int


@dataclass
class Load:
    """What one run saw."""

    clients: int
    requests: int
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    intended: Counter[str] = field(default_factory=Counter)
    memory: list[Sample] = field(default_factory=list)
    memory_start: int = 0
    memory_warm: int = 0
    health_polls: int = 0
    health_failures: int = 0
    health_latencies: list[float] = field(default_factory=list)
    stopped_early: bool = False

    @property
    def served(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def memory_end(self) -> int:
        return self.memory[-1].rss if self.memory else 0

    def slope(self) -> float:
        """Least-squares growth of memory over the second half of the requests, in MB per
        1,000 requests."""
        half = [s for s in self.memory if s.done >= self.requests / 2]
        if len(half) < 2 or half[-1].done == half[0].done:
            return 0.0
        xs = [s.done / 1000 for s in half]
        ys = [s.rss / 1e6 for s in half]
        return statistics.linear_regression(xs, ys).slope

    def median_rss(self, start: float, end: float) -> float:
        """Median of the samples taken between two fractions of the requests done."""
        found = [s.rss for s in self.memory if start <= s.done / self.requests < end]
        return statistics.median(found) if found else 0.0

    def report(self) -> str:
        lines = [
            f"{'kind':<20} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'max ms':>8}  intended"
        ]
        for kind in [*KINDS, "pathological"]:
            times = sorted(self.latencies.get(kind, []))
            errors = sum(n for key, n in self.errors.items() if key.startswith(f"{kind}: "))
            intended = self.intended.get(kind, 0)
            lines.append(
                f"{kind:<20} {len(times) + errors:>8} {errors:>6} {percentile(times, 50):>8.1f} "
                f"{percentile(times, 99):>8.1f} {(times[-1] if times else 0) * 1000:>8.1f}  "
                + (f"{intended} × 503" if kind == "pathological" else "")
            )
        rate = self.served / self.seconds if self.seconds else 0.0
        lines += [
            f"served {self.served} of {self.requests} requests in {self.seconds:.1f} s "
            f"({rate:.0f}/s) by {self.clients} clients; errors: {self.error_count}"
            + ("; STOPPED AT THE DEADLINE" if self.stopped_early else ""),
            *(
                f"  {n} × {key}, e.g. {self.examples[key]!r}"
                for key, n in self.errors.most_common()
            ),
            f"health: {self.health_polls} polls, {self.health_failures} failed, p50 "
            f"{percentile(sorted(self.health_latencies), 50):.1f} ms, p99 "
            f"{percentile(sorted(self.health_latencies), 99):.1f} ms",
            f"memory (server + workers, RSS): start {self.memory_start / 1e6:.0f} MB, after "
            f"warm-up {self.memory_warm / 1e6:.0f} MB, end {self.memory_end / 1e6:.0f} MB, "
            f"max {max((s.rss for s in self.memory), default=0) / 1e6:.0f} MB",
            f"memory slope over the second half: {self.slope():+.2f} MB per 1,000 requests; "
            f"median {self.median_rss(0, 0.5) / 1e6:.0f} MB over the first half of the "
            f"requests, {self.median_rss(0.5, 1.01) / 1e6:.0f} MB over the second",
            "memory series (requests done: MB, processes):",
        ]
        step = max(1, len(self.memory) // 20)
        series = [*self.memory[::step], *self.memory[-1:]] if self.memory else []
        lines += [
            "  "
            + ", ".join(f"{s.done}: {s.rss / 1e6:.0f} ({s.processes})" for s in series[i : i + 6])
            for i in range(0, len(series), 6)
        ]
        return "\n".join(lines)


async def send(client: httpx2.AsyncClient, request: Request) -> httpx2.Response:
    if request.method == "GET":
        response = await client.get(request.path, params=request.params, headers=request.headers)
    elif request.form is not None:
        response = await client.post(request.path, data=request.form, headers=request.headers)
    else:
        response = await client.post(request.path, content=request.body, headers=request.headers)
    await response.aread()
    return response


async def drive(
    client: httpx2.AsyncClient,
    requests: list[Request],
    clients: int,
    deadline: float,
    load: Load | None,
) -> bool:
    """Send the requests with ``clients`` at a time; record them in ``load`` unless None.
    False if the deadline stopped it."""
    pending = iter(requests)
    stopped = False

    async def one_client() -> None:
        nonlocal stopped
        for request in pending:
            if time.monotonic() > deadline:
                stopped = True
                return
            sent = time.perf_counter()
            try:
                response = await send(client, request)
                outcome, detail = str(response.status_code), response.text
            except httpx2.HTTPError as error:
                outcome, detail = type(error).__name__, str(error)
            if load is None:
                continue
            if outcome == str(request.expected):
                load.latencies.setdefault(request.kind, []).append(time.perf_counter() - sent)
                if request.kind == "pathological":
                    load.intended[request.kind] += 1
                continue
            if outcome == "503" and "time limit" in detail:
                outcome = TIMED_OUT
            key = f"{request.kind}: {outcome}"
            load.errors[key] += 1
            load.examples.setdefault(key, f"{request.method} {request.path}: {detail[:160]}")

    await asyncio.gather(*(one_client() for _ in range(clients)))
    return not stopped


async def run_load(
    server: Server,
    requests: list[Request],
    *,
    clients: int,
    warmup: list[Request],
    deadline: float = 1800.0,
    sample_every: float = 1.0,
    poll_every: float = 0.5,
) -> Load:
    """Warm the server up, then send the requests while polling /health and sampling memory."""
    load = Load(clients, len(requests))
    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
    timeout = httpx2.Timeout(60.0)
    load.memory_start = resident_memory(server.pid)[0]
    ends = time.monotonic() + deadline
    async with httpx2.AsyncClient(base_url=server.base, limits=limits, timeout=timeout) as client:
        await drive(client, warmup, clients, ends, None)
        load.memory_warm = resident_memory(server.pid)[0]
        done = asyncio.Event()
        started = time.perf_counter()

        async def sample() -> None:
            while True:
                rss, processes = await asyncio.to_thread(resident_memory, server.pid)
                load.memory.append(
                    Sample(time.perf_counter() - started, load.served, rss, processes)
                )
                if done.is_set():
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(done.wait(), sample_every)

        async def poll() -> None:
            async with httpx2.AsyncClient(base_url=server.base, timeout=10.0) as health:
                while not done.is_set():
                    sent = time.perf_counter()
                    try:
                        response = await health.get("/health")
                        ok = response.status_code == 200 and response.json().get("ok") is True
                    except (httpx2.HTTPError, ValueError):
                        ok = False
                    load.health_polls += 1
                    load.health_failures += not ok
                    load.health_latencies.append(time.perf_counter() - sent)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(done.wait(), poll_every)

        watchers = [asyncio.create_task(sample()), asyncio.create_task(poll())]
        try:
            load.stopped_early = not await drive(client, requests, clients, ends, load)
            load.seconds = time.perf_counter() - started
        finally:
            done.set()
            await asyncio.gather(*watchers)
    return load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=SEEDS)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=500, help="requests before measuring")
    parser.add_argument("--workers", type=int, default=2, help="query worker processes")
    parser.add_argument("--time-limit", type=float, default=2.0, help="seconds per query")
    parser.add_argument("--pathological", type=float, default=0.01, help="share of requests")
    parser.add_argument("--deadline", type=float, default=3600.0, help="seconds for the run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log", type=Path, default=None, help="keep the server's log here")
    args = parser.parse_args()

    python = os.path.relpath(sys.executable)
    print("$", shlex.join([sys.executable if python.startswith("..") else python, *sys.argv]))
    with tempfile.TemporaryDirectory(prefix="load-") as folder:
        store = Path(folder) / "store"
        build([args.corpus], store=store)
        requests = schedule(
            store, args.corpus, count=args.requests, pathological=args.pathological, seed=args.seed
        )
        warmup = schedule(store, args.corpus, count=args.warmup, pathological=0, seed=args.seed + 1)
        log = args.log or Path(folder) / "serve.log"
        with serving(store, workers=args.workers, time_limit=args.time_limit, log=log) as server:
            print("server:", shlex.join(server.command))
            print(
                f"{args.requests} requests ({args.pathological:.0%} pathological) after a "
                f"warm-up of {args.warmup}, {args.clients} clients, {os.cpu_count()} CPUs shared "
                f"by server, workers and clients, load average {os.getloadavg()[0]:.2f} before"
            )
            load = asyncio.run(
                run_load(
                    server, requests, clients=args.clients, warmup=warmup, deadline=args.deadline
                )
            )
        print(load.report())
        tracebacks = log.read_text(errors="replace").count("Traceback")
        print(f"server log: {tracebacks} traceback(s)" + (f", kept at {log}" if args.log else ""))
        print(f"load average {os.getloadavg()[0]:.2f} after")
    failed = load.error_count or load.health_failures or load.stopped_early
    print("FAILED" if failed else "no errors, no failed health polls")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
