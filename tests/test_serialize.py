"""Triples to text: the Oxigraph formats, and JSON-LD compacted and framed with PyLD."""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

import pytest
from pyld import jsonld
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, Triple, parse

from occugraph.formats import FORMATS, GRAPHS
from occugraph.query.describe import describe
from occugraph.query.serialize import (
    MAX_NESTING,
    jsonld_context,
    jsonld_document,
    serialize_triples,
)

GO = "https://graph.org.ai/"
OCC = GO + "ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
A = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ELECTRICIANS = NamedNode(GO + "occupations/Electricians")
NOC = NamedNode(GO + "noc/2021/72200")
WIRING = NamedNode(GO + "tasks/InstallWiring_0a1b2c3d")
TITLE = NamedNode(GO + "jobtitles/Wireman")


def occ(name: str) -> NamedNode:
    return NamedNode(OCC + name)


def typed(value: str, datatype: str) -> Literal:
    return Literal(value, datatype=NamedNode(XSD + datatype))


def expand(document: dict[str, Any]) -> set[Triple]:
    """The triples a JSON-LD processor reads from the document (PyLD's toRdf)."""
    nquads = jsonld.to_rdf(json.loads(json.dumps(document)), {"format": "application/n-quads"})
    return {quad.triple for quad in parse(nquads.encode(), RdfFormat.N_QUADS)}


def top(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in document["@graph"]}


ELECTRICIANS_GRAPH = {
    Triple(ELECTRICIANS, A, occ("Occupation")),
    Triple(ELECTRICIANS, LABEL, Literal("Electricians")),
    Triple(ELECTRICIANS, occ("onetCode"), Literal("47-2111.00")),
    Triple(ELECTRICIANS, occ("hasTask"), WIRING),
    Triple(ELECTRICIANS, occ("hasJobTitle"), TITLE),
    Triple(ELECTRICIANS, occ("nocEquivalent"), NOC),
    Triple(WIRING, A, occ("Task")),
    Triple(WIRING, LABEL, Literal("Install wiring")),
    Triple(TITLE, LABEL, Literal("wireman", language="en")),
    Triple(TITLE, occ("titleOf"), ELECTRICIANS),
    Triple(NOC, A, occ("NocUnitGroup")),
    Triple(NOC, LABEL, Literal("Electricians (except industrial and power system)")),
    Triple(NOC, occ("hasTask"), WIRING),
    Triple(NOC, occ("onetEquivalent"), ELECTRICIANS),
}


def test_an_occupation_nests_what_is_part_of_it_and_links_the_rest() -> None:
    document = jsonld_document(ELECTRICIANS_GRAPH)
    assert expand(document) == ELECTRICIANS_GRAPH
    nodes = top(document)
    assert set(nodes) == {ELECTRICIANS.value, NOC.value}
    occupation = nodes[ELECTRICIANS.value]
    assert occupation["code"] == "47-2111.00"
    assert occupation["tasks"] == [{"id": WIRING.value, "type": "Task", "label": "Install wiring"}]
    [title] = occupation["jobTitles"]
    assert title["titleOf"] == ELECTRICIANS.value  # back to its occupation: a reference
    assert title["label"] == {"@language": "en", "@value": "wireman"}
    assert occupation["nocEquivalents"] == [NOC.value]  # another root: a reference
    # A task that is part of two things is written inside both.
    assert nodes[NOC.value]["tasks"] == occupation["tasks"]
    assert nodes[NOC.value]["onetEquivalents"] == [ELECTRICIANS.value]


def test_identifiers_stay_whole_iris_and_the_context_is_the_ontology_one() -> None:
    document = jsonld_document(ELECTRICIANS_GRAPH)
    context = jsonld_context()
    del context["go"]
    assert document["@context"] == context
    assert "go:" not in json.dumps(document["@graph"])


def test_literals_become_json_values_only_where_that_is_exact() -> None:
    level = NamedNode(GO + "levels/Proficient")
    salary = NamedNode(GO + "sources/0123456789abcdef/salaries/1")
    triples = {
        Triple(level, occ("rank"), typed("3", "integer")),
        Triple(level, occ("position"), typed("007", "integer")),
        Triple(salary, occ("required"), typed("true", "boolean")),
        Triple(salary, occ("approximate"), typed("1", "boolean")),
        Triple(salary, occ("amount"), typed("59860.00", "decimal")),
        Triple(salary, occ("headingLevel"), typed("9007199254740993", "integer")),
        Triple(salary, LABEL, Literal("médiane", language="fr")),
    }
    document = jsonld_document(triples)
    assert expand(document) == triples
    nodes = top(document)
    assert nodes[level.value]["rank"] == 3
    assert nodes[level.value]["position"] == "007"
    assert nodes[salary.value]["required"] is True
    assert nodes[salary.value]["approximate"] == "1"
    assert nodes[salary.value]["amount"] == "59860.00"
    assert nodes[salary.value]["headingLevel"] == "9007199254740993"


