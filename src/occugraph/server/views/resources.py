"""Dereferenceable identifiers: every minted IRI answers at its path on this server.

``https://graph.org.ai/{path}`` is described at ``/{path}``: its own triples, its
labels and the labels of what it links to (the same description as
``occugraph describe``), negotiated between HTML and the RDF formats, with an
ETag tied to the build so clients revalidate cheaply. A build never changes, so each
description is worked out once per build (a worker round trip of tens of ms on the
1,016-occupation graph, JSON-LD framing included) and kept in the build's cache
(:mod:`occugraph.server.graph`).
"""

from __future__ import annotations

import asyncio

from pyoxigraph import NamedNode, RdfFormat, Triple, parse
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from occugraph.files import own_query
from occugraph.formats import GRAPHS, offered_as
from occugraph.ids import BASE
from occugraph.query.describe import DESCRIBE_QUERY
from occugraph.query.saved import canonical
from occugraph.query.workers import Answer, Job
from occugraph.server.answers import respond, run_job, run_select
from occugraph.server.cache import keep_answer
from occugraph.server.graph import served
from occugraph.server.http import TEMPLATES
from occugraph.server.negotiate import choose
from occugraph.server.pages.resource import (
    document_title,
    href,
    is_source,
    link_header,
    original_text_path,
    resource_page,
    source_contributions,
)
from occugraph.server.views.occupation import is_occupation, occupation
from occugraph.server.views.urls import location

OFFERED = ("html", *GRAPHS)
KEPT_ALIASES = 65_536
"""Alias lookups kept per build (forgotten all at once when full)."""


async def resource(request: Request) -> Response:
    # The IRI is the path as sent, still %-encoded: graph.org.ai's names of technologies
    # and tools hold %20 and the like, which decoding would turn into spaces. Messages show
    # the decoded path, as a person reads it.
    path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")[1:]
    shown = request.path_params.get("path", path)
    graph = served(request)
    try:
        node = NamedNode(BASE + path)
    except ValueError:
        raise HTTPException(404, f"/{shown} is not an identifier of this graph") from None
    target = _canonical(request, node)
    if target is not None and target.value.startswith(BASE):
        where = location(request, target.value.removeprefix(BASE))
        return RedirectResponse(where, status_code=301)
    fmt = choose(
        OFFERED, explicit=request.query_params.get("format"), accept=request.headers.get("accept")
    )
    if fmt is None:
        raise HTTPException(406, "resources are served as " + offered_as(OFFERED))
    headers = {"Vary": "Accept", "Cache-Control": "public, max-age=300"}
    if graph.build_id is not None:  # a remote store changes unseen: no ETag to give
        headers["ETag"] = etag = f'"{graph.build_id}-{fmt.name}"'
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
    result = await _description(request, node, "ntriples" if fmt.name == "html" else fmt.name)
    if result.rows == 0:
        result.discard()
        raise HTTPException(404, f"the graph holds nothing about <{BASE}{shown}>")
    keep_answer(request)
    if fmt.name != "html":
        return respond(result, headers)
    triples = list(parse(result.read(), format=RdfFormat.N_TRIPLES))
    return await _html(request, node, triples, headers)


def _canonical(request: Request, node: NamedNode) -> NamedNode | None:
    """The IRI ``node`` is another name of, looked up once per build (graph.org.ai's
    ``/occupations/{code}`` and ``/occupations/{code}/tasks/{id}`` are aliases)."""
    graph = served(request)
    if graph.build_id is None:  # a remote store may change unseen: nothing kept
        return canonical(graph.lookup, node)
    kept = graph.cache.canonical
    if node.value not in kept:
        if len(kept) >= KEPT_ALIASES:
            kept.clear()
        kept[node.value] = canonical(graph.lookup, node)
    return kept[node.value]


async def _description(request: Request, node: NamedNode, format: str) -> Answer:
    """The description of ``node`` in ``format``, from the worker pool once per build."""
    graph = served(request)
    # A remote store may change unseen: nothing is kept of it.
    kept = graph.cache.descriptions if graph.build_id is not None else None
    key = (node.value, format)
    if kept is not None and key in kept.answers:
        return kept.answers[key]
    job = Job(DESCRIBE_QUERY, graph_format=format, substitutions={"resource": node})
    answer = await run_job(request, job)
    if kept is not None and answer.rows:
        kept.keep(key, answer)
    return answer


async def _html(
    request: Request, node: NamedNode, triples: list[Triple], headers: dict[str, str]
) -> Response:
    """The page a person reads: occupations get their own, every other resource the generic
    one (a source document's with what it contributed)."""
    headers = {**headers, "Link": link_header(request.url.path)}
    if is_occupation(node, triples):
        return await occupation(request, node, triples, headers)
    context = resource_page(node, triples)
    if is_source(node, triples):
        things, statements, titles = await asyncio.gather(
            run_select(request, own_query("source-things"), {"source": node}),
            run_select(request, own_query("source-statements"), {"source": node}),
            run_select(request, own_query("source-title"), {"source": node}),
        )
        context["contributed"] = source_contributions(things, statements)
        context["file"] = context["title"]
        context["title"] = document_title(titles, str(context["title"]))
        context["original"] = original_text_path(node)
    else:
        stated = await run_select(request, own_query("stated-by"), {"thing": node})
        context["stated_by"] = [{**row, "href": href(row["source"])} for row in stated]
    return TEMPLATES.TemplateResponse(request, "resource.html", context, headers=headers)
