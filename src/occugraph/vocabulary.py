"""The vocabulary every layer speaks: namespaces, prefixes and RDF term constructors."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import cache

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

OCC = "https://graph.org.ai/ontology#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
ASN = "http://purl.org/ASN/schema/core/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"

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
    "owl": OWL,
    "go": "https://graph.org.ai/",
}

A = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")
SAME_AS = NamedNode(OWL + "sameAs")
"""Links a canonical IRI to another name of the same thing (graph.org.ai's code-based ones)."""


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
"""What a statement's object may be given as: a term, or a plain Python value."""

Term = NamedNode | BlankNode | Literal | Triple
"""Any RDF term a query can bind or answer."""


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
