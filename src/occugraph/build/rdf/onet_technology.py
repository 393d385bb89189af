"""An ``onet-technology``: software the occupation uses, with O*NET's hot-technology and
in-demand flags."""

from __future__ import annotations

from occugraph.build.rdf.document import DocumentGraph, RecordMapping
from occugraph.build.rdf.onet_product import write_product
from occugraph.build.records.onet_technology import OnetTechnology
from occugraph.vocabulary import occ


def write(graph: DocumentGraph, technology: OnetTechnology) -> None:
    iri = write_product(graph, technology, "Technology")
    graph.out.add(iri, occ("hotTechnology"), technology.hot_technology)
    graph.out.add(iri, occ("inDemand"), technology.in_demand)


MAPPING = RecordMapping(OnetTechnology, write)
