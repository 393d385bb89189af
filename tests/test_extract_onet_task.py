"""onet-task pages: one O*NET task each, in graph.org.ai's two schemes (written here for
other occupations than the sample of real pages in test_graph_org_ai.py)."""

from __future__ import annotations

import pytest

from occugraph.build.extract import onet_page, onet_task
from occugraph.build.kinds import detect_kind
from occugraph.build.link import link_keys
from occugraph.errors import InputError

# The Occupations.org.ai scheme: the occupation is stated, the activities are links.
BY_OCCUPATION = """---
$id: https://graph.org.ai/occupations/29-1292.00/tasks/12345
$type: Task
source: O*NET
taskId: "12345"
taskType: "Supplemental"
occupationCode: "29-1292.00"
occupationTitle: "Dental Hygienists"
---

# Feel and visually examine gums for sores and signs of disease.

**Task ID**: 12345
**Type**: Supplemental
**Occupation**: [Dental Hygienists](../Dental Hygienists.mdx)

## Related Work Activities

- [Examine mouth, teeth, gums, or related facial structures.](../../Activities/Examine.mdx)
- [Detect signs of oral disease.](../../Activities/Detect.mdx)
"""

# The Tasks.org.ai scheme: no occupation, the hierarchy by slug, the id in slug and $id.
BY_ACTIVITY = """---
id: AssistingAndCaringForOthers/ProvideHealthServices/CleanTeeth/CleanTeethRemovingCalculus_12346
title: Clean calcareous deposits, accretions, and stains from teeth, using instruments.
description: Clean calcareous deposits, accretions, and stains from teeth.
type: Core
activitySlug: AssistingAndCaringForOthers
iwaSlug: ProvideHealthServices
dwaSlug: CleanTeeth
slug: CleanCalcareousDepositsAccretionsAndStainsFromTeeth_12346
$id: https://graph.org.ai/tasks/CleanCalcareousDepositsAccretionsAndStainsFromTeeth_12346
$type: Task
source: ONET
---
# Clean calcareous deposits, accretions, and stains from teeth, using instruments.

## Hierarchy

**Activity**: <Activity id="AssistingAndCaringForOthers"></Activity>**IWA**: <IWA
id="ProvideHealthServices"></IWA>
"""


def test_both_schemes_are_detected_by_their_type_not_as_occupation_pages() -> None:
    for text in (BY_OCCUPATION, BY_ACTIVITY):
        assert detect_kind(text) == "onet-task"
        assert onet_page.looks_like(text)  # an occupation page would also read it


def test_a_task_stated_by_its_occupation() -> None:
    task = onet_task.extract(BY_OCCUPATION)
    assert (task.task_id, task.task_type) == ("12345", "Supplemental")
    assert task.text == "Feel and visually examine gums for sores and signs of disease."
    assert (task.occupation_code, task.occupation_title) == ("29-1292.00", "Dental Hygienists")
    assert task.detailed_activities == [
        "Examine mouth, teeth, gums, or related facial structures.",
        "Detect signs of oral disease.",
    ]
    assert task.stated_id == "https://graph.org.ai/occupations/29-1292.00/tasks/12345"
    assert task.activity is None and task.detailed_activity is None


def test_a_task_stated_by_its_place_in_the_hierarchy() -> None:
    task = onet_task.extract(BY_ACTIVITY)
    assert (task.task_id, task.task_type, task.occupation_code) == ("12346", "Core", None)
    assert task.text.startswith("Clean calcareous deposits")
    assert (task.activity, task.intermediate_activity, task.detailed_activity) == (
        "AssistingAndCaringForOthers",
        "ProvideHealthServices",
        "CleanTeeth",
    )
    assert task.detailed_activities == []


def test_a_task_page_claims_its_task_id_for_linking() -> None:
    assert link_keys(onet_task.extract(BY_ACTIVITY)).identifiers == ["onet-task:12346"]
    keys = link_keys(onet_task.extract(BY_OCCUPATION))
    assert (keys.code, keys.identifiers) == ("29-1292.00", ["onet-task:12345"])


def test_a_type_o_net_does_not_give_is_no_type() -> None:
    text = BY_OCCUPATION.replace('taskType: "Supplemental"', 'taskType: "n/a"')
    assert onet_task.extract(text).task_type is None


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (('taskType: "Supplemental"', 'taskType: "Optional"'), 6, "expected Core, Supplemental"),
        (('taskId: "12345"', 'taskId: "T-1"'), 5, "expected an O*NET task id"),
        (('occupationCode: "29-1292.00"', 'occupationCode: "2912"'), 7, "O*NET-SOC code"),
        (("/tasks/12345", "/tasks/{id}"), 2, "a page template"),
    ],
)
def test_bad_fields_name_their_line(change: tuple[str, str], line: int, message: str) -> None:
    with pytest.raises(InputError) as caught:
        onet_task.extract(BY_OCCUPATION.replace(*change))
    assert caught.value.line == line
    assert message in caught.value.message


def test_a_task_needs_an_id_and_a_statement() -> None:
    no_id = BY_ACTIVITY.replace("_12346", "").replace("slug: Clean", "slug: xClean")
    with pytest.raises(InputError, match="no O\\*NET task id"):
        onet_task.extract(no_id)
    no_text = "---\n$type: Task\ntaskId: '7'\n---\n\nno heading here\n"
    with pytest.raises(InputError, match="states no task"):
        onet_task.extract(no_text)
