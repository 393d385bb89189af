"""A SPARQL 1.1 store at a URL: what the remote build and the remote server say to it.

Graphs go in over the Graph Store HTTP Protocol (one PUT replaces one whole graph,
atomically, in one request) and SPARQL Update (a diff of the links graph, dropped
graphs); queries go over the SPARQL 1.1 Protocol. Where each endpoint is follows the
store's layout: Oxigraph's server answers at ``URL/query``, ``URL/update`` and
``URL/store``; Virtuoso answers queries at ``URL/sparql`` and takes writes, with HTTP
Digest credentials, at ``URL/sparql-auth`` and ``URL/sparql-graph-crud-auth``. The
credentials come from the URL (``http://user:password@host:8890``, then kept out of every
message) or from ``$OCCUGRAPH_STORE_USER`` and ``$OCCUGRAPH_STORE_PASSWORD``.

The embedded store binds saved-query parameters with ``substitutions``; a remote store
gets them as a ``VALUES`` block at the start of the query's WHERE clause, written from
pyoxigraph terms, so a value can only ever be a value there too. The default graph is
the union of the named graphs, as in the embedded store, by the layout's own switch.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from typing import Literal as Choice

import httpx2
from pydantic import BaseModel, ConfigDict, Field
from pyoxigraph import (
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    Variable,
    parse_query_results,
)

from occugraph.errors import OccugraphError
from occugraph.files import own_query
from occugraph.formats import FORMATS
from occugraph.sparql_text import HARMLESS
from occugraph.vocabulary import Term

RESULTS_JSON = FORMATS["json"].media_type
N_TRIPLES = FORMATS["ntriples"].media_type


class Layout(BaseModel):
    """Where a kind of store keeps its endpoints, and how it is asked for what we need."""

    model_config = ConfigDict(frozen=True)

    query: str = Field(description="The SPARQL query endpoint, relative to the store's URL.")
    update: str = Field(description="The SPARQL Update endpoint.")
    store: str = Field(description="The Graph Store HTTP Protocol endpoint.")
    union: dict[str, str] = Field(
        description="Query parameters that make the default graph the union of the named graphs."
    )
    timeout: str | None = Field(
        None, description="The query parameter that takes a time limit, if any."
    )
    timeout_unit: float = Field(
        1.0, description="What the time limit parameter counts, in seconds (0.001: ms)."
    )
    cut_short: tuple[str, str] | None = Field(
        None,
        description="The header, and its value, by which the store says an answer stopped "
        "at the time limit is partial (Virtuoso answers 200 with what it found by then).",
    )
    digest: bool = Field(
        False, description="Whether writes need HTTP Digest credentials (queries never do)."
    )
    graphs_query: str = Field(
        "graphs-under", description="Which of our own queries lists the named graphs."
    )
    virtuoso_json: bool = Field(
        False,
        description="Whether SPARQL JSON answers need Virtuoso's writing undone: blank "
        "nodes labelled ``nodeID://b1``, booleans written 1 and 0, and an ASK answered as "
        "a solution of one variable, ``__ASK_RETVAL``.",
    )

    def conform(self, json: bytes) -> bytes:
        """A SPARQL JSON answer (or lines of one) written as SPARQL 1.1 says.

        A quote inside a JSON string is escaped, so these patterns only ever match the
        members of a term's own object, never a value's text:

        >>> LAYOUTS["virtuoso"].conform(b'{"type": "bnode", "value": "nodeID://b1"}')
        b'{"type": "bnode", "value": "b1"}'
        >>> LAYOUTS["virtuoso"].conform(b'"datatype": "' + BOOLEAN + b'", "value": "0" }')
        b'"datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "false" }'
        """
        if not self.virtuoso_json:
            return json
        json = _VIRTUOSO_BNODE.sub(rb"\1", json)
        return _DIGIT_BOOLEAN.sub(lambda found: found[1] + _BOOLEANS[found[2]], json)

    def time_limit(self, seconds: float) -> dict[str, str]:
        """The query parameter that passes ``seconds`` on, in the store's unit.

        >>> LAYOUTS["virtuoso"].time_limit(2.5)
        {'timeout': '2500'}
        """
        if self.timeout is None:
            return {}
        return {self.timeout: f"{round(seconds / self.timeout_unit, 3):g}"}

    def cut_short_in(self, headers: Mapping[str, str]) -> bool:
        """Whether an answer's headers say it stopped at a time limit, with part of the
        solutions (Virtuoso's "anytime" answers)."""
        return self.cut_short is not None and (
            headers.get(self.cut_short[0], "").strip() == self.cut_short[1]
        )


LAYOUTS: dict[str, Layout] = {
    "oxigraph": Layout(
        query="query", update="update", store="store", union={"union-default-graph": ""}
    ),
    # Virtuoso's default graph is the union of every graph its query user may read, so
    # nothing is asked; its own graphs are hidden by the set-up the README gives.
    "virtuoso": Layout(
        query="sparql",
        update="sparql-auth",
        store="sparql-graph-crud-auth",
        union={},
        timeout="timeout",
        timeout_unit=0.001,
        cut_short=("X-SQL-State", "S1TAT"),
        digest=True,
        virtuoso_json=True,
        graphs_query="graphs-under-stated",
    ),
}

BOOLEAN = b"http://www.w3.org/2001/XMLSchema#boolean"
_VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
_DIGIT_BOOLEAN = re.compile(
    rb'("datatype"\s*:\s*"' + re.escape(BOOLEAN) + rb'"\s*,\s*"value"\s*:\s*")([01])"'
)
_BOOLEANS = {b"0": b'false"', b"1": b'true"'}
ASK_VARIABLE = "__ASK_RETVAL"
_ANSWERS = {
    flag: parse_query_results(
        f'{{"head": {{}}, "boolean": {str(flag).lower()}}}'.encode(), QueryResultsFormat.JSON
    )
    for flag in (False, True)
}


def conformed(result: QuerySolutions | QueryBoolean) -> QuerySolutions | QueryBoolean:
    """An ASK's answer as a boolean where the store gave it as a solution of
    ``__ASK_RETVAL`` (Virtuoso 7.2: no solution, or 1, for true)."""
    if not isinstance(result, QuerySolutions) or [v.value for v in result.variables] != [
        ASK_VARIABLE
    ]:
        return result
    return _ANSWERS[any(row[0] is not None and row[0].value in ("1", "true") for row in result)]


USER_VARIABLE = "OCCUGRAPH_STORE_USER"
PASSWORD_VARIABLE = "OCCUGRAPH_STORE_PASSWORD"


class RemoteStoreError(OccugraphError):
    """The store could not be reached, or refused a request; the message names both."""


def is_url(store: str) -> bool:
    return store.startswith(("http://", "https://"))


class RemoteStore:
    """A SPARQL 1.1 store at ``url``: graphs written and queries answered over HTTP.

    ``query`` and ``len()`` mirror pyoxigraph's ``Store`` for the server's quick lookups;
    ``timeout`` bounds each request, in seconds.
    """

    def __init__(self, url: str, *, layout: str = "oxigraph", timeout: float = 60.0) -> None:
        if not is_url(url):
            raise OccugraphError(f"not a store URL: {url!r} (expected http:// or https://)")
        if layout not in LAYOUTS:
            raise OccugraphError(f"unknown store layout {layout!r} (known: {', '.join(LAYOUTS)})")
        self.url, self.auth = credentials(url.rstrip("/"))
        self.layout = LAYOUTS[layout]
        self.timeout = timeout
        self._client: httpx2.Client | None = None

    def endpoint(self, name: Choice["query", "update", "store"]) -> str:
        path: str = getattr(self.layout, name)
        return f"{self.url}/{path}"

    @property
    def key(self) -> str:
        """A short digest of the URL: names what is kept locally about this store."""
        return hashlib.sha256(self.url.encode()).hexdigest()[:16]

    @property
    def client(self) -> httpx2.Client:
        if self._client is None:
            self._client = httpx2.Client(timeout=self.timeout)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, what: str, request: httpx2.Request, *, write: bool = False) -> httpx2.Response:
        """Send a request; an unreachable store or an error status is one located line.
        A write carries the credentials where the layout needs them."""
        url = str(request.url.copy_with(query=None))
        auth = self.auth if write and self.layout.digest else None
        if auth is None and write and self.layout.digest:
            raise RemoteStoreError(
                f"{what}: {url} takes writes only with credentials: give them in the URL "
                f"(http://user:password@host...) or in ${USER_VARIABLE} and ${PASSWORD_VARIABLE}"
            )
        try:
            response = self.client.send(request, auth=auth)
        except httpx2.TransportError as error:
            raise RemoteStoreError(f"{what}: cannot reach {url} ({reason(error)})") from None
        if response.status_code >= 400:
            raise RemoteStoreError(f"{what}: {url} answered {status_line(response)}")
        return response

    def put(self, graph: str, data: bytes) -> None:
        """Replace one named graph with the N-Triples ``data``, in one request."""
        request = self.client.build_request(
            "PUT",
            self.endpoint("store"),
            params={"graph": graph},
            content=data,
            headers={"Content-Type": N_TRIPLES},
        )
        self._send(f"writing <{graph}>", request, write=True)

    def update(self, update: str) -> None:
        """Run one SPARQL Update request (the store applies it whole or not at all)."""
        request = self.client.build_request(
            "POST",
            self.endpoint("update"),
            content=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
        self._send("updating the store", request, write=True)

    def query(
        self,
        query: str,
        *,
        use_default_graph_as_union: bool = False,
        substitutions: Mapping[Variable, Term] | None = None,
    ) -> QuerySolutions | QueryBoolean:
        """A SELECT or ASK query's answer, with ``substitutions`` bound as values."""
        text = bind_values(query, {v.value: t for v, t in (substitutions or {}).items()})
        form = {"query": text, **(self.layout.union if use_default_graph_as_union else {})}
        request = self.client.build_request(
            "POST", self.endpoint("query"), data=form, headers={"Accept": RESULTS_JSON}
        )
        response = self._send("querying the store", request)
        if self.layout.cut_short_in(response.headers):
            raise RemoteStoreError(
                f"querying the store: {self.endpoint('query')} stopped at its time limit "
                "and answered in part"
            )
        try:
            return conformed(
                parse_query_results(self.layout.conform(response.content), QueryResultsFormat.JSON)
            )
        except SyntaxError as error:
            raise RemoteStoreError(f"{self.endpoint('query')} answered badly: {error}") from None

    def __len__(self) -> int:
        """Statements in all named graphs, as ``len(Store)`` counts them."""
        result = self.query(own_query("count-statements"))
        assert isinstance(result, QuerySolutions)
        return sum(int(row["n"].value) for row in result)

    def holds_anything(self) -> bool:
        """Whether the store answers ``ASK`` about any statement: a cheap sign of life."""
        return bool(self.query(own_query("holds-anything")))

    def holds(self, graph: str) -> bool:
        """Whether the named graph holds any statement."""
        result = self.query(
            own_query("graph-holds"), substitutions={Variable("g"): NamedNode(graph)}
        )
        return bool(result)

    def graphs(self, prefix: str) -> set[str]:
        """The named graphs whose IRI starts with ``prefix``."""
        result = self.query(
            own_query(self.layout.graphs_query),
            substitutions={Variable("prefix"): Literal(prefix)},
        )
        assert isinstance(result, QuerySolutions)
        return {row["g"].value for row in result}


def credentials(url: str) -> tuple[str, httpx2.DigestAuth | None]:
    """The URL without its ``user:password@``, and Digest credentials from it or from the
    environment.

    >>> credentials("http://dba:secret@127.0.0.1:8890")[0]
    'http://127.0.0.1:8890'
    """
    parsed = httpx2.URL(url)
    user, password = parsed.username, parsed.password
    if not user:
        user = os.environ.get(USER_VARIABLE, "")
        password = os.environ.get(PASSWORD_VARIABLE, "")
    bare = str(parsed.copy_with(username=None, password=None)).rstrip("/")
    return bare, httpx2.DigestAuth(user, password) if user else None


_FORM = re.compile(
    r"(?:\s|(?<![\w:-])(?:PREFIX\s+[\w.-]*:|BASE)(?![\w:-]))*(CONSTRUCT|DESCRIBE)?",
    re.IGNORECASE,
)


def accept(query: str) -> str:
    """The ``Accept`` header for a query's answer: N-Triples for a graph, else SPARQL JSON.

    Named for the form the query has, since a store may answer a graph in SPARQL JSON when
    asked for both (Virtuoso does), and no reader here would take that for a graph.

    >>> accept("PREFIX a: <http://a/> # SELECT\\nCONSTRUCT WHERE { ?s ?p ?o }")
    'application/n-triples'
    >>> accept("BASE <http://construct/> SELECT * { ?s ?p ?o }")
    'application/sparql-results+json'
    """
    blank = HARMLESS.sub(lambda found: " " * len(found[0]), query)
    found = _FORM.match(blank)
    return N_TRIPLES if found is not None and found[1] else RESULTS_JSON


def reason(error: httpx2.TransportError) -> str:
    return str(error) or type(error).__name__


def status_line(response: httpx2.Response) -> str:
    """``500 Internal Server Error: the first line of what the store said``."""
    said = response.text.strip().splitlines()
    return f"{response.status_code} {response.reason_phrase}" + (
        f": {said[0][:200]}" if said else ""
    )


# --- binding values ------------------------------------------------------------

_TOKEN = re.compile(r"(?<![?$:\w-])(?:CONSTRUCT|WHERE)(?![\w:-])|[{}()]", re.IGNORECASE)


def bind_values(query: str, values: Mapping[str, Term]) -> str:
    """``query`` with ``values`` bound by a VALUES block opening its WHERE clause.

    Like SEP-0007 substitutions, every pattern, FILTER and OPTIONAL of the WHERE clause
    sees the value. The block holds only pyoxigraph's own writing of each term (its
    N-Triples form), so no value can end the block or the query.

    >>> bind_values('SELECT ?s WHERE { ?s ?p ?o }', {"o": Literal('x" } DROP ALL {')})
    'SELECT ?s WHERE { VALUES (?o) { ("x\\\\" } DROP ALL {") } ?s ?p ?o }'
    >>> bind_values('CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }', {"s": NamedNode("http://x/")})
    'CONSTRUCT { ?s ?p ?o } { VALUES (?s) { (<http://x/>) } ?s ?p ?o }'
    """
    if not values:
        return query
    names = sorted(values)
    block = (
        f" VALUES ({' '.join(str(Variable(name)) for name in names)})"
        f" {{ ({' '.join(str(values[name]) for name in names)}) }}"
    )
    at = _where_clause(query)
    return query[:at] + block + query[at:]


def _where_clause(query: str) -> int:
    """Where the query's WHERE group opens (just after its ``{``): the first group at the
    top level, or the second one for a CONSTRUCT with a template."""
    blank = HARMLESS.sub(lambda found: " " * len(found[0]), query)
    depth, template, where = 0, False, False
    for token in _TOKEN.finditer(blank):
        word = token[0].upper()
        if word in ("(", "{"):
            if word == "{" and depth == 0:
                if not template or where:
                    return token.end()
                template = False  # that was the template: the next group is the pattern
            depth += 1
        elif word in (")", "}"):
            depth -= 1
        elif depth == 0:
            template = template or word == "CONSTRUCT"
            where = where or word == "WHERE"
    raise OccugraphError("the query has no WHERE clause to bind its parameters in")
