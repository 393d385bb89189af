"""One named graph per source document: what it says, and where that came from (PROV-O).

:class:`DocumentGraph` writes what every kind of document shares (provenance, the
occupation it is about, tasks, skills, degrees, salaries, ...); each kind's own module
here (``onet_page``, ``noc_profile``, ...) declares a :class:`RecordMapping` that writes
the rest of its record with those pieces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Generic, TypeVar

from occugraph import ids
from occugraph.build.elements import ElementMatcher
from occugraph.build.link import Resolution
from occugraph.build.rdf.writer import GraphWriter
from occugraph.build.records import Record
from occugraph.build.records.prose import Degree, Requirement, SalaryFigure
from occugraph.build.reference import Element, Reference
from occugraph.build.sources import Source
from occugraph.vocabulary import LABEL, dct, occ, prov

EXTRACTOR_VERSION = "1"

# Minting an IRI slugs text, which costs more than writing the triple: the same
# occupations, elements, levels and often the same duties recur across documents.
_occupation = lru_cache(maxsize=4096)(ids.occupation)
_element = lru_cache(maxsize=4096)(ids.element)
_task = lru_cache(maxsize=1 << 16)(ids.task)
_job_title = lru_cache(maxsize=1 << 14)(ids.job_title)

_REQUIRES = {
    "Skill": "requiresSkill",
    "Knowledge": "requiresKnowledge",
    "Ability": "requiresAbility",
    "Generalized Work Activity": "performsActivity",
}


def occupation_iri(source: Source, resolution: Resolution, reference: Reference) -> str:
    """The node a document's statements hang on: its O*NET occupation, or else a node of
    the document's own (never an occupation O*NET does not have)."""
    if resolution.code:
        return _occupation(reference.occupations[resolution.code].title)
    return ids.source_part(source.iri, "occupation")


class DocumentGraph:
    """The statements of one document's named graph, as N-Quads lines (``out.lines``)."""

    def __init__(
        self, source: Source, resolution: Resolution, reference: Reference, matcher: ElementMatcher
    ) -> None:
        self.source = source
        self.code = resolution.code
        self.reference = reference
        self.matcher = matcher
        self.out = GraphWriter(source.iri)
        self.occupation = occupation_iri(source, resolution, reference)
        if not resolution.code:  # what the document describes, not an O*NET occupation
            self.out.add(self.occupation, LABEL, resolution.title or f"Occupation of {source.name}")

    def provenance(self, kind: str, built_at: datetime) -> None:
        src, out = self.source.iri, self.out
        activity = ids.source_part(src, "extraction")
        out.typed(src, occ("SourceDocument"), prov("Entity"))
        out.add(src, LABEL, self.source.name)
        out.add(src, occ("fileName"), self.source.name)
        out.add(src, occ("sha256"), self.source.sha256)
        out.add(src, occ("sourceKind"), kind)
        out.add(src, occ("extractorVersion"), EXTRACTOR_VERSION)
        out.add(src, prov("generatedAtTime"), built_at)
        out.link(src, prov("wasGeneratedBy"), activity)
        out.typed(activity, occ("Extraction"), prov("Activity"))
        out.add(activity, LABEL, f"{kind} extraction of {self.source.name}")
        out.link(activity, prov("wasAssociatedWith"), ids.SOFTWARE)
        out.add(activity, prov("endedAtTime"), built_at)

    def stated_title(self, title: str | None) -> None:
        self.out.add(self.occupation, occ("statedTitle"), title)

    def tasks(self, texts: list[str], *owners: str) -> None:
        for text in texts:
            task = _task(text)
            self.out.typed(task, occ("Task"))
            self.out.add(task, LABEL, text)
            for owner in (self.occupation, *owners):
                self.out.link(owner, occ("hasTask"), task)

    def requires_element(self, element: Element) -> str:
        iri = _element(element.domain, element.name)
        self.out.link(self.occupation, occ(_REQUIRES[element.domain]), iri)
        return iri

    def skills(self, phrases: list[str]) -> None:
        for phrase in phrases:
            element = self.matcher.element_for_skill(phrase)
            if element:
                self.requires_element(element)
                continue
            iri = _element("Skill", phrase)
            self.out.typed(iri, occ("Skill"))
            self.out.add(iri, LABEL, phrase[:1].upper() + phrase[1:])
            self.out.link(self.occupation, occ("requiresSkill"), iri)

    def degrees(self, degrees: list[Degree]) -> None:
        for n, degree in enumerate(degrees, 1):
            iri = ids.source_part(self.source.iri, "education", n)
            self.out.typed(iri, occ("EducationRequirement"))
            fields = f" in {', '.join(degree.fields)}" if degree.fields else ""
            self.out.add(iri, LABEL, f"{degree.level} degree{fields}")
            self.out.add(iri, occ("degreeLevel"), degree.level)
            for field in degree.fields:
                self.out.add(iri, occ("fieldOfStudy"), field)
            self.out.add(iri, occ("required"), degree.required)
            self.out.add(iri, dct("description"), degree.text)
            self.out.link(self.occupation, occ("educationRequirement"), iri)

    def requirements(self, requirements: list[Requirement]) -> None:
        for n, requirement in enumerate(requirements, 1):
            iri = ids.source_part(self.source.iri, "requirements", n)
            self.out.typed(iri, occ("HiringRequirement"))
            self.out.add(iri, LABEL, requirement.kind.replace("-", " "))
            self.out.add(iri, occ("requirementKind"), requirement.kind)
            self.out.add(iri, dct("description"), requirement.text)
            self.out.link(self.occupation, occ("hiringRequirement"), iri)

    def salaries(self, salaries: list[SalaryFigure]) -> None:
        for n, salary in enumerate(salaries, 1):
            iri = ids.source_part(self.source.iri, "salaries", n)
            self.out.typed(iri, occ("SalaryFigure"))
            words = [
                salary.statistic,
                f"{salary.amount:,.2f} {salary.currency}",
                f"per {salary.period}" if salary.period else None,
            ]
            self.out.add(iri, LABEL, " ".join(w for w in words if w))
            self.out.add(iri, occ("amount"), float(salary.amount))
            self.out.add(iri, occ("currency"), salary.currency)
            self.out.add(iri, occ("period"), salary.period)
            self.out.add(iri, occ("statistic"), salary.statistic)
            self.out.add(iri, occ("approximate"), salary.approximate)
            self.out.add(iri, occ("publisher"), salary.source)
            self.out.add(iri, dct("description"), salary.text)
            self.out.link(self.occupation, occ("estimatedSalary"), iri)

    def sections(self, headings: list[tuple[str, int | None, list[str]]]) -> None:
        for n, (heading, depth, components) in enumerate(headings, 1):
            iri = ids.source_part(self.source.iri, "sections", n)
            self.out.typed(iri, occ("PageSection"))
            self.out.add(iri, LABEL, heading)
            self.out.add(iri, occ("position"), n)
            self.out.add(iri, occ("headingLevel"), depth)
            for component in components:
                self.out.add(iri, occ("component"), component)
            self.out.link(self.source.iri, occ("hasSection"), iri)

    def job_title(self, owner: str, text: str) -> None:
        iri = _job_title(text)
        self.out.typed(iri, occ("JobTitle"))
        self.out.add(iri, LABEL, text)
        self.out.link(owner, occ("hasJobTitle"), iri)


R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class RecordMapping(Generic[R]):
    """How one kind of record is written into its document's graph, after the provenance
    every document gets."""

    record: type[R]
    write: Callable[[DocumentGraph, R], None]
