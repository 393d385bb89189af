"""What HTML pages show: a resource's triples turned into labelled, linked rows.

Everything here is data for templates, which escape it (Jinja autoescape). Links are only
made to ``http(s)`` IRIs, so an IRI in the data such as ``javascript:...`` stays text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from occugraph.formats import FORMATS, GRAPHS
from occugraph.ids import BASE
from occugraph.server.pages.labels import term_label
from occugraph.vocabulary import LABEL, OCC, PREFIXES

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

Shown = dict[str, str | None]
Property = tuple[str, str, str | None]
"""A property as a page shows it: its label, its IRI (on hover) and its page."""


def href(iri: str) -> str | None:
    """Minted IRIs link to this server's copy; other web IRIs stay as they are; the rest
    (``urn:``, ``mailto:``, ``javascript:``) are not links.

    >>> href("https://graph.org.ai/levels/Proficient")
    '/levels/Proficient'
    >>> href("javascript:alert(1)") is None
    True
    """
    if iri.startswith(BASE):
        return "/" + iri.removeprefix(BASE)
    return iri if iri.startswith(("http://", "https://")) else None


def curie(iri: str) -> str:
    """
    >>> curie("https://graph.org.ai/ontology#hasTask")
    'occ:hasTask'
    """
    for prefix, namespace in PREFIXES.items():
        if prefix != "go" and iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def alternates() -> list[tuple[str, str]]:
    """The RDF formats a resource page links to: (label, format name)."""
    return [(FORMATS[name].label, name) for name in GRAPHS]


def link_header(path: str) -> str:
    """The ``Link`` header naming a page's other formats (RFC 8288).

    >>> link_header("/levels/Proficient").split(", ")[0]
    '</levels/Proficient?format=turtle>; rel="alternate"; type="text/turtle"'
    """
    return ", ".join(
        f'<{path}?format={name}>; rel="alternate"; type="{FORMATS[name].media_type}"'
        for name in GRAPHS
    )


def is_source(node: NamedNode, triples: Iterable[Triple]) -> bool:
    kind = NamedNode(OCC + "SourceDocument")
    return any(
        t.subject == node and t.predicate.value == _RDF_TYPE and t.object == kind for t in triples
    )


def resource_page(node: NamedNode, triples: Iterable[Triple]) -> dict[str, object]:
    triples = list(triples)
    labels = {
        t.subject.value: t.object.value
        for t in triples
        if t.predicate == LABEL
        and isinstance(t.object, Literal)
        and isinstance(t.subject, NamedNode | BlankNode)
    }

    def show(term: object) -> Shown:
        if isinstance(term, NamedNode):
            return {
                "text": labels.get(term.value) or curie(term.value),
                "href": href(term.value),
                "iri": term.value,
                "note": None,
            }
        if isinstance(term, BlankNode):
            return {"text": f"_:{term.value}", "href": None, "iri": None, "note": None}
        assert isinstance(term, Literal)
        note = f"@{term.language}" if term.language else None
        if note is None and not term.datatype.value.endswith("#string"):
            note = curie(term.datatype.value)
        return {"text": term.value, "href": None, "iri": None, "note": note}

    outgoing: dict[Property, list[Shown]] = defaultdict(list)
    incoming: dict[Property, list[Shown]] = defaultdict(list)
    types = []
    for t in triples:
        if t.subject == node:
            if t.predicate.value == _RDF_TYPE:
                types.append(show(t.object))
            outgoing[prop(t.predicate.value)].append(show(t.object))
        elif t.object == node:
            incoming[prop(t.predicate.value)].append(show(t.subject))
    return {
        "iri": node.value,
        "title": labels.get(node.value) or node.value.rsplit("/", 1)[-1],
        "types": types,
        "outgoing": _sorted(outgoing),
        "incoming": _sorted(incoming),
        "alternates": alternates(),
    }


def prop(iri: str) -> Property:
    """
    >>> prop("https://graph.org.ai/ontology#hasTask")
    ('has task', 'https://graph.org.ai/ontology#hasTask', '/ontology#hasTask')
    """
    return term_label(iri), iri, href(iri)


def _sorted(by_predicate: dict[Property, list[Shown]]) -> list[tuple[Property, list[Shown]]]:
    """Predicates in order, each value once, in order of its text."""
    return sorted(
        (
            predicate,
            sorted(
                {(v["text"], v["href"]): v for v in values}.values(),
                key=lambda v: (v["text"] or "").lower(),
            ),
        )
        for predicate, values in by_predicate.items()
    )


def source_contributions(
    things: list[dict[str, str]], statements: list[dict[str, str]]
) -> dict[str, object]:
    """What a source document put in the graph, from the rows of ``sparql/source-things.rq``
    and ``sparql/source-statements.rq``."""
    about: dict[str, dict[str, object]] = {}
    for row in statements:
        subject = about.setdefault(
            row["subject"],
            {
                "text": row.get("subjectLabel") or row["subject"],
                "href": href(row["subject"]),
                "properties": {},
            },
        )
        properties: dict[str, list[Shown]] = subject["properties"]  # type: ignore[assignment]
        name = term_label(row["property"])
        value = row["value"]
        linkable = value.startswith(("http://", "https://"))
        properties.setdefault(name, []).append(
            {
                "text": row.get("valueLabel") or value,
                "href": href(value) if linkable else None,
                "iri": value if linkable else None,
                "note": None,
            }
        )
    return {
        "things": [
            {
                "type": row.get("typeLabel") or curie(row["type"]),
                "href": href(row["type"]),
                "count": row["things"],
            }
            for row in things
        ],
        "about": [
            {**subject, "properties": sorted(subject["properties"].items())}  # type: ignore[attr-defined]
            for subject in about.values()
        ],
    }


def document_title(rows: list[dict[str, str]], fallback: str) -> str:
    """A source document's own title, from the row of ``sparql/source-title.rq``.

    >>> document_title([{"statedTitle": "Electricians", "firstHeading": "Intro"}], "a.txt")
    'Electricians'
    >>> document_title([], "a.txt")
    'a.txt'
    """
    row = rows[0] if rows else {}
    return row.get("title") or row.get("statedTitle") or row.get("firstHeading") or fallback


def original_text_path(node: NamedNode) -> str:
    """Where a source document's original text is offered.

    >>> original_text_path(NamedNode("https://graph.org.ai/sources/01da692a19083f1c"))
    '/sources/01da692a19083f1c/text'
    """
    return "/" + node.value.removeprefix(BASE) + "/text"
