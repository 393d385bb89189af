"""onet-technology and onet-tool pages: what an occupation uses, under a UNSPSC commodity."""

from __future__ import annotations

import pytest

from occugraph import ids
from occugraph.build.extract import onet_technology, onet_tool
from occugraph.build.kinds import detect_kind
from occugraph.errors import InputError

TECHNOLOGY = """---
$id: https://graph.org.ai/occupations/15-2051.00/technology/Apache%20Spark%20(Databricks)
$type: Technology
source: O*NET
example: "Apache Spark (Databricks)"
commodityCode: "43232305"
commodityTitle: "Data base reporting software"
hotTechnology: true
inDemand: true
occupationCode: "15-2051.00"
occupationTitle: "Data Scientists"
---

# Apache Spark (Databricks)
"""

TOOL = """---
$type: Tool
example: Torque wrenches
commodityCode: '27111703'
occupationCode: 49-3023.01
---
# Torque wrenches
"""


def test_kinds_come_from_the_type() -> None:
    assert detect_kind(TECHNOLOGY) == "onet-technology"
    assert detect_kind(TOOL) == "onet-tool"


def test_a_technology_with_its_flags() -> None:
    page = onet_technology.extract(TECHNOLOGY)
    assert page.name == "Apache Spark (Databricks)"
    assert (page.commodity_code, page.commodity_title) == (
        "43232305",
        "Data base reporting software",
    )
    assert (page.hot_technology, page.in_demand) == (True, True)
    assert (page.occupation_code, page.occupation_title) == ("15-2051.00", "Data Scientists")
    # The page's own IRI is what graph.org.ai's pattern gives for it.
    assert page.stated_id == ids.occupation_product("15-2051.00", "technology", page.name)


def test_a_tool_needs_no_flags_or_titles() -> None:
    page = onet_tool.extract(TOOL)
    assert (page.name, page.commodity_code, page.occupation_code) == (
        "Torque wrenches",
        "27111703",
        "49-3023.01",
    )
    assert page.stated_id is None and page.commodity_title is None


def test_the_name_can_come_from_the_heading() -> None:
    assert onet_tool.extract(TOOL.replace("example: Torque wrenches\n", "")).name == (
        "Torque wrenches"
    )


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (('commodityCode: "43232305"', 'commodityCode: "4323"'), 6, "8-digit UNSPSC code"),
        (("hotTechnology: true", "hotTechnology: sometimes"), 8, "expected true or false"),
        (('example: "Apache Spark (Databricks)"', 'example: "Apache Spark""'), 5, "invalid YAML"),
    ],
)
def test_bad_fields_name_their_line(change: tuple[str, str], line: int, message: str) -> None:
    with pytest.raises(InputError) as caught:
        onet_technology.extract(TECHNOLOGY.replace(*change))
    assert caught.value.line == line
    assert message in caught.value.message
