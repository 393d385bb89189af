"""The reference graph: O*NET occupations and elements, NOC groups, job zones, NAICS sectors."""

from __future__ import annotations

from pyoxigraph import Quad

from occugraph import ids
from occugraph.build.rdf.writer import GraphWriter
from occugraph.build.reference import Reference
from occugraph.vocabulary import LABEL, SAME_AS, dct, occ, skos

ELEMENT_CLASSES = {
    "Skill": "OnetSkill",
    "Knowledge": "KnowledgeArea",
    "Ability": "Ability",
    "Generalized Work Activity": "WorkActivity",
}

# O*NET's own names for its five job zones (the preparation an occupation needs).
JOB_ZONES = {
    1: "Little or No Preparation Needed",
    2: "Some Preparation Needed",
    3: "Medium Preparation Needed",
    4: "Considerable Preparation Needed",
    5: "Extensive Preparation Needed",
}

_SCHEMES = {
    ids.OCCUPATION_SCHEME: ("O*NET-SOC occupations", "USDOL/ETA O*NET"),
    ids.CONTENT_MODEL_SCHEME: ("O*NET content model", "USDOL/ETA O*NET"),
    ids.noc_scheme("2016"): ("National Occupational Classification 2016", "Statistics Canada"),
    ids.noc_scheme("2021"): ("National Occupational Classification 2021", "Statistics Canada"),
    ids.JOB_ZONE_SCHEME: ("O*NET job zones", "USDOL/ETA O*NET"),
    ids.INDUSTRY_SCHEME: ("NAICS sectors", "U.S. Census Bureau"),
    ids.UNSPSC_SCHEME: ("UNSPSC commodities", "GS1 US"),
    ids.WORK_ACTIVITY_SCHEME: ("O*NET work-activity hierarchy", "USDOL/ETA O*NET"),
}


def concept(out: GraphWriter, iri: str, label: str, notation: str, scheme: str) -> None:
    out.typed(iri, skos("Concept"))
    out.add(iri, LABEL, label)
    out.add(iri, skos("prefLabel"), label)
    out.add(iri, skos("notation"), notation)
    out.link(iri, skos("inScheme"), scheme)


def reference_quads(reference: Reference) -> list[Quad]:
    out = GraphWriter(ids.GRAPH_REFERENCE)
    for scheme, (label, publisher) in _SCHEMES.items():
        out.typed(scheme, skos("ConceptScheme"))
        out.add(scheme, LABEL, label)
        out.add(scheme, dct("publisher"), publisher)

    for code, occupation in reference.occupations.items():
        iri = ids.occupation(occupation.title)
        out.typed(iri, occ("Occupation"))
        concept(out, iri, occupation.title, code, ids.OCCUPATION_SCHEME)
        out.add(iri, occ("onetCode"), code)
        out.link(iri, SAME_AS, ids.occupation_by_code(code))
        out.add(iri, dct("description"), occupation.description)

    for element in reference.elements:
        iri = ids.element(element.domain, element.name)
        out.typed(iri, occ(ELEMENT_CLASSES[element.domain]))
        concept(out, iri, element.name, element.element_id, ids.CONTENT_MODEL_SCHEME)
        out.add(iri, occ("contentModelPath"), element.path)

    for (version, code), group in reference.noc_groups.items():
        iri = ids.noc(version, code)
        out.typed(iri, occ("NocUnitGroup"))
        concept(out, iri, group.title, code, ids.noc_scheme(version))
    for (version, code), onet_codes in reference.noc_to_onet.items():
        for onet_code in onet_codes:
            occupation_iri = ids.occupation(reference.occupations[onet_code].title)
            out.link(occupation_iri, occ("nocEquivalent"), ids.noc(version, code))
            out.link(ids.noc(version, code), occ("onetEquivalent"), occupation_iri)
    for row in reference.concordance:
        match = skos("exactMatch" if row.exact else "closeMatch")
        old, new = ids.noc("2016", row.noc2016), ids.noc("2021", row.noc2021)
        out.link(old, match, new)
        out.link(new, match, old)

    for number, name in JOB_ZONES.items():
        iri = ids.job_zone(number)
        out.typed(iri, occ("JobZone"))
        concept(out, iri, f"Job Zone {number}: {name}", str(number), ids.JOB_ZONE_SCHEME)
    for code, title in reference.sectors.items():
        iri = ids.industry(code)
        out.typed(iri, occ("Industry"))
        concept(out, iri, title, code, ids.INDUSTRY_SCHEME)
    return out.quads()
