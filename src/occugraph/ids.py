"""Every IRI the graph mints, and nothing else: graph.org.ai's identifier scheme.

IRIs are deterministic functions of what a document says, so the same input
always gives the same IRI and adding unrelated documents never renames anything.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from urllib.parse import quote

from anyascii import anyascii

from occugraph.slugs import slug

BASE = "https://graph.org.ai/"

GRAPH_ONTOLOGY = BASE + "graphs/ontology"
GRAPH_REFERENCE = BASE + "graphs/reference"
GRAPH_LINKS = BASE + "graphs/links"

OCCUPATION_SCHEME = BASE + "occupations"
CONTENT_MODEL_SCHEME = BASE + "onet/content-model"
JOB_ZONE_SCHEME = BASE + "jobzones"
INDUSTRY_SCHEME = BASE + "industries"
UNSPSC_SCHEME = BASE + "unspsc"
WORK_ACTIVITY_SCHEME = BASE + "onet/work-activities"
SOFTWARE = BASE + "software/occugraph"

_URI_COMPONENT = "!~*'()"
"""What encodeURIComponent leaves as it is, besides letters, digits and '-_.'."""

_ELEMENT_PATHS = {
    "Skill": "skills",
    "Knowledge": "knowledge",
    "Ability": "abilities",
    "Generalized Work Activity": "activities",
}


def occupation(title: str) -> str:
    """
    >>> occupation("Chief Executives")
    'https://graph.org.ai/occupations/ChiefExecutives'
    """
    return f"{BASE}occupations/{slug(title)}"


def occupation_by_code(code: str) -> str:
    """graph.org.ai's other name for an occupation: an alias of the title's IRI.

    >>> occupation_by_code("47-2111.00")
    'https://graph.org.ai/occupations/47-2111.00'
    """
    return f"{BASE}occupations/{code}"


def element(domain: str, name: str) -> str:
    """An O*NET content-model element, or a skill no O*NET element covers (domain 'Skill').

    >>> element("Skill", "Active Listening")
    'https://graph.org.ai/skills/ActiveListening'
    """
    return f"{BASE}{_ELEMENT_PATHS[domain]}/{slug(name)}"


def normalised_statement(text: str) -> str:
    """The form two sources' wordings of one statement must share to be the same task."""
    folded = anyascii(text).lower().replace("'", "")
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def task(text: str) -> str:
    """
    >>> task("Prepare reports.") == task("  prepare   REPORTS ")
    True
    """
    normal = normalised_statement(text)
    digest = hashlib.sha256(normal.encode()).hexdigest()[:8]
    return f"{BASE}tasks/{slug(text)[:50]}_{digest}"


def onet_task(text: str, task_id: str) -> str:
    """An O*NET task, keyed by its task id: graph.org.ai's ``Tasks.org.ai`` name for it.

    >>> onet_task("Connect wires to circuit breakers, transformers, or other components.", "2875")
    'https://graph.org.ai/tasks/ConnectWiresToCircuitBreakersTransformersOrOtherCo_2875'
    """
    return f"{BASE}tasks/{slug(text)[:50]}_{task_id}"


def onet_task_by_occupation(code: str, task_id: str) -> str:
    """graph.org.ai's ``Occupations.org.ai`` name for an O*NET task: an alias."""
    return f"{BASE}occupations/{code}/tasks/{task_id}"


def occupation_product(code: str, category: str, name: str) -> str:
    """A technology or tool an occupation uses, as graph.org.ai names it: the name
    %-encoded as JavaScript's ``encodeURIComponent`` does.

    >>> occupation_product("47-2111.00", "technology", "AWS Elastic MapReduce (EMR)")
    'https://graph.org.ai/occupations/47-2111.00/technology/AWS%20Elastic%20MapReduce%20(EMR)'
    """
    return f"{BASE}occupations/{code}/{category}/{quote(name, safe=_URI_COMPONENT)}"


def unspsc(code: str) -> str:
    """A UNSPSC commodity: one node, whichever technologies and tools fall under it."""
    return f"{BASE}unspsc/{code}"


def work_activity(level: str, slug_text: str) -> str:
    """An O*NET work activity by graph.org.ai's slug: a generalized one (``activities``,
    the content-model element), an intermediate one (``iwa``) or a detailed one (``dwa``).

    >>> work_activity("dwa", "CreateConstructionOrInstallationDiagrams")
    'https://graph.org.ai/dwa/CreateConstructionOrInstallationDiagrams'
    """
    return f"{BASE}{level}/{slug_text}"


def framework(occupation_iri: str, version: str) -> str:
    return f"{BASE}frameworks/{_last_segment(occupation_iri)}/{version}"


def statement(occupation_iri: str, version: str, level_key: str, position: int) -> str:
    return f"{framework(occupation_iri, version)}/{level_key}/{position}"


def level(label: str) -> str:
    return f"{BASE}levels/{slug(label)}"


def progression(labels: Sequence[str]) -> str:
    """One progression model per ordered list of level labels, shared by frameworks using it."""
    return f"{BASE}progressions/{slug(' '.join(labels))}"


def noc(version: str, code: str) -> str:
    return f"{BASE}noc/{version}/{code}"


def noc_scheme(version: str) -> str:
    return f"{BASE}noc/{version}"


def sub_role(noc_iri: str, title: str) -> str:
    return f"{noc_iri}/roles/{slug(title)}"


def job_zone(number: int) -> str:
    return f"{BASE}jobzones/{number}"


def industry(code: str) -> str:
    return f"{BASE}industries/{code}"


def job_title(text: str) -> str:
    return f"{BASE}jobtitles/{slug(text)}"


def source(sha256: str) -> str:
    return f"{BASE}sources/{sha256[:16]}"


def source_part(source_iri: str, *parts: str | int) -> str:
    """Things that exist only because one document says them (a salary figure, a section)."""
    return "/".join([source_iri, *map(str, parts)])


def _last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]
