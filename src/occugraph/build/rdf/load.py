"""Writing graphs into a store: N-Quads bulk-loaded in batches, and the links graph's diff.

Oxigraph's bulk loader is its fastest way in, but each call writes files of its
own and holds its batch in memory; so statements are serialised as N-Quads and
loaded a few tens of megabytes at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse, serialize

from occugraph import ids
from occugraph.build.link import LinkKeys, Resolution
from occugraph.build.rdf.links import LinkTriple, links_triples
from occugraph.build.reference import Reference
from occugraph.build.sources import Source
from occugraph.files import ONTOLOGY

LOAD_BYTES = 24 * 1024 * 1024
"""N-Quads per bulk load: fewer calls cost less, smaller ones hold less in memory."""
SMALL_BYTES = 1024 * 1024
"""Less than this is written in one ordinary transaction: a bulk load's fixed cost is higher."""


def nquads(quads: Iterable[Quad]) -> bytes:
    return serialize(quads, format=RdfFormat.N_QUADS) or b""


class Loader:
    """Collects N-Quads and bulk-loads them whenever a batch (``batch`` bytes) is full;
    ``bulk_loads`` counts the bulk loads (each adds files of its own to the store)."""

    def __init__(self, store: Store, *, batch: int = LOAD_BYTES) -> None:
        self.store, self.batch = store, batch
        self.parts: list[bytes] = []
        self.size = 0
        self.bulk_loads = 0

    def add(self, data: bytes) -> None:
        self.parts.append(data)
        self.size += len(data)
        if self.size >= self.batch:
            self.flush()

    def flush(self, *, last: bool = False) -> None:
        data = b"".join(self.parts)
        if last and len(data) < SMALL_BYTES:
            self.store.load(input=data, format=RdfFormat.N_QUADS)
        elif data:
            # Every IRI went through pyoxigraph's NamedNode: no need to check them again.
            self.store.bulk_load(input=data, format=RdfFormat.N_QUADS, lenient=True)
            self.bulk_loads += 1
        self.parts, self.size = [], 0


def clear(store: Store, graph: str) -> None:
    if store.contains_named_graph(NamedNode(graph)):
        store.remove_graph(NamedNode(graph))


def ontology_quads() -> Iterator[Quad]:
    graph = NamedNode(ids.GRAPH_ONTOLOGY)
    for triple in parse(path=str(ONTOLOGY), format=RdfFormat.TURTLE):
        yield Quad(triple.subject, triple.predicate, triple.object, graph)


class LinksChange(NamedTuple):
    """How to bring the links graph from what a build wrote to what is wanted now."""

    replace: bool  # clear the graph first
    remove: set[LinkTriple]
    add: set[LinkTriple]


Linked = tuple[Source, Resolution, LinkKeys]


def link_set(documents: Iterable[Linked], reference: Reference) -> set[LinkTriple]:
    triples: set[LinkTriple] = set()
    for source, resolution, keys in documents:
        triples.update(links_triples(source, resolution, keys, reference))
    return triples


def links_change(
    before: Mapping[str, Linked] | None, now: Mapping[str, Linked], reference: Reference
) -> LinksChange:
    """The statements to remove and add; all of them when ``before`` is unknown.

    Only documents whose link inputs changed are looked at. A job title's
    ``titleOf`` statement can come from several documents, so one that another,
    unchanged document still makes is neither removed nor counted as added.
    """
    if before is None:
        return LinksChange(True, set(), link_set(now.values(), reference))
    changed = {key for key in before.keys() | now.keys() if before.get(key) != now.get(key)}
    had = link_set((before[key] for key in changed if key in before), reference)
    wanted = link_set((now[key] for key in changed if key in now), reference)
    remove, add = had - wanted, wanted - had
    titles = {
        triple[0] for triple in remove | add if not triple[0].startswith(ids.BASE + "sources/")
    }
    if titles:
        others = (
            linked
            for key, linked in now.items()
            if key not in changed and titles.intersection(linked[2].job_titles)
        )
        still = link_set(others, reference)
        remove, add = remove - still, add - still
    return LinksChange(False, remove, add)
