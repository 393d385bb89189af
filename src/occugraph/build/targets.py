"""Where a build writes: the embedded store, or a SPARQL 1.1 store at a URL.

:mod:`occugraph.build` decides what to write (which graphs changed, the links graph's
diff, the reference data); a target says where it goes and keeps what the next build
needs (the manifest and the record store). The embedded store writes a copy and swaps
it in whole. A remote store replaces each graph whole, one request per graph; a build
cut short there leaves a journal of the graphs it may have touched (``pending.json``),
and the next build writes those again, so the store ends up as a full build makes it.
"""

from __future__ import annotations

import fcntl
import json
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import NamedTuple, Protocol

from pyoxigraph import (
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)

from occugraph import ids
from occugraph.build.manifest import Entry, Manifest, Summary, records_path, write_whole
from occugraph.build.manifest_file import (
    patch_manifest,
    read_manifest,
    read_manifest_in,
    read_summary,
    write_manifest,
)
from occugraph.build.rdf.load import LOAD_BYTES, Loader
from occugraph.build.rdf.load import clear as clear_graph
from occugraph.files import own_query
from occugraph.store.embedded import StoreBusyError, current_build, next_build
from occugraph.store.remote import RemoteStore

DROPS_PER_UPDATE = 500
"""Graphs dropped per SPARQL Update request."""
SENDERS = 4
"""Graphs sent to a remote store at once: the store parses one while the next travels."""
COMPACT_AFTER = 16
"""Bulk loads after which a build compacts the store before it becomes current. Each bulk
load adds files of its own and a lookup reads every one of them: after the 54 loads of
graph.org.ai's corpus, lookups were 16 times slower than in the compacted store, which
takes about 17 s to compact. A build of a few loads is left as it is."""
LOADERS = 2
"""Threads bulk-loading into the embedded store at once."""
QUEUED = 8
"""Batches of N-Quads waiting for a loader thread, at most."""
IN_FLIGHT = 64
"""Graphs mapped and waiting to be sent, at most (each is held in memory until sent)."""


class Unsure(NamedTuple):
    """Graphs whose content in the store is not what the manifest says: write them again."""

    graphs: frozenset[str]  # named graphs of documents, by IRI
    reference: bool  # the ontology and reference graphs too


BUILT = (ids.GRAPH_ONTOLOGY, ids.GRAPH_REFERENCE, ids.GRAPH_LINKS)
"""The graphs every build writes besides the documents' own."""


def differing(previous: Manifest, sizes: Mapping[str, int]) -> Unsure | None:
    """What to write again in a store that may have changed since ``previous`` was
    written (through the endpoint, say), given the statements each of its graphs holds
    now: the documents' graphs of another size, those no build wrote, and the ontology,
    reference and links graphs if they hold another number of statements between them.
    None if every graph is as written.

    A change that keeps a graph's size escapes this check; ``build --full`` rewrites all.
    """
    prefix = ids.source("")
    expected = {ids.source(e.source.sha256): e.triples for e in previous.entries if e.graph_key}
    strangers = {graph for graph in sizes if graph.startswith(prefix)} - expected.keys()
    changed = {graph for graph, triples in expected.items() if sizes.get(graph) != triples}
    counted = [triples for triples in expected.values() if triples is not None]
    built = sum(sizes.get(graph, 0) for graph in BUILT)
    reference = len(counted) < len(expected) or built != previous.triples - sum(counted)
    if not (changed or strangers or reference):
        return None
    return Unsure(frozenset(changed | strangers), reference)


def graph_sizes(answer: QuerySolutions | QueryBoolean | QueryTriples) -> dict[str, int]:
    """The answer of ``sparql/graph-sizes.rq``, by graph IRI."""
    assert isinstance(answer, QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in answer}


class Sink(Protocol):
    """The writes of one build."""

    def drop(self, graphs: Sequence[str], *, count: bool) -> int:
        """Remove whole named graphs; the statements they held, if ``count``."""
        ...

    def replace(self, data: bytes, *, clear: Sequence[str] = ()) -> None:
        """N-Quads of whole graphs, each taking the place of its graph (``clear`` names
        graphs to empty even if ``data`` holds nothing of them)."""
        ...

    def change(self, remove: list[Quad], add: list[Quad]) -> None:
        """Remove and add single statements."""
        ...

    def commit(self, manifest: Manifest, triples: int | None) -> None:
        """Everything is written: keep ``manifest`` (``triples`` counted, or None to count)."""
        ...

    def commit_changes(self, entries: list[Entry], triples: int | None, **head: object) -> int:
        """As ``commit``, keeping the previous manifest with the entries of the files
        read again replaced (by path) and the fields ``head`` set; the statements
        the store holds."""
        ...


