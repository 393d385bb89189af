"""The server's own resources: its health, the vocabulary (a page, Turtle or JSON-LD), the
JSON-LD context and the icon."""

from __future__ import annotations

from functools import cache

from pyoxigraph import RdfFormat, parse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response

from occugraph import files
from occugraph.formats import FORMATS, offered_as
from occugraph.query.serialize import serialize_triples
from occugraph.server.graph import served
from occugraph.server.http import TEMPLATES
from occugraph.server.negotiate import choose
from occugraph.server.pages.ontology_doc import ontology_document, with_header
from occugraph.store.remote import RemoteStoreError


async def health(request: Request) -> Response:
    """Cheap enough to poll: the build's triples are counted once, and a remote store is
    asked ``ASK {}`` (off the event loop), not counted. A server whose queue of waiting
    queries is full answers 503, so a load balancer sends its clients elsewhere."""
    graph = served(request)
    load = graph.pool.load()
    queries = {
        "workers": load.workers,
        "busy": load.busy,
        "waiting": load.waiting,
        "max_waiting": load.max_waiting,
        "saturated": load.saturated,
    }
    status = 503 if load.saturated else 200
    if graph.remote is None:
        cache = graph.cache
        if cache.triples is None:
            cache.triples = len(graph.lookup)
        body: dict[str, object] = {"ok": not load.saturated, "build": graph.build_id}
        body |= {"triples": cache.triples, "queries": queries}
        return JSONResponse(body, status_code=status)
    try:
        await run_in_threadpool(graph.remote.holds_anything)
    except RemoteStoreError:  # its message names the store's URL, which clients are not told
        return JSONResponse({"ok": False, "error": "the store does not answer"}, status_code=503)
    body = {"ok": not load.saturated, "build": None, "triples": None, "queries": queries}
    return JSONResponse(body, status_code=status)


async def ontology(request: Request) -> Response:
    """A person gets pyLODE's documentation with the site's header; a program the Turtle
    file (or JSON-LD, converted once per process)."""
    offered = ["turtle", "html", "jsonld"]  # a client that takes anything gets the file
    fmt = choose(
        offered,
        explicit=request.query_params.get("format"),
        accept=request.headers.get("accept"),
    )
    if fmt is None:
        raise HTTPException(406, "the ontology is served as " + offered_as(offered))
    headers = {"Vary": "Accept", "Link": _ONTOLOGY_LINKS}
    if fmt.name == "turtle":
        return FileResponse(files.ONTOLOGY, media_type=fmt.content_type, headers=headers)
    if fmt.name == "jsonld":
        return Response(_ontology_jsonld(), media_type=fmt.content_type, headers=headers)
    document = await run_in_threadpool(ontology_document)
    header = TEMPLATES.get_template("_header.html").render(request=request, standalone=True)
    return HTMLResponse(with_header(document, header), headers=headers)


_ONTOLOGY_LINKS = (
    '</ontology?format=turtle>; rel="alternate"; type="text/turtle", '
    '</ontology?format=jsonld>; rel="alternate"; type="application/ld+json"'
)


@cache
def _ontology_jsonld() -> str:
    with files.ONTOLOGY.open("rb") as handle:
        triples = list(parse(handle, format=RdfFormat.TURTLE))
    return serialize_triples(triples, "jsonld")


async def favicon(request: Request) -> Response:
    return FileResponse(
        files.STATIC / "favicon.svg",
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


async def context(request: Request) -> Response:
    return FileResponse(files.CONTEXT, media_type=FORMATS["jsonld"].media_type)
