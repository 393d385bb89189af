"""The build: files → records → links → RDF → a new store, incrementally and atomically.

Unchanged files (same SHA-256) are not read again: their records come from the
previous build's manifest. A document's named graph is rewritten only when its
content, its resolved occupation or the reference data changed, so a rebuild
with one changed file touches one graph plus the small links graph.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field
from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

from occugraph import extract, ids
from occugraph.errors import OccugraphError
from occugraph.link import ElementMatcher, Resolution, resolve
from occugraph.rdf.documents import EXTRACTOR_VERSION, DocumentMapper
from occugraph.rdf.links import links_quads
from occugraph.rdf.reference import reference_quads
from occugraph.records import SourceRecord
from occugraph.reference import PROJECT_ROOT, Reference, load_reference
from occugraph.sources import Source, decode, discover, hash_file
from occugraph.store import current_build, next_build

ONTOLOGY = PROJECT_ROOT / "ontology" / "occugraph.ttl"
PARALLEL_FROM = 32
"""Fewer new files than this are extracted in-process: a pool costs more than it saves."""

Progress = Callable[[int, int], None]


class Entry(BaseModel):
    """One file of the corpus as a build left it; the manifest is a list of these."""

    source: Source
    kind: str | None = None
    record: SourceRecord | None = None
    error: str | None = None
    resolution: Resolution | None = None
    graph_key: str | None = Field(None, description="Changes whenever the graph would.")
    built_at: datetime | None = None


class Manifest(BaseModel):
    built_at: datetime
    reference_key: str
    entries: list[Entry]


class BuildReport(BaseModel):
    store: str
    entries: list[Entry]
    written: int = Field(description="Named graphs of documents written by this build.")
    removed: int
    up_to_date: bool
    triples: int
    seconds: float
    notes: list[str] = Field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [e.error for e in self.entries if e.error]

    @property
    def kinds(self) -> Counter[str]:
        return Counter(e.kind for e in self.entries if e.kind and not e.error)

    @property
    def occupations(self) -> set[str]:
        return {
            e.resolution.code
            for e in self.entries
            if e.resolution and e.resolution.code and not e.error
        }


def read_manifest(store: Path) -> Manifest | None:
    build = current_build(store)
    if build is None or not (build / "manifest.json").exists():
        return None
    return Manifest.model_validate_json((build / "manifest.json").read_text())


def extract_file(path: Path, data: bytes) -> tuple[str | None, SourceRecord | None, str | None]:
    """Kind, record and error of one file; never raises for bad input (runs in a pool)."""
    kind = None
    try:
        text = decode(data)
        kind = extract.detect_kind(text)
        return kind, extract.extract(text, kind), None
    except OccugraphError as error:
        return kind, None, str(error.located(path=str(path), kind=kind))
    except RecursionError:
        return (
            kind,
            None,
            str(OccugraphError("nesting too deep to read", path=str(path), kind=kind)),
        )


def build(
    paths: Sequence[Path],
    *,
    store: Path,
    strict: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    started = time.perf_counter()
    reference = load_reference()
    previous = read_manifest(store)
    known = {e.source.sha256: e for e in previous.entries} if previous else {}
    by_path = {e.source.path: e for e in previous.entries if e.record} if previous else {}

    entries = _read_corpus(discover(paths), known, by_path, progress)
    if strict and any(e.error for e in entries):
        raise OccugraphError(
            f"{sum(bool(e.error) for e in entries)} bad file(s); --strict builds nothing"
        )

    good = [e for e in entries if e.record is not None]
    resolutions = resolve({e.source.sha256: e.record for e in good if e.record}, reference)
    reference_key = _reference_key(reference.fingerprint)
    for entry in good:
        entry.resolution = resolutions[entry.source.sha256]
        entry.graph_key = hashlib.sha256(
            f"{reference_key}|{entry.resolution.model_dump_json()}".encode()
        ).hexdigest()

    old_keys = {e.source.sha256: e.graph_key for e in previous.entries} if previous else {}
    wanted = {e.source.sha256: e.graph_key for e in good}
    stale = [sha for sha, key in old_keys.items() if key and wanted.get(sha) != key]
    fresh = [e for e in good if old_keys.get(e.source.sha256) != e.graph_key]
    now = datetime.now(UTC)
    for entry in fresh:
        entry.built_at = now
    up_to_date = (
        previous is not None and previous.reference_key == reference_key and not stale and not fresh
    )
    rebuilt = previous is None or previous.reference_key != reference_key
    if not up_to_date:
        _write(store, previous, entries, fresh, stale, reference_key)
    return BuildReport(
        store=str(store),
        entries=entries,
        written=len(fresh),
        removed=len(stale),
        up_to_date=up_to_date,
        triples=count_triples(store),
        seconds=time.perf_counter() - started,
        notes=_notes(entries, reference, rebuilt=rebuilt),
    )


def _read_corpus(
    files: list[Path], known: dict[str, Entry], by_path: dict[str, Entry], progress: Progress | None
) -> list[Entry]:
    entries: list[Entry] = []
    pending: list[tuple[Path, bytes, Source]] = []
    seen: dict[str, str] = {}
    for path in files:
        data, source = hash_file(path)
        if source.sha256 in seen:
            entries.append(
                Entry(
                    source=source,
                    error=f"{path}: same content as {seen[source.sha256]}; built once",
                )
            )
            continue
        seen[source.sha256] = str(path)
        reused = known.get(source.sha256)
        if reused and reused.record:
            entries.append(reused.model_copy(update={"source": source}))
        else:
            pending.append((path, data, source))

    results = _extract_all([(path, data) for path, data, _ in pending], progress)
    for (path, _, source), (kind, record, error) in zip(pending, results, strict=True):
        entry = Entry(source=source, kind=kind, record=record, error=error)
        last_good = by_path.get(str(path))
        if error and last_good and last_good.record:
            # Keep what the file said before it broke; the error still reaches the report.
            entry = last_good.model_copy(update={"error": None})
            entries.append(
                Entry(
                    source=source,
                    kind=kind,
                    error=f"{error} (kept the previous version of this file)",
                )
            )
        entries.append(entry)
    return entries


def _extract_all(
    work: list[tuple[Path, bytes]], progress: Progress | None
) -> list[tuple[str | None, SourceRecord | None, str | None]]:
    results = []
    if len(work) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor() as pool:
            for done, result in enumerate(
                pool.map(extract_file, *zip(*work, strict=True), chunksize=16), 1
            ):
                results.append(result)
                if progress:
                    progress(done, len(work))
    else:
        for done, (path, data) in enumerate(work, 1):
            results.append(extract_file(path, data))
            if progress:
                progress(done, len(work))
    return results


def _write(
    store_link: Path,
    previous: Manifest | None,
    entries: list[Entry],
    fresh: list[Entry],
    stale: list[str],
    reference_key: str,
) -> None:
    reference = load_reference()
    rebuild_reference = previous is None or previous.reference_key != reference_key
    with next_build(store_link) as (store, build_dir):
        for sha in stale:
            store.remove_graph(NamedNode(ids.source(sha)))
        replaced = [ids.GRAPH_LINKS]
        if rebuild_reference:
            replaced += [ids.GRAPH_ONTOLOGY, ids.GRAPH_REFERENCE]
        for graph in replaced:
            _clear(store, graph)
        # One bulk load for everything: each call writes its own files, so many small
        # calls cost far more than one large one.
        store.bulk_extend(_quads(entries, fresh, reference, rebuild_reference))
        manifest = Manifest(
            built_at=datetime.now(UTC), reference_key=reference_key, entries=entries
        )
        (build_dir / "manifest.json").write_text(manifest.model_dump_json())


def _quads(
    entries: list[Entry], fresh: list[Entry], reference: Reference, rebuild_reference: bool
) -> Iterator[Quad]:
    if rebuild_reference:
        yield from _ontology_quads()
        yield from reference_quads(reference)
    matcher = ElementMatcher(reference.elements)
    for entry in fresh:
        assert entry.record and entry.resolution and entry.built_at
        mapper = DocumentMapper(entry.source, entry.resolution, reference, matcher)
        yield from mapper.map(entry.record, entry.built_at)
    resolved = ((e.source, e.record, e.resolution) for e in entries if e.resolution)
    yield from links_quads(resolved, reference)


def _clear(store: Store, graph: str) -> None:
    if store.contains_named_graph(NamedNode(graph)):
        store.remove_graph(NamedNode(graph))


def _ontology_quads() -> Iterable[Quad]:
    graph = NamedNode(ids.GRAPH_ONTOLOGY)
    for triple in parse(path=str(ONTOLOGY), format=RdfFormat.TURTLE):
        yield Quad(triple.subject, triple.predicate, triple.object, graph)


def _reference_key(fingerprint: str) -> str:
    digest = hashlib.sha256(fingerprint.encode() + ONTOLOGY.read_bytes())
    digest.update(EXTRACTOR_VERSION.encode())
    return digest.hexdigest()


def count_triples(store_link: Path) -> int:
    build_dir = current_build(store_link)
    if build_dir is None:
        return 0
    return len(Store.read_only(str(build_dir / "oxigraph")))


def _notes(entries: list[Entry], reference: Reference, *, rebuilt: bool) -> list[str]:
    notes = []
    skipped = reference.unresolved_crosswalk
    if rebuilt and skipped:
        notes.append(
            f"data/crosswalk: {len(skipped)} rows name O*NET codes that are not in "
            f"the current O*NET list and were left out, e.g. {'; '.join(skipped[:3])}"
        )
    for entry in entries:
        if entry.record:
            notes.extend(f"{entry.source.path}: [{entry.kind}] {w}" for w in entry.record.warnings)
        if entry.resolution and entry.resolution.problem:
            notes.append(
                f"{entry.source.path}: [{entry.kind}] occupation not resolved: "
                f"{entry.resolution.problem}"
            )
    return notes
