"""Queries run in worker processes, so a query past its time limit can really be stopped.

pyoxigraph cannot cancel a running query. Each worker process holds a read-only
handle on one build of the store and runs one query at a time; it sends a small
answer back through its pipe and writes a big one to a spool file. The server waits
for it with a deadline; a worker past its deadline is killed and replaced, while the
other workers go on serving everyone else.

A worker is also stopped when its client goes away, or when its own memory passes
``max_memory``; queries that find every worker busy wait in a bounded queue, and past it
are refused at once, so abandoned or piled-up work cannot hold the service hostage.

Workers cannot reach the network: SERVICE and LOAD would make Oxigraph fetch any URL
(pyoxigraph ships an HTTP client), and no scan of the query text can match its parser
in every spelling (``SERVICESILENT<...>``, ``ex:p\\#`` hiding the rest of a line). So
each worker, and each process that runs an update, first installs a seccomp filter
that refuses to open Internet sockets (Linux on x86-64 and AArch64).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import mmap
import multiprocessing
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import count, islice
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
    QueryResultsFormat,
    QuerySolutions,
    Store,
    Triple,
    Variable,
)

from occugraph.errors import OccugraphError
from occugraph.query.sandbox import forbid_network
from occugraph.query.serialize import serialize_triples
from occugraph.query.sparql_results import write_boolean, write_solutions
from occugraph.sparql_text import calls_service, names_dataset, outer_limit, too_deep

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
    screened: bool = False
    """Text from outside: refuse it before parsing if it calls a SERVICE (checked in the
    worker, since a scan of megabytes of text would stall the server's event loop)."""


INLINE_LIMIT = 256 * 1024
"""Answers up to this many bytes come back through the worker's pipe; bigger ones go
through a spool file, so the server never holds a big answer whole."""


@dataclass(frozen=True)
class Answer:
    path: str | None
    """The spool file holding the answer, or None when ``body`` holds it."""
    form: Form
    format: str
    rows: int
    truncated: bool
    body: bytes | None = None

    def read(self) -> bytes:
        """The whole answer; its spool file is removed once read."""
        if self.path is None:
            return self.body or b""
        try:
            return Path(self.path).read_bytes()
        finally:
            Path(self.path).unlink(missing_ok=True)

    def discard(self) -> None:
        if self.path is not None:
            Path(self.path).unlink(missing_ok=True)


class _Spill(io.BytesIO):
    """An answer kept in memory until it passes ``INLINE_LIMIT``, then moved to a spool file."""

    def __init__(self, spool: Path) -> None:
        super().__init__()
        self.spool = spool
        self.path: str | None = None
        self.file: io.BufferedWriter | None = None

    def write(self, data: bytes | bytearray | memoryview, /) -> int:  # type: ignore[override]
        if self.file is None and self.tell() + memoryview(data).nbytes > INLINE_LIMIT:
            handle, self.path = tempfile.mkstemp(dir=self.spool, prefix="answer-")
            self.file = os.fdopen(handle, "wb")
            self.file.write(self.getvalue())
        return self.file.write(data) if self.file is not None else super().write(data)

    def answer(self, form: Form, format: str, rows: int, truncated: bool) -> Answer:
        if self.file is not None:
            self.file.close()
            return Answer(self.path, form, format, rows, truncated)
        return Answer(None, form, format, rows, truncated, self.getvalue())

    def solutions(self, format: str) -> int:
        """How many solutions the answer written in ``format`` holds."""
        if self.file is not None:
            self.file.flush()
        data = Path(self.path).read_bytes() if self.path is not None else self.getvalue()
        if format == "json":
            return len(json.loads(data)["results"]["bindings"])
        if format == "xml":
            return data.count(b"<result>")  # markup inside values is escaped
        return data.count(b"\n") - 1  # TSV: a header line, escaped newlines in values

    def abandon(self) -> None:
        if self.file is not None:
            self.file.close()
        if self.path is not None:
            Path(self.path).unlink(missing_ok=True)


@dataclass(frozen=True)
class Failure:
    status: int
    message: str


SERVICE_REFUSED = "SERVICE is not allowed here: this endpoint makes no requests to other servers"


class RefusedQueryError(OccugraphError):
    """The query asks for something this endpoint does not do (a SERVICE)."""


class NotAcceptableError(OccugraphError):
    """The query's answer is of a form (solutions, boolean, graph) the client did not accept."""


class QueryTimeoutError(OccugraphError):
    """The query ran past its time limit; its worker was stopped."""


class OutOfStepError(Exception):
    """A worker sent something other than the answer to the job it was given."""

    def __init__(self, reply: object) -> None:
        super().__init__(f"unexpected reply {reply!r:.200}")
        self.reply = reply

    def discard(self) -> None:
        """Remove the spool file of a stray answer, if it was one."""
        stray = self.reply[1] if isinstance(self.reply, tuple) and len(self.reply) == 2 else None
        if isinstance(stray, Answer):
            stray.discard()


class QueryMemoryError(OccugraphError):
    """The query's worker passed its memory cap; the worker was stopped."""


class QueueFullError(OccugraphError):
    """Every worker is busy and the queue of waiting queries is full."""


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
    if (deep := too_deep(job.query)) is not None:  # before the parser overflows
        raise RefusedQueryError(deep)
    if job.screened and calls_service(job.query):
        raise RefusedQueryError(SERVICE_REFUSED)
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
    return write_answer(result, job, spool)


def write_answer(
    result: QuerySolutions | QueryBoolean | Iterable[Triple], job: Job, spool: Path
) -> Answer:
    """A query's answer in the job's format, in memory or (when big) in a new spool file,
    cut at its row cap (shared by the workers and the remote store's client)."""
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
    out = _Spill(spool)
    try:
        native = _NATIVE.get(wanted) if isinstance(result, QuerySolutions) else None
        if isinstance(result, QuerySolutions) and native is not None and _under_cap(job):
            result.serialize(out, native)  # Oxigraph's own writer: no Python object a term
            rows, truncated = out.solutions(wanted), False
        elif isinstance(result, QuerySolutions):
            variables = [v.value for v in result.variables]
            rows, truncated = write_solutions(variables, result, wanted, out, max_rows=job.max_rows)
        elif isinstance(result, QueryBoolean):
            write_boolean(bool(result), wanted, out)
            rows, truncated = 1, False
        else:
            triples: list[Triple] = list(
                islice(result, (job.max_rows or 0) + 1) if job.max_rows else result
            )
            truncated = job.max_rows is not None and len(triples) > job.max_rows
            triples = triples[: job.max_rows] if truncated else triples
            out.write(serialize_triples(triples, wanted).encode())
            rows = len(triples)
    except BaseException:
        out.abandon()
        raise
    return out.answer(form, wanted, rows, truncated)


_NATIVE = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "tsv": QueryResultsFormat.TSV,
}
"""Formats Oxigraph writes itself whose solutions ``_Spill.solutions`` can count."""