class Target(Protocol):
    name: str
    counts: bool
    """Whether a build may keep count of the statements itself (else the store counts)."""
    starts_empty: bool
    """Whether a build may start from an empty store (else it removes what it replaces)."""

    def manifest(self) -> Manifest | None: ...

    def folder(self) -> Path | None:
        """Where the previous build's manifest is, if anywhere."""
        ...

    def summary(self) -> Summary | None:
        """The previous build's summary, when it still describes the store."""
        ...

    def records(self) -> Path: ...

    def unsure(self, previous: Manifest | None) -> Unsure | None:
        """What an interrupted build may have left half-done; None when all is as the
        manifest says."""
        ...

    def current(self, previous: Manifest | None) -> bool:
        """Whether ``previous`` describes what the store holds now."""
        ...

    def keep(self, manifest: Manifest) -> None:
        """Keep a manifest when nothing but it changed (a file moved, say)."""
        ...

    def patch(self, entries: list[Entry], **head: object) -> None:
        """Keep the manifest with these entries replaced (by path): when nothing but
        they changed (files touched, say)."""
        ...

    def writing(self, touched: Unsure, *, empty: bool) -> AbstractContextManager[Sink]:
        """Write a new build, from an empty store if ``empty`` and ``starts_empty``."""
        ...

    def triples(self, manifest: Manifest) -> int: ...


# --- the embedded store ----------------------------------------------------------


class LocalTarget:
    """The embedded store at ``link`` (see :mod:`occugraph.store`)."""

    counts = True
    starts_empty = True

    def __init__(self, link: Path) -> None:
        self.link = link
        self.name = str(link)

    def manifest(self) -> Manifest | None:
        return read_manifest(self.link)

    def folder(self) -> Path | None:
        return current_build(self.link)

    def summary(self) -> Summary | None:
        build = current_build(self.link)
        if build is None or (found := read_summary(build)) is None:
            return None
        return found if found.build == build.name else None

    def records(self) -> Path:
        return records_path(self.link)

    def unsure(self, previous: Manifest | None) -> Unsure | None:
        """A build is swapped in whole or not at all, but every write through the endpoint
        makes a build of its own: one the manifest does not name was changed since."""
        build = current_build(self.link)
        if previous is None or build is None or previous.build == build.name:
            return None
        store = Store.read_only(str(build / "oxigraph"))
        found = differing(previous, graph_sizes(store.query(own_query("graph-sizes"))))
        if found is None:  # as the manifest says after all: it describes this build
            patch_manifest(build, build, [], build=build.name)
        return found

    def current(self, previous: Manifest | None) -> bool:
        build = current_build(self.link)
        return previous is not None and build is not None and previous.build == build.name

    def keep(self, manifest: Manifest) -> None:
        build = current_build(self.link)
        assert build is not None
        write_manifest(build, manifest)

    def patch(self, entries: list[Entry], **head: object) -> None:
        build = current_build(self.link)
        assert build is not None
        patch_manifest(build, build, entries, **head)

    @contextmanager
    def writing(self, touched: Unsure, *, empty: bool) -> Iterator[Sink]:
        with next_build(self.link, empty=empty) as (store, build_dir):
            sink = _StoreSink(store, build_dir, current_build(self.link))
            try:
                yield sink
            finally:  # no load may still run when the store closes (or is removed)
                sink.stop()

    def triples(self, manifest: Manifest) -> int:
        build = current_build(self.link)
        if build is None:
            return 0
        if manifest.build == build.name:
            return manifest.triples
        return len(Store.read_only(str(build / "oxigraph")))


