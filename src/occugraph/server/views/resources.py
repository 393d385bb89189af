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
import re

from pyoxigraph import Literal, NamedNode, QuerySolutions, RdfFormat, Triple, Variable, parse
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from occugraph.files import own_query
from occugraph.formats import GRAPHS, offered_as
from occugraph.ids import BASE
from occugraph.query.describe import DESCRIBE_QUERY
from occugraph.query.workers import Answer, Job
from occugraph.server.answers import respond, run_job, run_select
from occugraph.server.graph import served
from occugraph.server.http import TEMPLATES
from occugraph.server.negotiate import choose
from occugraph.server.pages.resource import (
    is_source,
    link_header,
    resource_page,
    source_contributions,
)
from occugraph.server.views.occupation import is_occupation, occupation

OFFERED = ("html", *GRAPHS)
_CODE = re.compile(r"^occupations/(\d{2}-\d{4}\.\d{2})$")


async def resource(request: Request) -> Response:
    path = request.path_params["path"]
    graph = served(request)
    code = _CODE.match(path)
    if code:
        return _redirect_code(request, code[1])
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
    try:
        node = NamedNode(BASE + path)
    except ValueError:
        raise HTTPException(404, f"/{path} is not an identifier of this graph") from None
    result = await _description(request, node, "ntriples" if fmt.name == "html" else fmt.name)
    if result.rows == 0:
        result.discard()
        raise HTTPException(404, f"the graph holds nothing about <{node.value}>")
    if fmt.name != "html":
        return respond(result, headers)
    triples = list(parse(result.read(), format=RdfFormat.N_TRIPLES))
    return await _html(request, node, triples, headers)


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
        things, statements = await asyncio.gather(
            run_select(request, own_query("source-things"), {"source": node}),
            run_select(request, own_query("source-statements"), {"source": node}),
        )
        context["contributed"] = source_contributions(things, statements)
    return TEMPLATES.TemplateResponse(request, "resource.html", context, headers=headers)


def _redirect_code(request: Request, code: str) -> Response:
    result = served(request).lookup.query(
        own_query("occupation-by-code"),
        use_default_graph_as_union=True,
        substitutions={Variable("code"): Literal(code)},
    )
    assert isinstance(result, QuerySolutions)
    found = [row["occupation"].value for row in result]
    if not found:
        raise HTTPException(404, f"no occupation has the O*NET-SOC code {code}")
    target = found[0].removeprefix(BASE)
    return RedirectResponse(str(request.url_for("resource", path=target)), status_code=301)
