"""Query results as text: a table for people, the SPARQL result formats for programs.

SELECT and ASK results use the W3C SPARQL 1.1 result formats (JSON, CSV, TSV);
CONSTRUCT and DESCRIBE results use the RDF formats of ``serialize``.
"""

from __future__ import annotations

import io

from pyoxigraph import QueryBoolean, QuerySolutions
from rich.console import Console
from rich.table import Table

from occugraph.errors import OccugraphError
from occugraph.formats import FORMATS, GRAPHS, RESULTS
from occugraph.query.saved import QueryResult
from occugraph.query.serialize import serialize_triples
from occugraph.terminal import cell

ALL_FORMATS = ("table", *RESULTS, *GRAPHS)


def render(result: QueryResult, format: str, *, width: int = 200) -> str:
    if isinstance(result, QuerySolutions | QueryBoolean):
        if format == "table":
            return _table(result, width)
        results = FORMATS[format].results if format in RESULTS else None
        if results is not None:
            return (result.serialize(format=results) or b"").decode()
        raise OccugraphError(
            f"--format {format} is for CONSTRUCT and DESCRIBE queries; "
            f"use one of table, {', '.join(RESULTS)}"
        )
    triples = list(result)
    if format == "table":
        format = "turtle"
    if format not in GRAPHS:
        raise OccugraphError(
            f"--format {format} is for SELECT and ASK queries; use one of {', '.join(GRAPHS)}"
        )
    return serialize_triples(triples, format)


def _table(result: QuerySolutions | QueryBoolean, width: int) -> str:
    if isinstance(result, QueryBoolean):
        return "yes\n" if bool(result) else "no\n"
    table = Table(*(variable.value for variable in result.variables))
    rows = 0
    for row in result:
        table.add_row(*(cell("" if term is None else term.value) for term in row))
        rows += 1
    table.caption = f"{rows} row{'s' if rows != 1 else ''}"
    buffer = io.StringIO()
    Console(file=buffer, width=width, force_terminal=False).print(table)
    return buffer.getvalue()
