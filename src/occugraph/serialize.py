"""Triples to text in the RDF formats users ask for, with the ontology's prefixes.

JSON-LD is compacted with ``ontology/context.jsonld`` so a JSON developer gets
short keys; the other formats come straight from Oxigraph's serializers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache

import rdflib
from pyoxigraph import RdfFormat, Triple, serialize

from occugraph.rdf.terms import PREFIXES
from occugraph.reference import PROJECT_ROOT

CONTEXT = PROJECT_ROOT / "ontology" / "context.jsonld"

# Namespaces whose local names contain '/' only serialize as escaped, unreadable names.
_READABLE_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "go"}

FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "rdfxml": RdfFormat.RDF_XML,
}


@cache
def jsonld_context() -> dict[str, object]:
    context: dict[str, object] = json.loads(CONTEXT.read_text())["@context"]
    return context


def serialize_triples(triples: Iterable[Triple], format: str) -> str:
    if format == "jsonld":
        return _compact_jsonld(triples)
    data = serialize(triples, format=FORMATS[format], prefixes=_READABLE_PREFIXES)
    return data.decode() if data else ""


def _compact_jsonld(triples: Iterable[Triple]) -> str:
    ntriples = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    graph = rdflib.Graph().parse(data=ntriples.decode(), format="nt")
    return graph.serialize(format="json-ld", context=jsonld_context(), indent=2)
