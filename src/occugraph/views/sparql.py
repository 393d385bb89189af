"""The SPARQL 1.1 Protocol endpoint (https://www.w3.org/TR/sparql11-protocol/).

Queries by GET, by form POST and by direct POST; the dataset from
``default-graph-uri``/``named-graph-uri`` (by default the union of all named
graphs); answers negotiated from ``Accept``. The endpoint is read-only: updates
are answered in ``views/update`` only when the server holds an update token.
SERVICE would make the store fetch arbitrary URLs, so it is refused.
"""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from occugraph.negotiate import FORMATS, RDF, RESULTS, choose
from occugraph.server import served, spooled
from occugraph.views.description import service_description
from occugraph.workers import Answer, Job, QueryFailedError, QueryTimeoutError

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
GRAPH_FORMATS = RDF

# Comments, strings and IRIs can say "SERVICE" harmlessly; variables and prefixed
# names (?service, ex:service) too. What is left is the keyword.
_HARMLESS = re.compile(
    r"#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\s]*>",
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![?$:\w])SERVICE\b", re.IGNORECASE)


def calls_service(query: str) -> bool:
    """
    >>> calls_service("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }")
    True
    >>> calls_service("SELECT ?service { ?service a <http://x/SERVICE> } # SERVICE")
    False
    """
    return bool(_SERVICE.search(_HARMLESS.sub(" ", query)))


async def endpoint(request: Request) -> Response:
    if request.method not in ("GET", "POST"):
        raise HTTPException(
            405, "the SPARQL endpoint takes GET and POST", headers={"Allow": "GET, POST"}
        )
    query, update, default_graphs, named_graphs = await _read(request)
    if update is not None:
        from occugraph.views.update import apply_update

        return await apply_update(request, update)
    if query is None:
        if request.method == "GET":
            return await service_description(request)
        raise HTTPException(400, "no 'query' parameter in the request")
    if calls_service(query):
        raise HTTPException(
            400, "SERVICE is not allowed here: this endpoint makes no requests to other servers"
        )
    accept = request.headers.get("accept")
    explicit = request.query_params.get("format")
    results = choose(RESULTS, explicit=explicit, accept=accept)
    graph = choose(GRAPH_FORMATS, explicit=explicit, accept=accept)
    if results is None and graph is None:
        raise HTTPException(
            406,
            "no offered format fits the Accept header; results come as "
            + ", ".join(FORMATS[f].media_type for f in RESULTS)
            + " and graphs as "
            + ", ".join(FORMATS[f].media_type for f in GRAPH_FORMATS),
        )
    job = Job(
        query,
        solution_format=results.name if results else None,
        graph_format=graph.name if graph else None,
        default_graph=tuple(default_graphs) or None,
        named_graphs=tuple(named_graphs) or None,
        max_rows=served(request).settings.max_rows,
    )
    return await answer(request, job)


async def run_job(request: Request, job: Job) -> Answer:
    """Run a job in the pool; a time-out or a refused query becomes its HTTP error."""
    try:
        return await served(request).pool.run(job)
    except QueryTimeoutError as error:
        raise HTTPException(503, error.message, headers={"Retry-After": "1"}) from None
    except QueryFailedError as error:
        raise HTTPException(error.status, error.message) from None


def respond(result: Answer, headers: dict[str, str] | None = None) -> Response:
    """Stream an answer from its spool file, flagged when the row cap cut it."""
    flags = {
        "X-Result-Rows": str(result.rows),
        "X-Result-Truncated": "true" if result.truncated else "false",
        "Vary": "Accept",
        **(headers or {}),
    }
    return spooled(result.path, FORMATS[result.format].content_type, flags)


async def answer(request: Request, job: Job) -> Response:
    return respond(await run_job(request, job))


async def _read(request: Request) -> tuple[str | None, str | None, list[str], list[str]]:
    """The query or update and the dataset, from wherever the protocol allows them."""
    params = request.query_params
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    if request.method == "GET":
        if "update" in params:
            raise HTTPException(405, "updates must be POSTed", headers={"Allow": "POST"})
        return params.get("query"), None, default_graphs, named_graphs
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == FORM:
        form = await request.form()
        default_graphs += [str(v) for v in form.getlist("default-graph-uri")]
        named_graphs += [str(v) for v in form.getlist("named-graph-uri")]
        query, update = form.get("query"), form.get("update")
        return (
            str(query) if query is not None else None,
            str(update) if update is not None else None,
            default_graphs,
            named_graphs,
        )
    body = (await request.body()).decode("utf-8", errors="strict")
    if media_type == QUERY:
        return body, None, default_graphs, named_graphs
    if media_type == UPDATE:
        return None, body, default_graphs, named_graphs
    raise HTTPException(415, f"POST a query as {FORM} or {QUERY} (got {media_type or 'none'})")
