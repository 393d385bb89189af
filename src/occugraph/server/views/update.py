"""Writes: SPARQL 1.1 Update and the Graph Store HTTP Protocol, only with the update token.

A server started without a token answers every write with 403; with one, a write
without ``Authorization: Bearer <token>`` gets 401. An accepted write is applied
to a copy of the current build and swapped in atomically, like a build, so
readers see the store before or after it, never half of it. SPARQL updates run in a
writer process that cannot open network sockets, as queries run in workers that cannot.
(https://www.w3.org/TR/sparql11-update/, https://www.w3.org/TR/sparql11-http-rdf-update/)
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from occugraph.formats import GRAPHS, offered_as
from occugraph.query.serialize import serialize_triples
from occugraph.server.graph import ServedGraph, served
from occugraph.server.http import same_token
from occugraph.server.negotiate import choose
from occugraph.server.views.urls import absolute, absolute_here
from occugraph.sparql_text import fetches, too_deep
from occugraph.store.embedded import MANIFEST, current_build, next_build


def authorise(request: Request) -> ServedGraph:
    graph = served(request)
    expected = graph.settings.update_token
    if expected is None:
        raise HTTPException(
            403, "this server is read-only (start it with an update token to accept writes)"
        )
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not same_token(given, expected):
        raise HTTPException(
            401,
            "writes need 'Authorization: Bearer <update token>'",
            headers={"WWW-Authenticate": 'Bearer realm="occugraph"'},
        )
    return graph


def _write(graph: ServedGraph, change: Callable[[Store], None]) -> None:
    """Apply ``change(store)`` to a copy of the current build and swap it in."""
    _write_build(graph.local, change)


def _write_build(link: Path, change: Callable[[Store], None]) -> None:
    """The build made here keeps the manifest of the one it copies (the current build,
    which may be newer than the one this server last read): the next ``occugraph build``
    finds it does not name this build, and checks the store against it."""
    with next_build(link) as (store, build_dir):
        change(store)
        copied = current_build(link)
        if copied is not None and (copied / MANIFEST).exists():
            shutil.copy(copied / MANIFEST, build_dir / MANIFEST)


class FetchRefusedError(ValueError):
    """An update that would fetch other URLs (its message is said to the client)."""


class DeepUpdateError(ValueError):
    """An update nested deeper than the parser can take (its message is said to the client)."""


def _update(link: Path, update: str, base: str) -> None:
    """Runs in the server's writer process, which cannot open network sockets (and where
    scanning megabytes of update text does not stall the server's event loop)."""
    if (deep := too_deep(update, "update")) is not None:  # before the parser overflows
        raise DeepUpdateError(deep)
    if fetches(update):
        raise FetchRefusedError(
            "LOAD and SERVICE are not allowed: this endpoint makes no requests to other servers"
        )
    _write_build(link, lambda store: store.update(update, base_iri=base))


async def apply_update(request: Request, update: str) -> Response:
    graph = authorise(request)

    job = partial(_update, graph.local, update, absolute(request, "sparql"))
    try:
        try:
            done = graph.writer.submit(job)
        except BrokenProcessPool:  # the writer died since the last update: start another
            graph.writer_stopped()
            done = graph.writer.submit(job)
        await asyncio.wrap_future(done)
    except SyntaxError as error:
        raise HTTPException(400, f"update syntax error: {error}") from None
    except (FetchRefusedError, DeepUpdateError) as error:
        raise HTTPException(400, str(error)) from None
    except BrokenProcessPool:  # before RuntimeError, its base
        graph.writer_stopped()
        raise HTTPException(500, "the update process stopped unexpectedly") from None
    except (RuntimeError, OSError) as error:  # CLEAR GRAPH of no graph, a refused fetch
        raise HTTPException(400, f"update failed: {error}") from None
    return Response(status_code=204)


def _target(request: Request) -> NamedNode | DefaultGraph:
    params = request.query_params
    if "default" in params:
        return DefaultGraph()
    iri = params.get("graph")
    if not iri:
        raise HTTPException(400, "name the graph: ?graph=IRI or ?default")
    try:
        return NamedNode(iri)
    except ValueError as error:
        raise HTTPException(400, f"not an IRI: {iri!r} ({error})") from None


async def graph_store(request: Request) -> Response:
    target = _target(request)
    if request.method in ("GET", "HEAD"):
        return _read_graph(request, target)
    if request.method not in ("PUT", "POST", "DELETE"):
        raise HTTPException(
            405,
            "the graph store takes GET, PUT, POST and DELETE",
            headers={"Allow": "GET, HEAD, PUT, POST, DELETE"},
        )
    graph = authorise(request)
    if request.method == "DELETE":
        if isinstance(target, NamedNode) and not graph.store.contains_named_graph(target):
            raise HTTPException(404, f"no graph <{target.value}>")
        await run_in_threadpool(_write, graph, lambda store: _clear(store, target))
        return Response(status_code=204)
    media_type = request.headers.get("content-type", "").split(";")[0].strip()
    try:
        rdf_format = RdfFormat.from_media_type(media_type)
    except ValueError:
        rdf_format = None
    if rdf_format is None:
        raise HTTPException(415, f"send RDF (e.g. text/turtle), not {media_type or 'nothing'}")
    body = await request.body()
    try:
        triples = list(parse(body, format=rdf_format, base_iri=absolute_here(request)))
    except SyntaxError as error:
        raise HTTPException(400, f"cannot parse the {media_type} body: {error}") from None
    created = isinstance(target, NamedNode) and not graph.store.contains_named_graph(target)
    replace = request.method == "PUT"

    def change(store: Store) -> None:
        if replace:
            _clear(store, target)
        store.extend(Quad(t.subject, t.predicate, t.object, target) for t in triples)

    await run_in_threadpool(_write, graph, change)
    return Response(status_code=201 if created else 204)


def _clear(store: Store, target: NamedNode | DefaultGraph) -> None:
    if isinstance(target, DefaultGraph):
        store.clear_graph(target)
    elif store.contains_named_graph(target):
        store.remove_graph(target)


def _read_graph(request: Request, target: NamedNode | DefaultGraph) -> Response:
    graph = served(request)
    if isinstance(target, NamedNode) and not graph.store.contains_named_graph(target):
        raise HTTPException(404, f"no graph <{target.value}>")
    fmt = choose(
        GRAPHS,
        explicit=request.query_params.get("format"),
        accept=request.headers.get("accept"),
    )
    if fmt is None:
        raise HTTPException(
            406,
            "graphs are served as " + offered_as(GRAPHS),
        )
    triples = (quad.triple for quad in graph.store.quads_for_pattern(None, None, None, target))
    return Response(
        serialize_triples(triples, fmt.name),
        media_type=fmt.content_type,
        headers={"Vary": "Accept"},
    )
