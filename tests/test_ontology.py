"""Tests for the vocabulary (ontology/occugraph.ttl), the SHACL shapes (ontology/shapes.ttl)
and the JSON-LD context (ontology/context.jsonld)."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph
import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_TTL = ONTOLOGY_DIR / "occugraph.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT_JSONLD = ONTOLOGY_DIR / "context.jsonld"

OCC = Namespace("https://graph.org.ai/ontology#")
GO = Namespace("https://graph.org.ai/")
SCHEMA = Namespace("https://schema.org/")
ESCO = Namespace("http://data.europa.eu/esco/model#")
CEASN = Namespace("https://purl.org/ctdlasn/terms/")
ASN = Namespace("http://purl.org/ASN/schema/core/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ONTOLOGY_IRI = URIRef("https://graph.org.ai/ontology")

# rdflib's JSON-LD parser builds a ConjunctiveGraph internally when parsing into a plain Graph,
# and rdflib 7.6 deprecates ConjunctiveGraph; nothing the caller does avoids it (parsing into a
# Dataset trips Dataset.default_context's deprecation instead). Ignore exactly that message.
RDFLIB_JSONLD_WARNING = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated, use Dataset instead.:DeprecationWarning"
)

CLASSES = [
    "TaskRestatement",
    "SubRole",
    "Occupation",
    "Task",
    "CompetencyFramework",
    "ProgressionModel",
    "ProficiencyLevel",
    "CompetencyStatement",
    "OnetElement",
    "Skill",
    "OnetSkill",
    "KnowledgeArea",
    "Ability",
    "WorkActivity",
    "NocUnitGroup",
    "JobZone",
    "Industry",
    "JobTitle",
    "EducationRequirement",
    "HiringRequirement",
    "SalaryFigure",
    "SourceDocument",
    "Extraction",
    "PageSection",
    "DetailedWorkActivity",
    "IntermediateWorkActivity",
    "Technology",
    "Tool",
    "Commodity",
]
OBJECT_PROPERTIES = [
    "runnerUp",
    "duty",
    "restatedTask",
    "hasSubRole",
    "hasTask",
    "requiresSkill",
    "requiresKnowledge",
    "requiresAbility",
    "performsActivity",
    "jobZone",
    "industry",
    "nocEquivalent",
    "onetEquivalent",
    "hasJobTitle",
    "titleOf",
    "educationRequirement",
    "hiringRequirement",
    "estimatedSalary",
    "hasFramework",
    "frameworkFor",
    "progressionModel",
    "hasStatement",
    "inFramework",
    "atLevel",
    "precedes",
    "namesElement",
    "about",
    "hasSection",
    "detailedWorkActivity",
    "usesTechnology",
    "usesTool",
    "commodity",
    "usesCommodity",
]
DATATYPE_PROPERTIES = [
    "onetCode",
    "statedTitle",
    "occupationGroup",
    "jobZoneInferred",
    "version",
    "scope",
    "rank",
    "position",
    "statementText",
    "objectPhrase",
    "performancePhrase",
    "contentModelPath",
    "degreeLevel",
    "fieldOfStudy",
    "required",
    "requirementKind",
    "amount",
    "currency",
    "period",
    "statistic",
    "approximate",
    "publisher",
    "specialisation",
    "careerPath",
    "workEnvironment",
    "employer",
    "objective",
    "qualification",
    "component",
    "headingLevel",
    "statedId",
    "statedType",
    "fileName",
    "sha256",
    "sourceKind",
    "extractorVersion",
    "schemaVersion",
    "dataSource",
    "unresolvedTitle",
    "resolvedBy",
    "linkScore",
    "runnerUpScore",
    "similarity",
    "onetTaskId",
    "taskType",
    "hotTechnology",
    "inDemand",
]
CONCEPT_SCHEMES = [
    "occupations",
    "noc/2016",
    "noc/2021",
    "jobzones",
    "industries",
    "onet/content-model",
    "unspsc",
    "onet/work-activities",
]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CONTEXT_JSONLD.read_text(encoding="utf-8"))
    return loaded


def declared_terms(onto: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        s
        for kind in kinds
        for s in onto.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and s.startswith(str(OCC))
    }


def occ_iris_in(graph: Graph) -> set[URIRef]:
    return {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and term.startswith(str(OCC))
    }


# --------------------------------------------------------------------------- ontology


def test_ontology_parses_with_rdflib_and_pyoxigraph(onto: Graph) -> None:
    oxi = list(pyoxigraph.parse(path=str(ONTOLOGY_TTL), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(onto) > 0
    assert len(oxi) == len(onto)


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    for prop in (DCTERMS.title, DCTERMS.description, OWL.versionInfo, DCTERMS.license):
        assert len(list(onto.objects(ONTOLOGY_IRI, prop))) == 1, prop


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (CLASSES, OWL.Class),
        (OBJECT_PROPERTIES, OWL.ObjectProperty),
        (DATATYPE_PROPERTIES, OWL.DatatypeProperty),
    ],
    ids=["classes", "object-properties", "datatype-properties"],
)
def test_every_listed_term_is_declared_with_its_kind(
    onto: Graph, names: list[str], kind: URIRef
) -> None:
    missing = [n for n in names if (OCC[n], RDF.type, kind) not in onto]
    assert missing == []


def test_no_undeclared_or_unlisted_terms(onto: Graph) -> None:
    listed = {OCC[n] for n in CLASSES + OBJECT_PROPERTIES + DATATYPE_PROPERTIES}
    assert declared_terms(onto) == listed
    assert len(listed) == len(CLASSES) + len(OBJECT_PROPERTIES) + len(DATATYPE_PROPERTIES)
    # every occ: IRI the ontology mentions (as a domain, range, superclass, ...) is declared
    assert occ_iris_in(onto) <= listed


def test_every_term_has_one_english_label_and_definition(onto: Graph) -> None:
    problems: list[tuple[URIRef, URIRef, list[Node]] | tuple[URIRef, URIRef]] = []
    for term in sorted(declared_terms(onto)):
        for prop in (RDFS.label, SKOS.definition):
            values = list(onto.objects(term, prop))
            if len(values) != 1 or not isinstance(values[0], Literal) or values[0].language != "en":
                problems.append((term, prop, values))
        if list(onto.objects(term, RDFS.isDefinedBy)) != [ONTOLOGY_IRI]:
            problems.append((term, RDFS.isDefinedBy))
    assert problems == []


def test_terms_are_not_declared_twice_over(onto: Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for term in declared_terms(onto):
        assert sum((term, RDF.type, k) in onto for k in kinds) == 1, term


def test_object_properties_have_domain_and_range(onto: Graph) -> None:
    for name in OBJECT_PROPERTIES:
        assert len(list(onto.objects(OCC[name], RDFS.domain))) == 1, name
        assert len(list(onto.objects(OCC[name], RDFS.range))) == 1, name


def test_has_job_title_domain_is_occupation_or_noc_unit_group(onto: Graph) -> None:
    (domain,) = onto.objects(OCC.hasJobTitle, RDFS.domain)
    (members,) = onto.objects(domain, OWL.unionOf)
    assert set(Collection(onto, members)) == {OCC.Occupation, OCC.NocUnitGroup}


@pytest.mark.parametrize(
    ("prop", "datatype"),
    [
        ("jobZoneInferred", XSD.boolean),
        ("rank", XSD.integer),
        ("position", XSD.integer),
        ("required", XSD.boolean),
        ("amount", XSD.decimal),
        ("approximate", XSD.boolean),
        ("headingLevel", XSD.integer),
        ("hotTechnology", XSD.boolean),
        ("inDemand", XSD.boolean),
    ],
)
def test_typed_datatype_property_ranges(onto: Graph, prop: str, datatype: URIRef) -> None:
    assert list(onto.objects(OCC[prop], RDFS.range)) == [datatype]


@pytest.mark.parametrize(
    ("sub", "relation", "sup"),
    [
        (OCC.Occupation, RDFS.subClassOf, SCHEMA.Occupation),
        (OCC.Occupation, RDFS.subClassOf, SKOS.Concept),
        (OCC.Occupation, SKOS.closeMatch, ESCO.Occupation),
        (OCC.Skill, SKOS.closeMatch, ESCO.Skill),
        (OCC.OnetElement, RDFS.subClassOf, SKOS.Concept),
        (OCC.OnetSkill, RDFS.subClassOf, OCC.OnetElement),
        (OCC.OnetSkill, RDFS.subClassOf, OCC.Skill),
        (OCC.KnowledgeArea, RDFS.subClassOf, OCC.OnetElement),
        (OCC.Ability, RDFS.subClassOf, OCC.OnetElement),
        (OCC.WorkActivity, RDFS.subClassOf, OCC.OnetElement),
        (OCC.NocUnitGroup, RDFS.subClassOf, SKOS.Concept),
        (OCC.JobZone, RDFS.subClassOf, SKOS.Concept),
        (OCC.Industry, RDFS.subClassOf, SKOS.Concept),
        (OCC.CompetencyFramework, RDFS.subClassOf, CEASN.CompetencyFramework),
        (OCC.CompetencyStatement, RDFS.subClassOf, CEASN.Competency),
        (OCC.ProgressionModel, RDFS.subClassOf, ASN.ProgressionModel),
        (OCC.ProficiencyLevel, RDFS.subClassOf, ASN.ProgressionLevel),
        (OCC.EducationRequirement, RDFS.subClassOf, SCHEMA.EducationalOccupationalCredential),
        (OCC.SalaryFigure, RDFS.subClassOf, SCHEMA.MonetaryAmountDistribution),
        (OCC.SourceDocument, RDFS.subClassOf, PROV.Entity),
        (OCC.Extraction, RDFS.subClassOf, PROV.Activity),
        (OCC.Technology, RDFS.subClassOf, SCHEMA.Product),
        (OCC.Tool, RDFS.subClassOf, SCHEMA.Product),
        (OCC.Commodity, RDFS.subClassOf, SKOS.Concept),
        (OCC.DetailedWorkActivity, RDFS.subClassOf, SKOS.Concept),
        (OCC.IntermediateWorkActivity, RDFS.subClassOf, SKOS.Concept),
        (OCC.requiresSkill, RDFS.subPropertyOf, SCHEMA.skills),
        (OCC.requiresSkill, RDFS.subPropertyOf, ESCO.relatedEssentialSkill),
        (OCC.nocEquivalent, RDFS.subPropertyOf, SKOS.closeMatch),
        (OCC.onetEquivalent, RDFS.subPropertyOf, SKOS.closeMatch),
        (OCC.educationRequirement, RDFS.subPropertyOf, SCHEMA.educationRequirements),
        (OCC.hiringRequirement, RDFS.subPropertyOf, SCHEMA.qualifications),
        (OCC.estimatedSalary, RDFS.subPropertyOf, SCHEMA.estimatedSalary),
        (OCC.inFramework, RDFS.subPropertyOf, CEASN.isPartOf),
        (OCC.atLevel, RDFS.subPropertyOf, ASN.hasProgressionLevel),
        (OCC.namesElement, RDFS.subPropertyOf, CEASN.skillEmbodied),
        (OCC.about, RDFS.subPropertyOf, SCHEMA.about),
        (OCC.onetCode, RDFS.subPropertyOf, SKOS.notation),
        (OCC.version, RDFS.subPropertyOf, SCHEMA.version),
        (OCC.scope, RDFS.subPropertyOf, DCTERMS.coverage),
        (OCC.position, RDFS.subPropertyOf, SCHEMA.position),
        (OCC.statementText, RDFS.subPropertyOf, CEASN.competencyText),
        (OCC.currency, RDFS.subPropertyOf, SCHEMA.currency),
        (OCC.qualification, RDFS.subPropertyOf, SCHEMA.qualifications),
    ],
)
def test_alignments(onto: Graph, sub: URIRef, relation: URIRef, sup: URIRef) -> None:
    assert (sub, relation, sup) in onto


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("nocEquivalent", "onetEquivalent"),
        ("hasFramework", "frameworkFor"),
        ("hasStatement", "inFramework"),
    ],
)
def test_inverse_pairs(onto: Graph, a: str, b: str) -> None:
    assert (OCC[a], OWL.inverseOf, OCC[b]) in onto


@pytest.mark.parametrize("path", CONCEPT_SCHEMES)
def test_concept_schemes_declared(onto: Graph, path: str) -> None:
    scheme = GO[path]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in onto
    assert len(list(onto.objects(scheme, RDFS.label))) == 1
    assert len(list(onto.objects(scheme, DCTERMS.source))) == 1


# --------------------------------------------------------------------------- shapes


def test_shapes_parse_with_rdflib_and_pyoxigraph(shapes: Graph) -> None:
    oxi = list(pyoxigraph.parse(path=str(SHAPES_TTL), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(oxi) == len(shapes) > 0


def shacl_shacl() -> Graph:
    text = (files("pyshacl") / "assets" / "shacl-shacl.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    conforms, _, report = pyshacl.validate(shapes, shacl_graph=shacl_shacl())
    assert conforms, report


def test_meta_validation_catches_a_broken_shape() -> None:
    broken = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix occ: <https://graph.org.ai/ontology#> .
        <urn:x:Bad> a sh:NodeShape ; sh:targetClass occ:Task ;
            sh:property [ sh:path occ:position ; sh:minCount "one" ] .
        """,
        format="turtle",
    )
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=shacl_shacl())
    assert not conforms


