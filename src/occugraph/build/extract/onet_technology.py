"""Technology pages of graph.org.ai: software an occupation uses (``$type: Technology``)."""

from __future__ import annotations

from occugraph.build.extract import Extractor, mdx
from occugraph.build.extract.onet_product import of_type, product_fields
from occugraph.build.records.onet_technology import OnetTechnology

KIND = "onet-technology"
_TYPE = of_type("Technology")


def looks_like(text: str) -> bool:
    return mdx.starts_with_frontmatter(text, _TYPE)


def extract(text: str) -> OnetTechnology:
    """Read a technology page.

    >>> page = extract("---\\n$type: Technology\\nexample: Adobe Acrobat\\n"
    ...     "commodityCode: '43232202'\\nhotTechnology: true\\n---\\n# Adobe Acrobat\\n")
    >>> page.name, page.commodity_code, page.hot_technology, page.in_demand
    ('Adobe Acrobat', '43232202', True, None)
    """
    page = mdx.read_page(text)
    return OnetTechnology(
        **product_fields(page),
        hot_technology=page.flag("hotTechnology"),
        in_demand=page.flag("inDemand"),
    )


EXTRACTOR = Extractor(
    kind=KIND, record=OnetTechnology, precedence=6, looks_like=looks_like, extract=extract
)
