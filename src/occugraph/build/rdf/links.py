"""The links graph: what the corpus as a whole says, beyond any one document.

Which occupation each document is about (and how that was decided) depends on
the other documents, so it lives here and is recomputed by every build. Its
statements are plain tuples of text first, so that a rebuild can compare the
graph it wants with the one it has and write only the difference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pyoxigraph import Literal, NamedNode, Quad

from occugraph import ids
from occugraph.build.link import Resolution
from occugraph.build.rdf.document import occupation_iri
from occugraph.build.reference import Reference
from occugraph.build.sources import Source
from occugraph.vocabulary import occ

LinkTriple = tuple[str, str, str, bool]
"""Subject, predicate and object, and whether the object is an IRI (else a plain literal)."""


def links_triples(
    source: Source, resolution: Resolution, job_titles: Sequence[str], reference: Reference
) -> list[LinkTriple]:
    """What the links graph says about one document; ``job_titles`` are IRIs."""
    occupation = occupation_iri(source, resolution, reference)
    triples = [(source.iri, occ("about").value, occupation, True)]
    if resolution.method:
        triples.append((source.iri, occ("resolvedBy").value, resolution.method, False))
    else:
        title = resolution.title or "(untitled)"
        triples.append((source.iri, occ("unresolvedTitle").value, title, False))
    if resolution.code:
        triples += [(iri, occ("titleOf").value, occupation, True) for iri in job_titles]
    return triples


def links_quads(triples: Iterable[LinkTriple]) -> list[Quad]:
    graph = NamedNode(ids.GRAPH_LINKS)
    return [
        Quad(
            NamedNode(subject),
            NamedNode(predicate),
            NamedNode(value) if is_iri else Literal(value),
            graph,
        )
        for subject, predicate, value, is_iri in triples
    ]
