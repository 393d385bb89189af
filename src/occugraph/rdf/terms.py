"""The namespaces and term constructors the RDF mapping uses."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from functools import cache

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

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


# How N-Quads escapes a string, as Oxigraph writes it (tests/test_rdf.py checks every
# character against its serialiser): named escapes, else \uXXXX for the other controls.
_ESCAPES = {code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}
_ESCAPES |= str.maketrans(
    {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
)
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(map(chr, _ESCAPES))) + "]")


def quoted(text: str) -> str:
    """A plain string literal as N-Quads writes it.

    >>> print(quoted('say "hi"\\n'))
    "say \\"hi\\"\\n"
    """
    if _NEEDS_ESCAPE.search(text):  # rarely: a search is cheaper than translating every string
        text = text.translate(_ESCAPES)
    return f'"{text}"'


class GraphWriter:
    """Writes the statements of one named graph as N-Quads lines, skipping empty values.

    A document's graph has a hundred statements or more: making a pyoxigraph term
    and quad for each and serialising them costs several times as much as writing
    the lines. Each IRI still goes through ``NamedNode`` (once per graph), so a
    malformed one is refused as before.
    """

    def __init__(self, graph: str) -> None:
        self._nodes: dict[str, str] = {}
        self._end = f" {self.node(graph)} .\n"
        self.lines: list[str] = []

    def node(self, iri: str) -> str:
        """An IRI as N-Quads writes it; the same one recurs many times in a graph."""
        found = self._nodes.get(iri)
        if found is None:
            found = self._nodes[iri] = str(NamedNode(iri))
        return found

    def add(self, subject: str | NamedNode, predicate: NamedNode, value: Object | None) -> None:
        if value is None or value == "":
            return
        obj = quoted(value) if type(value) is str else str(term(value))
        self.lines.append(f"{self._subject(subject)} {predicate} {obj}{self._end}")

    def link(self, subject: str | NamedNode, predicate: NamedNode, target: str | None) -> None:
        """An edge to a resource named by its IRI (a bare string would be a literal)."""
        if target:
            self.lines.append(
                f"{self._subject(subject)} {predicate} {self.node(target)}{self._end}"
            )

    def typed(self, subject: str, *classes: NamedNode) -> None:
        for cls in classes:
            self.add(subject, A, cls)

    def _subject(self, subject: str | NamedNode) -> str:
        return self.node(subject) if type(subject) is str else str(subject)

    def data(self) -> bytes:
        return "".join(self.lines).encode()

    def quads(self) -> list[Quad]:
        return list(parse(self.data(), format=RdfFormat.N_QUADS))
