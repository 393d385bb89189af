"""An ``onet-tool``: a tool or machine the occupation uses."""

from __future__ import annotations

from occugraph.build.rdf.document import DocumentGraph, RecordMapping
from occugraph.build.rdf.onet_product import write_product
from occugraph.build.records.onet_tool import OnetTool


def write(graph: DocumentGraph, tool: OnetTool) -> None:
    write_product(graph, tool, "Tool")


MAPPING = RecordMapping(OnetTool, write)
