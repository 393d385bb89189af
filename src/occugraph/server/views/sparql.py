"""The SPARQL 1.1 Protocol endpoint (https://www.w3.org/TR/sparql11-protocol/).

Queries by GET, by form POST and by direct POST (UTF-8, one query per request);
the dataset from ``default-graph-uri``/``named-graph-uri``, else the query's
``FROM``, else the union of all named graphs; relative IRIs resolve against the
endpoint's URL; answers negotiated from ``Accept``. The endpoint is read-only:
updates are answered in ``views/update`` only when the server holds an update
token. SERVICE would make the store fetch arbitrary URLs, so it is refused.
The W3C protocol test suite runs against it in ``tests/test_protocol_w3c.py``.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from occugraph.formats import GRAPHS, RESULTS, offered_as
from occugraph.query.workers import Job
from occugraph.server.answers import answer
from occugraph.server.cache import keep_answer
from occugraph.server.graph import served
from occugraph.server.negotiate import choose
from occugraph.server.views.description import service_description
from occugraph.server.views.update import apply_update, authorise
from occugraph.server.views.urls import absolute
from occugraph.sparql_text import answers_alike, too_deep

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"

# SPARQLWrapper (and Virtuoso's convention) ask for RDF/XML graphs with format=xml.
_GRAPH_FORMAT_ALIASES = {"xml": "rdfxml"}


async def endpoint(request: Request) -> Response:
    if request.method not in ("GET", "POST"):
        raise HTTPException(
            405, "the SPARQL endpoint takes GET and POST", headers={"Allow": "GET, POST"}
        )
    query, update, default_graphs, named_graphs = await _read(request)
    if update is not None:
        authorise(request)  # a read-only server says so first
        await _refuse_update_dataset(request)
        return await apply_update(request, update)
    if query is None:
        if request.method == "GET":
            return await service_description(request)
        raise HTTPException(400, "no 'query' parameter in the request")
    # Too deep a query would crash the parser in its worker; this reads at most the first
    # QUICK_SPAN characters, and the worker reads the whole of a longer one.
    if (deep := too_deep(query, quick=True)) is not None:
        raise HTTPException(400, deep)
    accept = request.headers.get("accept")
    explicit = request.query_params.get("format")
    results = choose(RESULTS, explicit=explicit, accept=accept)
    graph = choose(
        GRAPHS, explicit=_GRAPH_FORMAT_ALIASES.get(explicit or "", explicit), accept=accept
    )
    if results is None and graph is None:
        raise HTTPException(
            406,
            "no offered format fits the Accept header; results come as "
            + offered_as(RESULTS)
            + " and graphs as "
            + offered_as(GRAPHS),
        )
    # A protocol dataset is exactly what its parameters name: naming only default graphs
    # leaves no named graphs, and naming only named graphs leaves the default graph empty.
    protocol_dataset = bool(default_graphs or named_graphs)
    job = Job(
        query,
        solution_format=results.name if results else None,
        graph_format=graph.name if graph else None,
        default_graph=tuple(default_graphs) if protocol_dataset else None,
        named_graphs=tuple(named_graphs) if protocol_dataset else None,
        max_rows=served(request).settings.max_rows,
        base_iri=absolute(request, "sparql"),
        screened=True,  # SERVICE is refused in the worker: no scan of the text on the loop
    )
    response = await answer(request, job)
    if request.method == "GET" and answers_alike(query):  # a URL's text: short to scan
        keep_answer(request)
    return response


async def _read(request: Request) -> tuple[str | None, str | None, list[str], list[str]]:
    """The query or update and the dataset, from wherever the protocol allows them."""
    params = request.query_params
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    if request.method == "GET":
        if "update" in params:
            raise HTTPException(405, "updates must be POSTed", headers={"Allow": "POST"})
        return _one(params.getlist("query"), "query"), None, default_graphs, named_graphs
    if "query" in params or "update" in params:
        raise HTTPException(
            400, "a POSTed query or update goes in the request body, not in the URL"
        )
    media_type = _media_type(request)
    if media_type == FORM:
        form = await request.form()
        default_graphs += [str(v) for v in form.getlist("default-graph-uri")]
        named_graphs += [str(v) for v in form.getlist("named-graph-uri")]
        query = _one([str(v) for v in form.getlist("query")], "query")
        update = _one([str(v) for v in form.getlist("update")], "update")
        if query is not None and update is not None:
            raise HTTPException(400, "send either a query or an update, not both")
        return query, update, default_graphs, named_graphs
    if media_type not in (QUERY, UPDATE):
        raise HTTPException(415, f"POST a query as {FORM} or {QUERY} (got {media_type or 'none'})")
    body = _utf8(await request.body(), request.headers.get("content-type", ""))
    if media_type == QUERY:
        return body, None, default_graphs, named_graphs
    return None, body, default_graphs, named_graphs


USING = ("using-graph-uri", "using-named-graph-uri")


async def _refuse_update_dataset(request: Request) -> None:
    """pyoxigraph runs an update over the whole store and takes no dataset, so an update
    with ``using-graph-uri``/``using-named-graph-uri`` is refused rather than run over
    graphs the client did not ask for."""
    named = [p for p in USING if p in request.query_params]
    if _media_type(request) == FORM:
        form = await request.form()
        named += [p for p in USING if p in form and p not in named]
    if named:
        raise HTTPException(
            400,
            f"{' and '.join(named)} cannot be honoured here: name the graphs in the update "
            "itself (USING, USING NAMED, WITH or GRAPH)",
        )


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _one(values: list[str], name: str) -> str | None:
    """The single value of a protocol parameter; more than one is ambiguous, so refused."""
    if len(values) > 1:
        raise HTTPException(400, f"give one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([^\s;\"]+)", re.IGNORECASE)


def _utf8(body: bytes, content_type: str) -> str:
    """A directly POSTed query or update, which the protocol requires in UTF-8."""
    charset = _CHARSET.search(content_type)
    if charset and charset[1].lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise HTTPException(415, f"send the query or update as UTF-8, not {charset[1]}")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise HTTPException(
            400, f"the body is not UTF-8 (byte {error.start}): send queries and updates as UTF-8"
        ) from None
