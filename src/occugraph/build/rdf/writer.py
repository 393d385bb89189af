"""Statements of one named graph, written as N-Quads lines."""

from __future__ import annotations

import re

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from occugraph.vocabulary import A, Object, term

# How N-Quads escapes a string, as Oxigraph writes it (tests/test_rdf.py checks every
# character against its serialiser): named escapes, else \uXXXX for the other controls.
_ESCAPES = {code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}
_ESCAPES |= str.maketrans(
    {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
)
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(map(chr, _ESCAPES))) + "]")


def quoted(text: str) -> str:
    """A plain string literal as N-Quads writes it.

    >>> print(quoted('say "hi"\\n'))
    "say \\"hi\\"\\n"
    """
    if _NEEDS_ESCAPE.search(text):  # rarely: a search is cheaper than translating every string
        text = text.translate(_ESCAPES)
    return f'"{text}"'


class GraphWriter:
    """Writes the statements of one named graph as N-Quads lines, skipping empty values.

    A document's graph has a hundred statements or more: making a pyoxigraph term
    and quad for each and serialising them costs several times as much as writing
    the lines. Each IRI still goes through ``NamedNode`` (once per graph), so a
    malformed one is refused as before.
    """

    def __init__(self, graph: str) -> None:
        self._nodes: dict[str, str] = {}
        self._end = f" {self.node(graph)} .\n"
        self.lines: list[str] = []

    def node(self, iri: str) -> str:
        """An IRI as N-Quads writes it; the same one recurs many times in a graph."""
        found = self._nodes.get(iri)
        if found is None:
            found = self._nodes[iri] = str(NamedNode(iri))
        return found

    def add(self, subject: str | NamedNode, predicate: NamedNode, value: Object | None) -> None:
        if value is None or value == "":
            return
        obj = quoted(value) if type(value) is str else str(term(value))
        self.lines.append(f"{self._subject(subject)} {predicate} {obj}{self._end}")

    def link(self, subject: str | NamedNode, predicate: NamedNode, target: str | None) -> None:
        """An edge to a resource named by its IRI (a bare string would be a literal)."""
        if target:
            self.lines.append(
                f"{self._subject(subject)} {predicate} {self.node(target)}{self._end}"
            )

    def typed(self, subject: str, *classes: NamedNode) -> None:
        for cls in classes:
            self.add(subject, A, cls)

    def _subject(self, subject: str | NamedNode) -> str:
        return self.node(subject) if type(subject) is str else str(subject)

    def data(self) -> bytes:
        return "".join(self.lines).encode()

    def quads(self) -> list[Quad]:
        return list(parse(self.data(), format=RdfFormat.N_QUADS))