class _StoreSink:
    """Loads in ``LOADERS`` threads, each with batches of its own: two bulk loads at once
    take about half the time of one after the other (each is mostly single-threaded).

    Removals (``drop``, ``clear``, ``change``) apply at once while loads may still be
    queued, so a build removes only what the previous build left, never what it loaded
    itself (as :func:`occugraph.build` does: each graph is written once per build)."""

    def __init__(self, store: Store, build_dir: Path, previous: Path | None) -> None:
        self.store, self.build_dir, self.previous = store, build_dir, previous
        # Each loader takes a share of one batch's bytes, so memory stays as with one.
        self.loaders = [
            (Loader(store, batch=LOAD_BYTES // LOADERS), ThreadPoolExecutor(1))
            for _ in range(LOADERS)
        ]
        self.sent: deque[Future[None]] = deque()
        self.turn = 0

    def _load(self, data: bytes) -> None:
        loader, thread = self.loaders[self.turn]
        self.turn = (self.turn + 1) % LOADERS
        self.sent.append(thread.submit(loader.add, data))
        while len(self.sent) > QUEUED or (self.sent and self.sent[0].done()):
            self.sent.popleft().result()  # raises a load's error here (a full disk, say)

    def stop(self) -> None:
        for _, thread in self.loaders:
            thread.shutdown(cancel_futures=True)

    def drop(self, graphs: Sequence[str], *, count: bool) -> int:
        removed = 0
        for iri in graphs:
            graph = NamedNode(iri)
            if count:
                removed += sum(1 for _ in self.store.quads_for_pattern(None, None, None, graph))
            self.store.remove_graph(graph)
        return removed

    def replace(self, data: bytes, *, clear: Sequence[str] = ()) -> None:
        for graph in clear:
            clear_graph(self.store, graph)
        self._load(data)

    def change(self, remove: list[Quad], add: list[Quad]) -> None:
        for quad in remove:
            self.store.remove(quad)
        self._load(serialize(add, format=RdfFormat.N_QUADS) or b"")

    def _finish(self, triples: int | None) -> int:
        flushed = [thread.submit(loader.flush, last=True) for loader, thread in self.loaders]
        for future in [*self.sent, *flushed]:
            future.result()
        if sum(loader.bulk_loads for loader, _ in self.loaders) >= COMPACT_AFTER:
            self.store.optimize()
        return len(self.store) if triples is None else triples

    def commit(self, manifest: Manifest, triples: int | None) -> None:
        manifest.triples = self._finish(triples)
        manifest.build = self.build_dir.name
        write_manifest(self.build_dir, manifest)

    def commit_changes(self, entries: list[Entry], triples: int | None, **head: object) -> int:
        assert self.previous is not None  # only a build of a previous one changes it
        counted = self._finish(triples)
        build = self.build_dir.name
        patch_manifest(self.previous, self.build_dir, entries, build=build, triples=counted, **head)
        return counted


# --- a remote store ----------------------------------------------------------------

REMOTE_STATE = Path(".occugraph/remote")
"""Where what a build keeps about each remote store lives, by a digest of its URL."""


class RemoteTarget:
    """A SPARQL 1.1 store at a URL; the manifest and records are kept locally in ``state``."""

    counts = False
    starts_empty = False

    def __init__(self, remote: RemoteStore, state: Path | None = None) -> None:
        self.remote = remote
        self.name = remote.url
        self.state = state or REMOTE_STATE / remote.key

    def folder(self) -> Path | None:
        return self.state

    def manifest(self) -> Manifest | None:
        """The manifest kept for this store, unless the store has lost the graphs every
        build writes (emptied or replaced since): then nothing is known of it."""
        manifest = read_manifest_in(self.state)
        if manifest is None:
            return None
        return manifest if self.remote.holds(ids.GRAPH_REFERENCE) else None

    def summary(self) -> Summary | None:
        if self._pending() is not None:
            return None
        found = read_summary(self.state)
        # Anything may write to a remote store: one that holds as many statements as the
        # build left is taken to be as it left it (see ``differing``).
        return found if found is not None and len(self.remote) == found.triples else None

    def records(self) -> Path:
        return self.state / "records.sqlite3"

    def _pending(self) -> Unsure | None:
        try:
            said = json.loads((self.state / "pending.json").read_text())
        except (OSError, ValueError):
            return None
        return Unsure(frozenset(said["graphs"]), bool(said["reference"]))

    def unsure(self, previous: Manifest | None) -> Unsure | None:
        pending = self._pending()
        if previous is None:
            # Nothing known here: whatever documents the store holds may be stale.
            held = self.remote.graphs(ids.source(""))
            return Unsure(frozenset(held | (pending.graphs if pending else set())), True)
        triples = len(self.remote)
        if triples == previous.triples:
            return pending
        changed = differing(previous, graph_sizes(self.remote.query(own_query("graph-sizes"))))
        if changed is None:  # statements in graphs of others: count them in from now on
            patch_manifest(self.state, self.state, [], triples=triples)
            return pending
        return changed if pending is None else Unsure(changed.graphs | pending.graphs, True)

    def current(self, previous: Manifest | None) -> bool:
        return previous is not None and self._pending() is None

    def keep(self, manifest: Manifest) -> None:
        write_manifest(self.state, manifest)

    def patch(self, entries: list[Entry], **head: object) -> None:
        patch_manifest(self.state, self.state, entries, **head)

    def triples(self, manifest: Manifest) -> int:
        return manifest.triples  # counted by the store when the build was written

    @contextmanager
    def writing(self, touched: Unsure, *, empty: bool) -> Iterator[Sink]:
        self.state.mkdir(parents=True, exist_ok=True)
        with (self.state / ".lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreBusyError(f"another build is writing {self.name}") from None
            before = self._pending() or Unsure(frozenset(), False)
            journal = {
                "graphs": sorted(before.graphs | touched.graphs),
                "reference": before.reference or touched.reference,
            }
            write_whole(self.state / "pending.json", json.dumps(journal).encode())
            with ThreadPoolExecutor(SENDERS) as senders:
                try:
                    yield _RemoteSink(self, senders)
                except BaseException:
                    senders.shutdown(cancel_futures=True)
                    raise


class _RemoteSink:
    """Sends each graph in a PUT of its own, ``SENDERS`` at a time; ``commit`` waits for
    them all (the first failure stops the build, and the journal stays)."""

    def __init__(self, target: RemoteTarget, senders: ThreadPoolExecutor) -> None:
        self.target = target
        self.remote = target.remote
        self.senders = senders
        self.sending: deque[Future[None]] = deque()

    def _put(self, graph: str, triples: list[Triple]) -> None:
        self.remote.put(graph, _ntriples(triples))

    def _wait(self, keep: int) -> None:
        """Wait until at most ``keep`` PUTs are in flight, raising the first failure."""
        while len(self.sending) > keep:
            self.sending.popleft().result()

    def drop(self, graphs: Sequence[str], *, count: bool) -> int:
        for start in range(0, len(graphs), DROPS_PER_UPDATE):
            batch = graphs[start : start + DROPS_PER_UPDATE]
            self.remote.update(" ;\n".join(f"DROP SILENT GRAPH {NamedNode(g)}" for g in batch))
        return 0

    def replace(self, data: bytes, *, clear: Sequence[str] = ()) -> None:
        graphs = _by_graph(parse(data, format=RdfFormat.N_QUADS))
        self.drop([g for g in clear if g not in graphs], count=False)
        for graph, triples in graphs.items():
            self.sending.append(self.senders.submit(self._put, graph, triples))
            self._wait(IN_FLIGHT)

    def change(self, remove: list[Quad], add: list[Quad]) -> None:
        parts = [
            f"{verb} DATA {{ {_quad_data(quads)} }}"
            for verb, quads in (("DELETE", remove), ("INSERT", add))
            if quads
        ]
        if parts:
            self.remote.update(" ;\n".join(parts))

    def commit(self, manifest: Manifest, triples: int | None) -> None:
        self._wait(0)
        manifest.triples = len(self.remote) if triples is None else triples
        manifest.build = self.remote.url
        self.target.keep(manifest)
        (self.target.state / "pending.json").unlink(missing_ok=True)

    def commit_changes(self, entries: list[Entry], triples: int | None, **head: object) -> int:
        self._wait(0)
        counted = len(self.remote) if triples is None else triples
        state = self.target.state
        patch_manifest(state, state, entries, build=self.remote.url, triples=counted, **head)
        (state / "pending.json").unlink(missing_ok=True)
        return counted


def _by_graph(quads: Iterator[Quad]) -> dict[str, list[Triple]]:
    """Statements by named graph (a build writes nothing in the default graph)."""
    graphs: dict[str, list[Triple]] = {}
    for quad in quads:
        assert isinstance(quad.graph_name, NamedNode)
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return graphs


def _ntriples(triples: list[Triple]) -> bytes:
    return serialize(triples, format=RdfFormat.N_TRIPLES) or b""


def _quad_data(quads: list[Quad]) -> str:
    """``GRAPH <g> { s p o . ... }`` for each graph: N-Triples are valid SPARQL triples."""
    return " ".join(
        f"GRAPH {NamedNode(graph)} {{ {_ntriples(triples).decode()} }}"
        for graph, triples in _by_graph(iter(quads)).items()
    )
