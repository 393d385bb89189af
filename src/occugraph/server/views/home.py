"""The home page: what the graph holds, the saved queries with a form each, and a SPARQL editor.

The counts come from the ``graph-statistics`` saved query and the list of described
occupations from one query over the links graph, both run in the worker pool once per
build and kept in the served graph's cache.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from occugraph.files import own_query
from occugraph.server.answers import graph_sizes, run_saved, run_select
from occugraph.server.graph import served
from occugraph.server.http import TEMPLATES
from occugraph.server.pages.home import Summary, summary

SHOWN_OCCUPATIONS = 100


async def _summary(request: Request) -> Summary:
    graph = served(request)
    if graph.cache.home is None:
        described = await run_select(request, own_query("described-occupations"), {})
        try:
            statistics = await run_saved(request, "graph-statistics", {})
        except HTTPException:
            statistics = []  # too slow for this store's time limit: the page goes without it
        graph.cache.home = summary(described, statistics)
    return graph.cache.home


async def example_occupation(request: Request) -> str:
    """The code of the best described occupation, for examples; empty when none is."""
    found = await _summary(request)
    return next((o.code for o in found.occupations if o.code), "")


async def home(request: Request) -> Response:
    sizes = graph_sizes(request)
    found = await _summary(request)
    example = await example_occupation(request)
    return TEMPLATES.TemplateResponse(
        request,
        "home.html",
        {
            "triples": sum(n for _, n in sizes),
            "graphs": len(sizes),
            "sources": len([iri for iri, _ in sizes if "/sources/" in iri]),
            "described": len(found.occupations),
            "occupations": found.occupations[:SHOWN_OCCUPATIONS],
            "things": found.things,
            "build": served(request).build_id,
            "queries": list(served(request).library.all().values()),
            "placeholders": {
                "occupation": example or "an O*NET-SOC code or a title",
                "iri": "https://graph.org.ai/…",
                "langstring": "text@en",
                "integer": "a whole number",
            },
            "example": request.query_params.get("query") or own_query("example"),
        },
    )
