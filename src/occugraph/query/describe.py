"""What the graph says about one resource: its own triples and the labels of its neighbours.

This is the description the server will give when the IRI is dereferenced.
"""

from __future__ import annotations

from pyoxigraph import NamedNode, QueryTriples, Store, Triple, Variable

from occugraph.errors import OccugraphError

DESCRIBE_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {
  ?resource ?p ?o . ?o rdfs:label ?objectLabel .
  ?s ?q ?resource . ?s rdfs:label ?subjectLabel .
}
WHERE {
  { GRAPH ?g { ?resource ?p ?o }
    OPTIONAL { GRAPH ?h { ?o rdfs:label ?objectLabel } } }
  UNION
  { GRAPH ?g { ?s ?q ?resource }
    OPTIONAL { GRAPH ?h { ?s rdfs:label ?subjectLabel } } }
}
"""


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
