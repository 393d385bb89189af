"""The search box's index: occupations by title and O*NET-SOC code, NOC unit groups by
title and code, and the job titles sources list, each leading to a page.

Built once per build from the rows of ``sparql/search-index.rq`` and kept by the server;
a search is then a scan of some thousands of folded strings in memory (well under a
millisecond a keystroke on graph.org.ai's whole corpus), with no query to the store.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

from anyascii import anyascii

from occugraph.server.pages.resource import href

Row = dict[str, str]

KINDS = ("occupation", "job title", "NOC unit group")
"""The order hits of equal quality come in."""


@dataclass(frozen=True)
class Entry:
    """One thing the search finds, and the page it leads to."""

    label: str
    kind: str
    code: str
    iri: str
    href: str | None
    leads_to: str
    """The title of the page a job title leads to, when that is not the job title itself."""
    folded: str
    """Label and code, folded: what the words of a search are looked for in."""
    folded_label: str
    folded_code: str


def fold(text: str) -> str:
    """
    >>> fold("  Maîtres d'hôtel, AND   hosts ")
    'maitres d hotel and hosts'
    """
    return " ".join(re.sub(r"[^a-z0-9.-]+", " ", anyascii(text).lower()).split())


class SearchIndex:
    """Search over the entries of one build."""

    def __init__(self, rows: list[Row]) -> None:
        seen: set[tuple[str, str, str]] = set()
        entries: list[Entry] = []
        for row in rows:
            key = (row["kind"], row["label"], row["target"])
            if key in seen or row["kind"] not in KINDS:
                continue
            seen.add(key)
            code = row.get("code", "")
            label, folded_code = fold(row["label"]), fold(code)
            entries.append(
                Entry(
                    label=row["label"],
                    kind=row["kind"],
                    code=code,
                    iri=row["target"],
                    href=href(row["target"]),
                    leads_to=row.get("targetLabel", "") if row["kind"] == "job title" else "",
                    folded=f"{label} {folded_code}",
                    folded_label=label,
                    folded_code=folded_code,
                )
            )
        entries.sort(key=lambda e: (KINDS.index(e.kind), e.label.lower()))
        self.entries = entries

    def occupations(self) -> list[Entry]:
        """Every occupation, by title."""
        return [e for e in self.entries if e.kind == "occupation"]

    def search(self, text: str, limit: int = 10) -> list[Entry]:
        """The entries holding every word of ``text``, best first: a code or title that is
        the text, then those that start with it, then those with a word that does.

        >>> index = SearchIndex([
        ...     {"kind": "occupation", "label": "Electricians", "code": "47-2111.00",
        ...      "target": "https://graph.org.ai/occupations/Electricians"},
        ...     {"kind": "occupation", "label": "Electrical Engineers", "code": "17-2071.00",
        ...      "target": "https://graph.org.ai/occupations/ElectricalEngineers"},
        ...     {"kind": "job title", "label": "master electrician",
        ...      "target": "https://graph.org.ai/occupations/Electricians",
        ...      "targetLabel": "Electricians"},
        ... ])
        >>> [e.label for e in index.search("electrician")]
        ['Electricians', 'master electrician']
        >>> [e.label for e in index.search("47-2111")]
        ['Electricians']
        >>> index.search("   ")
        []
        """
        words = fold(text).split()
        if not words:
            return []
        whole = " ".join(words)
        first, rest = words[0], words[1:]
        found = (e for e in self.entries if first in e.folded and all(w in e.folded for w in rest))
        best = heapq.nsmallest(
            limit,
            found,
            key=lambda e: (_quality(e, whole), KINDS.index(e.kind), len(e.label)),
        )
        return best


def _quality(entry: Entry, whole: str) -> int:
    label, code = entry.folded_label, entry.folded_code
    if label == whole or code == whole:
        return 0
    if label.startswith(whole) or (code and code.startswith(whole)):
        return 1
    if f" {whole}" in f" {entry.folded}":
        return 2
    return 3
