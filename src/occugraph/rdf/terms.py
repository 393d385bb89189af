"""The namespaces and term constructors the RDF mapping uses."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import cache

from pyoxigraph import Literal, NamedNode, Quad

OCC = "https://graph.org.ai/ontology#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
ASN = "http://purl.org/ASN/schema/core/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = {
    "occ": OCC,
    "schema": SCHEMA,
    "skos": SKOS,
    "prov": PROV,
    "dct": DCT,
    "asn": ASN,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "go": "https://graph.org.ai/",
}

A = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")


@cache
def occ(name: str) -> NamedNode:
    return NamedNode(OCC + name)


@cache
def skos(name: str) -> NamedNode:
    return NamedNode(SKOS + name)


@cache
def prov(name: str) -> NamedNode:
    return NamedNode(PROV + name)


@cache
def dct(name: str) -> NamedNode:
    return NamedNode(DCT + name)


Object = NamedNode | Literal | str | int | bool | float | datetime


_BOOLEAN = NamedNode(XSD + "boolean")
_INTEGER = NamedNode(XSD + "integer")
_DECIMAL = NamedNode(XSD + "decimal")
_DATETIME = NamedNode(XSD + "dateTime")
_TRUE, _FALSE = Literal("true", datatype=_BOOLEAN), Literal("false", datatype=_BOOLEAN)


def term(value: Object) -> NamedNode | Literal:
    """Plain Python values become typed literals; strings stay plain strings."""
    if isinstance(value, str):
        return Literal(value)
    if isinstance(value, NamedNode | Literal):
        return value
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    if isinstance(value, int):
        return Literal(str(value), datatype=_INTEGER)
    if isinstance(value, float):
        return Literal(_decimal(value), datatype=_DECIMAL)
    return Literal(value.isoformat(), datatype=_DATETIME)


def _decimal(value: float) -> str:
    text = format(Decimal(repr(value)).normalize(), "f")
    return text if "." in text else text + ".0"


class GraphWriter:
    """Collects the quads of one named graph, skipping empty values."""

    def __init__(self, graph: str) -> None:
        self.graph = NamedNode(graph)
        self.quads: list[Quad] = []
        self._nodes: dict[str, NamedNode] = {}

    def node(self, iri: str) -> NamedNode:
        """The same IRI is written many times in one graph: build its node once."""
        found = self._nodes.get(iri)
        if found is None:
            found = self._nodes[iri] = NamedNode(iri)
        return found

    def add(self, subject: str | NamedNode, predicate: NamedNode, value: Object | None) -> None:
        if value is None or value == "":
            return
        node = subject if type(subject) is NamedNode else self.node(subject)
        obj = Literal(value) if type(value) is str else term(value)
        self.quads.append(Quad(node, predicate, obj, self.graph))

    def link(self, subject: str | NamedNode, predicate: NamedNode, target: str | None) -> None:
        """An edge to a resource named by its IRI (a bare string would be a literal)."""
        if target:
            node = subject if type(subject) is NamedNode else self.node(subject)
            self.quads.append(Quad(node, predicate, self.node(target), self.graph))

    def typed(self, subject: str, *classes: NamedNode) -> None:
        for cls in classes:
            self.add(subject, A, cls)
