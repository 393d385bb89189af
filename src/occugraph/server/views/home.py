"""The home page: what the graph holds, the saved queries with a form each, and a SPARQL editor.

The counts come from the ``graph-statistics`` saved query and the list of described
occupations from one query over the links graph, both run in the worker pool once per
build and kept in the served graph's cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from occugraph.query.saved import saved_queries
from occugraph.server.app import TEMPLATES, served
from occugraph.server.pages.resource import href
from occugraph.server.views.description import graph_sizes
from occugraph.server.views.occupation import run_saved, run_select

EXAMPLE = """PREFIX occ: <https://graph.org.ai/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?occupation ?title (COUNT(DISTINCT ?source) AS ?sources) WHERE {
  ?source occ:about ?occupation .
  ?occupation rdfs:label ?title .
} GROUP BY ?occupation ?title ORDER BY DESC(?sources) LIMIT 20"""

DESCRIBED = """PREFIX occ: <https://graph.org.ai/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?occupation (SAMPLE(?code) AS ?onetCode)
       (COALESCE(SAMPLE(?prefLabel), SAMPLE(?label)) AS ?title)
       (COUNT(DISTINCT ?source) AS ?sources)
WHERE {
  GRAPH <https://graph.org.ai/graphs/links> { ?source occ:about ?occupation }
  OPTIONAL { ?occupation occ:onetCode ?code }
  OPTIONAL { ?occupation skos:prefLabel ?prefLabel }
  OPTIONAL { ?occupation rdfs:label ?label }
}
GROUP BY ?occupation
ORDER BY DESC(?sources) ?title"""

SHOWN_OCCUPATIONS = 100


@dataclass(frozen=True)
class Described:
    title: str
    code: str
    sources: int
    href: str | None


@dataclass(frozen=True)
class Summary:
    things: list[tuple[str, str]]
    occupations: list[Described]


async def summary(request: Request) -> Summary:
    graph = served(request)
    cached = graph.cache.get("home")
    if isinstance(cached, Summary):
        return cached
    described = await run_select(request, DESCRIBED, {})
    try:
        statistics = await run_saved(request, "graph-statistics", {})
    except HTTPException:
        statistics = []  # too slow for this store's time limit: the page goes without it
    result = Summary(
        things=[(r["item"], r["count"]) for r in statistics if r.get("category") == "things"],
        occupations=[
            Described(
                r.get("title") or r["occupation"].rsplit("/", 1)[-1],
                r.get("onetCode", ""),
                int(r.get("sources", "0")),
                href(r["occupation"]),
            )
            for r in described
        ],
    )
    graph.cache["home"] = result
    return result


async def home(request: Request) -> Response:
    sizes = graph_sizes(request)
    found = await summary(request)
    example = next((o.code for o in found.occupations if o.code), "")
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
            "queries": list(saved_queries().values()),
            "placeholders": {
                "occupation": example or "an O*NET-SOC code or a title",
                "iri": "https://graph.org.ai/…",
                "langstring": "text@en",
                "integer": "a whole number",
            },
            "example": request.query_params.get("query") or EXAMPLE,
        },
    )
