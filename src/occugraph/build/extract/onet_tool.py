"""Tool pages of graph.org.ai: tools and machines an occupation uses (``$type: Tool``)."""

from __future__ import annotations

from occugraph.build.extract import Extractor, mdx
from occugraph.build.extract.onet_product import of_type, product_fields
from occugraph.build.records.onet_tool import OnetTool

KIND = "onet-tool"
_TYPE = of_type("Tool")


def looks_like(text: str) -> bool:
    return mdx.starts_with_frontmatter(text, _TYPE)


def extract(text: str) -> OnetTool:
    """Read a tool page.

    >>> extract("---\\n$type: Tool\\nexample: Ammeters\\ncommodityCode: '41113601'\\n---\\n").name
    'Ammeters'
    """
    return OnetTool(**product_fields(mdx.read_page(text)))


EXTRACTOR = Extractor(
    kind=KIND, record=OnetTool, precedence=7, looks_like=looks_like, extract=extract
)
