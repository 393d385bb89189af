"""The record of an ``onet-technology`` page: software an occupation uses."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from occugraph.build.records.onet_product import OnetProduct


class OnetTechnology(OnetProduct):
    kind: Literal["onet-technology"] = "onet-technology"
    hot_technology: bool | None = Field(
        None, description="O*NET's 'hot technology': often asked for in job postings."
    )
    in_demand: bool | None = Field(None, description="O*NET's 'in demand' flag.")
