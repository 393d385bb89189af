"""What extractors return: one typed record per source document, one module per kind.

Records are the contract between the extractors and everything after them.
They carry only what the document says, as text and numbers; linking a phrase
to an O*NET element or a title to an occupation happens later, in ``link``.
What a record says about its own occupation (a code, a title, the job titles it
lists) it states once, in :meth:`Record.claim`, so linking never asks which kind
of record it holds.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

# 'O*NET-SOC code: 47-2111.00', '(O*NET-SOC): 53-3032.00', 'SOC 47-2111' (taken as .00).
_STATED_CODE = re.compile(
    r"\b(?:O\*?NET(?:[- ]SOC)?|SOC)\)?\s*(?:code|#)?\s*[:#]?\s*(\d{2}-\d{4})(\.\d{2})?\b", re.I
)


def stated_onet_code(text: str | None) -> str | None:
    """An O*NET-SOC code a text states as such ("O*NET-SOC code: 47-2111.00").

    >>> stated_onet_code("Electrician. O*NET-SOC Code: 47-2111.00 (see onetonline)")
    '47-2111.00'
    >>> stated_onet_code("Occupation code (O*NET-SOC): 53-3032.00"), stated_onet_code("SOC 47-2111")
    ('53-3032.00', '47-2111.00')
    """
    found = _STATED_CODE.search(text or "")
    return f"{found.group(1)}{found.group(2) or '.00'}" if found else None


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
    description: str | None = Field(
        None, description="What it says the occupation is or does, for the autocoder."
    )
    duties: list[str] = Field(
        default_factory=list,
        description="Duties it states: evidence of its occupation, linked to the O*NET tasks "
        "they restate.",
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
