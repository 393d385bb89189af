"""The mapping uses only terms the ontology declares, and the reference graph is complete."""

from __future__ import annotations

import re
from pathlib import Path

import rdflib
from rdflib.namespace import RDFS, SKOS

from occugraph.rdf.reference import reference_quads
from occugraph.rdf.terms import OCC, term
from occugraph.reference import load_reference

RDF_PACKAGE = Path(__file__).resolve().parents[1] / "src" / "occugraph" / "rdf"
ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "occugraph.ttl"


def test_every_term_the_mapping_writes_is_declared_with_label_and_definition() -> None:
    used = set()
    for module in RDF_PACKAGE.glob("*.py"):
        used |= set(re.findall(r'occ\("(\w+)"\)', module.read_text()))
    used |= {"OnetSkill", "KnowledgeArea", "Ability", "WorkActivity"}
    assert len(used) > 60
    ontology = rdflib.Graph().parse(ONTOLOGY)
    for name in sorted(used):
        iri = rdflib.URIRef(OCC + name)
        assert ontology.value(iri, RDFS.label) is not None, name
        assert ontology.value(iri, SKOS.definition) is not None, name


def test_reference_graph_holds_all_onet_occupations_and_elements() -> None:
    quads = reference_quads(load_reference())
    typed = [
        q.object.value.rsplit("#", 1)[1]
        for q in quads
        if q.predicate.value.endswith("#type") and q.object.value.startswith(OCC)
    ]
    counts = {name: typed.count(name) for name in set(typed)}
    assert counts["Occupation"] == 1016
    assert (
        counts["OnetSkill"],
        counts["KnowledgeArea"],
        counts["Ability"],
        counts["WorkActivity"],
    ) == (35, 33, 52, 41)
    assert counts["JobZone"] == 5
    assert counts["NocUnitGroup"] > 900


def test_plain_values_become_typed_literals() -> None:
    assert str(term(59860.0)) == '"59860.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert str(term(29.5)) == '"29.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert str(term(4)) == '"4"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert str(term(False)) == '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'
