"""Saved queries over HTTP: ``/queries`` lists them, ``/queries/{name}`` runs one.

Parameters come from the query string and are bound exactly as on the command
line (typed RDF terms through substitutions). ``.json``, ``.csv``, ``.tsv``,
``.ttl``, ``.jsonld`` and ``.nt`` suffixes pick the format, as in Datasette.
"""

from __future__ import annotations

import json
import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from occugraph.errors import OccugraphError
from occugraph.formats import FORMATS, GRAPHS, RESULTS, by_suffix
from occugraph.query.saved import SavedQuery
from occugraph.query.workers import Job
from occugraph.server.answers import bind, labels, respond, run_job, saved_query
from occugraph.server.cache import keep_answer
from occugraph.server.graph import served
from occugraph.server.http import TEMPLATES
from occugraph.server.negotiate import choose, page_or_json
from occugraph.server.views.urls import absolute


def _describe(saved: SavedQuery, request: Request) -> dict[str, object]:
    return {
        "name": saved.name,
        "title": saved.title,
        "description": saved.description,
        "params": {name: p.model_dump() for name, p in saved.params.items()},
        "url": absolute(request, "query", name=saved.name),
    }


async def index(request: Request) -> Response:
    found = served(request).library.all()
    fmt = page_or_json(request, "saved query lists")
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
        saved = saved_query(request, name)
    except OccugraphError:
        raise HTTPException(404, f"no saved query named {name!r}") from None
    explicit = suffix or request.query_params.get("format")
    if suffix and by_suffix(suffix) is None:
        raise HTTPException(404, f"unknown format suffix .{suffix}")
    fmt = choose(
        ("html", *RESULTS, *GRAPHS), explicit=explicit, accept=request.headers.get("accept")
    )
    if fmt is None:
        raise HTTPException(406, "no offered format fits the request")
    # A form's empty field means "not given", so optional parameters keep their default.
    values = {k: v for k, v in request.query_params.items() if k != "format" and v != ""}
    html = fmt.name == "html"
    if html and not _complete(saved, values):
        return _page(request, saved, values, None, None)
    try:
        bound = bind(request, saved, values)
    except HTTPException as error:
        if not html or error.status_code != 400:
            raise
        return _page(request, saved, values, None, None, error=str(error.detail))
    job = Job(
        saved.text,
        solution_format="json" if html else _or_none(fmt.name, RESULTS),
        graph_format="turtle" if html else _or_none(fmt.name, GRAPHS),
        substitutions={v.value: term for v, term in bound.items()},
        max_rows=served(request).settings.max_rows,
    )
    result = await run_job(request, job)
    keep_answer(request)
    if not html:
        return respond(result)
    return await _results_page(request, saved, values, result.form, result.read().decode())


async def _results_page(
    request: Request, saved: SavedQuery, values: dict[str, str], form: str | None, body: str
) -> Response:
    """The page with its answer, each IRI in a table named by its label."""
    table = json.loads(body) if form in ("solutions", "boolean") else None
    named: dict[str, str] = {}
    if table is not None and "results" in table:
        iris = [
            cell["value"]
            for row in table["results"]["bindings"]
            for cell in row.values()
            if cell.get("type") == "uri"
        ]
        named = await labels(request, iris)
    return _page(request, saved, values, form, body, table=table, labels=named)


def _offered(form: str | None) -> tuple[str, ...]:
    """The formats a page links to: those its query's answers come in, once that is known."""
    return GRAPHS if form == "graph" else RESULTS if form else (*RESULTS, *GRAPHS)


def _or_none(name: str, group: tuple[str, ...]) -> str | None:
    return name if name in group else None


def _complete(saved: SavedQuery, values: dict[str, str]) -> bool:
    return all(
        name in values or p.default is not None or not p.required
        for name, p in saved.params.items()
    )


_NAMED = re.compile(r"parameter '([^']+)'")


def _page(
    request: Request,
    saved: SavedQuery,
    values: dict[str, str],
    form: str | None,
    body: str | None,
    *,
    table: dict[str, object] | None = None,
    labels: dict[str, str] | None = None,
    error: str | None = None,
) -> Response:
    """The query's form with the values given, and its answer, or the error beside the
    parameter it names (the whole form kept, answered 400)."""
    field = _NAMED.search(error) if error else None
    named = field[1] if field and field[1] in saved.params else None
    return TEMPLATES.TemplateResponse(
        request,
        "query.html",
        {
            "query": saved,
            "values": values,
            "form": form,
            "table": table,
            "labels": labels or {},
            "graph": body if form == "graph" else None,
            "formats": [(FORMATS[f].suffix, f) for f in _offered(form)],
            "errors": {named: error} if named and error else {},
            "error": error if error and not named else None,
        },
        status_code=400 if error else 200,
    )
