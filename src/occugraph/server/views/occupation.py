"""The occupation page: one payload gathered from the saved queries, rendered by one template.

The saved queries run in the worker pool side by side (``asyncio.gather``), each bound to
the occupation's IRI exactly as ``/queries/{name}?occupation=...`` binds it; their rows
are shaped into the card by ``occupation_card``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from starlette.requests import Request
from starlette.responses import Response

from occugraph.query.workers import Job
from occugraph.server.app import TEMPLATES
from occugraph.server.pages.occupation_card import Row, occupation_page
from occugraph.server.views.queries import bind, saved_query
from occugraph.server.views.sparql import run_job
from occugraph.vocabulary import OCC, RDF

Bindings = dict[str, NamedNode | BlankNode | Literal | Triple]

# Section of the page -> the saved query that fills it.
QUERIES = {
    "card": "occupation-card",
    "statements": "competency-statements",
    "levels": "progression-levels",
    "skills": "occupation-skills",
    "tasks": "occupation-tasks",
    "noc": "noc-job-titles",
    "titles": "job-titles",
    "salaries": "salary-figures",
    "provenance": "source-provenance",
}


async def run_saved(request: Request, name: str, values: dict[str, str]) -> list[Row]:
    """The rows of one saved SELECT query, run in the pool with its parameters bound."""
    saved = saved_query(name)
    bound = bind(request, saved, values)
    return await run_select(
        request, saved.text, {variable.value: term for variable, term in bound.items()}
    )


async def run_select(request: Request, query: str, substitutions: Bindings) -> list[Row]:
    """The rows of a SELECT query run in the pool, as plain ``{variable: value}`` dicts."""
    job = Job(query, solution_format="json", graph_format=None, substitutions=substitutions)
    answer = await run_job(request, job)
    data = json.loads(answer.read())
    return [
        {key: cell["value"] for key, cell in binding.items()}
        for binding in data["results"]["bindings"]
    ]


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
