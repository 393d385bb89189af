"""``occugraph serve``: the ASGI app (Starlette) over the current build of the store.

One ``ServedGraph`` follows the store link: when a build swaps the link, the next
request gets a new worker pool on the new build, and ETags (the build id) change.
Errors are ``HTTPException``s rendered once, as JSON or HTML, like Datasette's.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Store
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from occugraph.errors import OccugraphError
from occugraph.store import current_build
from occugraph.workers import QueryPool

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Settings:
    workers: int = 2
    time_limit: float = 10.0
    max_rows: int = 10_000
    update_token: str | None = None


class ServedGraph:
    """The build being served, its worker pool and a read-only handle for quick lookups."""

    def __init__(self, link: Path, settings: Settings) -> None:
        self.link = link
        self.settings = settings
        self.build: Path | None = None
        self._pool: QueryPool | None = None
        self._store: Store | None = None
        self.cache: dict[str, object] = {}

    def _follow(self) -> Path:
        build = current_build(self.link)
        if build is None:
            raise HTTPException(503, f"no build at {self.link}: run 'occugraph build' first")
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
    def pool(self) -> QueryPool:
        self._follow()
        assert self._pool is not None
        return self._pool

    @property
    def store(self) -> Store:
        self._follow()
        assert self._store is not None
        return self._store

    @property
    def build_id(self) -> str:
        return self._follow().name

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()


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
    return await http_error(request, HTTPException(400, str(exc)))


async def health(request: Request) -> Response:
    graph = served(request)
    return JSONResponse({"ok": True, "build": graph.build_id, "triples": len(graph.store)})


async def ontology(request: Request) -> Response:
    from occugraph.negotiate import choose

    fmt = choose(
        ["turtle"],
        explicit=request.query_params.get("format"),
        accept=request.headers.get("accept"),
    )
    if fmt is None:
        raise HTTPException(406, "the ontology is served as text/turtle")
    return FileResponse(ONTOLOGY_DIR / "occugraph.ttl", media_type=fmt.content_type)


async def context(request: Request) -> Response:
    return FileResponse(ONTOLOGY_DIR / "context.jsonld", media_type="application/ld+json")


def create_app(store: Path, settings: Settings | None = None) -> Starlette:
    """The app over the store at ``store`` (the link ``occugraph build`` maintains)."""
    from occugraph.views import home, queries, resources, sparql, update

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
            )
        ],
        exception_handlers={HTTPException: http_error, OccugraphError: occugraph_error},
        lifespan=lifespan,
    )
    app.state.graph = graph
    return app


def same_token(given: str | None, expected: str | None) -> bool:
    return bool(given and expected and secrets.compare_digest(given, expected))
