"""Every format occugraph reads or writes, in one table: its name, media type, suffix and
what it can hold.

pyoxigraph's ``RdfFormat`` and ``QueryResultsFormat`` already know a format's media type,
file extension and W3C format IRI (https://www.w3.org/ns/formats/); a row adds what is
occugraph's own: the short name users type (``--format turtle``, ``?format=jsonld``), the
URL suffix, the other media types ``Accept`` may name, and whether the format holds
query solutions, one graph or a dataset. Every reader of formats (content negotiation, the
SPARQL endpoint, the service description, exports, the command line) takes its list from
here, so a new RDF format is one row.

>>> FORMATS["turtle"].media_type, FORMATS["turtle"].suffix, FORMATS["json"].suffix
('text/turtle', 'ttl', 'json')
>>> GRAPHS, RESULTS
(('turtle', 'jsonld', 'ntriples', 'rdfxml'), ('json', 'xml', 'csv', 'tsv'))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pyoxigraph import QueryResultsFormat, RdfFormat

Holds = Literal["page", "solutions", "graph", "dataset"]


@dataclass(frozen=True)
class Format:
    name: str
    """What users type: ``--format turtle``, ``?format=turtle``."""
    label: str
    media_type: str
    suffix: str
    """The URL suffix that asks for it (``/queries/NAME.ttl``)."""
    holds: Holds
    """An HTML page, query solutions (SELECT, ASK), one graph, or named graphs."""
    aliases: tuple[str, ...] = ()
    """Other media types that mean this format in an ``Accept`` header."""
    rdf: RdfFormat | None = None
    results: QueryResultsFormat | None = None
    iri: str | None = None
    """The format's IRI in W3C's "Unique URIs for File Formats", for service descriptions."""
    exported: bool = True
    """Offered by ``occugraph export`` and ``occugraph describe`` (graph and dataset formats)."""

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` of an answer: text formats say their charset."""
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("json", "xml", "turtle", "triples", "quads", "trig")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


def _rdf(
    name: str,
    rdf: RdfFormat,
    holds: Holds,
    *,
    aliases: tuple[str, ...] = (),
    iri: str | None = None,
    exported: bool = True,
) -> Format:
    return Format(
        name,
        rdf.name,
        rdf.media_type,
        rdf.file_extension,
        holds,
        aliases,
        rdf=rdf,
        iri=iri or rdf.iri,
        exported=exported,
    )


def _results(
    name: str,
    results: QueryResultsFormat,
    *,
    suffix: str | None = None,
    aliases: tuple[str, ...] = (),
) -> Format:
    return Format(
        name,
        results.name,
        results.media_type.split(";")[0],
        suffix or results.file_extension,
        "solutions",
        aliases,
        results=results,
        iri=results.iri,
        exported=False,
    )


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", "HTML", "text/html", "html", "page", ("application/xhtml+xml",)),
        _rdf("turtle", RdfFormat.TURTLE, "graph", aliases=("application/x-turtle",)),
        # pyoxigraph names JSON-LD by https://www.w3.org/ns/formats/data/JSON-LD; the W3C
        # list of format IRIs, which service descriptions use, has this one.
        _rdf("jsonld", RdfFormat.JSON_LD, "graph", iri="http://www.w3.org/ns/formats/JSON-LD"),
        _rdf("ntriples", RdfFormat.N_TRIPLES, "graph"),
        _rdf("rdfxml", RdfFormat.RDF_XML, "graph", exported=False),
        _rdf("nquads", RdfFormat.N_QUADS, "dataset"),
        _rdf("trig", RdfFormat.TRIG, "dataset"),
        # The Datasette convention: /queries/NAME.json, not .srj.
        _results("json", QueryResultsFormat.JSON, suffix="json", aliases=("application/json",)),
        _results("xml", QueryResultsFormat.XML, aliases=("application/xml",)),
        _results("csv", QueryResultsFormat.CSV),
        _results("tsv", QueryResultsFormat.TSV),
    )
}


def _holding(*kinds: Holds, exported: bool | None = None) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in FORMATS.values()
        if f.holds in kinds and (exported is None or f.exported == exported)
    )


GRAPHS = _holding("graph")
"""Formats of one graph: CONSTRUCT and DESCRIBE answers, resource descriptions."""
RESULTS = _holding("solutions")
"""Formats of SELECT and ASK answers."""
EXPORTS = _holding("graph", "dataset", exported=True)
"""What ``occugraph export`` writes."""
DESCRIPTIONS = _holding("graph", exported=True)
"""What ``occugraph describe`` writes."""


def by_suffix(suffix: str) -> Format | None:
    return next((f for f in FORMATS.values() if f.suffix == suffix), None)


def by_media_type(media_type: str) -> Format | None:
    """The format a media type names (parameters such as ``charset`` ignored)."""
    base = media_type.split(";")[0].strip().lower()
    return next((f for f in FORMATS.values() if base in (f.media_type, *f.aliases)), None)


def offered_as(names: tuple[str, ...] | list[str]) -> str:
    """The media types of some formats, for a 406 that says what would be accepted."""
    return ", ".join(FORMATS[name].media_type for name in names)
