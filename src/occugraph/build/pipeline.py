"""The build: files → records → links → RDF → a new store, incrementally and atomically.

Unchanged files (same SHA-256; a file whose size and mtime the manifest has is
not even hashed again) are not read again. The manifest keeps what resolution
needs of each file (its :class:`~occugraph.link.LinkKeys`), and the records wait
in the record store until a document's graph must be written again
(:mod:`occugraph.manifest`). So a rebuild with nothing changed reads the manifest
and looks at the files; a rebuild with one changed file extracts that file,
resolves the corpus from the manifest's keys and writes one graph, plus the
statements of the links graph that changed. A document's graph is written again
when its content, its file name, its resolved occupation, the reference data or
the code that extracts, links and maps it changed.

A large build uses every core twice: to extract the files, and, once the corpus
is resolved, to map documents to N-Quads that the store bulk-loads in batches
while the next ones are mapped (the embedded store in two threads at once).

This module decides what to write; where it goes (the embedded store, or a SPARQL
1.1 store at a URL) and where the manifest is kept is a target's business
(:mod:`occugraph.targets`).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, Field, PrivateAttr

from occugraph import ids
from occugraph.build.link import resolve_keys, resolves_alike
from occugraph.build.manifest import (
    Entry,
    Interned,
    KeptMentions,
    Manifest,
    RecordStore,
    ScannedFile,
    Summary,
    code_key,
    outcome,
    scan,
)
from occugraph.build.manifest_file import files_with, read_entries, read_manifest
from occugraph.build.parallel import (
    Extracted,
    MapJob,
    Read,
    Workers,
    ahead,
    extract_one,
    map_batch,
    map_documents,
    read_one,
)
from occugraph.build.rdf.document import EXTRACTOR_VERSION
from occugraph.build.rdf.links import links_quads
from occugraph.build.rdf.load import (
    Linked,
    links_change,
    nquads,
    ontology_quads,
)
from occugraph.build.rdf.reference import reference_quads
from occugraph.build.records import Record
from occugraph.build.reference import Reference, load_reference
from occugraph.build.sources import Source, discover, hash_file
from occugraph.build.targets import LocalTarget, Target, Unsure
from occugraph.errors import OccugraphError
from occugraph.files import ONTOLOGY
from occugraph.store.embedded import StoreFullError, no_space

__all__ = ["BuildReport", "Entry", "Manifest", "build", "read_manifest"]

BATCH = 64
"""Documents per mapping task."""
QUICK_FILES = 10_000
"""Files read again, at most, in a build that may leave the rest of the manifest unread
(a file unpacked or copied just before a build is read again by the next: about 0.1 ms)."""
QUICK_CHANGES = 64
"""Files with new content, at most, in such a build (each is extracted in-process)."""
SAVE_EVERY = 512
"""Records saved in one transaction while extraction goes on."""

Progress = Callable[[str, int, int], None]
"""Called with a phase (``reading`` the files, ``writing`` their graphs), what is done of
it and how much there is."""


class BuildReport(BaseModel):
    store: str
    written: int = Field(description="Named graphs of documents written by this build.")
    removed: int
    up_to_date: bool
    triples: int
    seconds: float
    records_read: int = Field(0, description="Records read back from the record store.")
    files: int
    kinds: dict[str, int] = Field(description="Files built, by kind.")
    errors: list[str]
    occupations: set[str] = Field(description="O*NET codes of the occupations resolved.")
    notes: list[str] = Field(default_factory=list)
    details: list[str] = Field(
        default_factory=list, description="Notes for --verbose: nothing a user can act on."
    )
    _entries: list[Entry] | Callable[[], list[Entry]] = PrivateAttr()

    @property
    def entries(self) -> list[Entry]:
        """Every file as the manifest has it (read from the store's manifest on first use
        when the build found nothing changed)."""
        if callable(self._entries):
            self._entries = self._entries()
        return self._entries


# --- the build ----------------------------------------------------------------


class _Old(NamedTuple):
    """What the previous build wrote for one document, before this build updates the entry."""

    graph_key: str
    linked: Linked | None  # the inputs of its statements in the links graph


def build(
    paths: Sequence[Path],
    *,
    store: Path | Target,
    strict: bool = False,
    full: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the files under ``paths`` into ``store``, the embedded store's link or a
    :class:`~occugraph.targets.Target`; see the module docstring. A ``full`` build reads
    every file again and writes the store anew, as if there had been no build before."""
    started, scanned = time.perf_counter(), time.time_ns()
    target = LocalTarget(store) if isinstance(store, Path) else store
    reference = load_reference()
    reference_key = _reference_key(reference.fingerprint)
    found = discover(paths)
    summary = None if full else target.summary()
    if summary is not None and (summary.code_key, summary.reference_key) == (
        code_key(),
        reference_key,
    ):
        changed = summary.changed(found, most=QUICK_FILES)
        if changed == []:
            return _summary_report(target, summary, started)
        if changed and (quick := _quick(target, summary, changed, reference, scanned)):
            return _summary_report(target, summary, started, quick)
    previous = None if full else target.manifest()
    unsure = target.unsure(previous)
    usable = previous if previous is not None and previous.code_key == code_key() else None
    files = scan(found, usable)
    records = RecordStore(target.records(), code_key())
    workers = Workers()
    try:
        if (
            usable is not None
            and unsure is None
            and usable.reference_key == reference_key
            and [e.source for e in usable.entries if not e.kept] == [f.source for f in files]
        ):
            if any(file.data is not None for file in files) and target.current(usable):
                _rescanned(target, usable, files, scanned)
            return _report(target, usable, reference, started, records)
        old = {
            e.source.sha256: _Old(
                e.graph_key,
                (e.source, e.resolution, e.keys) if e.resolution and e.keys else None,
            )
            for e in (previous.entries if previous else [])
            if e.graph_key
        }
        corpus = _read_corpus(files, usable, records, workers, progress)
        if strict and any(e.error for e in corpus.entries):
            bad = sum(bool(e.error) for e in corpus.entries)
            raise OccugraphError(f"{bad} bad file(s); --strict builds nothing")
        manifest = _resolve(corpus, usable, reference, reference_key, records)
        manifest.scanned_ns = scanned
        return _update(
            target,
            manifest,
            previous,
            old,
            unsure,
            corpus,
            reference,
            records,
            workers,
            started,
            progress,
        )
    except Exception as error:
        # next_build reports a full disk inside the new build; this is one outside it.
        if no_space(error) and not isinstance(error, OccugraphError):
            raise StoreFullError(
                f"no space left on the device for the build's records ({records.path.parent}) "
                "or manifest; the store is unchanged (free some space and build again)",
                path=target.name,
            ) from error
        raise
    finally:
        workers.close()
        records.close()


