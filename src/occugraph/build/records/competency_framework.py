"""The record of a ``competency-framework``: a JSON export of proficiency levels and statements."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from occugraph.build.records import Model, OccupationClaim, Record


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

    def claim(self) -> OccupationClaim:
        return OccupationClaim(code=self.occupation.soc, title=self.occupation.title)
