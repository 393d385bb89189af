"""The record of an ``onet-tool`` page: a tool or machine an occupation uses."""

from __future__ import annotations

from typing import Literal

from occugraph.build.records.onet_product import OnetProduct


class OnetTool(OnetProduct):
    kind: Literal["onet-tool"] = "onet-tool"