def test_shapes_only_use_declared_terms(onto: Graph, shapes: Graph) -> None:
    declared = declared_terms(onto)
    assert occ_iris_in(shapes) <= declared
    targets = set(shapes.objects(None, SH.targetClass))
    assert targets <= {t for t in declared if (t, RDF.type, OWL.Class) in onto}
    for expected in (
        "Occupation",
        "CompetencyStatement",
        "CompetencyFramework",
        "ProficiencyLevel",
        "SourceDocument",
        "NocUnitGroup",
        "Task",
        "SalaryFigure",
        "OnetElement",
    ):
        assert OCC[expected] in targets, expected


def test_every_shape_is_named_described_and_has_messages(shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert node_shapes
    for shape in node_shapes:
        assert (shape, SH.name, None) in shapes, shape
        assert (shape, SH.description, None) in shapes, shape
        constraints = list(shapes.objects(shape, SH.property)) + list(
            shapes.objects(shape, SH.sparql)
        )
        assert constraints, shape
        for c in constraints:
            for prop in (SH.name, SH.description, SH.message):
                assert (c, prop, None) in shapes, (shape, c, prop)


# --------------------------------------------------------------------------- SHACL on data

PREFIXES = """
@prefix occ:  <https://graph.org.ai/ontology#> .
@prefix go:   <https://graph.org.ai/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""

CONFORMING = (
    PREFIXES
    + """
<https://graph.org.ai/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists>
    a occ:Occupation ;
    rdfs:label "Probation Officers and Correctional Treatment Specialists"@en ;
    occ:onetCode "21-1092.00" ;
    occ:hasTask <https://graph.org.ai/tasks/PrepareReports_0123abcd> ;
    occ:hasFramework <https://graph.org.ai/frameworks/ProbationOfficers/v.26.05> ;
    occ:nocEquivalent <https://graph.org.ai/noc/2016/4155> ;
    occ:estimatedSalary <https://graph.org.ai/salaries/x> ;
    occ:requiresSkill <https://graph.org.ai/skills/ActiveListening> .

<https://graph.org.ai/tasks/PrepareReports_0123abcd> a occ:Task ;
    rdfs:label "Prepare and maintain case folders."@en .

<https://graph.org.ai/frameworks/ProbationOfficers/v.26.05> a occ:CompetencyFramework ;
    occ:version "v.26.05" ;
    occ:frameworkFor
        <https://graph.org.ai/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists> ;
    occ:hasStatement <https://graph.org.ai/frameworks/ProbationOfficers/v.26.05/emerging/1> .

<https://graph.org.ai/frameworks/ProbationOfficers/v.26.05/emerging/1> a occ:CompetencyStatement ;
    occ:inFramework <https://graph.org.ai/frameworks/ProbationOfficers/v.26.05> ;
    occ:atLevel <https://graph.org.ai/levels/Emerging> ;
    occ:position 1 ;
    occ:statementText "Case folders — compile and organize under guidance." .

<https://graph.org.ai/levels/Emerging> a occ:ProficiencyLevel ;
    rdfs:label "Emerging"@en ;
    occ:rank 1 ;
    occ:precedes <https://graph.org.ai/levels/Developing> .

<https://graph.org.ai/levels/Developing> a occ:ProficiencyLevel ;
    rdfs:label "Developing"@en ;
    occ:rank 2 .

<https://graph.org.ai/noc/2016/4155> a occ:NocUnitGroup ;
    skos:notation "4155" ;
    rdfs:label "Probation and parole officers and related occupations"@en ;
    skos:inScheme <https://graph.org.ai/noc/2016> .

<https://graph.org.ai/salaries/x> a occ:SalaryFigure ;
    occ:amount 61800.00 ; occ:currency "USD" .

<https://graph.org.ai/skills/ActiveListening> a occ:OnetSkill ;
    skos:notation "2.A.1.b" ; rdfs:label "Active Listening"@en .

<https://graph.org.ai/sources/309d4041f9c3a9b7> a occ:SourceDocument ;
    occ:sha256 "309d4041f9c3a9b7aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" ;
    occ:fileName "001_309d4041f9c3a9b7.txt" ;
    occ:sourceKind "competency-framework"^^xsd:string ;
    occ:extractorVersion "0.1.0" ;
    occ:resolvedBy "code" ;
    prov:generatedAtTime "2026-05-15T12:39:10Z"^^xsd:dateTime ;
    prov:wasGeneratedBy <https://graph.org.ai/extractions/1> ;
    occ:about
        <https://graph.org.ai/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists> .

<https://graph.org.ai/extractions/1> a occ:Extraction .
"""
)

STMT = URIRef("https://graph.org.ai/frameworks/ProbationOfficers/v.26.05/emerging/1")
OCCUPATION = URIRef(
    "https://graph.org.ai/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
)


def validate(
    data: str, shapes: Graph, *, allow_warnings: bool = False
) -> tuple[bool, set[tuple[Node | None, ...]]]:
    data_graph = Graph().parse(data=data, format="turtle")
    conforms, report, _ = pyshacl.validate(
        data_graph, shacl_graph=shapes, allow_warnings=allow_warnings
    )
    results: set[tuple[Node | None, ...]] = {
        (
            report.value(r, SH.focusNode),
            report.value(r, SH.resultPath),
            report.value(r, SH.sourceConstraintComponent),
            report.value(r, SH.resultSeverity),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    return conforms, results


def test_conforming_graph_conforms_without_even_warnings(shapes: Graph) -> None:
    conforms, results = validate(CONFORMING, shapes)
    assert results == set()
    assert conforms


def test_missing_level_and_two_codes_give_exactly_those_violations(shapes: Graph) -> None:
    data = CONFORMING.replace("occ:atLevel <https://graph.org.ai/levels/Emerging> ;", "").replace(
        'occ:onetCode "21-1092.00" ;', 'occ:onetCode "21-1092.00", "21-1092.01" ;'
    )
    assert data.count("occ:atLevel") == 0 and "21-1092.01" in data
    conforms, results = validate(data, shapes)
    assert not conforms
    assert results == {
        (STMT, OCC.atLevel, SH.MinCountConstraintComponent, SH.Violation),
        (OCCUPATION, OCC.onetCode, SH.MaxCountConstraintComponent, SH.Violation),
    }


def test_occupation_without_code_is_only_a_warning(shapes: Graph) -> None:
    data = CONFORMING.replace('occ:onetCode "21-1092.00" ;', "")
    conforms, results = validate(data, shapes, allow_warnings=True)
    assert conforms
    assert results == {
        (OCCUPATION, OCC.onetCode, SH.MinCountConstraintComponent, SH.Warning),
    }
    # without allow_warnings the warning still makes the report non-conforming
    conforms_strict, same = validate(data, shapes)
    assert not conforms_strict and same == results


FRAMEWORK = GO["frameworks/ProbationOfficers/v.26.05"]
SOURCE = GO["sources/309d4041f9c3a9b7"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'occ:onetCode "21-1092.00"',
            'occ:onetCode "21-1092"',
            {(OCCUPATION, OCC.onetCode, SH.PatternConstraintComponent)},
        ),
        (
            "occ:precedes <https://graph.org.ai/levels/Developing>",
            "occ:precedes <https://graph.org.ai/levels/Emerging>",
            {(GO["levels/Emerging"], OCC.precedes, SH.SPARQLConstraintComponent)},
        ),
        (
            'skos:notation "4155"',
            'skos:notation "41550"',
            {(GO["noc/2016/4155"], None, SH.OrConstraintComponent)},
        ),
        (
            "skos:inScheme <https://graph.org.ai/noc/2016>",
            "skos:inScheme <https://graph.org.ai/noc>",
            {
                (GO["noc/2016/4155"], SKOS.inScheme, SH.InConstraintComponent),
                (GO["noc/2016/4155"], None, SH.OrConstraintComponent),
            },
        ),
        (
            '"competency-framework"^^xsd:string',
            '"competency framework"',
            {(SOURCE, OCC.sourceKind, SH.PatternConstraintComponent)},
        ),
        (
            'occ:resolvedBy "code"',
            'occ:resolvedBy "guess"',
            {(SOURCE, OCC.resolvedBy, SH.PatternConstraintComponent)},
        ),
        (
            '"309d4041f9c3a9b7aaaa',
            '"309D4041F9C3A9B7aaaa',
            {(SOURCE, OCC.sha256, SH.PatternConstraintComponent)},
        ),
        (
            '"2026-05-15T12:39:10Z"^^xsd:dateTime',
            '"15 May 2026"',
            {(SOURCE, PROV.generatedAtTime, SH.DatatypeConstraintComponent)},
        ),
        (
            "<https://graph.org.ai/extractions/1> a occ:Extraction .",
            "",
            {(SOURCE, PROV.wasGeneratedBy, SH.ClassConstraintComponent)},
        ),
        (
            "occ:amount 61800.00",
            "occ:amount -1.0",
            {(GO["salaries/x"], OCC.amount, SH.MinInclusiveConstraintComponent)},
        ),
        (
            "occ:amount 61800.00",
            "occ:amount 61800",
            {(GO["salaries/x"], OCC.amount, SH.DatatypeConstraintComponent)},
        ),
        (
            "occ:position 1",
            "occ:position 0",
            {(STMT, OCC.position, SH.MinInclusiveConstraintComponent)},
        ),
        (
            'rdfs:label "Active Listening"@en',
            'rdfs:label "Active Listening"@en, "Listening"@en',
            {(GO["skills/ActiveListening"], RDFS.label, SH.MaxCountConstraintComponent)},
        ),
        ('occ:version "v.26.05" ;', "", {(FRAMEWORK, OCC.version, SH.MinCountConstraintComponent)}),
        (
            "occ:inFramework <https://graph.org.ai/frameworks/ProbationOfficers/v.26.05>",
            "occ:inFramework <https://graph.org.ai/frameworks/Elsewhere/v1>",
            {
                (STMT, OCC.inFramework, SH.ClassConstraintComponent),
                (FRAMEWORK, OCC.hasStatement, SH.SPARQLConstraintComponent),
            },
        ),
    ],
    ids=[
        "code-pattern",
        "self-precedes",
        "noc-length",
        "noc-scheme",
        "source-kind",
        "resolved-by",
        "sha256-case",
        "generated-at-type",
        "untyped-extraction",
        "negative-amount",
        "integer-amount",
        "position-zero",
        "element-two-labels",
        "framework-version",
        "statement-back-link",
    ],
)
def test_single_defects_give_exactly_their_violations(
    shapes: Graph, old: str, new: str, expected: set[tuple[URIRef, URIRef, URIRef]]
) -> None:
    assert CONFORMING.count(old) == 1
    conforms, results = validate(CONFORMING.replace(old, new), shapes)
    assert not conforms
    assert results == {(*e, SH.Violation) for e in expected}


def test_conforming_data_still_conforms_with_the_ontology_merged_in(
    shapes: Graph, onto: Graph
) -> None:
    data = Graph().parse(data=CONFORMING, format="turtle")
    merged = data + onto
    conforms, _, text = pyshacl.validate(merged, shacl_graph=shapes)
    assert conforms, text
    # through the ontology, an OnetSkill is also an OnetElement and still gets checked
    broken = data + onto
    broken.remove((GO["skills/ActiveListening"], SKOS.notation, None))
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=shapes)
    assert not conforms


# --------------------------------------------------------------------------- JSON-LD context


def test_context_is_json_ld_1_1_with_prefixes(context: dict[str, Any]) -> None:
    ctx = context["@context"]
    assert ctx["@version"] == 1.1
    assert "@vocab" not in ctx
    assert ctx["id"] == "@id" and ctx["type"] == "@type"
    assert ctx["occ"] == str(OCC) and ctx["go"] == str(GO)
    for prefix in ("schema", "skos", "prov", "dct", "esco", "ceasn", "asn", "xsd", "rdfs"):
        assert prefix in ctx


def expand(ctx: dict[str, Any], value: str) -> str:
    prefix, _, local = value.partition(":")
    return ctx[prefix] + local if prefix in ctx and not local.startswith("//") else value


def term_definitions(ctx: dict[str, Any]) -> dict[str, dict[str, Any]]:
    prefixes = {
        "occ",
        "go",
        "schema",
        "skos",
        "prov",
        "dct",
        "esco",
        "ceasn",
        "asn",
        "xsd",
        "rdfs",
        "owl",
    }
    out: dict[str, dict[str, Any]] = {}
    for key, value in ctx.items():
        if key.startswith("@") or key in prefixes or value in ("@id", "@type"):
            continue
        out[key] = value if isinstance(value, dict) else {"@id": value}
    return out


def test_context_keys_map_to_distinct_declared_iris(context: dict[str, Any], onto: Graph) -> None:
    ctx = context["@context"]
    defs = term_definitions(ctx)
    iris = [expand(ctx, d["@id"]) for d in defs.values()]
    assert len(iris) == len(set(iris)), "two keys map to the same IRI"
    declared = {str(t) for t in declared_terms(onto)}
    occ_iris = {i for i in iris if i.startswith(str(OCC))}
    assert occ_iris <= declared, occ_iris - declared
    assert declared <= occ_iris, f"terms without a key: {sorted(declared - occ_iris)}"


def test_context_types_object_properties_and_literals(context: dict[str, Any], onto: Graph) -> None:
    ctx = context["@context"]
    for key, d in term_definitions(ctx).items():
        iri = URIRef(expand(ctx, d["@id"]))
        if (iri, RDF.type, OWL.ObjectProperty) in onto:
            assert d.get("@type") == "@id", key
        if (iri, RDF.type, OWL.DatatypeProperty) in onto:
            rng = onto.value(iri, RDFS.range)
            if rng in (XSD.boolean, XSD.integer, XSD.decimal):
                assert expand(ctx, d.get("@type", "")) == str(rng), key
            else:
                assert d.get("@type") != "@id", key
    assert ctx["tasks"] == {"@id": "occ:hasTask", "@type": "@id", "@container": "@set"}
    assert expand(ctx, ctx["skills"]["@id"]) == str(OCC.requiresSkill)
    assert expand(ctx, ctx["code"]) == str(OCC.onetCode)
    assert expand(ctx, ctx["label"]) == str(RDFS.label)
    assert expand(ctx, ctx["definition"]) == str(SKOS.definition)
    assert ctx["generatedAtTime"]["@type"] == "xsd:dateTime"
    for key in ("notation", "inScheme", "closeMatch", "exactMatch"):
        assert key in ctx


TASK_A = GO["tasks/SuperviseProbationers_1a2b3c4d"]
TASK_B = GO["tasks/PrepareCourtReports_5e6f7a8b"]


def occupation_document(ctx: dict[str, Any]) -> str:
    return json.dumps(
        {
            "@context": ctx,
            "id": "go:occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists",
            "type": "Occupation",
            "code": "21-1092.00",
            "label": "Probation Officers and Correctional Treatment Specialists",
            "tasks": [
                {
                    "id": "go:tasks/SuperviseProbationers_1a2b3c4d",
                    "type": "Task",
                    "label": "Supervise probationers.",
                },
                "https://graph.org.ai/tasks/PrepareCourtReports_5e6f7a8b",
            ],
        }
    )


EXPECTED_OCCUPATION_TRIPLES = {
    (OCCUPATION, RDF.type, OCC.Occupation),
    (OCCUPATION, OCC.onetCode, Literal("21-1092.00")),
    (OCCUPATION, RDFS.label, Literal("Probation Officers and Correctional Treatment Specialists")),
    (OCCUPATION, OCC.hasTask, TASK_A),
    (OCCUPATION, OCC.hasTask, TASK_B),
    (TASK_A, RDF.type, OCC.Task),
    (TASK_A, RDFS.label, Literal("Supervise probationers.")),
}


@RDFLIB_JSONLD_WARNING
def test_context_applied_by_rdflib_yields_expected_triples(context: dict[str, Any]) -> None:
    graph = Graph().parse(data=occupation_document(context["@context"]), format="json-ld")
    assert set(graph) == EXPECTED_OCCUPATION_TRIPLES


def test_context_applied_by_pyoxigraph_yields_expected_triples(context: dict[str, Any]) -> None:
    quads = pyoxigraph.parse(
        occupation_document(context["@context"]), format=pyoxigraph.RdfFormat.JSON_LD
    )
    ntriples = "".join(f"{q.triple} .\n" for q in quads)
    assert set(Graph().parse(data=ntriples, format="nt")) == EXPECTED_OCCUPATION_TRIPLES


@RDFLIB_JSONLD_WARNING
def test_context_types_literals(context: dict[str, Any]) -> None:
    doc = {
        "@context": context["@context"],
        "id": "go:sources/309d4041f9c3a9b7",
        "type": "SourceDocument",
        "generatedAtTime": "2026-05-15T12:39:10Z",
        "wasGeneratedBy": "go:extractions/1",
        "about": "go:occupations/X",
        "sections": ["go:sources/309d4041f9c3a9b7/sections/1"],
        "headingLevel": 2,
        "jobZoneInferred": False,
        "amount": "61800.50",
        "employers": ["Provincial governments"],
    }
    src = GO["sources/309d4041f9c3a9b7"]
    graph = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert set(graph) == {
        (src, RDF.type, OCC.SourceDocument),
        (src, PROV.generatedAtTime, Literal("2026-05-15T12:39:10Z", datatype=XSD.dateTime)),
        (src, PROV.wasGeneratedBy, GO["extractions/1"]),
        (src, OCC.about, GO["occupations/X"]),
        (src, OCC.hasSection, GO["sources/309d4041f9c3a9b7/sections/1"]),
        (src, OCC.headingLevel, Literal("2", datatype=XSD.integer)),
        (src, OCC.jobZoneInferred, Literal("false", datatype=XSD.boolean)),
        (src, OCC.amount, Literal("61800.50", datatype=XSD.decimal)),
        (src, OCC.employer, Literal("Provincial governments")),
    }


def test_the_source_kind_shape_names_every_kind(shapes: Graph) -> None:
    from occugraph.build.kinds import kind_names

    (pattern,) = [str(o) for o in shapes.objects(None, SH.pattern) if "onet-page" in str(o)]
    assert set(pattern.removeprefix("^(").removesuffix(")$").split("|")) == set(kind_names())


def test_the_resolution_shape_names_every_method_the_pages_explain(shapes: Graph) -> None:
    from occugraph.server.pages.occupation_card import RESOLVED_BY

    (pattern,) = [str(o) for o in shapes.objects(None, SH.pattern) if "noc-code" in str(o)]
    assert set(pattern.removeprefix("^(").removesuffix(")$").split("|")) == set(RESOLVED_BY)