def _under_cap(job: Job) -> bool:
    """Whether no answer to the job can pass its row cap (the query's own LIMIT is lower),
    so the whole answer may be written at once."""
    limit = outer_limit(job.query) if job.max_rows is not None else None
    return job.max_rows is None or (limit is not None and limit <= job.max_rows)


STARTUP_LIMIT = 60.0
"""Seconds a new worker may take to start (spawn, imports, opening the store); this does
not count against any query's time limit."""
_READY = "ready"


QUERY_STACK = 512 * 2**20
"""Bytes of stack for the thread a worker runs queries on (reserved, not used, until a
query needs it). Oxigraph's parser and evaluator recurse on a query's shape: on the 8 MB
of a main thread a flat chain of 2,615 ``MINUS {}`` (about 50 KB of text), 9,375 ``||`` or
87,500 ``UNION`` killed the worker (SIGSEGV). On this stack such queries run, or run into
the time limit, instead (nesting is refused before parsing: ``sparql_text.too_deep``)."""


def _serve(store_dir: str, spool: str, conn: Connection) -> None:
    forbid_network()  # before the thread starts: it inherits the filter
    threading.stack_size(QUERY_STACK)
    runner = threading.Thread(target=_answer_jobs, args=(store_dir, spool, conn))
    runner.start()
    runner.join()


def _answer_jobs(store_dir: str, spool: str, conn: Connection) -> None:
    store = Store.read_only(store_dir)
    conn.send(_READY)
    while True:
        message = conn.recv()
        if message is None:
            return
        number, job = message
        try:
            outcome: Answer | Failure = execute(store, job, Path(spool))
        except NotAcceptableError as error:
            outcome = Failure(406, str(error))
        except RefusedQueryError as error:
            outcome = Failure(400, str(error))
        except SyntaxError as error:
            outcome = Failure(400, f"query syntax error: {error}")
        except (ValueError, RuntimeError, OSError) as error:
            outcome = Failure(400, f"query failed: {error}")
        conn.send((number, outcome))


class _Worker:
    def __init__(self, store_dir: Path, spool: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(str(store_dir), str(spool), child), daemon=True
        )
        self.process.start()
        child.close()
        self.started = False

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        """Ask the worker to finish; a thread waits for it (the event loop must not), and
        kills it if it lingers."""
        with contextlib.suppress(OSError):
            self.conn.send(None)
        threading.Thread(target=self._reap, daemon=True).start()

    def _reap(self) -> None:
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


@dataclass(frozen=True)
class Load:
    """How busy a pool is, for ``/health``: saturated once its queue is full."""

    workers: int
    busy: int
    waiting: int
    max_waiting: int

    @property
    def saturated(self) -> bool:
        return self.busy >= self.workers and self.waiting >= self.max_waiting


