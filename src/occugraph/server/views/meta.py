"""The server's own resources: its health, the vocabulary and the JSON-LD context."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from occugraph import files
from occugraph.formats import FORMATS, offered_as
from occugraph.server.graph import served
from occugraph.server.negotiate import choose
from occugraph.store.remote import RemoteStoreError


async def health(request: Request) -> Response:
    """Cheap enough to poll: a remote store is asked ``ASK {}`` (off the event loop), not
    counted, since counting a store of any size is not a health check."""
    graph = served(request)
    if graph.remote is None:
        return JSONResponse({"ok": True, "build": graph.build_id, "triples": len(graph.lookup)})
    try:
        await run_in_threadpool(graph.remote.holds_anything)
    except RemoteStoreError:  # its message names the store's URL, which clients are not told
        return JSONResponse({"ok": False, "error": "the store does not answer"}, status_code=503)
    return JSONResponse({"ok": True, "build": None, "triples": None})


async def ontology(request: Request) -> Response:
    fmt = choose(
        ["turtle"],
        explicit=request.query_params.get("format"),
        accept=request.headers.get("accept"),
    )
    if fmt is None:
        raise HTTPException(406, "the ontology is served as " + offered_as(["turtle"]))
    return FileResponse(files.ONTOLOGY, media_type=fmt.content_type)


async def context(request: Request) -> Response:
    return FileResponse(files.CONTEXT, media_type=FORMATS["jsonld"].media_type)
