"""O*NET task pages of graph.org.ai: one task statement each, in either of its two schemes.

An ``Occupations.org.ai`` page states the task id (``taskId``), its type, its occupation
and, under "Related Work Activities", links to its detailed work activities; a
``Tasks.org.ai`` page states the task in ``title``, its id at the end of its ``slug`` and
``$id`` (``…_2882``) and its place in the work-activity hierarchy (``activitySlug``,
``iwaSlug``, ``dwaSlug``). Detection is by the frontmatter's ``$type: Task``.
"""

from __future__ import annotations

import re

from occugraph.build.extract import Extractor, mdx
from occugraph.build.records.onet_task import OnetTask
from occugraph.errors import InputError

KIND = "onet-task"

_TYPE = re.compile(r"""^\s*["']?\$type["']?\s*:\s*["']?Task["']?\s*$""")
_TASK_ID = re.compile(r"^\d{1,8}$")
_ID_AT_END = re.compile(r"(?:_|/tasks/)(\d{1,8})$")
_SOC_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_SLUG = re.compile(r"^[A-Za-z0-9]+$")
_TYPES = {"core": "Core", "supplemental": "Supplemental"}


def looks_like(text: str) -> bool:
    """A page whose frontmatter says ``$type: Task``.

    >>> looks_like("---\\n$type: Task\\ntaskId: '2882'\\n---\\n# Wire it.")
    True
    """
    return mdx.starts_with_frontmatter(text, _TYPE)


def extract(text: str) -> OnetTask:
    """Read a task page.

    >>> task = extract("---\\n$type: Task\\ntaskId: '2875'\\ntaskType: Core\\n"
    ...     "occupationCode: 47-2111.00\\n---\\n# Connect wires to circuit breakers.\\n")
    >>> task.task_id, task.text, task.task_type, task.occupation_code
    ('2875', 'Connect wires to circuit breakers.', 'Core', '47-2111.00')

    :raises InputError: for a page with no task id or no statement, or a bad field.
    """
    page = mdx.read_page(text)
    stated_id = mdx.check_id(page)
    statement = page.text("title") or mdx.first_heading(page.body)
    if not statement:
        raise InputError("the task page states no task: no 'title' and no heading", line=1)
    headed, _ = mdx.sections(page.body)
    activities = [
        link.text
        for heading, _, lines in headed
        if heading.lower() == "related work activities"
        for link in mdx.links(lines)
        if link.text
    ]
    return OnetTask(
        stated_id=stated_id,
        task_id=_task_id(page, stated_id),
        text=statement,
        task_type=_task_type(page),
        occupation_code=page.matching("occupationCode", _SOC_CODE, "an O*NET-SOC code"),
        occupation_title=page.text("occupationTitle"),
        activity=page.matching("activitySlug", _SLUG, "a slug"),
        intermediate_activity=page.matching("iwaSlug", _SLUG, "a slug"),
        detailed_activity=page.matching("dwaSlug", _SLUG, "a slug"),
        detailed_activities=activities,
        source=page.text("source"),
    )


def _task_id(page: mdx.Page, stated_id: str | None) -> str:
    stated = page.text("taskId")
    if stated is not None:
        if not _TASK_ID.match(stated):
            raise InputError(
                f"frontmatter 'taskId': expected an O*NET task id (digits), got {stated!r}",
                line=page.line("taskId"),
            )
        return stated
    for key in ("slug", "$id"):
        value = stated_id if key == "$id" else page.text(key)
        found = _ID_AT_END.search(value or "")
        if found:
            return found.group(1)
    raise InputError(
        "no O*NET task id: no 'taskId', and neither 'slug' nor '$id' ends in one", line=1
    )


def _task_type(page: mdx.Page) -> str | None:
    key = "taskType" if "taskType" in page.fields else "type"
    stated = page.text(key)
    if stated is None:
        return None
    if stated.lower() == "n/a":  # O*NET rates some tasks neither
        return None
    if stated.lower() not in _TYPES:
        raise InputError(
            f"frontmatter {key!r}: expected Core, Supplemental or n/a, got {stated!r}",
            line=page.line(key),
        )
    return _TYPES[stated.lower()]


EXTRACTOR = Extractor(
    kind=KIND, record=OnetTask, precedence=5, looks_like=looks_like, extract=extract
)
