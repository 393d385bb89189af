"""Running queries for the views: in the worker pool (or on the remote store), with saved
queries' parameters bound as terms, answers streamed back with their row flags.

A time-out or a refused query becomes its HTTP error here, once for every view.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

from pyoxigraph import NamedNode, QuerySolutions
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from occugraph.errors import OccugraphError
from occugraph.files import own_query
from occugraph.formats import FORMATS
from occugraph.query.saved import Bindings, SavedQuery
from occugraph.query.workers import (
    Answer,
    Job,
    QueryFailedError,
    QueryMemoryError,
    QueryTimeoutError,
    QueueFullError,
)
from occugraph.server.graph import KEPT_BINDINGS, served
from occugraph.server.http import spooled
from occugraph.vocabulary import Term

Row = dict[str, str]
"""One solution as plain text: ``{variable: value}``."""
MOST_LABELS = 5000
"""IRIs of one page whose labels are looked up; more are shown as IRIs."""


async def run_job(request: Request, job: Job) -> Answer:
    """Run a job in the pool, and stop it if the client goes away first (its worker's time
    is then someone else's); a time-out or a refused query becomes its HTTP error."""
    running = asyncio.ensure_future(served(request).pool.run(job))
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait([running, gone], return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
    if not running.done():
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError, OccugraphError):
            await running
        raise ClientDisconnect
    try:
        return running.result()
    except (QueryTimeoutError, QueryMemoryError, QueueFullError) as error:
        raise HTTPException(503, error.message, headers={"Retry-After": "1"}) from None
    except QueryFailedError as error:
        raise HTTPException(error.status, error.message) from None


async def _disconnected(request: Request) -> None:
    """Returns once the client has gone (what is left of the body is read and dropped)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def respond(result: Answer, headers: dict[str, str] | None = None) -> Response:
    """An answer, streamed from its spool file if it has one, flagged when the row cap
    cut it."""
    flags = {
        "X-Result-Rows": str(result.rows),
        "X-Result-Truncated": "true" if result.truncated else "false",
        "Vary": "Accept",
        **(headers or {}),
    }
    media_type = FORMATS[result.format].content_type
    if result.path is None:
        return Response(result.body, media_type=media_type, headers=flags)
    return spooled(result.path, media_type, flags)


async def answer(request: Request, job: Job) -> Response:
    return respond(await run_job(request, job))


def saved_query(request: Request, name: str) -> SavedQuery:
    """A saved query of the server's library (its own, and the ``--queries`` folders)."""
    return served(request).library.find(name)


def bind(request: Request, saved: SavedQuery, values: dict[str, str]) -> Bindings:
    """The values as typed terms, kept per build: an occupation given by its title
    is looked up with a scan of every occupation's labels, tens of ms on the
    1,016-occupation graph, during which the event loop waits. (Not in a thread: pyoxigraph
    results must be dropped on the thread that made them, and an error's traceback
    carries them to another.)"""
    graph = served(request)
    local = graph.build_id is not None  # a remote store may change unseen: nothing kept
    kept = graph.cache.bindings
    key = (saved.name, tuple(sorted(values.items())))
    if key in kept:
        return kept[key]
    try:
        bound = saved.bind(graph.lookup, values)
    except OccugraphError as error:
        raise HTTPException(400, error.message) from None
    if local:
        if len(kept) >= KEPT_BINDINGS:
            kept.clear()
        kept[key] = bound
    return bound


async def run_saved(request: Request, name: str, values: dict[str, str]) -> list[Row]:
    """The rows of one saved SELECT query, run in the pool with its parameters bound."""
    saved = saved_query(request, name)
    bound = bind(request, saved, values)
    return await run_select(
        request, saved.text, {variable.value: term for variable, term in bound.items()}
    )


async def run_select(request: Request, query: str, substitutions: dict[str, Term]) -> list[Row]:
    """The rows of a SELECT query run in the pool, as plain ``{variable: value}`` dicts."""
    job = Job(query, solution_format="json", graph_format=None, substitutions=substitutions)
    data = json.loads((await run_job(request, job)).read())
    return [
        {key: cell["value"] for key, cell in binding.items()}
        for binding in data["results"]["bindings"]
    ]


def graph_sizes(request: Request) -> list[tuple[str, int]]:
    """Statements per named graph, counted once per build, in the order of the graphs'
    IRIs (sorted here: see ``sparql/graph-sizes.rq``)."""
    graph = served(request)
    if graph.cache.graph_sizes is None:
        result = graph.lookup.query(own_query("graph-sizes"))
        assert isinstance(result, QuerySolutions)
        graph.cache.graph_sizes = sorted((row["g"].value, int(row["n"].value)) for row in result)
    return graph.cache.graph_sizes


async def labels(request: Request, iris: list[str]) -> dict[str, str]:
    """The label of each IRI that has one, in one query for all of them."""
    nodes = []
    for iri in dict.fromkeys(iris):
        try:
            nodes.append(str(NamedNode(iri)))  # written by pyoxigraph: only ever an IRI
        except ValueError:
            continue
        if len(nodes) >= MOST_LABELS:
            break
    if not nodes:
        return {}
    query = own_query("labels").replace(
        "WHERE {", "WHERE { VALUES ?iri { " + " ".join(nodes) + " }", 1
    )
    return {
        row["iri"]: row["name"] for row in await run_select(request, query, {}) if "name" in row
    }
