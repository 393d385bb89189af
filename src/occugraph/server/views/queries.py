"""Saved queries over HTTP: ``/queries`` lists them, ``/queries/{name}`` runs one.

Parameters come from the query string and are bound exactly as on the command
line (typed RDF terms through substitutions). ``.json``, ``.csv``, ``.tsv``,
``.ttl``, ``.jsonld`` and ``.nt`` suffixes pick the format, as in Datasette.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import cast

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from occugraph.errors import OccugraphError
from occugraph.query.saved import QUERIES_DIR, Bindings, SavedQuery, find, saved_queries
from occugraph.query.workers import Job
from occugraph.server.app import TEMPLATES, served
from occugraph.server.negotiate import FORMATS, RDF, RESULTS, by_suffix, choose
from occugraph.server.views.sparql import respond, run_job

KEPT_BINDINGS = 4096
"""Bound parameter sets kept per build (forgotten all at once when full)."""


def saved_query(name: str) -> SavedQuery:
    """``find(name)``, read again only when its file changes: reading and checking a saved
    query costs about 2 ms, more than running a small one."""
    try:
        stamp = (QUERIES_DIR / f"{name}.rq").stat().st_mtime_ns
    except (OSError, ValueError):  # ValueError: a NUL in the name
        stamp = None  # find() says what is wrong
    return _found(name, stamp)


@lru_cache(maxsize=128)
def _found(name: str, stamp: int | None) -> SavedQuery:
    return find(name)


def bind(request: Request, saved: SavedQuery, values: dict[str, str]) -> Bindings:
    """The values as typed terms, kept per build: an occupation given by its code or title
    is looked up with a scan of every occupation's labels, tens of ms on the
    1,016-occupation graph, during which the event loop waits. (Not in a thread: pyoxigraph
    results must be dropped on the thread that made them, and an error's traceback
    carries them to another.)"""
    graph = served(request)
    local = graph.build_id is not None  # a remote store may change unseen: nothing kept
    kept = cast(dict[object, Bindings], graph.cache.setdefault("bindings", {}))
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


def _describe(saved: SavedQuery, request: Request) -> dict[str, object]:
    return {
        "name": saved.name,
        "title": saved.title,
        "description": saved.description,
        "params": {name: p.model_dump() for name, p in saved.params.items()},
        "url": str(request.url_for("query", name=saved.name)),
    }


async def index(request: Request) -> Response:
    found = saved_queries()
    fmt = choose(
        ["html", "json"],
        explicit="json"
        if request.url.path.endswith(".json")
        else request.query_params.get("format"),
        accept=request.headers.get("accept"),
    )
    if fmt is None:
        raise HTTPException(406, "saved queries are listed as text/html or application/json")
    if fmt.name == "json":
        return JSONResponse([_describe(q, request) for q in found.values()])
    return TEMPLATES.TemplateResponse(
        request,
        "queries.html",
        {"queries": found.values()},
        headers={"Link": '</queries.json>; rel="alternate"; type="application/json"'},
    )


async def run(request: Request) -> Response:
    name, _, suffix = request.path_params["name"].partition(".")
    try:
        saved = saved_query(name)
    except OccugraphError:
        raise HTTPException(404, f"no saved query named {name!r}") from None
    explicit = suffix or request.query_params.get("format")
    if suffix and by_suffix(suffix) is None:
        raise HTTPException(404, f"unknown format suffix .{suffix}")
    fmt = choose(("html", *RESULTS, *RDF), explicit=explicit, accept=request.headers.get("accept"))
    if fmt is None:
        raise HTTPException(406, "no offered format fits the request")
    # A form's empty field means "not given", so optional parameters keep their default.
    values = {k: v for k, v in request.query_params.items() if k != "format" and v != ""}
    html = fmt.name == "html"
    if html and not _complete(saved, values):
        return _page(request, saved, values, None, None)
    bound = bind(request, saved, values)
    job = Job(
        saved.text,
        solution_format="json" if html else _or_none(fmt.name, RESULTS),
        graph_format="turtle" if html else _or_none(fmt.name, RDF),
        substitutions={v.value: term for v, term in bound.items()},
        max_rows=served(request).settings.max_rows,
    )
    result = await run_job(request, job)
    if not html:
        return respond(result)
    return _page(request, saved, values, result.form, result.read().decode())


def _offered(form: str | None) -> tuple[str, ...]:
    """The formats a page links to: those its query's answers come in, once that is known."""
    return RDF if form == "graph" else RESULTS if form else (*RESULTS, *RDF)


def _or_none(name: str, group: tuple[str, ...]) -> str | None:
    return name if name in group else None


def _complete(saved: SavedQuery, values: dict[str, str]) -> bool:
    return all(
        name in values or p.default is not None or not p.required
        for name, p in saved.params.items()
    )


def _page(
    request: Request, saved: SavedQuery, values: dict[str, str], form: str | None, body: str | None
) -> Response:
    table = json.loads(body) if body and form in ("solutions", "boolean") else None
    return TEMPLATES.TemplateResponse(
        request,
        "query.html",
        {
            "query": saved,
            "values": values,
            "form": form,
            "table": table,
            "graph": body if form == "graph" else None,
            "formats": [(FORMATS[f].suffix, f) for f in _offered(form)],
        },
    )