class Admission:
    """The queue in front of a pool's ``size`` slots, bounded at ``max_waiting`` queries:
    past it a query is refused at once (503) instead of waiting behind work that may each
    take the whole time limit."""

    def __init__(self, size: int, max_waiting: int) -> None:
        self.size = size
        self.max_waiting = max_waiting
        self.busy = 0
        self.waiting = 0

    @contextlib.contextmanager
    def queued(self) -> Iterator[None]:
        """Held while a query waits for a slot."""
        if self.busy >= self.size and self.waiting >= self.max_waiting:
            raise QueueFullError(
                f"all {self.size} query workers are busy and {self.waiting} queries are "
                "already waiting; try again shortly"
            )
        self.waiting += 1
        try:
            yield
        finally:
            self.waiting -= 1

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """Held while a query has its slot."""
        self.busy += 1
        try:
            yield
        finally:
            self.busy -= 1

    def load(self) -> Load:
        return Load(self.size, self.busy, self.waiting, self.max_waiting)


MEMORY_CHECK = 0.05
"""Seconds between two looks at a busy worker's memory."""


def private_memory(pid: int) -> int | None:
    """Bytes of a process's resident memory that are its own (not file pages it shares,
    such as the store's files), or None where ``/proc`` does not tell."""
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return None
    return (int(fields[1]) - int(fields[2])) * mmap.PAGESIZE


class QueryPool:
    """A fixed number of workers on one build; queries wait for a free worker."""

    def __init__(
        self,
        store_dir: Path,
        *,
        size: int = 2,
        time_limit: float = 10.0,
        max_waiting: int = 1000,
        max_memory: int | None = None,
        spool: Path | None = None,
    ) -> None:
        self.store_dir = store_dir
        self.time_limit = time_limit
        self.max_memory = max_memory
        self.spool = spool or Path(tempfile.mkdtemp(prefix="occugraph-spool-"))
        self.size = size
        self.admission = Admission(size, max_waiting)
        self.idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self.workers: set[_Worker] = set()
        self.closed = False
        self.numbers = count(1)
        for _ in range(size):
            self._add_worker()

    def _add_worker(self) -> None:
        worker = _Worker(self.store_dir, self.spool)
        self.workers.add(worker)
        self.idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        self.workers.discard(worker)
        worker.kill()
        if not self.closed:
            self._add_worker()

    async def _live_worker(self) -> _Worker:
        """The next idle worker, replacing any that died while idle (killed, out of memory)."""
        while True:
            worker = await self.idle.get()
            if worker.process.is_alive():
                return worker
            self._replace(worker)

    def load(self) -> Load:
        return self.admission.load()

    async def run(self, job: Job) -> Answer:
        """Run a job on the next free worker. Each job is numbered and its answer must
        carry that number: a worker that answers anything else is out of step (a stray or
        repeated message), so it is replaced rather than trusted with the next job. A job
        cancelled while it runs (its client went away) takes its worker down with it:
        Oxigraph cannot stop a query any other way."""
        with self.admission.queued():
            worker = await self._live_worker()
        with self.admission.running():
            return await self._run_on(worker, job)

    async def _run_on(self, worker: _Worker, job: Job) -> Answer:
        number = next(self.numbers)
        try:
            if not worker.started:  # a query's time limit starts once its worker is ready
                await self._receive(worker, STARTUP_LIMIT, watch_memory=False)
                worker.started = True
            worker.conn.send((number, job))
            reply = await self._receive(worker, self.time_limit, watch_memory=True)
            if not (isinstance(reply, tuple) and len(reply) == 2 and reply[0] == number):
                raise OutOfStepError(reply)
            outcome: Answer | Failure = reply[1]
        except asyncio.CancelledError:
            self._replace(worker)
            raise
        except (TimeoutError, EOFError, OSError, OutOfStepError, QueryMemoryError) as error:
            self._replace(worker)
            if isinstance(error, QueryMemoryError):
                raise
            if isinstance(error, OutOfStepError):
                error.discard()
                raise QueryFailedError(
                    500, "the query worker answered out of turn and was replaced; try again"
                ) from None
            if not worker.started:
                raise QueryFailedError(503, "a query worker did not start; try again") from None
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

    async def _receive(self, worker: _Worker, limit: float, *, watch_memory: bool) -> object:
        """The worker's next message, within ``limit`` seconds (else ``TimeoutError``),
        looking at its memory meanwhile (``QueryMemoryError`` past ``max_memory``)."""
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fileno = worker.conn.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fileno, wake)
        deadline = loop.time() + limit
        cap = self.max_memory if watch_memory else None
        try:
            while not ready.done():
                left = deadline - loop.time()
                if left <= 0:
                    raise TimeoutError
                await asyncio.wait([ready], timeout=min(left, MEMORY_CHECK) if cap else left)
                used = private_memory(worker.process.pid or 0) if cap and not ready.done() else None
                if cap and used is not None and used > cap:
                    raise QueryMemoryError(
                        f"the query needed more than the {cap // 2**20} MiB of memory a query "
                        "may use here and was stopped"
                    )
        finally:
            loop.remove_reader(fileno)
            os.set_blocking(fileno, True)  # uvloop leaves a watched descriptor non-blocking
        return worker.conn.recv()  # (number, Answer | Failure), or _READY once

    def close(self) -> None:
        """Stop idle workers now; busy ones stop when their query returns."""
        self.closed = True
        while not self.idle.empty():
            worker = self.idle.get_nowait()
            self.workers.discard(worker)
            worker.stop()
