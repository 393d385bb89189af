"""``occugraph serve``: the ASGI app (Starlette) over the current build of the store.

One ``ServedGraph`` follows the store link: when a build swaps the link, the next
request gets a new worker pool on the new build, and ETags (the build id) change.
Errors are ``HTTPException``s rendered once, as JSON or HTML, like Datasette's.
Hostile clients meet limits before the app: request bodies over ``max_body`` bytes get
413 without being kept, and uvicorn's HTTP/1.1 protocol gets a deadline for each
request's head, so connections that send nothing, or a byte at a time, are closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import Store
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from occugraph import files
from occugraph.errors import OccugraphError
from occugraph.query.remote import RemotePool
from occugraph.query.sandbox import sandboxed_executor
from occugraph.query.saved import Queryable
from occugraph.query.workers import QueryPool
from occugraph.store.embedded import StoreBusyError, StoreFullError, current_build
from occugraph.store.remote import RemoteStore, RemoteStoreError

TEMPLATES = Jinja2Templates(directory=str(files.TEMPLATES))
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Settings:
    workers: int = 2
    time_limit: float = 10.0
    max_rows: int = 10_000
    update_token: str | None = None
    max_body: int = 16 * 1024 * 1024


class ServedGraph:
    """The build being served, its worker pool and a read-only handle for quick lookups.

    Or a remote store: queries and lookups go to it over the SPARQL Protocol, and writes
    are answered 501 (the store's own server takes them).
    """

    def __init__(self, store: Path | RemoteStore, settings: Settings) -> None:
        self.link = store if isinstance(store, Path) else None
        self.remote = store if isinstance(store, RemoteStore) else None
        self._remote_pool = (
            RemotePool(store, size=settings.workers, time_limit=settings.time_limit)
            if isinstance(store, RemoteStore)
            else None
        )
        self.settings = settings
        self.build: Path | None = None
        self._pool: QueryPool | None = None
        self._store: Store | None = None
        self._writer: ProcessPoolExecutor | None = None
        self.cache: dict[str, object] = {}

    def _follow(self) -> Path:
        link = self.local
        build = current_build(link)
        if build is None:
            raise HTTPException(503, f"no build at {link}: run 'occugraph build' first")
        if build != self.build:
            if self._pool is not None:
                self._pool.close()
            self.build = build
            self._pool = QueryPool(
                build / "oxigraph", size=self.settings.workers, time_limit=self.settings.time_limit
            )
            self._store = Store.read_only(str(build / "oxigraph"))
            self.cache = {}
        return build

    @property
    def local(self) -> Path:
        """The embedded store's link; a remote store is not this server's to write."""
        if self.link is None:
            raise HTTPException(
                501, "this server reads a remote store: read and write its graphs there"
            )
        return self.link

    @property
    def pool(self) -> QueryPool | RemotePool:
        if self._remote_pool is not None:
            return self._remote_pool
        self._follow()
        assert self._pool is not None
        return self._pool

    @property
    def store(self) -> Store:
        self._follow()
        assert self._store is not None
        return self._store

    @property
    def lookup(self) -> Queryable:
        """Where quick lookups go: the read-only handle, or the remote store."""
        return self.remote if self.remote is not None else self.store

    @property
    def build_id(self) -> str | None:
        """The build served; None for a remote store, whose changes this server cannot see."""
        return None if self.remote is not None else self._follow().name

    @property
    def modified(self) -> datetime | None:
        if self.remote is not None:
            return None
        return datetime.fromtimestamp(self._follow().stat().st_mtime, UTC)

    @property
    def writer(self) -> ProcessPoolExecutor:
        """The sandboxed process that applies SPARQL updates, started on the first one."""
        if self._writer is None:
            self._writer = sandboxed_executor()
        return self._writer

    def writer_stopped(self) -> None:
        """Forget a writer process that died; the next update starts another."""
        if self._writer is not None:
            self._writer.shutdown(wait=False, cancel_futures=True)
            self._writer = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        if self._remote_pool is not None:
            self._remote_pool.close()
        if self.remote is not None:
            self.remote.close()
        if self._writer is not None:
            self._writer.shutdown(wait=True, cancel_futures=True)


def served(request: Request) -> ServedGraph:
    graph: ServedGraph = request.app.state.graph
    return graph


def spooled(path: str, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """Stream an answer from its spool file in chunks, deleting the file once sent."""

    async def chunks() -> AsyncIterator[bytes]:
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(CHUNK):
                    yield chunk
        finally:
            Path(path).unlink(missing_ok=True)

    return StreamingResponse(chunks(), media_type=media_type, headers=headers)


def wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in request.url.path


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    body = {"ok": False, "status": exc.status_code, "error": exc.detail}
    headers = dict(exc.headers or {})
    if wants_html(request):
        return TEMPLATES.TemplateResponse(
            request, "error.html", {"error": body}, status_code=exc.status_code, headers=headers
        )
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


async def occugraph_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, StoreBusyError):
        return await http_error(request, HTTPException(503, str(exc), {"Retry-After": "1"}))
    if isinstance(exc, StoreFullError):
        return await http_error(request, HTTPException(507, str(exc)))
    return await http_error(request, HTTPException(400, str(exc)))


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413: at once when Content-Length
    says so, else as soon as the streamed body passes the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = HTTPException(
            413, f"the request body is larger than this server takes ({self.limit} bytes)"
        )
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if length.isdigit() and int(length) > self.limit:
            body = {"ok": False, "status": 413, "error": too_large.detail}
            await JSONResponse(body, status_code=413)(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise too_large
            return message

        await self.app(scope, limited, send)


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
    from occugraph.server.negotiate import choose

    fmt = choose(
        ["turtle"],
        explicit=request.query_params.get("format"),
        accept=request.headers.get("accept"),
    )
    if fmt is None:
        raise HTTPException(406, "the ontology is served as text/turtle")
    return FileResponse(files.ONTOLOGY, media_type=fmt.content_type)


async def context(request: Request) -> Response:
    return FileResponse(files.CONTEXT, media_type="application/ld+json")


def create_app(store: Path | RemoteStore, settings: Settings | None = None) -> Starlette:
    """The app over the store at ``store`` (the link ``occugraph build`` maintains), or
    over a remote SPARQL store."""
    from occugraph.server.views import home, queries, resources, sparql, update

    graph = ServedGraph(store, settings or Settings())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        graph.close()

    routes = [
        Route("/", home.home, name="home"),
        Route("/health", health, name="health"),
        Route(
            "/sparql",
            sparql.endpoint,
            methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
            name="sparql",
        ),
        Route(
            "/graph-store",
            update.graph_store,
            methods=["GET", "HEAD", "PUT", "POST", "DELETE"],
            name="graph-store",
        ),
        Route("/queries", queries.index, name="queries"),
        Route("/queries.json", queries.index, name="queries-json"),
        Route("/queries/{name:str}", queries.run, name="query"),
        Route("/ontology", ontology, name="ontology"),
        Route("/context.jsonld", context, name="context"),
        Route("/{path:path}", resources.resource, name="resource"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["*"],
                expose_headers=["X-Result-Rows", "X-Result-Truncated", "ETag"],
            ),
            Middleware(BodyLimit, limit=graph.settings.max_body),
        ],
        exception_handlers={HTTPException: http_error, OccugraphError: occugraph_error},
        lifespan=lifespan,
    )
    app.state.graph = graph
    return app


def same_token(given: str | None, expected: str | None) -> bool:
    """Compared as bytes: ``compare_digest`` refuses non-ASCII text, and a header holds
    any bytes (Starlette decodes them as Latin-1, so a UTF-8 token arrives that way).

    >>> same_token("s3cret", "s3cret"), same_token("\xff\xfe", "s3cret"), same_token("", "")
    (True, False, False)
    >>> same_token("caf\xc3\xa9", "caf\xe9"), same_token("\u20ac", "x")
    (True, False)
    """
    return bool(given and expected and secrets.compare_digest(_raw(given), expected.encode()))


def _raw(header: str) -> bytes:
    try:
        return header.encode("latin-1")
    except UnicodeEncodeError:
        return header.encode()


_TOO_SLOW_BODY = json.dumps(
    {"ok": False, "status": 408, "error": "the request's headers came too slowly"}
).encode()
TOO_SLOW = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
    + f"content-length: {len(_TOO_SLOW_BODY)}\r\n\r\n".encode()
    + _TOO_SLOW_BODY
)


def guarded_http(head_timeout: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with a deadline of ``head_timeout`` seconds for a request's
    head, counted from the connection or from the previous answer. uvicorn alone keeps a
    connection that has sent nothing, or sends its headers a byte at a time, forever."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.arm()

        def arm(self) -> None:
            self.disarm()
            self.head_timer = self.loop.call_later(head_timeout, self.too_slow)

        def disarm(self) -> None:
            if self.head_timer is not None:
                self.head_timer.cancel()
                self.head_timer = None

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not None and not self.cycle.response_complete:
                self.disarm()  # a request arrived: the app's own time limits apply

        def on_response_complete(self) -> None:
            if not self.transport.is_closing():
                self.arm()
            super().on_response_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self.disarm()
            super().connection_lost(exc)

        def too_slow(self) -> None:
            self.head_timer = None
            if self.transport.is_closing():
                return
            if self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:
                self.transport.write(TOO_SLOW)  # h11 sends nothing before a request's head
            self.transport.close()

    return GuardedH11Protocol
