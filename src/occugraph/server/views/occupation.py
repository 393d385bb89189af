"""The occupation page: one payload gathered from the saved queries, rendered by one template.

The saved queries run in the worker pool side by side (``asyncio.gather``), each bound to
the occupation's IRI exactly as ``/queries/{name}?occupation=...`` binds it; their rows
are shaped into the card by ``occupation_card``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from pyoxigraph import NamedNode, Triple
from starlette.requests import Request
from starlette.responses import Response

from occugraph.server.answers import run_saved
from occugraph.server.http import TEMPLATES
from occugraph.server.pages.occupation_card import occupation_page
from occugraph.vocabulary import OCC, RDF

# Section of the page -> the saved query that fills it.
QUERIES = {
    "card": "occupation-card",
    "statements": "competency-statements",
    "levels": "progression-levels",
    "skills": "occupation-skills",
    "tasks": "occupation-tasks",
    "onet_tasks": "onet-tasks",
    "products": "occupation-products",
    "noc": "noc-job-titles",
    "titles": "job-titles",
    "salaries": "salary-figures",
    "provenance": "source-provenance",
}


def is_occupation(node: NamedNode, triples: Iterable[Triple]) -> bool:
    kind = NamedNode(OCC + "Occupation")
    return any(
        t.subject == node and t.predicate.value == RDF + "type" and t.object == kind
        for t in triples
    )


async def occupation(
    request: Request, node: NamedNode, triples: list[Triple], headers: dict[str, str]
) -> Response:
    sections = list(QUERIES)
    results = await asyncio.gather(
        *(run_saved(request, QUERIES[s], {"occupation": node.value}) for s in sections)
    )
    page = occupation_page(node, triples, dict(zip(sections, results, strict=True)))
    return TEMPLATES.TemplateResponse(
        request, "occupation.html", {"page": page, "title": page.title}, headers=headers
    )
