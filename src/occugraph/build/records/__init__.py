"""What extractors return: one typed record per source document, one module per kind.

Records are the contract between the extractors and everything after them.
They carry only what the document says, as text and numbers; linking a phrase
to an O*NET element or a title to an occupation happens later, in ``link``.
What a record says about its own occupation (a code, a title, the job titles it
lists) it states once, in :meth:`Record.claim`, so linking never asks which kind
of record it holds.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OccupationClaim(Model):
    """What a document says about the occupation it is about, for linking it to one."""

    code: str | None = Field(None, description="The O*NET-SOC code it states, as written.")
    title: str | None = Field(None, description="Its own name for the occupation.")
    noc: tuple[str, str] | None = Field(
        None, description="(version, code) of the NOC unit group it describes."
    )
    other_names: list[str] = Field(
        default_factory=list,
        description="More names it gives the occupation (a NOC profile's job titles and "
        "sub-roles): once it is linked, they lead other documents to the same occupation.",
    )
    job_titles: list[str] = Field(
        default_factory=list, description="Job titles it lists, each a node of the graph."
    )
    text: str | None = Field(
        None,
        description="Running text whose mentions of occupations decide what it is about "
        "when nothing else does (career articles).",
    )
    identifiers: list[str] = Field(
        default_factory=list,
        description="Things the document describes that other documents may tie to an "
        "occupation ('onet-task:2882'): a document that states no occupation goes with "
        "the one they are tied to.",
    )


class Record(Model):
    kind: str = Field(description="The source kind, e.g. 'noc-profile'.")
    warnings: list[str] = Field(
        default_factory=list,
        description="Problems worth reporting that do not stop the document from building.",
    )

    def claim(self) -> OccupationClaim:
        """What the document says about its occupation (nothing, unless a kind says)."""
        return OccupationClaim()
