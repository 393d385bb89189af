"""Names people read for the vocabulary's terms: the ontology's own ``rdfs:label``, else the
term's local name in words (``generatedAtTime`` → "generated at time"), never a CURIE.

The ontology ships with the package and never changes while the server runs, so it is read
once per process.
"""

from __future__ import annotations

import re
from functools import cache

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from occugraph import files
from occugraph.vocabulary import RDF, RDFS, SKOS

_WELL_KNOWN = {
    RDF + "type": "type",
    RDFS + "label": "label",
    RDFS + "comment": "comment",
    RDFS + "seeAlso": "see also",
    SKOS + "prefLabel": "preferred label",
    SKOS + "altLabel": "alternative label",
    "http://www.w3.org/2002/07/owl#sameAs": "same as",
}


@cache
def ontology_labels() -> dict[str, str]:
    """Each term the ontology declares, by IRI, with its English label."""
    labels: dict[str, str] = {}
    with files.ONTOLOGY.open("rb") as handle:
        for triple in parse(handle, format=RdfFormat.TURTLE):
            obj = triple.object
            if (
                triple.predicate.value == RDFS + "label"
                and isinstance(triple.subject, NamedNode)
                and isinstance(obj, Literal)
                and obj.language in (None, "en")
            ):
                labels.setdefault(triple.subject.value, obj.value)
    return labels


def term_label(iri: str) -> str:
    """
    >>> term_label("https://graph.org.ai/ontology#nocEquivalent")
    'NOC equivalent'
    >>> term_label("http://www.w3.org/ns/prov#generatedAtTime")
    'generated at time'
    >>> term_label("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    'type'
    """
    if iri in _WELL_KNOWN:
        return _WELL_KNOWN[iri]
    if found := ontology_labels().get(iri):
        return found
    local = re.split(r"[#/]", iri.rstrip("#/"))[-1] or iri
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).lower()
