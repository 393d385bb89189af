"""The build being served, and what the server keeps of it until the next build.

One ``ServedGraph`` follows the store link: when a build swaps the link, the next
request gets a new worker pool on the new build and an empty :class:`BuildCache`, and
ETags (the build id) change. Or it serves a remote store: queries and lookups go to it
over the SPARQL Protocol, and writes are answered 501 (the store's own server takes them).
"""

from __future__ import annotations

import os
from collections.abc import Hashable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from pyoxigraph import NamedNode, Store
from starlette.exceptions import HTTPException
from starlette.requests import Request

from occugraph.query.remote import RemotePool
from occugraph.query.sandbox import sandboxed_executor
from occugraph.query.saved import Bindings, Queryable, QueryLibrary
from occugraph.query.workers import Answer, QueryPool
from occugraph.server.pages.home import Summary
from occugraph.server.pages.search import SearchIndex
from occugraph.settings import Settings
from occugraph.store.embedded import current_build
from occugraph.store.remote import RemoteStore

KEPT_BYTES = 64 * 1024 * 1024
"""Descriptions, and whole answers, kept per build: bytes of each."""
KEPT_BINDINGS = 4096
"""Bound parameter sets kept per build (forgotten all at once when full)."""


class HasBody(Protocol):
    @property
    def body(self) -> bytes | None: ...


K = TypeVar("K", bound=Hashable)
V = TypeVar("V", bound=HasBody)


class Kept(Generic[K, V]):
    """Answers of one build by key, up to ``limit`` bytes in all, each at most ``largest``
    bytes; the oldest go first."""

    def __init__(self, limit: int, largest: int | None = None) -> None:
        self.limit = limit
        self.largest = min(largest or limit, limit)
        self.answers: dict[K, V] = {}
        self.size = 0

    def keep(self, key: K, answer: V) -> None:
        if answer.body is None or len(answer.body) > self.largest or key in self.answers:
            return
        self.answers[key] = answer
        self.size += len(answer.body)
        while self.size > self.limit:
            oldest = self.answers.pop(next(iter(self.answers)))
            self.size -= len(oldest.body or b"")


@dataclass(frozen=True)
class KeptResponse:
    """A whole HTTP answer, as the app sent it."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


ResponseKey = tuple[bytes, bytes, tuple[bytes, ...]]
"""A request's path, query and the headers its answer may depend on."""
KEPT_RESPONSE_BYTES = 256 * 1024
"""Whole answers larger than this are not kept (they are streamed, or rare)."""


BindingKey = tuple[str, tuple[tuple[str, str], ...]]
"""A saved query's name and the parameter values it was given, sorted."""


@dataclass
class BuildCache:
    """What the server works out once per build: a build never changes."""

    graph_sizes: list[tuple[str, int]] | None = None
    triples: int | None = None
    distinct_triples: int | None = None
    """Distinct triples of the union default graph (the service description's)."""
    home: Summary | None = None
    search: SearchIndex | None = None
    examples: list[dict[str, str]] | None = None
    """The SPARQL editor's example queries."""
    bindings: dict[BindingKey, Bindings] = field(default_factory=dict)
    descriptions: Kept[tuple[str, str], Answer] = field(default_factory=lambda: Kept(KEPT_BYTES))
    responses: Kept[ResponseKey, KeptResponse] = field(
        default_factory=lambda: Kept(KEPT_BYTES, KEPT_RESPONSE_BYTES)
    )
    """Whole answers marked as pure functions of the build (``server/cache.py``)."""
    canonical: dict[str, NamedNode | None] = field(default_factory=dict)
    """The IRI each IRI asked for is an alias of, or None."""


class ServedGraph:
    """The build being served, its worker pool and a read-only handle for quick lookups.

    Or a remote store: queries and lookups go to it over the SPARQL Protocol, and writes
    are answered 501 (the store's own server takes them).
    """

    def __init__(self, store: Path | RemoteStore, settings: Settings) -> None:
        self.link = store if isinstance(store, Path) else None
        self.remote = store if isinstance(store, RemoteStore) else None
        self._remote_pool = (
            RemotePool(
                store,
                size=settings.workers,
                time_limit=settings.time_limit,
                max_waiting=settings.max_waiting,
            )
            if isinstance(store, RemoteStore)
            else None
        )
        self.settings = settings
        self.build: Path | None = None
        self._target: str | None = None
        self._pool: QueryPool | None = None
        self._store: Store | None = None
        self._writer: ProcessPoolExecutor | None = None
        self.cache = BuildCache()
        self.library = QueryLibrary(settings.queries)

    def _follow(self) -> Path:
        """The current build, starting its pool when the link has moved to a new one. Asked
        several times a request: an unmoved link costs one ``readlink``."""
        link = self.local
        try:
            target: str | None = os.readlink(link)
        except OSError:
            target = None
        if target is not None and target == self._target and self.build is not None:
            return self.build
        build = current_build(link)
        if build is None:
            raise HTTPException(503, f"no build at {link}: run 'occugraph build' first")
        if build != self.build:
            store = Store.read_only(str(build / "oxigraph"))
            pool = QueryPool(
                build / "oxigraph",
                size=self.settings.workers,
                time_limit=self.settings.time_limit,
                max_waiting=self.settings.max_waiting,
                max_memory=self.settings.max_query_memory * 2**20,
            )
            if self._pool is not None:
                self._pool.close()
            self.build, self._pool, self._store = build, pool, store
            self.cache = BuildCache()
        self._target = target
        return build

    @property
    def local(self) -> Path:
        """The embedded store's link; a remote store is not this server's to write."""
        if self.link is None:
            raise HTTPException(
                501, "this server reads a remote store: read and write its graphs there"
            )
        return self.link

    @property
    def pool(self) -> QueryPool | RemotePool:
        if self._remote_pool is not None:
            return self._remote_pool
        self._follow()
        assert self._pool is not None
        return self._pool

    @property
    def store(self) -> Store:
        self._follow()
        assert self._store is not None
        return self._store

    @property
    def lookup(self) -> Queryable:
        """Where quick lookups go: the read-only handle, or the remote store."""
        return self.remote if self.remote is not None else self.store

    @property
    def build_id(self) -> str | None:
        """The build served; None for a remote store, whose changes this server cannot see."""
        return None if self.remote is not None else self._follow().name

    @property
    def modified(self) -> datetime | None:
        if self.remote is not None:
            return None
        return datetime.fromtimestamp(self._follow().stat().st_mtime, UTC)

    @property
    def writer(self) -> ProcessPoolExecutor:
        """The sandboxed process that applies SPARQL updates, started on the first one."""
        if self._writer is None:
            self._writer = sandboxed_executor()
        return self._writer

    def writer_stopped(self) -> None:
        """Forget a writer process that died; the next update starts another."""
        if self._writer is not None:
            self._writer.shutdown(wait=False, cancel_futures=True)
            self._writer = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        if self._remote_pool is not None:
            self._remote_pool.close()
        if self.remote is not None:
            self.remote.close()
        if self._writer is not None:
            self._writer.shutdown(wait=True, cancel_futures=True)


def served(request: Request) -> ServedGraph:
    graph: ServedGraph = request.app.state.graph
    return graph
