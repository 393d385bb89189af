"""``occugraph serve``: the ASGI app (Starlette) over the current build of the store.

The app is a list of routes to the views, the middleware every request meets first
(CORS, the body limit) and one error handler for each kind of error; what the views
share lives below them (``http``, ``graph``, ``answers``), so no view imports the app.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from occugraph import files
from occugraph.errors import OccugraphError
from occugraph.server.cache import AnswerCache
from occugraph.server.graph import ServedGraph
from occugraph.server.http import BodyLimit, client_gone, http_error, occugraph_error
from occugraph.server.views import (
    home,
    meta,
    queries,
    resources,
    search,
    sources,
    sparql,
    update,
)
from occugraph.settings import Settings
from occugraph.store.remote import RemoteStore


def create_app(store: Path | RemoteStore, settings: Settings | None = None) -> Starlette:
    """The app over the store at ``store`` (the link ``occugraph build`` maintains), or
    over a remote SPARQL store."""
    graph = ServedGraph(store, settings or Settings())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        graph.close()

    routes = [
        Route("/", home.home, name="home"),
        Route("/health", meta.health, name="health"),
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
        Route("/search", search.search, name="search"),
        Route("/search.json", search.search, name="search-json"),
        Route("/occupations", search.occupations, name="occupations"),
        Route("/favicon.ico", meta.favicon, name="favicon"),
        Mount("/static", StaticFiles(directory=str(files.STATIC)), name="static"),
        Route("/sources/{hash:str}/text", sources.source_text, name="source-text"),
        Route("/ontology", meta.ontology, name="ontology"),
        Route("/context.jsonld", meta.context, name="context"),
        Route("/{path:path}", resources.resource, name="resource"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(AnswerCache, graph=graph),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["*"],
                expose_headers=["X-Result-Rows", "X-Result-Truncated", "ETag"],
            ),
            Middleware(BodyLimit, limit=graph.settings.max_body),
        ],
        exception_handlers={
            HTTPException: http_error,
            OccugraphError: occugraph_error,
            ClientDisconnect: client_gone,
        },
        lifespan=lifespan,
    )
    app.state.graph = graph
    return app
