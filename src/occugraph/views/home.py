"""The home page: what the graph holds, the saved queries, and a SPARQL editor."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from occugraph.queries import saved_queries
from occugraph.server import TEMPLATES, served
from occugraph.views.description import graph_sizes

EXAMPLE = """PREFIX occ: <https://graph.org.ai/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?occupation ?title (COUNT(DISTINCT ?source) AS ?sources) WHERE {
  ?source occ:about ?occupation .
  ?occupation rdfs:label ?title .
} GROUP BY ?occupation ?title ORDER BY DESC(?sources) LIMIT 20"""


async def home(request: Request) -> Response:
    sizes = graph_sizes(request)
    sources = [(iri, n) for iri, n in sizes if "/sources/" in iri]
    return TEMPLATES.TemplateResponse(
        request,
        "home.html",
        {
            "triples": sum(n for _, n in sizes),
            "graphs": len(sizes),
            "sources": len(sources),
            "build": served(request).build_id,
            "queries": saved_queries().values(),
            "example": EXAMPLE,
        },
    )
