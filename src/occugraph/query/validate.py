"""SHACL validation of a whole build against ``ontology/shapes.ttl`` (W3C SHACL,
https://www.w3.org/TR/shacl/#validation-report): the report as rows for a summary, and as
the Turtle graph pySHACL writes."""

from __future__ import annotations

import rdflib
from pydantic import BaseModel, Field
from pyoxigraph import RdfFormat, Store, serialize
from pyshacl import validate as shacl_validate
from rdflib.namespace import SH

from occugraph.files import SHAPES


class ValidationResult(BaseModel):
    """One ``sh:ValidationResult``, its terms written as CURIEs where a prefix fits."""

    severity: str = Field(description="Violation, Warning or Info.")
    shape: str = Field(description="The node shape, and the property path for a property shape.")
    focus: str = Field(description="The node that does not conform.")
    message: str


class Validation(BaseModel):
    conforms: bool = Field(description="No violation (warnings do not count against it).")
    results: list[ValidationResult]
    report: str = Field(description="The validation report graph, as Turtle.")


def validate(store: Store) -> Validation:
    """Whether the union of all named graphs conforms, and what the report says.

    Warnings (e.g. an occupation no document could resolve to an O*NET code) are
    reported but do not make the build non-conforming.
    """
    triples = (quad.triple for quad in store.quads_for_pattern(None, None, None, None))
    data = rdflib.Graph().parse(
        data=(serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode(), format="nt"
    )
    shapes = rdflib.Graph().parse(SHAPES)
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, allow_warnings=True)
    assert isinstance(report, rdflib.Graph)
    for prefix, namespace in shapes.namespaces():  # the shapes' own prefixes name the terms
        report.bind(prefix, namespace)
    results = [_result(report, shapes, node) for node in report.objects(None, SH.result)]
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    results.sort(key=lambda r: (order.get(r.severity, 3), r.shape, r.focus, r.message))
    return Validation(
        conforms=bool(conforms), results=results, report=report.serialize(format="turtle")
    )


def _result(report: rdflib.Graph, shapes: rdflib.Graph, node: rdflib.term.Node) -> ValidationResult:
    def curie(term: rdflib.term.Node | None) -> str:
        if term is None:
            return "-"
        if isinstance(term, rdflib.URIRef):
            return term.n3(report.namespace_manager)
        return str(term)

    severity = report.value(node, SH.resultSeverity)
    source = report.value(node, SH.sourceShape)
    shape = curie(source)
    if isinstance(source, rdflib.BNode):  # a property shape: name it by its node shape
        owner = shapes.value(None, SH.property, source)
        path = shapes.value(source, SH.path)
        shape = f"{curie(owner)} {curie(path)}" if owner is not None else curie(path)
    message = report.value(node, SH.resultMessage)
    return ValidationResult(
        severity=curie(severity).removeprefix("sh:"),
        shape=shape,
        focus=curie(report.value(node, SH.focusNode)),
        message=str(message) if message is not None else "-",
    )