class _Quick(NamedTuple):
    written: int
    triples: int


def _quick(
    target: Target, summary: Summary, changed: list[str], reference: Reference, scanned: int
) -> _Quick | None:
    """Build a few files read again without reading the rest of the manifest, when what
    they give resolution is what they gave before: then every document resolves as it
    did (resolution depends on nothing else), so only their own graphs are written and
    the links graph changes only in what it says of them. None, having written nothing,
    when that cannot be told from these files alone (a new kind or title, a duplicate,
    an article whose mentions are counted anew, an error): the full build decides."""
    folder = target.folder()
    if folder is None:
        return None
    before = read_entries(folder, changed)
    built_at = datetime.now(UTC)
    kept: list[Entry] = []  # the files' entries now, in the manifest's order
    fresh: list[tuple[Entry, MapJob, Extracted]] = []  # the previous entry, what to write
    for path in changed:
        if len(before.get(path, ())) != 1:
            return None  # a file that broke keeps its previous entry beside its error
        [old] = before[path]
        try:
            data, source = hash_file(path)
            mtime_ns = os.stat(path).st_mtime_ns
        except OSError:
            return None  # the full build reports it
        if source == old.source:  # touched, or too recent to trust: the same content
            kept.append(old.model_copy(update={"mtime_ns": mtime_ns}))
            continue
        if len(fresh) == QUICK_CHANGES:
            return None
        done = extract_one(path, data, True)
        if (
            old.keys is None
            or done.keys is None
            or old.resolution is None
            or not resolves_alike(old.keys, done.keys, old.resolution)
            or (done.kind, done.warnings) != (old.kind, old.warnings)
            or files_with(folder, old.source.sha256) != [(path, old.source.sha256)]
            or files_with(folder, source.sha256)
        ):
            return None
        update = {"source": source, "keys": done.keys, "mtime_ns": mtime_ns, "built_at": built_at}
        kept.append(old.model_copy(update=update))
        fresh.append((old, MapJob(source, old.resolution, built_at, done.record), done))
    head: dict[str, object] = {"scanned_ns": scanned}
    if not fresh:  # nothing to write but the files' times
        target.patch(kept, **head)
        return _Quick(0, summary.triples)
    head["built_at"] = built_at.isoformat()
    records = RecordStore(target.records(), code_key())
    try:
        return _write_quick(target, summary, kept, fresh, reference, records, head)
    finally:
        records.close()


