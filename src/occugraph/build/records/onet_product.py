"""What the records of ``onet-technology`` and ``onet-tool`` pages share: an example of a
product an occupation uses, and the UNSPSC commodity it falls under."""

from __future__ import annotations

from pydantic import Field

from occugraph.build.records import OccupationClaim, Record


class OnetProduct(Record):
    stated_id: str | None = Field(None, description="The frontmatter '$id', kept as given.")
    name: str = Field(description="The example, e.g. 'Adobe Acrobat'.")
    commodity_code: str | None = Field(None, description="UNSPSC commodity code (8 digits).")
    commodity_title: str | None = None
    occupation_code: str | None = Field(None, description="The O*NET-SOC code it states.")
    occupation_title: str | None = None
    source: str | None = Field(None, description="Where the page's data comes from.")

    def claim(self) -> OccupationClaim:
        return OccupationClaim(code=self.occupation_code, title=self.occupation_title)
