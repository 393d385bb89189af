"""SHACL validation of a whole build against ``ontology/shapes.ttl`` (W3C SHACL)."""

from __future__ import annotations

import rdflib
from pyoxigraph import RdfFormat, Store, serialize
from pyshacl import validate as shacl_validate

from occugraph.files import SHAPES


def validate(store: Store) -> tuple[bool, str]:
    """Whether the union of all named graphs conforms, and pySHACL's report text.

    Warnings (e.g. an occupation no document could resolve to an O*NET code) are
    reported but do not make the build non-conforming.
    """
    triples = (quad.triple for quad in store.quads_for_pattern(None, None, None, None))
    data = rdflib.Graph().parse(
        data=(serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode(), format="nt"
    )
    shapes = rdflib.Graph().parse(SHAPES)
    conforms, _, text = shacl_validate(data, shacl_graph=shapes, allow_warnings=True)
    return bool(conforms), str(text)
