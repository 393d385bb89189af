"""An ``onet-task``: the O*NET task keyed by its id, its type, its occupation, and where it
stands in the work-activity hierarchy (detailed → intermediate → generalized activity)."""

from __future__ import annotations

import re

from occugraph import ids
from occugraph.build.rdf.document import DocumentGraph, RecordMapping
from occugraph.build.records.onet_task import OnetTask
from occugraph.slugs import slug
from occugraph.vocabulary import LABEL, SAME_AS, occ, skos

_HUMP = re.compile(r"[A-Z][a-z0-9]*|[a-z0-9]+")


def write(graph: DocumentGraph, task: OnetTask) -> None:
    out = graph.out
    iri = ids.onet_task(task.text, task.task_id)
    out.typed(iri, occ("Task"))
    out.add(iri, LABEL, task.text)
    out.add(iri, occ("onetTaskId"), task.task_id)
    out.add(iri, occ("taskType"), task.task_type)
    out.link(graph.occupation, occ("hasTask"), iri)
    code = task.occupation_code or graph.code
    aliases = {ids.onet_task_by_occupation(code, task.task_id)} if code else set()
    if task.stated_id is not None:
        aliases.add(task.stated_id)
    for alias in sorted(aliases - {iri}):
        out.link(iri, SAME_AS, alias)
    graph.out.add(graph.source.iri, occ("statedId"), task.stated_id)
    for title in task.detailed_activities:
        dwa = _activity(graph, "dwa", slug(title), "DetailedWorkActivity")
        out.add(dwa, LABEL, title)
        out.link(iri, occ("detailedWorkActivity"), dwa)
    if task.detailed_activity is None:
        return
    dwa = _activity(graph, "dwa", task.detailed_activity, "DetailedWorkActivity")
    out.link(iri, occ("detailedWorkActivity"), dwa)
    if task.intermediate_activity is None:
        return
    iwa = _activity(graph, "iwa", task.intermediate_activity, "IntermediateWorkActivity")
    out.add(iwa, LABEL, read_slug(task.intermediate_activity))
    out.link(dwa, skos("broader"), iwa)
    if task.activity is not None:
        out.link(iwa, skos("broader"), ids.work_activity("activities", task.activity))


def _activity(graph: DocumentGraph, level: str, name: str, kind: str) -> str:
    iri = ids.work_activity(level, name)
    graph.out.typed(iri, occ(kind), skos("Concept"))
    graph.out.link(iri, skos("inScheme"), ids.WORK_ACTIVITY_SCHEME)
    return iri


def read_slug(name: str) -> str:
    """A label read back from a slug, which is all graph.org.ai gives of an IWA.

    >>> read_slug("DraftLegislationOrRegulations")
    'Draft legislation or regulations'
    """
    words = [word.lower() for word in _HUMP.findall(name)]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


MAPPING = RecordMapping(OnetTask, write)
