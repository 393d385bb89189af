"""The record of a ``career-article``: free prose about an occupation."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from occugraph.build.records import OccupationClaim, Record
from occugraph.build.records.prose import Degree, Requirement, SalaryFigure, Section


class CareerArticle(Record):
    kind: Literal["career-article"] = "career-article"
    title: str | None = None
    occupation: str | None = Field(
        None,
        description="The occupation its title names inside other words "
        "('What Does a Pharmacist Do?' -> 'Pharmacist'), for linking by evidence.",
    )
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

    def claim(self) -> OccupationClaim:
        text = " ".join(f"{s.heading or ''}. {s.text}" for s in self.sections)
        return OccupationClaim(title=self.title, text=text, duties=self.duties)