def _write_quick(
    target: Target,
    summary: Summary,
    kept: list[Entry],
    fresh: list[tuple[Entry, MapJob, Extracted]],
    reference: Reference,
    records: RecordStore,
    head: dict[str, object],
) -> _Quick:
    records.save(
        (job.source.sha256, done.data, done.tokens)
        for _, job, done in fresh
        if done.data is not None
    )
    new = {entry.source.sha256: entry for entry in kept}
    links = links_change(
        dict(_linked([old for old, _, _ in fresh])),
        dict(_linked([new[job.source.sha256] for _, job, _ in fresh])),
        reference,
    )
    gone = [old.source.iri for old, _, _ in fresh]
    touched = Unsure(frozenset(gone + [job.source.iri for _, job, _ in fresh]), False)
    with target.writing(touched, empty=False) as sink:
        triples = summary.triples - sink.drop(gone, count=target.counts)
        sink.change(links_quads(links.remove), links_quads(links.add))
        data, counted = map_documents([job for _, job, _ in fresh], records.record)
        sink.replace(data)
        for (_, job, _), statements in zip(fresh, counted, strict=True):
            new[job.source.sha256].triples = statements
        triples += sum(counted) + len(links.add) - len(links.remove)
        triples = sink.commit_changes(kept, triples if target.counts else None, **head)
    records.forget({old.source.sha256 for old, _, _ in fresh})
    return _Quick(len(fresh), triples)


def _rescanned(target: Target, manifest: Manifest, files: list[ScannedFile], scanned: int) -> None:
    """Keep the times of files read again only to find them unchanged (touched, or too
    recent to trust their time), so the next build trusts them and reads the summary only."""
    for entry, file in zip((e for e in manifest.entries if not e.kept), files, strict=True):
        entry.mtime_ns = file.mtime_ns
    manifest.scanned_ns = scanned
    target.keep(manifest)


class _Corpus(NamedTuple):
    entries: list[Entry]
    records: dict[str, Record]  # records extracted in-process, by content hash
    saved: set[str]  # content hashes of the records this build saved in the record store
    tokens: dict[str, str]  # mention tokens of the articles extracted by this build


