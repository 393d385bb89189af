"""What the technology and tool pages of graph.org.ai share: the example's name, its UNSPSC
commodity and the occupation that uses it, in the frontmatter (``example``,
``commodityCode``, ``commodityTitle``, ``occupationCode``, ``occupationTitle``)."""

from __future__ import annotations

import re
from typing import Any

from occugraph.build.extract import mdx
from occugraph.errors import InputError

_SOC_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_COMMODITY = re.compile(r"^\d{8}$")


def of_type(name: str) -> re.Pattern[str]:
    """The frontmatter line ``$type: NAME``, quoted or not."""
    return re.compile(rf"""^\s*["']?\$type["']?\s*:\s*["']?{name}["']?\s*$""")


def product_fields(page: mdx.Page) -> dict[str, Any]:
    """The fields of :class:`~occugraph.build.records.onet_product.OnetProduct`.

    :raises InputError: for a page with no name, or a code that is not one.
    """
    name = page.text("example") or mdx.first_heading(page.body)
    if not name:
        raise InputError("the page names no product: no 'example' and no heading", line=1)
    return {
        "stated_id": mdx.check_id(page),
        "name": name,
        "commodity_code": page.matching("commodityCode", _COMMODITY, "an 8-digit UNSPSC code"),
        "commodity_title": page.text("commodityTitle"),
        "occupation_code": page.matching("occupationCode", _SOC_CODE, "an O*NET-SOC code"),
        "occupation_title": page.text("occupationTitle"),
        "source": page.text("source"),
    }
