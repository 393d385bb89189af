"""A ``noc-profile``: the NOC unit group, its job titles, sub-roles and duties."""

from __future__ import annotations

from occugraph import ids
from occugraph.build.rdf.document import DocumentGraph, RecordMapping
from occugraph.build.records.noc_profile import NocProfile
from occugraph.vocabulary import LABEL, occ, skos


def write(graph: DocumentGraph, profile: NocProfile) -> None:
    out = graph.out
    group = ids.noc(profile.version, profile.code)
    out.typed(group, occ("NocUnitGroup"), skos("Concept"))
    out.add(group, occ("statedTitle"), profile.title)
    if (profile.version, profile.code) not in graph.reference.noc_groups:
        out.add(group, LABEL, profile.title)
        out.add(group, skos("notation"), profile.code)
        out.link(group, skos("inScheme"), ids.noc_scheme(profile.version))
    out.link(graph.occupation, occ("nocEquivalent"), group)
    out.link(group, occ("onetEquivalent"), graph.occupation)
    for title in profile.job_titles:
        graph.job_title(group, title)
    for role in profile.sub_roles:
        out.add(
            _sub_role(graph, group, role.title),
            skos("definition"),
            "; ".join(role.definitions) or None,
        )
    for duties in profile.duty_groups:
        owners = [_sub_role(graph, group, duties.title)] if duties.title else []
        graph.tasks(duties.duties, group, *owners)
    for text in profile.employers:
        out.add(group, occ("employer"), text)
    for text in profile.work_environment:
        out.add(group, occ("workEnvironment"), text)
    for text in profile.career_paths:
        out.add(group, occ("careerPath"), text)
    graph.degrees(profile.degrees)
    graph.salaries(profile.salaries)


def _sub_role(graph: DocumentGraph, group: str, title: str) -> str:
    iri = ids.sub_role(group, title)
    graph.out.typed(iri, occ("SubRole"))
    graph.out.add(iri, LABEL, title)
    graph.out.link(group, occ("hasSubRole"), iri)
    return iri


MAPPING = RecordMapping(NocProfile, write)
