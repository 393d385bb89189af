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
HARMLESS = re.compile(
    r"\\.|#[^\n]*|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
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
