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
from occugraph.build.autocoder import task_matcher
from occugraph.build.link import LinkKeys, Resolution
from occugraph.build.rdf.document import occupation_iri
from occugraph.build.reference import Reference
from occugraph.build.sources import Source
from occugraph.vocabulary import XSD, occ

LinkTriple = tuple[str, str, str, bool]
"""Subject, predicate and object, and whether the object is an IRI (else a literal: a
plain one, or a decimal for the predicates in ``_DECIMALS``)."""

RESTATES = 0.3
"""The least cosine similarity at which a duty restates an O*NET task: on
tests/data/autocoder/duties.tsv every threshold from 0.20 to 0.30 gives precision 1.000 and
recall 0.974; the top of that range, as real text links more loosely (benchmarks/README.md)."""

_DECIMALS = {occ(name).value for name in ("linkScore", "runnerUpScore", "similarity")}
_DECIMAL = NamedNode(XSD + "decimal")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def links_triples(
    source: Source, resolution: Resolution, keys: LinkKeys, reference: Reference
) -> list[LinkTriple]:
    """What the links graph says about one document: the occupation it is about (none
    unless it resolved to an O*NET code), how that was decided, and which of its duties
    restate a task of that occupation."""
    src = source.iri
    if not resolution.code:
        title = resolution.title or "(untitled)"
        return [(src, occ("unresolvedTitle").value, title, False)]
    occupation = occupation_iri(source, resolution, reference)
    triples = [(src, occ("about").value, occupation, True)]
    if resolution.method:
        triples.append((src, occ("resolvedBy").value, resolution.method, False))
    if resolution.score is not None:
        triples.append((src, occ("linkScore").value, f"{resolution.score:.4f}", False))
    if resolution.runner_up is not None:
        other = reference.occupations[resolution.runner_up.code].title
        score = f"{resolution.runner_up.score:.4f}"
        triples.append((src, occ("runnerUp").value, ids.occupation(other), True))
        triples.append((src, occ("runnerUpScore").value, score, False))
    triples += [(iri, occ("titleOf").value, occupation, True) for iri in keys.job_titles]
    return triples + _restatements(src, resolution.code, keys.duties, reference)


def _restatements(
    src: str, code: str, duties: Sequence[str], reference: Reference
) -> list[LinkTriple]:
    """Each duty that restates an O*NET task of the occupation, with how similar they are."""
    triples: list[LinkTriple] = []
    if not duties:
        return triples
    for n, match in enumerate(task_matcher(reference).match_duties(code, duties), 1):
        if match.score < RESTATES:
            continue
        duty, task = ids.task(match.duty), ids.onet_task(match.task.text, match.task.task_id)
        node = ids.source_part(src, "restates", n)
        # Statements about the duty itself would be shared by every document stating it
        # (its IRI is its text's); these hang on a node of this document's own.
        triples += [
            (node, RDF_TYPE, occ("TaskRestatement").value, True),
            (node, occ("duty").value, duty, True),
            (node, occ("restatedTask").value, task, True),
            (node, occ("similarity").value, f"{match.score:.4f}", False),
        ]
    return triples


def links_quads(triples: Iterable[LinkTriple]) -> list[Quad]:
    graph = NamedNode(ids.GRAPH_LINKS)
    return [
        Quad(
            NamedNode(subject),
            NamedNode(predicate),
            NamedNode(value)
            if is_iri
            else Literal(value, datatype=_DECIMAL)
            if predicate in _DECIMALS
            else Literal(value),
            graph,
        )
        for subject, predicate, value, is_iri in triples
    ]
