"""The record of a ``noc-profile``: a Canadian NOC unit-group profile."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from occugraph.build.records import Model, OccupationClaim, Record
from occugraph.build.records.prose import Degree, SalaryFigure


class SubRole(Model):
    title: str = Field(description="e.g. 'Registered nurses'.")
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
    characteristics: list[str] = Field(
        default_factory=list,
        description="What the profile says its workers are like ('are detail-oriented'), "
        "listed with the employers but not employers.",
    )
    job_titles: list[str] = Field(default_factory=list, description="De-duplicated, in order.")
    duty_groups: list[DutyGroup] = Field(default_factory=list)
    work_environment: list[str] = Field(default_factory=list)
    career_paths: list[str] = Field(default_factory=list)
    degrees: list[Degree] = Field(
        default_factory=list, description="Degrees its employment requirements name."
    )
    salaries: list[SalaryFigure] = Field(
        default_factory=list, description="Wage figures the page shows ('Median salary')."
    )

    def claim(self) -> OccupationClaim:
        return OccupationClaim(
            title=self.title,
            noc=(self.version, self.code),
            other_names=[*self.job_titles, *(role.title for role in self.sub_roles)],
            job_titles=self.job_titles,
            duties=[duty for group in self.duty_groups for duty in group.duties],
        )
