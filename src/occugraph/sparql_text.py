"""What can be told of a SPARQL query from its text alone, before any parser sees it.

These checks give clear answers (a query that names its own dataset, a keyword that is
refused); they are not what keeps a query from the network, which is the workers'
sandbox (:mod:`occugraph.query.sandbox`).
"""

from __future__ import annotations

import re

# Comments, strings and IRIs can say a keyword harmlessly: blank them before looking.
# A backslash outside them escapes one character of a local name (ex:p\# and ex:p\' are
# names, not the start of a comment or a string); IRIs hold only what IRIREF allows.
# Strings are matched a run of plain characters at a time, not one alternation per
# character, which keeps an 8 MB literal to tens of ms instead of over a second.
HARMLESS = re.compile(
    r"\\.|#[^\n]*|'''.*?'''|\"\"\".*?\"\"\""
    r"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'|\"[^\"\\\n]*(?:\\.[^\"\\\n]*)*\""
    r"|<[^<>\"{}|^`\\\x00-\x20]*>",
    re.DOTALL,
)
# ?from, ex:from, from:x and _:from are not the keyword either.
_FROM = re.compile(r"(?<![?$:@.\w-])FROM(?![\w:-])", re.IGNORECASE)


def names_dataset(query: str) -> bool:
    """Whether a query chooses its own dataset with ``FROM`` or ``FROM NAMED``.

    Oxigraph's union default graph would override it, so such a query runs without.

    >>> names_dataset("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    True
    >>> names_dataset('SELECT ?from WHERE { ?from <http://x/FROM> "FROM" } # FROM')
    False
    """
    return bool(_FROM.search(HARMLESS.sub(" ", query)))


# What is left once HARMLESS is blanked out is a keyword, even run into what follows:
# Oxigraph reads SERVICESILENT<...> and SERVICEex:{...} as SERVICE. Variables and prefixed
# names (?service, ex:service, _:b-service) are not the keyword.
_SERVICE = re.compile(r"(?<![?$:\w-])SERVICE", re.IGNORECASE)
_FETCHES = re.compile(r"(?<![?$:\w-])(LOAD|SERVICE)", re.IGNORECASE)


def calls_service(query: str) -> bool:
    """Whether a query asks for a SERVICE, which would make the store fetch other URLs.

    >>> calls_service("SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }")
    True
    >>> calls_service("SELECT ?service { ?service a <http://x/SERVICE> } # SERVICE")
    False
    >>> calls_service("SELECT * { BIND(<x:p>AS?p) ?s ex:p\\\\# ?o SERVICESILENT<http://h/>{} }")
    True
    """
    return bool(_SERVICE.search(HARMLESS.sub(" ", query)))


def fetches(update: str) -> bool:
    """Whether an update would fetch other URLs (LOAD, or a SERVICE in its WHERE).

    >>> fetches("LOAD <http://example.org/data.ttl>"), fetches("LOADSILENT<http://h/>")
    (True, True)
    >>> fetches('INSERT DATA { <x:s> <x:p> "LOAD" }')
    False
    """
    return bool(_FETCHES.search(HARMLESS.sub(" ", update)))
