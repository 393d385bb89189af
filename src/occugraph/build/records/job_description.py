"""The record of a ``job-description``: a job-description template or posting."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from occugraph.build.records import OccupationClaim, Record, stated_onet_code
from occugraph.build.records.prose import Degree, Requirement, SalaryFigure


class JobDescription(Record):
    kind: Literal["job-description"] = "job-description"
    title: str = Field(description="The job title, e.g. 'Registered Nurse'.")
    code: str | None = Field(
        None, description="An O*NET-SOC code the posting states ('O*NET-SOC code: 47-2111.00')."
    )
    summary: str | None = None
    responsibilities: list[str] = Field(default_factory=list)
    objectives: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list, description="Skill phrases.")
    qualifications: list[str] = Field(default_factory=list, description="Qualification sentences.")
    degrees: list[Degree] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)
    salaries: list[SalaryFigure] = Field(
        default_factory=list, description="Pay the posting offers, with its period."
    )

    def claim(self) -> OccupationClaim:
        return OccupationClaim(
            code=self.code or stated_onet_code(self.summary),
            title=self.title,
            job_titles=[self.title],
            description=self.summary,
            duties=self.responsibilities,
        )
