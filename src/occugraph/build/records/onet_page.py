"""The record of an ``onet-page``: an O*NET occupation page in MDX with YAML frontmatter."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from occugraph.build.records import Model, OccupationClaim, Record


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

    def claim(self) -> OccupationClaim:
        return OccupationClaim(code=self.code, title=self.title)
