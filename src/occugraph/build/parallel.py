"""Work spread over worker processes: extracting files, and mapping documents to N-Quads.

A worker returns only what the build needs back (kinds, link keys, record JSON,
N-Quads): pickling whole records both ways would cost more than extracting them.
"""

from __future__ import annotations

import ctypes
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from itertools import islice
from pathlib import Path
from typing import NamedTuple, TypeVar

from occugraph.build import kinds
from occugraph.build.elements import ElementMatcher
from occugraph.build.link import LinkKeys, Resolution, link_keys, mention_tokens
from occugraph.build.manifest import RecordStore, record_json
from occugraph.build.rdf.document import DocumentGraph
from occugraph.build.records import Record
from occugraph.build.reference import load_reference
from occugraph.build.sources import Source, decode, source_of
from occugraph.errors import OccugraphError

PARALLEL_FROM = 32
"""Fewer files than this are extracted (or mapped) in-process: a pool costs more than it saves."""
AHEAD = 24
"""Tasks in flight in ``ahead``: while the store bulk-loads one batch (24 MB of N-Quads), the
workers must be able to map the next (64 documents give about 1.6 MB), or they stand idle."""
CONNECT_TIMEOUT = 10
"""Seconds a Dask scheduler may take to answer the build's client."""
_PR_SET_PDEATHSIG = 1
T = TypeVar("T")


def extract_file(path: Path, data: bytes) -> tuple[str | None, Record | None, str | None]:
    """Kind, record and error of one file; never raises for bad input (runs in a pool)."""
    kind = None
    try:
        text = decode(data)
        kind = kinds.detect_kind(text)
        return kind, kinds.extract(text, kind), None
    except OccugraphError as error:
        return kind, None, str(error.located(path=str(path), kind=kind))
    except RecursionError:
        return (
            kind,
            None,
            str(OccugraphError("nesting too deep to read", path=str(path), kind=kind)),
        )


class Extracted(NamedTuple):
    kind: str | None
    error: str | None
    keys: LinkKeys | None
    warnings: list[str]
    tokens: str | None
    data: bytes | None  # the record as JSON, for the record store
    record: Record | None  # the record itself, when extracted in-process


def extract_one(path: str, data: bytes, keep: bool) -> Extracted:
    kind, record, error = extract_file(Path(path), data)
    if record is None:
        return Extracted(kind, error, None, [], None, None, None)
    return Extracted(
        kind,
        None,
        link_keys(record),
        list(record.warnings),
        mention_tokens(record),
        record_json(record),
        record if keep else None,
    )


class Read(NamedTuple):
    source: Source
    alone: bool  # empty or unreadable: said so of each such file, never a duplicate
    extracted: Extracted


def read_one(path: str, data: bytes | None, keep: bool) -> Read:
    """Extract a file, reading and hashing it first if the build has not (in a worker,
    so a build with nothing known of its files reads them on every core)."""
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            return _unreadable(path, error)
    return Read(source_of(path, data), not data.strip(), extract_one(path, data, keep))


def _unreadable(path: str, error: OSError) -> Read:
    """A file the build may not read, or that went since it was listed: one located
    line. Its size, -1, is no file's, so every build tries it again."""
    reason = error.strerror or type(error).__name__
    message = str(OccugraphError(f"cannot read the file ({reason})", path=path))
    source = Source(path=path, name=Path(path).name, sha256="", size=-1)
    return Read(source, True, Extracted(None, message, None, [], None, None, None))


class MapJob(NamedTuple):
    source: Source
    resolution: Resolution
    built_at: datetime
    record: Record | None  # None: ask the record store


@cache
def _matcher() -> ElementMatcher:
    return ElementMatcher(load_reference().elements)


def map_documents(
    jobs: Iterable[MapJob], records: Callable[[str], Record | None]
) -> tuple[bytes, list[int]]:
    """N-Quads of the documents' graphs, and how many statements each graph holds (the
    manifest keeps them: a build checks a store changed behind its back against them)."""
    reference = load_reference()
    lines: list[str] = []
    counted = []
    for job in jobs:
        record = job.record or records(job.source.sha256)
        if record is None:
            raise OccugraphError("its record left the record store", path=job.source.path)
        graph = DocumentGraph(job.source, job.resolution, reference, _matcher())
        mapped = kinds.write_graph(graph, record, job.built_at)
        counted.append(len(set(mapped)))  # one line per statement, written alike
        lines += mapped
    return "".join(lines).encode(), counted


@cache
def _record_store(path: Path, code: str, inode: int) -> RecordStore:
    return RecordStore(path, code)