def _read_corpus(
    files: list[ScannedFile],
    usable: Manifest | None,
    records: RecordStore,
    workers: Workers,
    progress: Progress | None,
) -> _Corpus:
    """An entry for every file, in file order: reused when its content is known, else extracted."""
    known = {e.source.sha256: e for e in usable.entries} if usable else {}
    by_path = {e.source.path: e for e in usable.entries if e.keys} if usable else {}
    slots: list[list[Entry]] = []  # per file: its entries (a broken file's previous one too)
    pending: list[tuple[ScannedFile, list[Entry]]] = []
    seen: dict[str, str] = {}
    for file in files:
        source = file.source
        slots.append([])
        if source is None:  # not read yet: told from the files before it once read
            pending.append((file, slots[-1]))
            continue
        blank = file.data is not None and not file.data.strip()  # said to be empty, each one
        if source.sha256 in seen and not blank:
            slots[-1].append(_duplicate(source, seen, file.mtime_ns))
            continue
        seen[source.sha256] = source.path
        reused = known.get(source.sha256)
        if reused is not None and reused.keys is not None:
            if reused.source != source or reused.kept:
                reused = reused.model_copy(update={"source": source, "kept": False})
            reused.mtime_ns = file.mtime_ns
            slots[-1].append(reused)
        else:
            pending.append((file, slots[-1]))

    corpus = _Corpus([], {}, set(), {})
    saving: list[tuple[str, bytes, str | None]] = []
    interned = Interned()
    extracted = _extract_all([file for file, _ in pending], workers, progress)
    for (file, slot), (source, alone, done) in zip(pending, extracted, strict=True):
        if file.source is None:
            if source.sha256 in seen and not alone:
                slot.append(_duplicate(source, seen, file.mtime_ns))
                continue
            seen[source.sha256] = source.path
        entry = Entry(
            source=source,
            kind=done.kind,
            error=done.error,
            warnings=done.warnings,
            keys=done.keys and interned(done.keys),
            mtime_ns=file.mtime_ns,
        )
        last_good = by_path.get(source.path)
        if done.error and last_good is not None:
            # Keep what the file said before it broke; the error still reaches the report.
            entry.error = f"{done.error} (kept the previous version of this file)"
            slot.append(entry)
            entry = last_good.model_copy(update={"error": None, "kept": True})
        slot.append(entry)
        if done.data is not None:
            saving.append((source.sha256, done.data, done.tokens))
            corpus.saved.add(source.sha256)
            if len(saving) >= SAVE_EVERY:  # while the workers extract the next files
                records.save(saving)
                saving = []
        if done.record is not None:
            corpus.records[source.sha256] = done.record
        if done.tokens is not None:
            corpus.tokens[source.sha256] = done.tokens
    if saving:
        records.save(saving)
    corpus.entries.extend(entry for slot in slots for entry in slot)
    return corpus


def _duplicate(source: Source, seen: dict[str, str], mtime_ns: int) -> Entry:
    error = f"{source.path}: same content as {seen[source.sha256]}; built once"
    return Entry(source=source, error=error, mtime_ns=mtime_ns)


def _extract_all(
    pending: list[ScannedFile], workers: Workers, progress: Progress | None
) -> Iterator[Read]:
    pool = workers.get(len(pending))
    paths = [file.path for file in pending]
    data = [file.data for file in pending]
    done: Iterable[Read] = (
        pool.map(read_one, paths, data, repeat(False), chunksize=16)
        if pool is not None
        else map(read_one, paths, data, repeat(True))
    )
    for count, result in enumerate(done, 1):
        yield result
        if progress:
            progress("reading", count, len(pending))


def _resolve(
    corpus: _Corpus,
    usable: Manifest | None,
    reference: Reference,
    reference_key: str,
    records: RecordStore,
) -> Manifest:
    """Resolve every document and key its graph; the manifest this build will leave."""
    good = [e for e in corpus.entries if e.keys is not None]
    mentions = KeptMentions(usable, good, corpus.tokens, records, _recover)
    # The autocoder ranks a document by its content and the reference data alone.
    ranked = (
        {
            e.source.sha256: e.resolution.candidates
            for e in usable.entries
            if e.resolution is not None and e.resolution.candidates is not None
        }
        if usable is not None and usable.reference_key == reference_key
        else None
    )
    resolutions, index = resolve_keys(
        {e.source.sha256: e.keys for e in good if e.keys}, reference, mentions, ranked
    )
    interned = Interned()
    for entry in good:
        found = entry.resolution = interned(resolutions[entry.source.sha256])
        entry.mentions = mentions.counted.get(entry.source.sha256)
        # Everything a document's graph depends on besides its content (named by its hash).
        inputs = (reference_key, code_key(), entry.source.name, *found.model_dump().values())
        entry.graph_key = hashlib.sha256(repr(inputs).encode()).hexdigest()[:32]
    return Manifest(
        built_at=datetime.now(UTC),
        reference_key=reference_key,
        code_key=code_key(),
        corpus=index.corpus_table(),
        entries=corpus.entries,
    )