def test_blank_nodes_stay_flat_and_keep_their_links() -> None:
    domain = BlankNode("domain")
    triples = {
        Triple(ELECTRICIANS, occ("hasTask"), WIRING),
        Triple(ELECTRICIANS, occ("about"), domain),
        Triple(domain, LABEL, Literal("anonymous")),
        Triple(WIRING, occ("about"), domain),
    }
    document = jsonld_document(triples)
    back = expand(document)
    assert len(back) == len(triples)
    [blank] = {t.object for t in back if t.predicate == occ("about")}
    assert isinstance(blank, BlankNode)
    assert Triple(blank, LABEL, Literal("anonymous")) in back
    assert {t for t in back if not isinstance(t.object, BlankNode) and t.subject != blank} == {
        Triple(ELECTRICIANS, occ("hasTask"), WIRING)
    }


def test_nesting_stops_at_its_limit_and_keeps_every_triple() -> None:
    chain = [NamedNode(f"{GO}subroles/{n}") for n in range(MAX_NESTING + 3)]
    triples = {Triple(a, occ("hasSubRole"), b) for a, b in pairwise(chain)}
    triples |= {Triple(node, LABEL, Literal(str(n))) for n, node in enumerate(chain)}
    document = jsonld_document(triples)
    assert expand(document) == triples
    nodes = top(document)
    assert chain[0].value in nodes and chain[MAX_NESTING + 1].value in nodes
    deepest = nodes[chain[0].value]
    for _ in range(MAX_NESTING):
        [deepest] = deepest["subRoles"]
    assert deepest["id"] == chain[MAX_NESTING].value
    assert deepest["subRoles"] == [chain[MAX_NESTING + 1].value]


def test_a_cycle_of_parts_with_no_root_is_written_flat() -> None:
    triples = {
        Triple(ELECTRICIANS, occ("hasSubRole"), NOC),
        Triple(NOC, occ("hasSubRole"), ELECTRICIANS),
        Triple(NOC, LABEL, Literal("NOC")),
    }
    document = jsonld_document(triples)
    assert expand(document) == triples
    assert top(document)[NOC.value]["subRoles"] == [ELECTRICIANS.value]


def test_no_triples_is_an_empty_graph() -> None:
    assert jsonld_document([])["@graph"] == []


def test_the_context_copy_is_the_callers_own() -> None:
    jsonld_context()["tasks"] = "changed"
    assert jsonld_context()["tasks"]["@id"] == "occ:hasTask"


def test_the_text_formats_use_the_ontology_prefixes() -> None:
    assert set(GRAPHS) - {"jsonld"} == {"turtle", "ntriples", "rdfxml"}
    turtle = serialize_triples(ELECTRICIANS_GRAPH, "turtle")
    assert "@prefix occ: <https://graph.org.ai/ontology#> ." in turtle
    assert "@prefix go:" not in turtle
    for format_ in set(GRAPHS) - {"jsonld"}:
        text = serialize_triples(ELECTRICIANS_GRAPH, format_)
        rdf_format = FORMATS[format_].rdf
        assert {q.triple for q in parse(text.encode(), rdf_format)} == ELECTRICIANS_GRAPH


@pytest.mark.parametrize(
    "iri",
    [
        "https://graph.org.ai/noc/2016/4155",
        "https://graph.org.ai/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists",
    ],
)
def test_a_description_in_jsonld_is_compacted_and_exact(seeds_store: Store, iri: str) -> None:
    triples = describe(seeds_store, iri)
    document = json.loads(serialize_triples(triples, "jsonld"))
    assert expand(document) == set(triples)
    node = top(document)[iri]
    if "noc" in iri:
        assert len(node["jobTitles"]) == 6
        assert all(title["label"] for title in node["jobTitles"])
    else:
        assert node["code"] == "21-1092.00"
        assert all(task["label"] for task in node["tasks"])
