"""What technology and tool pages write alike: the product the occupation uses, and one
node per UNSPSC commodity it falls under, which the occupation is linked to as well."""

from __future__ import annotations

from occugraph import ids
from occugraph.build.rdf.document import DocumentGraph
from occugraph.build.records.onet_product import OnetProduct
from occugraph.vocabulary import LABEL, occ, skos


def write_product(graph: DocumentGraph, product: OnetProduct, category: str) -> str:
    """The product's node, typed ``occ:{category}`` (Technology or Tool); its IRI is the
    page's own ``$id``, else graph.org.ai's pattern for it."""
    out = graph.out
    code = product.occupation_code or graph.code
    path = "technology" if category == "Technology" else "tools"
    iri = product.stated_id or (
        ids.occupation_product(code, path, product.name)
        if code
        else ids.source_part(graph.source.iri, path)
    )
    out.typed(iri, occ(category))
    out.add(iri, LABEL, product.name)
    out.link(graph.occupation, occ(f"uses{category}"), iri)
    if product.commodity_code:
        commodity = ids.unspsc(product.commodity_code)
        out.typed(commodity, occ("Commodity"), skos("Concept"))
        out.add(commodity, LABEL, product.commodity_title)
        out.add(commodity, skos("notation"), product.commodity_code)
        out.link(commodity, skos("inScheme"), ids.UNSPSC_SCHEME)
        out.link(iri, occ("commodity"), commodity)
        out.link(graph.occupation, occ("usesCommodity"), commodity)
    return iri
