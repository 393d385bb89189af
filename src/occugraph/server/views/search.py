"""Finding things: ``/search`` (a page, or JSON for programs and the search box's
suggestions) and ``/occupations``, every occupation in a list a person can filter.

Both read the search index, built once per build from one query run in the worker pool
(``sparql/search-index.rq``) and kept in the build's cache.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from occugraph.files import own_query
from occugraph.server.answers import run_select
from occugraph.server.cache import keep_answer
from occugraph.server.graph import served
from occugraph.server.http import TEMPLATES
from occugraph.server.negotiate import choose, page_or_json
from occugraph.server.pages.search import Entry, SearchIndex
from occugraph.server.views.resources import resource

LIMIT = 10
MOST = 100


async def search_index(request: Request) -> SearchIndex:
    graph = served(request)
    if graph.cache.search is None:
        graph.cache.search = SearchIndex(await run_select(request, own_query("search-index"), {}))
    return graph.cache.search


def _hit(entry: Entry) -> dict[str, str | None]:
    return {
        "label": entry.label,
        "kind": entry.kind,
        "code": entry.code or None,
        "iri": entry.iri,
        "url": entry.href,
        "leads_to": entry.leads_to or None,
    }


async def search(request: Request) -> Response:
    text = request.query_params.get("q", "")
    try:
        limit = min(int(request.query_params.get("limit", LIMIT)), MOST)
    except ValueError:
        raise HTTPException(400, "limit must be a whole number") from None
    fmt = page_or_json(request, "search results")
    hits = (await search_index(request)).search(text, limit=max(limit, 1))
    keep_answer(request)
    if fmt.name == "json":
        return JSONResponse({"query": text, "results": [_hit(e) for e in hits]})
    return TEMPLATES.TemplateResponse(
        request,
        "search.html",
        {"q": text, "hits": hits, "limit": limit},
        headers={"Link": '</search.json>; rel="alternate"; type="application/json"'},
    )


async def occupations(request: Request) -> Response:
    """A person gets the list; a program asking for RDF gets the scheme's description."""
    fmt = choose(
        ["html", "turtle"],
        explicit=request.query_params.get("format"),
        accept=request.headers.get("accept"),
    )
    if fmt is None or fmt.name != "html":
        return await resource(request)
    keep_answer(request)
    found = (await search_index(request)).occupations()
    return TEMPLATES.TemplateResponse(request, "occupations.html", {"occupations": found})
