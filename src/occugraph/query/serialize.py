"""Triples to text in the RDF formats users ask for, with the ontology's prefixes.

Turtle, N-Triples and RDF/XML come straight from Oxigraph's serializers. JSON-LD
(https://www.w3.org/TR/json-ld11/) is the form a JSON developer wants: compacted with
``ontology/context.jsonld`` so keys are short (``label``, ``code``, ``tasks``), and framed
(https://www.w3.org/TR/json-ld11-framing/) so that a resource carries the things that
are part of it nested inside it: an occupation its tasks, skills, frameworks (with
their statements), job titles and requirements; a NOC unit group its sub-roles and
duties; a source document its sections. PyLD does the compaction and the framing.

The document still expands to exactly the input triples. Only the properties of
``PART_OF`` embed; every other link (a job title's ``titleOf``, a statement's
``framework``, an occupation's ``nocEquivalents``) stays a reference, so no node turns
up nested somewhere surprising. Nodes that are part of nothing, and every triple that
touches a blank node, are compacted flat beside the framed ones (framing renames blank
nodes, compaction does not). All of it happens in memory.
"""

from __future__ import annotations

import copy
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, serialize

from occugraph.errors import OccugraphError
from occugraph.files import CONTEXT
from occugraph.formats import FORMATS
from occugraph.vocabulary import OCC, PREFIXES, PROV, RDF, XSD

READABLE_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "go"}
"""The prefixes for Turtle and TriG: namespaces whose local names contain '/' (``go``)
only serialize as escaped, unreadable names."""

PART_OF = frozenset(
    [
        *(
            OCC + name
            for name in [
                "hasTask",
                "requiresSkill",
                "requiresKnowledge",
                "requiresAbility",
                "performsActivity",
                "hasFramework",
                "hasStatement",
                "hasSubRole",
                "hasJobTitle",
                "educationRequirement",
                "hiringRequirement",
                "estimatedSalary",
                "hasSection",
                "usesTechnology",
                "usesTool",
            ]
        ),
        PROV + "wasGeneratedBy",
    ]
)
"""Properties whose values are shown inside their subject in JSON-LD."""

MAX_NESTING = 4
"""How deep "part of" goes (occupation → framework → statement is 2); deeper nodes
are written flat."""

_TYPE = RDF + "type"
_SAFE_INTEGER = 2**53
"""Integers beyond this lose precision in JavaScript's numbers; they stay strings."""


@cache
def _context() -> dict[str, Any]:
    context: dict[str, Any] = json.loads(CONTEXT.read_text())["@context"]
    return context


def jsonld_context() -> dict[str, Any]:
    """The ``@context`` of ``ontology/context.jsonld`` (a copy: callers may change it)."""
    return copy.deepcopy(_context())


def _compaction_context() -> dict[str, Any]:
    """The context without the ``go`` prefix, so identifiers stay whole, dereferenceable
    IRIs (``https://graph.org.ai/tasks/…``, not ``go:tasks/…``)."""
    context = jsonld_context()
    del context["go"]
    return context


def serialize_triples(triples: Iterable[Triple], format: str) -> str:
    """Triples in one of the graph formats of :mod:`occugraph.formats`, by name."""
    if format == "jsonld":
        return json.dumps(jsonld_document(triples), indent=2, ensure_ascii=False)
    rdf = FORMATS[format].rdf
    if rdf is None:
        raise OccugraphError(f"{format} is not an RDF format")
    data = serialize(triples, format=rdf, prefixes=READABLE_PREFIXES)
    return data.decode() if data else ""


def jsonld_document(triples: Iterable[Triple]) -> dict[str, Any]:
    """Triples as one compacted, framed JSON-LD document: ``{"@context": ..., "@graph": [...]}``.

    >>> from pyoxigraph import Literal, NamedNode, Triple
    >>> occupation = NamedNode("https://graph.org.ai/occupations/Electricians")
    >>> task = NamedNode("https://graph.org.ai/tasks/InstallWiring_0a1b2c3d")
    >>> label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    >>> document = jsonld_document([
    ...     Triple(occupation, NamedNode("https://graph.org.ai/ontology#hasTask"), task),
    ...     Triple(task, label, Literal("Install wiring")),
    ... ])
    >>> document["@graph"][0]["tasks"]
    [{'id': 'https://graph.org.ai/tasks/InstallWiring_0a1b2c3d', 'label': 'Install wiring'}]
    """
    from pyld import jsonld  # slow to import; only JSON-LD answers need it

    nested, flat, roots, frame = _split(sorted(set(triples), key=str))
    context = _compaction_context()
    graph: list[Any] = []
    if roots:
        framed = jsonld.frame(
            _expanded(nested),
            {"@context": context, "@id": sorted(roots), **frame},
            {"omitGraph": False, "omitDefault": True, "embed": "@never"},
        )
        graph.extend(framed["@graph"])
    if flat:
        compacted = jsonld.compact(_expanded(flat), {"@context": context}, {"graph": True})
        graph.extend(compacted["@graph"])
    return {"@context": context, "@graph": graph}


