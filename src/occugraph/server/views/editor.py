"""``/sparql`` in a browser: a SPARQL editor (Yasgui, shipped in ``server/static/yasgui``)
with syntax highlighting, prefix completion and results as a table, over this endpoint.

Its examples are occugraph's own example and the saved queries, each with its occupation
parameters bound (a VALUES block) to an occupation the documents describe, so that they
run as they are; they are worked out once per build.
"""

from __future__ import annotations

import contextlib

from starlette.requests import Request
from starlette.responses import Response

from occugraph.errors import OccugraphError
from occugraph.files import own_query
from occugraph.query.saved import resolve_occupation
from occugraph.server.graph import served
from occugraph.server.http import TEMPLATES
from occugraph.server.views.home import example_occupation
from occugraph.server.views.urls import absolute
from occugraph.store.remote import bind_values
from occugraph.vocabulary import Term


async def examples(request: Request) -> list[dict[str, str]]:
    graph = served(request)
    if graph.cache.examples is None:
        found = [{"title": "Occupations most documents are about", "query": own_query("example")}]
        code = await example_occupation(request)
        occupation = None
        if code:
            with contextlib.suppress(ValueError, OccugraphError):
                occupation = resolve_occupation(graph.lookup, code)
        for saved in graph.library.all().values():
            values: dict[str, Term] = {}
            if occupation is not None:
                values = {n: occupation for n, p in saved.params.items() if p.type == "occupation"}
            title = saved.title or saved.name
            if values:
                title += f" ({code})"
            found.append({"title": title, "query": bind_values(saved.text, values)})
        graph.cache.examples = found
    return graph.cache.examples


async def editor(request: Request) -> Response:
    return TEMPLATES.TemplateResponse(
        request,
        "sparql.html",
        {
            "endpoint": absolute(request, "sparql"),
            "examples": await examples(request),
            "query": request.query_params.get("query"),
        },
        headers={"Vary": "Accept"},
    )
