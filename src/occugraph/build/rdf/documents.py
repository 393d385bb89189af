"""One named graph per source document: what it says, and where that came from (PROV-O)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from pyoxigraph import NamedNode

from occugraph import ids
from occugraph.build.link import Resolution
from occugraph.build.rdf.elements import ElementMatcher
from occugraph.build.rdf.writer import GraphWriter
from occugraph.build.records import (
    AnyRecord,
    CareerArticle,
    CompetencyFramework,
    Degree,
    JobDescription,
    NocProfile,
    OnetPage,
    Requirement,
    SalaryFigure,
)
from occugraph.build.reference import Element, Reference
from occugraph.build.sources import Source
from occugraph.vocabulary import ASN, LABEL, dct, occ, prov, skos

EXTRACTOR_VERSION = "1"

# Minting an IRI slugs text, which costs more than writing the triple: the same
# occupations, elements, levels and often the same duties recur across documents.
_occupation = lru_cache(maxsize=4096)(ids.occupation)
_element = lru_cache(maxsize=4096)(ids.element)
_task = lru_cache(maxsize=1 << 16)(ids.task)
_job_title = lru_cache(maxsize=1 << 14)(ids.job_title)
_level = lru_cache(maxsize=1024)(ids.level)

_REQUIRES = {
    "Skill": "requiresSkill",
    "Knowledge": "requiresKnowledge",
    "Ability": "requiresAbility",
    "Generalized Work Activity": "performsActivity",
}


def occupation_iri(source: Source, resolution: Resolution, reference: Reference) -> str:
    """The node a document's statements hang on, resolved or not."""
    if resolution.code:
        return _occupation(reference.occupations[resolution.code].title)
    if resolution.title:
        return _occupation(resolution.title)
    return ids.source_part(source.iri, "occupation")


