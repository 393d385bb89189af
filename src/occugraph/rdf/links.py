"""The links graph: what the corpus as a whole says, beyond any one document.

Which occupation each document is about (and how that was decided) depends on
the other documents, so it lives here and is recomputed by every build.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Quad

from occugraph import ids
from occugraph.link import Resolution, title_variants
from occugraph.rdf.documents import occupation_iri
from occugraph.rdf.terms import GraphWriter, occ
from occugraph.records import AnyRecord, JobDescription, NocProfile
from occugraph.reference import Reference
from occugraph.sources import Source


def links_quads(
    documents: Iterable[tuple[Source, AnyRecord | None, Resolution]], reference: Reference
) -> list[Quad]:
    out = GraphWriter(ids.GRAPH_LINKS)
    for source, record, resolution in documents:
        occupation = occupation_iri(source, resolution, reference)
        out.link(source.iri, occ("about"), occupation)
        if resolution.method:
            out.add(source.iri, occ("resolvedBy"), resolution.method)
        else:
            out.add(source.iri, occ("unresolvedTitle"), resolution.title or "(untitled)")
        if resolution.code and record is not None:
            for title in _job_titles(record):
                out.link(ids.job_title(title), occ("titleOf"), occupation)
    return out.quads


def _job_titles(record: AnyRecord) -> list[str]:
    if isinstance(record, NocProfile):
        return [t for t in record.job_titles if title_variants(t)]
    if isinstance(record, JobDescription):
        return [record.title]
    return []
