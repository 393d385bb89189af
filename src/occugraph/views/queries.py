"""Saved queries over HTTP: ``/queries`` lists them, ``/queries/{name}`` runs one.

Parameters come from the query string and are bound exactly as on the command
line (typed RDF terms through substitutions). ``.json``, ``.csv``, ``.tsv``,
``.ttl``, ``.jsonld`` and ``.nt`` suffixes pick the format, as in Datasette.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from occugraph.errors import OccugraphError
from occugraph.negotiate import FORMATS, RDF, RESULTS, by_suffix, choose
from occugraph.queries import SavedQuery, find, saved_queries
from occugraph.server import TEMPLATES, served
from occugraph.views.sparql import respond, run_job
from occugraph.workers import Job


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
        saved = find(name)
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
    try:
        bound = saved.bind(served(request).store, values)
    except OccugraphError as error:
        raise HTTPException(400, error.message) from None
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
    spool = Path(result.path)
    try:
        body = spool.read_text()
    finally:
        spool.unlink(missing_ok=True)
    return _page(request, saved, values, result.form, body)


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
            "formats": [(FORMATS[f].suffix, f) for f in (*RESULTS, *RDF)],
        },
    )