def map_batch(jobs: list[MapJob], records_at: Path, code: str) -> tuple[bytes, list[int]]:
    """In a worker: the N-Quads of the documents' graphs. A Dask worker outlives builds,
    so the record store it keeps open is the file now at that path (by its inode), not
    one a later build removed."""
    inode = records_at.stat().st_ino
    return map_documents(jobs, _record_store(records_at, code, inode).record)


def _die_with(parent: int) -> None:
    """A pool worker ends when its build does, even one killed with SIGKILL (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the build ended before this worker was set up
        os._exit(1)


_executor: ContextVar[str | None] = ContextVar("executor", default=None)


@contextmanager
def executor(address: str | None) -> Iterator[None]:
    """Builds in this block send their extraction and mapping to the Dask scheduler at
    ``address`` (``dask://HOST:PORT`` or ``tcp://HOST:PORT``); None keeps the local pool.

    The workers must run this version of occugraph and reach the build's files by the
    same paths (each file's bytes travel with its task; the record store is opened by
    its absolute path).
    """
    if address is not None and not address.startswith(("dask://", "tcp://")):
        raise OccugraphError(f"not a Dask scheduler address: {address!r} (dask://HOST:PORT)")
    token = _executor.set(address)
    try:
        yield
    finally:
        _executor.reset(token)


class Workers:
    """A process pool, or a Dask cluster's client, made on first need; callers make sure
    that is before the store opens."""

    def __init__(self) -> None:
        self.pool: Executor | None = None
        self.address = _executor.get()

    def get(self, work: int) -> Executor | None:
        if self.address is None and (work < PARALLEL_FROM or (os.cpu_count() or 1) < 2):
            return None
        if self.pool is None:
            self.pool = (
                ProcessPoolExecutor(initializer=_die_with, initargs=(os.getpid(),))
                if self.address is None
                else DaskExecutor(self.address)
            )
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)  # work nobody will collect


def _each(function: Callable[..., T], chunk: list[tuple[object, ...]]) -> list[T]:
    return [function(*arguments) for arguments in chunk]


class DaskExecutor(Executor):
    """A Dask distributed cluster as the build's process pool.

    ``submit`` goes to the client's own ``concurrent.futures`` executor; ``map`` sends
    ``chunksize`` calls in one task, as the process pool does (Dask ignores chunksize,
    and a task per file would cost the scheduler more than the file's extraction), with
    ``AHEAD`` tasks in flight and the results in order.
    """

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client  # an optional extra: occugraph[dask]
        except ImportError:
            raise OccugraphError(
                "--executor needs Dask's distributed: pip install 'occugraph[dask]'"
            ) from None
        scheduler = address.replace("dask://", "tcp://", 1)
        try:
            self.client = Client(scheduler, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
        except OSError as error:  # the scheduler does not answer (a TimeoutError too)
            raise OccugraphError(
                f"cannot reach the Dask scheduler at {address} ({error})"
            ) from None
        self.inner: Executor = self.client.get_executor(pure=False)  # type: ignore[no-untyped-call]

    def submit(self, fn: Callable[..., T], /, *args: object, **kwargs: object) -> Future[T]:
        return self.inner.submit(fn, *args, **kwargs)

    def map(
        self,
        fn: Callable[..., T],
        *iterables: Iterable[object],
        timeout: float | None = None,
        chunksize: int = 1,
    ) -> Iterator[T]:
        calls = zip(*iterables, strict=False)
        chunks = iter(lambda: list(islice(calls, chunksize)), [])
        waiting = deque(self.inner.submit(_each, fn, chunk) for chunk in islice(chunks, AHEAD))
        more = (self.inner.submit(_each, fn, chunk) for chunk in chunks)
        return (result for results in _in_order(waiting, more) for result in results)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait and not cancel_futures)
        self.client.close()  # type: ignore[no-untyped-call]


def ahead(
    pool: Executor, function: Callable[..., T], batches: Sequence[object], *args: object
) -> Iterator[T]:
    """Results in order with at most ``AHEAD`` tasks in flight, so memory stays bounded.

    The first tasks are submitted at once, not on first use: the workers map while
    the caller gets the store ready.
    """
    # A worker elsewhere (a Dask cluster) has a working directory of its own.
    args = tuple(arg.absolute() if isinstance(arg, Path) else arg for arg in args)
    todo = iter(batches)
    waiting = deque(pool.submit(function, batch, *args) for batch in islice(todo, AHEAD))
    return _in_order(waiting, (pool.submit(function, batch, *args) for batch in todo))


def _in_order(waiting: deque[Future[T]], more: Iterator[Future[T]]) -> Iterator[T]:
    while waiting:
        yield waiting.popleft().result()
        waiting.extend(islice(more, 1))
