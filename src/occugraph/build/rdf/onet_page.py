"""An ``onet-page``: the page's own facts and its sections; the occupation is the O*NET one."""

from __future__ import annotations

from occugraph.build.rdf.document import DocumentGraph, RecordMapping
from occugraph.build.records.onet_page import OnetPage
from occugraph.vocabulary import dct, occ


def write(graph: DocumentGraph, page: OnetPage) -> None:
    src = graph.source.iri
    graph.stated_title(page.title)
    graph.out.add(graph.occupation, dct("description"), page.description)
    graph.out.add(src, occ("statedId"), page.stated_id)
    graph.out.add(src, occ("statedType"), page.stated_type)
    graph.out.add(src, dct("source"), page.source)
    graph.sections([(s.heading, s.level, [c.name for c in s.components]) for s in page.sections])


MAPPING = RecordMapping(OnetPage, write)