def _split(
    triples: list[Triple],
) -> tuple[list[Triple], list[Triple], set[str], dict[str, Any]]:
    """Which triples are framed and which stay flat; the roots; and the frame.

    Roots have "part of" values but are part of nothing; what is part of a root, up to
    ``MAX_NESTING`` levels down, is framed with it. Every other subject, and every
    triple with a blank node, stays flat."""
    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    predicates: dict[str, set[str]] = defaultdict(set)
    for triple in triples:
        subject, predicate = triple.subject, triple.predicate.value
        if isinstance(subject, NamedNode) and not isinstance(triple.object, BlankNode):
            if predicate != _TYPE or isinstance(triple.object, Literal):
                predicates[subject.value].add(predicate)  # rdf:type becomes @type
            if predicate in PART_OF and isinstance(triple.object, NamedNode):
                links[subject.value][predicate].add(triple.object.value)
    children = {child for node in links.values() for objects in node.values() for child in objects}
    roots = set(links) - children
    depth = {root: 0 for root in roots}
    frontier = sorted(roots)
    for level in range(1, MAX_NESTING + 1):
        frontier = sorted(
            {
                child
                for node in frontier
                for objects in links.get(node, {}).values()
                for child in objects
                if child not in depth
            }
        )
        depth.update((child, level) for child in frontier)
    nested, flat = [], []
    for triple in triples:
        subject = triple.subject
        inside = isinstance(subject, NamedNode) and subject.value in depth
        if inside and not isinstance(triple.object, BlankNode):
            nested.append(triple)
        else:
            flat.append(triple)
    return nested, flat, roots, _frame(roots, links, predicates, depth, 0)


def _frame(
    nodes: Iterable[str],
    links: dict[str, dict[str, set[str]]],
    predicates: dict[str, set[str]],
    depth: dict[str, int],
    level: int,
) -> dict[str, Any]:
    """A frame for ``nodes``: each ``PART_OF`` property embeds its values (framed the same
    way, one level down); every other property keeps its values as references.

    A frame's ``@embed`` is also the default for the properties it does not name, so
    every property the nodes have is named."""
    frame: dict[str, Any] = {}
    nodes = list(nodes)
    for predicate in sorted({p for node in nodes for p in predicates.get(node, ())}):
        values = {v for node in nodes for v in links.get(node, {}).get(predicate, ())}
        inner = [value for value in values if value in depth]
        if predicate in PART_OF and inner and level < MAX_NESTING:
            below = _frame(inner, links, predicates, depth, level + 1)
            frame[predicate] = {"@id": {}, "@embed": "@always", **below}
        else:
            frame[predicate] = {"@embed": "@never"}
    return frame


def _expanded(triples: Iterable[Triple]) -> list[Any]:
    """Expanded JSON-LD for the triples (JSON-LD's RDF-to-object conversion), with
    canonical integers and booleans as JSON numbers and booleans."""
    dataset = {
        "@default": [
            {
                "subject": _term(t.subject),
                "predicate": _term(t.predicate),
                "object": _term(t.object),
            }
            for t in triples
        ]
    }
    from pyld import jsonld

    nodes: list[Any] = jsonld.from_rdf(dataset)
    for node in nodes:
        for key, values in node.items():
            if not key.startswith("@"):
                node[key] = [_native(value) for value in values]
    return nodes


def _term(term: object) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "blank node", "value": "_:" + term.value}
    if isinstance(term, Literal) and not term.direction:
        literal = {"type": "literal", "value": term.value, "datatype": term.datatype.value}
        if term.language:
            literal["language"] = term.language
        return literal
    raise OccugraphError(f"JSON-LD cannot hold {term}")


def _native(value: Any) -> Any:
    """A canonical xsd:integer or xsd:boolean as a JSON number or boolean; the datatype
    stays, so the context's typed terms (``rank``, ``required``) still apply and the
    value turns back into the same literal."""
    if not isinstance(value, dict) or "@value" not in value:
        return value
    text, datatype = value["@value"], value.get("@type")
    if datatype == XSD + "boolean" and text in ("true", "false"):
        return {**value, "@value": text == "true"}
    if datatype == XSD + "integer" and re.fullmatch(r"-?(0|[1-9][0-9]*)", text):
        number = int(text)
        if abs(number) < _SAFE_INTEGER and text != "-0":
            return {**value, "@value": number}
    return value
