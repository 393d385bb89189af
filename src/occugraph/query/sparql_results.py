"""Writers for the W3C SPARQL 1.1 query result formats, with a cap on rows.

pyoxigraph serializes a whole result; a public endpoint needs to stop at a row
limit and say so, so these write solutions one by one to a binary stream:
JSON (https://www.w3.org/TR/sparql11-results-json/), XML
(https://www.w3.org/TR/rdf-sparql-XMLres/), CSV and TSV
(https://www.w3.org/TR/sparql11-results-csv-tsv/).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import BinaryIO, Protocol
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

Term = NamedNode | BlankNode | Literal | Triple
Row = Sequence[Term | None]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class _Writer(Protocol):
    def row(self, row: Row) -> None: ...
    def end(self) -> None: ...


def write_solutions(
    variables: Sequence[str],
    rows: Iterable[Row],
    format: str,
    out: BinaryIO,
    *,
    max_rows: int | None = None,
) -> tuple[int, bool]:
    """Write up to ``max_rows`` solutions; returns the rows written and whether more existed."""
    writer = _WRITERS[format](variables, out)
    count, truncated = 0, False
    for row in rows:
        if max_rows is not None and count >= max_rows:
            truncated = True
            break
        writer.row(row)
        count += 1
    writer.end()
    return count, truncated


def write_boolean(value: bool, format: str, out: BinaryIO) -> None:
    if format == "json":
        out.write(json.dumps({"head": {}, "boolean": value}).encode())
    elif format == "xml":
        out.write(
            b'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            b"<head/><boolean>" + (b"true" if value else b"false") + b"</boolean></sparql>\n"
        )
    else:
        out.write(b"true\n" if value else b"false\n")


class _JsonWriter:
    def __init__(self, variables: Sequence[str], out: BinaryIO) -> None:
        self.variables, self.out, self.first = variables, out, True
        self.keys = [_string(name) + ": " for name in variables]
        out.write(
            b'{"head":{"vars":'
            + json.dumps(list(variables)).encode()
            + b'},"results":{"bindings":['
        )

    def row(self, row: Row) -> None:
        # Written as text, not built as dicts for json.dumps: the same bytes, in half the
        # time, which is most of a small query's time in its worker.
        binding = ", ".join(
            key + _json_term_text(term)
            for key, term in zip(self.keys, row, strict=True)
            if term is not None
        )
        self.out.write(f"{'' if self.first else ','}{{{binding}}}".encode())
        self.first = False

    def end(self) -> None:
        self.out.write(b"]}}\n")


_string = json.encoder.encode_basestring_ascii  # what json.dumps does to a str


def _json_term_text(term: Term) -> str:
    """``json.dumps(_json_term(term))``, without the dict, for the common terms."""
    if isinstance(term, NamedNode):
        return f'{{"type": "uri", "value": {_string(term.value)}}}'
    if isinstance(term, Literal):
        value = _string(term.value)
        if term.language:
            return f'{{"type": "literal", "value": {value}, "xml:lang": {_string(term.language)}}}'
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return f'{{"type": "literal", "value": {value}}}'
        return f'{{"type": "literal", "value": {value}, "datatype": {_string(datatype)}}}'
    return json.dumps(_json_term(term))


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        found: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            found["datatype"] = term.datatype.value
        return found
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


class _XmlWriter:
    def __init__(self, variables: Sequence[str], out: BinaryIO) -> None:
        self.variables, self.out = variables, out
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        out.write(
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>".encode()
        )

    def row(self, row: Row) -> None:
        cells = "".join(
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(self.variables, row, strict=True)
            if term is not None
        )
        self.out.write(f"<result>{cells}</result>\n".encode())

    def end(self) -> None:
        self.out.write(b"</results></sparql>\n")


def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
        f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}</object>"
        "</triple>"
    )


class _CsvWriter:
    """CSV keeps values only: no datatypes, no language tags (as the spec says)."""

    def __init__(self, variables: Sequence[str], out: BinaryIO) -> None:
        self.out = out
        out.write((",".join(_csv_field(v) for v in variables) + "\r\n").encode())

    def row(self, row: Row) -> None:
        fields = ("" if term is None else _csv_field(_plain(term)) for term in row)
        self.out.write((",".join(fields) + "\r\n").encode())

    def end(self) -> None:
        pass


def _plain(term: Term) -> str:
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Triple):
        return str(term)
    return term.value


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


class _TsvWriter:
    """TSV keeps terms in their N-Triples/Turtle form."""

    def __init__(self, variables: Sequence[str], out: BinaryIO) -> None:
        self.out = out
        out.write(("\t".join(f"?{v}" for v in variables) + "\n").encode())

    def row(self, row: Row) -> None:
        fields = ("" if term is None else _tsv_term(term) for term in row)
        self.out.write(("\t".join(fields) + "\n").encode())

    def end(self) -> None:
        pass


def _tsv_term(term: Term) -> str:
    text = str(term)
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


_WRITERS: dict[str, Callable[[Sequence[str], BinaryIO], _Writer]] = {
    "json": _JsonWriter,
    "xml": _XmlWriter,
    "csv": _CsvWriter,
    "tsv": _TsvWriter,
}
