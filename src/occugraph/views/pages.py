"""What HTML pages show: a resource's triples turned into labelled, linked rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from occugraph.ids import BASE
from occugraph.rdf.terms import LABEL, PREFIXES

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def href(iri: str) -> str:
    """Minted IRIs link to this server's copy; others stay as they are."""
    return "/" + iri.removeprefix(BASE) if iri.startswith(BASE) else iri


def curie(iri: str) -> str:
    """
    >>> curie("https://graph.org.ai/ontology#hasTask")
    'occ:hasTask'
    """
    for prefix, namespace in PREFIXES.items():
        if prefix != "go" and iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def resource_page(node: NamedNode, triples: Iterable[Triple]) -> dict[str, object]:
    triples = list(triples)
    labels = {
        t.subject.value: t.object.value
        for t in triples
        if t.predicate == LABEL
        and isinstance(t.object, Literal)
        and isinstance(t.subject, NamedNode | BlankNode)
    }

    def show(term: object) -> dict[str, str | None]:
        if isinstance(term, NamedNode):
            return {
                "text": labels.get(term.value) or curie(term.value),
                "href": href(term.value),
                "iri": term.value,
            }
        if isinstance(term, BlankNode):
            return {"text": f"_:{term.value}", "href": None, "iri": None}
        assert isinstance(term, Literal)
        return {"text": term.value, "href": None, "iri": None}

    outgoing: dict[str, list[dict[str, str | None]]] = defaultdict(list)
    incoming: dict[str, list[dict[str, str | None]]] = defaultdict(list)
    types = []
    for t in triples:
        if t.subject == node:
            if t.predicate.value == _RDF_TYPE:
                types.append(show(t.object))
            outgoing[curie(t.predicate.value)].append(show(t.object))
        elif t.object == node:
            incoming[curie(t.predicate.value)].append(show(t.subject))
    return {
        "iri": node.value,
        "title": labels.get(node.value) or node.value.rsplit("/", 1)[-1],
        "types": types,
        "outgoing": sorted(
            (p, sorted(v, key=lambda x: x["text"] or "")) for p, v in outgoing.items()
        ),
        "incoming": sorted(
            (p, sorted(v, key=lambda x: x["text"] or "")) for p, v in incoming.items()
        ),
        "alternates": [
            ("Turtle", "turtle"),
            ("JSON-LD", "jsonld"),
            ("N-Triples", "ntriples"),
            ("RDF/XML", "rdfxml"),
        ],
    }
