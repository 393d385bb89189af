"""Content negotiation: which format a request gets.

The order of precedence follows Datasette and linked-data servers: an explicit
``?format=``, then a path suffix (``.ttl``), then the ``Accept`` header with its
q-values (RFC 9110 §12.5.1, parsed by python-mimeparse). ``None`` means nothing
offered fits, which the server answers with 406.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import mimeparse


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("json", "xml", "turtle", "triples", "quads", "trig")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", "text/html", "html", ("application/xhtml+xml",)),
        Format("turtle", "text/turtle", "ttl", ("application/x-turtle",)),
        Format("jsonld", "application/ld+json", "jsonld"),
        Format("ntriples", "application/n-triples", "nt"),
        Format("rdfxml", "application/rdf+xml", "rdf"),
        Format("nquads", "application/n-quads", "nq"),
        Format("trig", "application/trig", "trig"),
        Format("json", "application/sparql-results+json", "json", ("application/json",)),
        Format("xml", "application/sparql-results+xml", "srx", ("application/xml",)),
        Format("csv", "text/csv", "csv"),
        Format("tsv", "text/tab-separated-values", "tsv"),
    )
}

RDF = ("turtle", "jsonld", "ntriples", "rdfxml")
RESULTS = ("json", "xml", "csv", "tsv")


def by_suffix(suffix: str) -> Format | None:
    return next((f for f in FORMATS.values() if f.suffix == suffix), None)


def choose(
    offered: Sequence[str], *, explicit: str | None = None, accept: str | None = None
) -> Format | None:
    """The format to answer in, from format names ``offered`` in order of preference.

    >>> choose(["html", "turtle"], accept="text/turtle;q=0.9, text/html;q=0.5").name
    'turtle'
    >>> choose(["html", "turtle"], explicit="ttl").name
    'turtle'
    >>> choose(["turtle"], accept="image/png") is None
    True
    """
    if explicit:
        wanted = FORMATS.get(explicit) or by_suffix(explicit) or _by_media_type(explicit)
        return wanted if wanted and wanted.name in offered else None
    if not accept or not accept.strip():
        return FORMATS[offered[0]]
    # mimeparse breaks ties in favour of the last candidate: list the preferred last.
    candidates: list[tuple[str, Format]] = []
    for name in reversed(offered):
        fmt = FORMATS[name]
        candidates += [(alias, fmt) for alias in fmt.aliases]
        candidates.append((fmt.media_type, fmt))
    try:
        best = mimeparse.best_match([media for media, _ in candidates], accept)
    except (ValueError, IndexError):
        return FORMATS[offered[0]]
    return next((fmt for media, fmt in candidates if media == best), None) if best else None


def _by_media_type(media_type: str) -> Format | None:
    base = media_type.split(";")[0].strip().lower()
    return next((f for f in FORMATS.values() if base in (f.media_type, *f.aliases)), None)
