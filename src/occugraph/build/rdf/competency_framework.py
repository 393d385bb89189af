"""A ``competency-framework``: the framework, its levels in order and its statements (CTDL-ASN)."""

from __future__ import annotations

from functools import lru_cache

from pyoxigraph import NamedNode

from occugraph import ids
from occugraph.build.rdf.document import DocumentGraph, RecordMapping
from occugraph.build.records.competency_framework import CompetencyFramework
from occugraph.vocabulary import ASN, LABEL, dct, occ, skos

# Frameworks of many occupations share their levels: slug each label once.
_level = lru_cache(maxsize=1024)(ids.level)


def write(graph: DocumentGraph, export: CompetencyFramework) -> None:
    out, occupation = graph.out, graph.occupation
    facts = export.occupation
    graph.stated_title(facts.title)
    out.add(occupation, occ("occupationGroup"), facts.group)
    if facts.job_zone:
        out.link(occupation, occ("jobZone"), ids.job_zone(facts.job_zone))
    out.add(occupation, occ("jobZoneInferred"), facts.job_zone_inferred)
    if facts.sector:
        out.link(occupation, occ("industry"), ids.industry(facts.sector))

    framework = ids.framework(occupation, export.version)
    out.typed(framework, occ("CompetencyFramework"))
    out.add(framework, LABEL, f"{facts.title or 'Competency'} framework {export.version}")
    out.add(framework, occ("version"), export.version)
    out.add(framework, dct("description"), export.description)
    out.add(framework, occ("scope"), export.scope)
    out.add(framework, occ("schemaVersion"), export.schema_version)
    out.add(framework, dct("issued"), export.exported_at)
    out.add(framework, dct("rights"), export.attribution)
    for name, value in export.sources.items():
        out.add(framework, occ("dataSource"), f"{name}: {value}")
    out.link(framework, occ("frameworkFor"), occupation)
    out.link(occupation, occ("hasFramework"), framework)

    labels = [level.label for level in export.levels]
    model = ids.progression(labels)
    out.typed(model, occ("ProgressionModel"), skos("ConceptScheme"))
    out.add(model, LABEL, " < ".join(labels))
    out.link(framework, occ("progressionModel"), model)
    previous: str | None = None
    for level in export.levels:
        level_iri = _level(level.label)
        out.typed(level_iri, occ("ProficiencyLevel"), skos("Concept"))
        out.add(level_iri, LABEL, level.label)
        out.add(level_iri, occ("rank"), level.position)
        out.link(level_iri, skos("inScheme"), model)
        out.link(model, NamedNode(ASN + "hasProgressionLevel"), level_iri)
        if previous:
            out.link(previous, occ("precedes"), level_iri)
        previous = level_iri
        for statement in level.statements:
            iri = ids.statement(occupation, export.version, level.key, statement.position)
            out.typed(iri, occ("CompetencyStatement"))
            out.add(iri, LABEL, statement.text)
            out.add(iri, occ("statementText"), statement.text)
            out.add(iri, occ("position"), statement.position)
            out.add(iri, occ("objectPhrase"), statement.object_phrase)
            out.add(iri, occ("performancePhrase"), statement.performance_phrase)
            out.link(iri, occ("atLevel"), level_iri)
            out.link(iri, occ("inFramework"), framework)
            out.link(framework, occ("hasStatement"), iri)
            for element in graph.matcher.named_in(statement.object_phrase):
                out.link(iri, occ("namesElement"), graph.requires_element(element))


MAPPING = RecordMapping(CompetencyFramework, write)