class DocumentMapper:
    """Maps one record to the statements of its named graph, as N-Quads lines."""

    def __init__(
        self, source: Source, resolution: Resolution, reference: Reference, matcher: ElementMatcher
    ) -> None:
        self.source = source
        self.reference = reference
        self.matcher = matcher
        self.out = GraphWriter(source.iri)
        self.occupation = occupation_iri(source, resolution, reference)
        if not resolution.code:
            self.out.typed(self.occupation, occ("Occupation"))
            self.out.add(self.occupation, LABEL, resolution.title or f"Occupation of {source.name}")

    def map(self, record: AnyRecord, built_at: datetime) -> list[str]:
        self._provenance(record.kind, built_at)
        if isinstance(record, OnetPage):
            self._onet_page(record)
        elif isinstance(record, CompetencyFramework):
            self._framework(record)
        elif isinstance(record, NocProfile):
            self._noc_profile(record)
        elif isinstance(record, CareerArticle):
            self._career_article(record)
        else:
            self._job_description(record)
        return self.out.lines

    # -- shared pieces ------------------------------------------------------

    def _provenance(self, kind: str, built_at: datetime) -> None:
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

    def _title(self, title: str | None) -> None:
        self.out.add(self.occupation, occ("statedTitle"), title)

    def _tasks(self, texts: list[str], *owners: str) -> None:
        for text in texts:
            task = _task(text)
            self.out.typed(task, occ("Task"))
            self.out.add(task, LABEL, text)
            for owner in (self.occupation, *owners):
                self.out.link(owner, occ("hasTask"), task)

    def _element(self, element: Element) -> str:
        iri = _element(element.domain, element.name)
        self.out.link(self.occupation, occ(_REQUIRES[element.domain]), iri)
        return iri

    def _skills(self, phrases: list[str]) -> None:
        for phrase in phrases:
            element = self.matcher.element_for_skill(phrase)
            if element:
                self._element(element)
                continue
            iri = _element("Skill", phrase)
            self.out.typed(iri, occ("Skill"))
            self.out.add(iri, LABEL, phrase[:1].upper() + phrase[1:])
            self.out.link(self.occupation, occ("requiresSkill"), iri)

    def _degrees(self, degrees: list[Degree]) -> None:
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

    def _requirements(self, requirements: list[Requirement]) -> None:
        for n, requirement in enumerate(requirements, 1):
            iri = ids.source_part(self.source.iri, "requirements", n)
            self.out.typed(iri, occ("HiringRequirement"))
            self.out.add(iri, LABEL, requirement.kind.replace("-", " "))
            self.out.add(iri, occ("requirementKind"), requirement.kind)
            self.out.add(iri, dct("description"), requirement.text)
            self.out.link(self.occupation, occ("hiringRequirement"), iri)

    def _salaries(self, salaries: list[SalaryFigure]) -> None:
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

    def _sections(self, headings: list[tuple[str, int | None, list[str]]]) -> None:
        for n, (heading, depth, components) in enumerate(headings, 1):
            iri = ids.source_part(self.source.iri, "sections", n)
            self.out.typed(iri, occ("PageSection"))
            self.out.add(iri, LABEL, heading)
            self.out.add(iri, occ("position"), n)
            self.out.add(iri, occ("headingLevel"), depth)
            for component in components:
                self.out.add(iri, occ("component"), component)
            self.out.link(self.source.iri, occ("hasSection"), iri)

    def _job_title(self, owner: str, text: str) -> None:
        iri = _job_title(text)
        self.out.typed(iri, occ("JobTitle"))
        self.out.add(iri, LABEL, text)
        self.out.link(owner, occ("hasJobTitle"), iri)

    # -- one method per kind ------------------------------------------------

    def _onet_page(self, page: OnetPage) -> None:
        src = self.source.iri
        self._title(page.title)
        self.out.add(self.occupation, dct("description"), page.description)
        self.out.add(src, occ("statedId"), page.stated_id)
        self.out.add(src, occ("statedType"), page.stated_type)
        self.out.add(src, dct("source"), page.source)
        self._sections(
            [(s.heading, s.level, [c.name for c in s.components]) for s in page.sections]
        )

    def _framework(self, export: CompetencyFramework) -> None:
        out, occupation = self.out, self.occupation
        facts = export.occupation
        self._title(facts.title)
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
                for element in self.matcher.named_in(statement.object_phrase):
                    out.link(iri, occ("namesElement"), self._element(element))

    def _noc_profile(self, profile: NocProfile) -> None:
        out = self.out
        group = ids.noc(profile.version, profile.code)
        out.typed(group, occ("NocUnitGroup"), skos("Concept"))
        out.add(group, occ("statedTitle"), profile.title)
        if (profile.version, profile.code) not in self.reference.noc_groups:
            out.add(group, LABEL, profile.title)
            out.add(group, skos("notation"), profile.code)
            out.link(group, skos("inScheme"), ids.noc_scheme(profile.version))
        out.link(self.occupation, occ("nocEquivalent"), group)
        out.link(group, occ("onetEquivalent"), self.occupation)
        for title in profile.job_titles:
            self._job_title(group, title)
        for role in profile.sub_roles:
            out.add(
                self._sub_role(group, role.title),
                skos("definition"),
                "; ".join(role.definitions) or None,
            )
        for duties in profile.duty_groups:
            owners = [self._sub_role(group, duties.title)] if duties.title else []
            self._tasks(duties.duties, group, *owners)
        for text in profile.employers:
            out.add(group, occ("employer"), text)
        for text in profile.work_environment:
            out.add(group, occ("workEnvironment"), text)
        for text in profile.career_paths:
            out.add(group, occ("careerPath"), text)

    def _sub_role(self, group: str, title: str) -> str:
        iri = ids.sub_role(group, title)
        self.out.typed(iri, occ("SubRole"))
        self.out.add(iri, LABEL, title)
        self.out.link(group, occ("hasSubRole"), iri)
        return iri

    def _career_article(self, article: CareerArticle) -> None:
        self.out.add(self.source.iri, dct("title"), article.title)
        self._sections([(s.heading, None, []) for s in article.sections if s.heading])
        self._tasks(article.duties)
        self._skills(article.skills)
        self._degrees(article.degrees)
        for field in article.fields_of_study:
            self.out.add(self.occupation, occ("fieldOfStudy"), field)
        self._requirements(article.requirements)
        self._salaries(article.salaries)
        for text in article.specialisations:
            self.out.add(self.occupation, occ("specialisation"), text)
        for text in article.career_paths:
            self.out.add(self.occupation, occ("careerPath"), text)

    def _job_description(self, posting: JobDescription) -> None:
        self._title(posting.title)
        self._job_title(self.occupation, posting.title)
        self.out.add(self.source.iri, dct("title"), posting.title)
        self.out.add(self.source.iri, dct("description"), posting.summary)
        self._tasks(posting.responsibilities)
        for text in posting.objectives:
            self.out.add(self.occupation, occ("objective"), text)
        self._skills(posting.skills)
        for text in posting.qualifications:
            self.out.add(self.occupation, occ("qualification"), text)
        self._degrees(posting.degrees)
        self._requirements(posting.requirements)
