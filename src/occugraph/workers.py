"""Queries run in worker processes, so a query past its time limit can really be stopped.

pyoxigraph cannot cancel a running query. Each worker process holds a read-only
handle on one build of the store and runs one query at a time, writing the
serialized answer to a spool file. The server waits for it with a deadline; a
worker past its deadline is killed and replaced, while the other workers go on
serving everyone else.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import re
import tempfile
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Literal as Choice

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
    Triple,
    Variable,
)

from occugraph.errors import OccugraphError
from occugraph.serialize import serialize_triples
from occugraph.sparql_results import write_boolean, write_solutions

Form = Choice["solutions", "boolean", "graph"]


@dataclass(frozen=True)
class Job:
    query: str
    solution_format: str | None = "json"
    graph_format: str | None = "turtle"
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    substitutions: dict[str, NamedNode | BlankNode | Literal | Triple] = field(default_factory=dict)
    max_rows: int | None = None
    base_iri: str | None = None


@dataclass(frozen=True)
class Answer:
    path: str
    form: Form
    format: str
    rows: int
    truncated: bool


@dataclass(frozen=True)
class Failure:
    status: int
    message: str


class NotAcceptableError(OccugraphError):
    """The query's answer is of a form (solutions, boolean, graph) the client did not accept."""


class QueryTimeoutError(OccugraphError):
    """The query ran past its time limit; its worker was stopped."""


class QueryFailedError(OccugraphError):
    """The store refused or failed the query; ``status`` is the HTTP status it deserves."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def execute(store: Store, job: Job, spool: Path) -> Answer:
    """Run one job and write its answer to a new spool file (runs inside a worker).

    The dataset is the job's (the protocol's) if it names one, else the query's own
    ``FROM``/``FROM NAMED``, else the union of all graphs as the default graph.
    """
    protocol = job.default_graph is not None or job.named_graphs is not None
    graphs: list[NamedNode | BlankNode | DefaultGraph] | None = (
        [NamedNode(g) for g in job.default_graph or ()] if protocol else None
    )
    result = store.query(
        job.query,
        base_iri=job.base_iri,
        use_default_graph_as_union=not protocol and not names_dataset(job.query),
        default_graph=graphs,
        named_graphs=[NamedNode(g) for g in job.named_graphs or ()] if protocol else None,
        substitutions={Variable(k): v for k, v in job.substitutions.items()},
    )
    form: Form = (
        "solutions"
        if isinstance(result, QuerySolutions)
        else "boolean"
        if isinstance(result, QueryBoolean)
        else "graph"
    )
    wanted = job.graph_format if form == "graph" else job.solution_format
    if wanted is None:
        raise NotAcceptableError(f"no offered format for {form} answers fits the request")
    handle, name = tempfile.mkstemp(dir=spool, prefix="answer-")
    with os.fdopen(handle, "wb") as out:
        if isinstance(result, QuerySolutions):
            variables = [v.value for v in result.variables]
            rows, truncated = write_solutions(variables, result, wanted, out, max_rows=job.max_rows)
            return Answer(name, form, wanted, rows, truncated)
        if isinstance(result, QueryBoolean):
            write_boolean(bool(result), wanted, out)
            return Answer(name, form, wanted, 1, False)
        assert isinstance(result, QueryTriples)
        triples: list[Triple] = list(
            islice(result, (job.max_rows or 0) + 1) if job.max_rows else result
        )
        truncated = job.max_rows is not None and len(triples) > job.max_rows
        triples = triples[: job.max_rows] if truncated else triples
        out.write(serialize_triples(triples, wanted).encode())
        return Answer(name, form, wanted, len(triples), truncated)


# Comments, strings and IRIs can say a keyword harmlessly: blank them before looking.
HARMLESS = re.compile(
    r"#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\s]*>",
    re.DOTALL,
)
# ?from, ex:from, from:x and _:from are not the keyword either.
_FROM = re.compile(r"(?<![?$:@.\w-])FROM(?![\w:-])", re.IGNORECASE)


def names_dataset(query: str) -> bool:
    """Whether a query chooses its own dataset with ``FROM`` or ``FROM NAMED``.

    Oxigraph's union default graph would override it, so such a query runs without.

    >>> names_dataset("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    True
    >>> names_dataset('SELECT ?from WHERE { ?from <http://x/FROM> "FROM" } # FROM')
    False
    """
    return bool(_FROM.search(HARMLESS.sub(" ", query)))


def _serve(store_dir: str, spool: str, conn: Connection) -> None:
    store = Store.read_only(store_dir)
    while True:
        job = conn.recv()
        if job is None:
            return
        try:
            outcome: Answer | Failure = execute(store, job, Path(spool))
        except NotAcceptableError as error:
            outcome = Failure(406, str(error))
        except SyntaxError as error:
            outcome = Failure(400, f"query syntax error: {error}")
        except (ValueError, RuntimeError, OSError) as error:
            outcome = Failure(400, f"query failed: {error}")
        conn.send(outcome)


class _Worker:
    def __init__(self, store_dir: Path, spool: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(str(store_dir), str(spool), child), daemon=True
        )
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.kill()


class QueryPool:
    """A fixed number of workers on one build; queries wait for a free worker."""

    def __init__(
        self, store_dir: Path, *, size: int = 2, time_limit: float = 10.0, spool: Path | None = None
    ) -> None:
        self.store_dir = store_dir
        self.time_limit = time_limit
        self.spool = spool or Path(tempfile.mkdtemp(prefix="occugraph-spool-"))
        self.size = size
        self.idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self.workers: set[_Worker] = set()
        self.closed = False
        for _ in range(size):
            self._add_worker()

    def _add_worker(self) -> None:
        worker = _Worker(self.store_dir, self.spool)
        self.workers.add(worker)
        self.idle.put_nowait(worker)

    async def run(self, job: Job) -> Answer:
        worker = await self.idle.get()
        try:
            worker.conn.send(job)
            outcome = await asyncio.wait_for(self._receive(worker), self.time_limit)
        except (TimeoutError, EOFError, OSError) as error:
            self.workers.discard(worker)
            worker.kill()
            if not self.closed:
                self._add_worker()
            if isinstance(error, TimeoutError):
                raise QueryTimeoutError(
                    f"the query ran past the time limit of {self.time_limit:g} s and was stopped"
                ) from None
            raise QueryFailedError(500, "the query worker stopped unexpectedly") from None
        if self.closed:
            self.workers.discard(worker)
            worker.stop()
        else:
            self.idle.put_nowait(worker)
        if isinstance(outcome, Failure):
            raise QueryFailedError(outcome.status, outcome.message)
        answer: Answer = outcome
        return answer

    @staticmethod
    async def _receive(worker: _Worker) -> Answer | Failure:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fileno = worker.conn.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fileno, wake)
        try:
            await ready
        finally:
            loop.remove_reader(fileno)
        outcome: Answer | Failure = worker.conn.recv()
        return outcome

    def close(self) -> None:
        """Stop idle workers now; busy ones stop when their query returns."""
        self.closed = True
        while not self.idle.empty():
            worker = self.idle.get_nowait()
            self.workers.discard(worker)
            worker.stop()