def _recover(source: Source, records: RecordStore) -> tuple[Record | None, str | None]:
    """Extract a file again when its record is gone, if the file still has that content."""
    try:
        data = Path(source.path).read_bytes()
    except OSError:
        return None, None
    if hashlib.sha256(data).hexdigest() != source.sha256:
        return None, None
    done = extract_one(source.path, data, True)
    if done.data is not None:
        records.save([(source.sha256, done.data, done.tokens)])
    return done.record, done.tokens


def _update(
    target: Target,
    manifest: Manifest,
    previous: Manifest | None,
    old: dict[str, _Old],
    unsure: Unsure | None,
    corpus: _Corpus,
    reference: Reference,
    records: RecordStore,
    workers: Workers,
    started: float,
    progress: Progress | None,
) -> BuildReport:
    """Write what changed since the previous build (if anything) and report."""
    unsure = unsure or Unsure(frozenset(), False)
    fresh = []
    for entry in manifest.entries:
        sha = entry.source.sha256
        before = old.get(sha)
        if entry.graph_key is None or (
            before is not None
            and before.graph_key == entry.graph_key
            and entry.source.iri not in unsure.graphs
        ):
            continue
        if sha in corpus.records or sha in corpus.saved or records.has(sha):
            fresh.append(entry)
        elif (record := _recover(entry.source, records)[0]) is not None:
            corpus.records[sha] = record
            fresh.append(entry)
        elif before is not None:  # no record to write it again from: keep the graph it has
            entry.graph_key = before.graph_key
        else:
            entry.graph_key = None
    wanted = {e.source.sha256: e.graph_key for e in manifest.entries if e.graph_key}
    stale = [sha for sha, before in old.items() if wanted.get(sha) != before.graph_key]
    kept = {ids.source(sha) for sha in wanted}
    removed = len(stale) + len(unsure.graphs - kept)
    # A graph the store may hold otherwise than written goes whole before it is written again.
    dropped = sorted({ids.source(sha) for sha in stale} | unsure.graphs)
    for entry in fresh:
        entry.built_at = manifest.built_at
    rebuilt = (
        previous is None or previous.reference_key != manifest.reference_key or unsure.reference
    )
    # Every graph of the previous build goes (new code, say): start from an empty store
    # rather than remove a hundred thousand graphs from a copy, one by one. With no
    # manifest, whatever the store holds is unknown: start from an empty one too.
    empty = target.starts_empty and (previous is None or (bool(old) and len(stale) == len(old)))
    if empty:
        rebuilt, dropped = True, []
    consistent = target.current(previous)
    if previous is not None:
        manifest.build, manifest.triples = previous.build, previous.triples
    if previous is not None and not rebuilt and not dropped and not fresh:
        if consistent:
            # Nothing to write but the manifest (a file moved, say): update it in place.
            target.keep(manifest)
        return _report(target, manifest, reference, started, records)

    jobs = [
        MapJob(e.source, e.resolution, manifest.built_at, corpus.records.get(e.source.sha256))
        for e in fresh
        if e.resolution
    ]
    written = {e.source.sha256: e for e in fresh}
    pool = workers.get(len(jobs))
    same_code = previous is not None and previous.code_key == manifest.code_key
    links = links_change(
        {sha: o.linked for sha, o in old.items() if o.linked}
        if same_code and consistent and not rebuilt
        else None,
        dict(_linked(manifest.entries)),
        reference,
    )
    # A small change keeps count of the statements; otherwise the store counts them.
    counting = target.counts and consistent and not rebuilt and not links.replace
    # The workers start on the reference data and the documents now (forked before the
    # store opens), while this process works out the links and opens the store.
    ready = pool.submit(_reference_data) if pool is not None and rebuilt else None
    mapped = _map_documents(jobs, pool, records)
    touched = Unsure(frozenset([*dropped, *(e.source.iri for e in fresh)]), rebuilt)
    with target.writing(touched, empty=empty) as sink:
        triples = manifest.triples - sink.drop(dropped, count=counting)
        if rebuilt:
            sink.replace(
                ready.result() if ready is not None else _reference_data(),
                clear=(ids.GRAPH_ONTOLOGY, ids.GRAPH_REFERENCE),
            )
        if links.replace:
            sink.replace(nquads(links_quads(links.add)), clear=(ids.GRAPH_LINKS,))
        else:
            sink.change(links_quads(links.remove), links_quads(links.add))
        triples += len(links.add) - len(links.remove)
        del links  # written: 50 MB on graph.org.ai's corpus, while the documents are loaded
        for batch, (data, counted) in enumerate(mapped, 1):
            sink.replace(data)
            for job, statements in zip(jobs[(batch - 1) * BATCH :], counted, strict=False):
                written[job.source.sha256].triples = statements
            triples += sum(counted)
            if progress:
                progress("writing", min(batch * BATCH, len(jobs)), len(jobs))
        sink.commit(manifest, triples if counting else None)
    if previous is not None:
        had = {e.source.sha256 for e in previous.entries if e.keys}
        records.forget(had - {e.source.sha256 for e in manifest.entries if e.keys})
    if not same_code:
        records.prune()
    return _report(
        target,
        manifest,
        reference,
        started,
        records,
        written=len(fresh),
        removed=removed,
        rebuilt=rebuilt,
    )


