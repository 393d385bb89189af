"""What extractors return: one typed record per source document.

Records are the contract between the extractors and everything after them.
They carry only what the document says, as text and numbers; linking a phrase
to an O*NET element or a title to an occupation happens later, in ``link``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Record(Model):
    warnings: list[str] = Field(
        default_factory=list,
        description="Problems worth reporting that do not stop the document from building.",
    )


# --- onet-page -------------------------------------------------------------


class ComponentTag(Model):
    name: str = Field(description="The tag name, e.g. 'Tasks'; it names the O*NET data shown.")
    attributes: dict[str, str] = Field(default_factory=dict)


class PageSection(Model):
    heading: str
    level: int = Field(description="Markdown heading depth: 1 for '#', 2 for '##', ...")
    components: list[ComponentTag] = Field(default_factory=list)


class OnetPage(Record):
    kind: Literal["onet-page"] = "onet-page"
    stated_id: str | None = Field(None, description="The frontmatter '$id', kept as given.")
    stated_type: str | None = Field(None, description="The frontmatter '$type'.")
    code: str | None = Field(None, description="O*NET-SOC code, e.g. '15-1252.00'.")
    title: str
    description: str | None = None
    source: str | None = Field(None, description="Where the page's data comes from, e.g. 'ONET'.")
    sections: list[PageSection] = Field(default_factory=list)


# --- competency-framework --------------------------------------------------


class FrameworkOccupation(Model):
    soc: str | None = Field(None, description="O*NET-SOC code as the export states it.")
    title: str | None = None
    group: str | None = Field(None, description="Occupation family, e.g. 'Healthcare'.")
    sector: str | None = Field(None, description="NAICS sector code.")
    job_zone: int | None = Field(None, ge=1, le=5)
    job_zone_inferred: bool | None = None


class CompetencyStatement(Model):
    position: int = Field(ge=1, description="1-based place within its level.")
    text: str
    object_phrase: str = Field(description="What the competency is about (before the dash).")
    performance_phrase: str | None = Field(
        None, description="What is done with it and in which context (after the dash)."
    )


class ProficiencyLevel(Model):
    key: str = Field(description="The export's key for the level, e.g. 'proficient'.")
    label: str
    position: int = Field(ge=1, description="1-based place in the progression, lowest first.")
    statements: list[CompetencyStatement] = Field(default_factory=list)


class CompetencyFramework(Record):
    kind: Literal["competency-framework"] = "competency-framework"
    schema_version: str | None = None
    exported_at: str | None = None
    occupation: FrameworkOccupation
    version: str
    description: str | None = None
    scope: str | None = Field(None, description="What the framework covers ('contextCovered').")
    levels: list[ProficiencyLevel] = Field(description="In progression order, lowest first.")
    sources: dict[str, str] = Field(default_factory=dict)
    attribution: str | None = None


# --- noc-profile -----------------------------------------------------------


class SubRole(Model):
    title: str = Field(description="e.g. 'Parole officers'.")
    definitions: list[str] = Field(default_factory=list)


class DutyGroup(Model):
    title: str | None = Field(None, description="The sub-role the duties belong to, if headed.")
    duties: list[str] = Field(default_factory=list)


class NocProfile(Record):
    kind: Literal["noc-profile"] = "noc-profile"
    code: str = Field(description="4 digits (NOC 2016) or 5 digits (NOC 2021).")
    version: Literal["2016", "2021"]
    title: str
    sub_roles: list[SubRole] = Field(default_factory=list)
    employers: list[str] = Field(default_factory=list)
    job_titles: list[str] = Field(default_factory=list, description="De-duplicated, in order.")
    duty_groups: list[DutyGroup] = Field(default_factory=list)
    work_environment: list[str] = Field(default_factory=list)
    career_paths: list[str] = Field(default_factory=list)


# --- prose: career-article and job-description -----------------------------


class Degree(Model):
    level: str = Field(
        description="Normalised: 'high school diploma', 'associate', "
        "'bachelor', 'master', 'doctorate', 'certificate'."
    )
    fields: list[str] = Field(default_factory=list, description="Fields of study named with it.")
    required: bool | None = Field(None, description="True if required, False if preferred.")
    text: str = Field(description="The sentence it was found in.")


RequirementKind = Literal[
    "background-check",
    "drug-screening",
    "exam",
    "fitness-test",
    "training",
    "licence",
    "certification",
    "experience",
    "other",
]


class Requirement(Model):
    kind: RequirementKind
    text: str = Field(description="The sentence it was found in.")


class SalaryFigure(Model):
    amount: float
    currency: str = Field("USD", description="ISO 4217 code.")
    period: Literal["year", "month", "week", "hour"] | None = None
    statistic: str | None = Field(
        None, description="'median', 'mean', 'starting', 'range-low', ..."
    )
    approximate: bool = False
    source: str | None = Field(None, description="Who published the figure, if the text says.")
    text: str = Field(description="The sentence it was found in.")


class Section(Model):
    heading: str | None = None
    text: str


class CareerArticle(Record):
    kind: Literal["career-article"] = "career-article"
    title: str | None = None
    sections: list[Section] = Field(default_factory=list)
    duties: list[str] = Field(default_factory=list)
    skills: list[str] = Field(
        default_factory=list, description="Skill phrases, e.g. 'active listening'."
    )
    degrees: list[Degree] = Field(default_factory=list)
    fields_of_study: list[str] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)
    salaries: list[SalaryFigure] = Field(default_factory=list)
    specialisations: list[str] = Field(default_factory=list)
    career_paths: list[str] = Field(default_factory=list)


class JobDescription(Record):
    kind: Literal["job-description"] = "job-description"
    title: str = Field(description="The job title, e.g. 'Registered Nurse'.")
    summary: str | None = None
    responsibilities: list[str] = Field(default_factory=list)
    objectives: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list, description="Skill phrases.")
    qualifications: list[str] = Field(default_factory=list, description="Qualification sentences.")
    degrees: list[Degree] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)


AnyRecord = OnetPage | CompetencyFramework | NocProfile | CareerArticle | JobDescription

SourceRecord = Annotated[AnyRecord, Field(discriminator="kind")]
"""Any record, read back from JSON by its ``kind``."""
