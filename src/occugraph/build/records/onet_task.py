"""The record of an ``onet-task``: one O*NET task statement, as a page of graph.org.ai.

Two schemes publish the same task: ``Occupations.org.ai`` pages state its occupation and
its detailed work activities by title; ``Tasks.org.ai`` pages state where it stands in the
work-activity hierarchy (general, intermediate and detailed activity, by slug) but not its
occupation. Both give the O*NET task id, which keys the task.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from occugraph.build.records import OccupationClaim, Record


class OnetTask(Record):
    kind: Literal["onet-task"] = "onet-task"
    stated_id: str | None = Field(None, description="The frontmatter '$id', kept as given.")
    task_id: str = Field(description="O*NET's task id, e.g. '2882'.")
    text: str = Field(description="The task statement.")
    task_type: Literal["Core", "Supplemental"] | None = None
    occupation_code: str | None = Field(None, description="The O*NET-SOC code it states.")
    occupation_title: str | None = None
    activity: str | None = Field(None, description="Slug of its generalized work activity.")
    intermediate_activity: str | None = Field(None, description="Slug of its IWA.")
    detailed_activity: str | None = Field(None, description="Slug of its DWA.")
    detailed_activities: list[str] = Field(
        default_factory=list, description="Titles of the detailed work activities it lists."
    )
    source: str | None = Field(None, description="Where the page's data comes from.")

    def claim(self) -> OccupationClaim:
        return OccupationClaim(
            code=self.occupation_code,
            title=self.occupation_title,
            identifiers=[f"onet-task:{self.task_id}"],
        )
