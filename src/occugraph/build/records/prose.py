"""What prose says, whichever kind of prose: degrees, hiring requirements, salary figures."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from occugraph.build.records import Model


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
