"""The mapping uses only terms the ontology declares, and the reference graph is complete."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize
from rdflib.namespace import RDFS, SKOS

from occugraph.build.rdf.reference import reference_quads
from occugraph.build.rdf.writer import GraphWriter, quoted
from occugraph.build.reference import load_reference
from occugraph.vocabulary import LABEL, OCC, A, Object, occ, prov, term
from tests.conftest import term_value

RDF_PACKAGE = Path(__file__).resolve().parents[1] / "src" / "occugraph" / "build" / "rdf"
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
        term_value(q.object).rsplit("#", 1)[1]
        for q in quads
        if q.predicate.value.endswith("#type") and term_value(q.object).startswith(OCC)
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


def test_string_literals_are_escaped_as_oxigraph_writes_them() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    assert quoted(every) == str(Literal(every))


def test_graph_writer_writes_the_lines_oxigraph_would() -> None:
    graph, subject = "https://graph.org.ai/sources/00112233", "https://graph.org.ai/sources/0/x"
    task = "https://graph.org.ai/tasks/Weld_0a1b2c3d"
    values: list[Object] = [
        'a "quoted"\tword\n',
        59860.0,
        4,
        True,
        datetime(2026, 1, 2, tzinfo=UTC),
    ]
    out = GraphWriter(graph)
    for value in [*values, None, ""]:
        out.add(subject, LABEL, value)
    out.link(NamedNode(subject), occ("hasTask"), task)
    out.typed(subject, occ("Task"))
    node, g = NamedNode(subject), NamedNode(graph)
    expected = [Quad(node, LABEL, term(value), g) for value in values]
    expected += [Quad(node, occ("hasTask"), NamedNode(task), g), Quad(node, A, occ("Task"), g)]
    assert out.data() == serialize(expected, format=RdfFormat.N_QUADS)
    assert out.quads() == expected


def test_graph_writer_refuses_a_malformed_iri() -> None:
    with pytest.raises(ValueError):
        GraphWriter("https://graph.org.ai/sources/0").link(
            "https://graph.org.ai/x", prov("used"), "https://graph.org.ai/frameworks/A/v 2"
        )
