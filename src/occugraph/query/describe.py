"""What the graph says about one resource: its own triples and the labels of its neighbours.

This is the description the server will give when the IRI is dereferenced.
"""

from __future__ import annotations

from pyoxigraph import NamedNode, QueryTriples, Store, Triple, Variable

from occugraph.errors import OccugraphError
from occugraph.files import own_query

DESCRIBE_QUERY = own_query("describe")


def describe(store: Store, iri: str) -> list[Triple]:
    """Triples about ``iri`` from every named graph; raises if the graph does not hold it."""
    try:
        node = NamedNode(iri)
    except ValueError as error:
        raise OccugraphError(f"not an IRI: {iri!r} ({error})") from None
    result = store.query(DESCRIBE_QUERY, substitutions={Variable("resource"): node})
    assert isinstance(result, QueryTriples)
    triples = list(result)
    if not triples:
        raise OccugraphError(f"the graph holds nothing about <{iri}>")
    return sorted(set(triples), key=str)