def _linked(entries: list[Entry]) -> Iterator[tuple[str, Linked]]:
    for e in entries:
        if e.resolution is not None and e.keys is not None:
            yield e.source.sha256, (e.source, e.resolution, e.keys)


def _map_documents(
    jobs: list[MapJob], pool: Executor | None, records: RecordStore
) -> Iterator[tuple[bytes, list[int]]]:
    """The documents' graphs as N-Quads in batches, with how many statements each holds."""
    batches = [jobs[i : i + BATCH] for i in range(0, len(jobs), BATCH)]
    if pool is not None:
        return ahead(pool, map_batch, batches, records.path, records.code)
    return (map_documents(batch, records.record) for batch in batches)


def _reference_data() -> bytes:
    """The ontology and reference graphs as N-Quads; a pool worker makes them in a large
    build (the reference data is loaded once per process and shared by a fork)."""
    return nquads([*ontology_quads(), *reference_quads(load_reference())])


def _reference_key(fingerprint: str) -> str:
    digest = hashlib.sha256(fingerprint.encode() + ONTOLOGY.read_bytes())
    digest.update(EXTRACTOR_VERSION.encode())
    return digest.hexdigest()


def _report(
    target: Target,
    manifest: Manifest,
    reference: Reference,
    started: float,
    records: RecordStore,
    *,
    written: int = 0,
    removed: int = 0,
    rebuilt: bool = False,
) -> BuildReport:
    said = outcome(manifest.entries)
    warnings, details = reference.notes() if rebuilt else ([], [])
    notes = [*warnings, *said.notes]
    report = BuildReport(
        store=target.name,
        written=written,
        removed=removed,
        up_to_date=not (written or removed or rebuilt),
        triples=target.triples(manifest),
        seconds=time.perf_counter() - started,
        records_read=records.reads,
        files=said.entries,
        kinds=said.kinds,
        errors=said.errors,
        occupations=set(said.occupations),
        notes=notes,
        details=details,
    )
    report._entries = manifest.entries
    return report


def _summary_report(
    target: Target, summary: Summary, started: float, quick: _Quick | None = None
) -> BuildReport:
    """The report of a build that found every file as the previous build left it, or
    that wrote only the graphs of the files in ``quick``."""

    def entries() -> list[Entry]:
        manifest = target.manifest()
        return manifest.entries if manifest is not None else []

    written = quick.written if quick else 0
    report = BuildReport(
        store=target.name,
        written=written,
        removed=written,
        up_to_date=not written,
        triples=quick.triples if quick else summary.triples,
        seconds=time.perf_counter() - started,
        files=summary.entries,
        kinds=summary.kinds,
        errors=summary.errors,
        occupations=set(summary.occupations),
        notes=summary.notes,
    )
    report._entries = entries
    return report
