"""What can be told of a SPARQL query from its text alone, before any parser sees it.

These checks give clear answers (a query that names its own dataset, a keyword that is
refused); they are not what keeps a query from the network, which is the workers'
sandbox (:mod:`occugraph.query.sandbox`).
"""

from __future__ import annotations

import functools
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


_CHANCE = re.compile(r"(?<![?$:\w-])(RAND|NOW|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def answers_alike(query: str) -> bool:
    """Whether a query gives the same answer every time on the same data: it calls none
    of the functions whose value changes from one run to the next (RAND, NOW, UUID,
    STRUUID, BNODE). Such an answer may be kept and sent again.

    >>> answers_alike("SELECT ?s { ?s ?p ?o } LIMIT 5"), answers_alike("SELECT (NOW() AS ?t) {}")
    (True, False)
    >>> answers_alike('SELECT ?now { ?s <x:rand> "RAND()" } # UUID()')
    True
    """
    return not _CHANCE.search(HARMLESS.sub(" ", query))


_LIMIT = re.compile(r"(?<![?$:\w-])LIMIT\s+(\d+)", re.IGNORECASE)


def outer_limit(query: str) -> int | None:
    """The ``LIMIT`` of the query itself (not of a subquery), if it has one: no answer
    can hold more solutions.

    >>> outer_limit("SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 50 OFFSET 10")
    50
    >>> outer_limit("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 5 } }") is None
    True
    >>> outer_limit('SELECT * { ?s ?p "} LIMIT 3" }') is None
    True
    """
    text = HARMLESS.sub(" ", query)
    found = None
    for match in _LIMIT.finditer(text):
        before = text[: match.start()]
        if before.count("{") == before.count("}") and "{" in before:
            found = int(match[1])
    return found


def fetches(update: str) -> bool:
    """Whether an update would fetch other URLs (LOAD, or a SERVICE in its WHERE).

    >>> fetches("LOAD <http://example.org/data.ttl>"), fetches("LOADSILENT<http://h/>")
    (True, True)
    >>> fetches('INSERT DATA { <x:s> <x:p> "LOAD" }')
    False
    """
    return bool(_FETCHES.search(HARMLESS.sub(" ", update)))


# --- How deep a text nests --------------------------------------------------------------

NESTING_LIMIT = 128
"""The deepest a query or update may nest brackets (``(``, ``{``, ``[`` and ``<<``) before
it is refused unparsed.

Oxigraph's SPARQL parser descends recursively with no limit of its own: each level takes
native stack, and past the 8 MB main-thread stack of a query worker (or of the process that
runs updates) the process dies of SIGSEGV, taking the request with it. Bisected in fresh
processes on pyoxigraph 0.5.13 (x86-64, ``ulimit -s`` 8192), a query crashes its parser at
817 nested ``SUM(`` in a projection, 834 ``FILTER EXISTS {`` (``NOT EXISTS`` alike), 953
``STR(``/``IF(`` calls or ``LANGMATCHES(LANG(`` (954 brackets), 2,188 ``UNION`` groups, 2,189
``{}`` groups (updates' ``WHERE`` alike), 2,537 nested subqueries (5,075 brackets), 2,922
``GRAPH``/``MINUS`` groups, 3,439 ``[`` property lists, 4,668 ``(`` in ``FILTER`` or ``BIND``,
8,294 ``<<`` quoted triples and 13,760 ``(`` in a property path. 128 is six times shallower
than the shallowest of these, and many times deeper than real queries nest (occugraph's own
nest at most 8 deep, the W3C protocol tests' queries 2). Other SPARQL parsers that bound
their depth chose 128 as well (spargebra's fork in sparq, Fluree).
"""
QUICK_SPAN = 128 * 1024
"""Characters of a text a quick check reads: at most some 40 ms of the event loop however
the text is made (3 ms for nested brackets), where reading 15 MB whole takes 0.3 to 5 s."""
_COUNTED_RUNS = 100_000
"""Runs of brackets beyond which a refusal says "more than the limit" instead of counting
the depth (counting takes a Python step a run)."""

# What hides brackets from the parser, as Oxigraph reads it: strings (a backslash escapes
# the next character), comments to the end of the line (\r ends one too), a backslash
# escape outside them (ex:p\( is a name), and IRIs, which may hold \u escapes and, as
# Wikipedia's do, balanced parentheses. Oxigraph reads an IRIREF it cannot parse as an IRI
# again as a comparison (FILTER(?o<:f((((...>?o) descends through the brackets in it), so
# an IRIREF whose brackets are anything else (an odd one) is not skipped: it counts as its
# opening brackets, the deepest it can be read either way, and a closing bracket inside a
# valid IRI cannot hide an opening one outside it. A quote that starts no string is one
# character. Every alternative starts with its own character, so the regex engine skips
# the text between them (and runs of brackets) at C speed.
_IRI_CHAR = r"[^<>\"{}|^`\\\x00-\x20()\[\]]"
_IRI_ESCAPE = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRI_INNER = rf"[(\[](?:{_IRI_CHAR}++|{_IRI_ESCAPE})*+[)\]]"
_IRI_GROUP = rf"[(\[](?:{_IRI_CHAR}++|{_IRI_ESCAPE}|{_IRI_INNER})*+[)\]]"
_IRI = rf"<(?:{_IRI_CHAR}++|{_IRI_ESCAPE}|{_IRI_GROUP})*+>"
_ODD_IRI = rf"<(?:{_IRI_CHAR}++|[()\[\]]++|{_IRI_ESCAPE})*+>"


def _hiding(cut: bool, odd: str = "") -> re.Pattern[str]:
    """What hides brackets, and the ``<`` and ``>`` of comparisons (left are ``<<`` and
    ``>>``, which open and close a quoted triple); ``odd`` matches odd IRIs. In a prefix
    (``cut``), a string or an IRIREF that runs to its end may go on past it: it hides the
    rest, so a prefix never nests deeper than the whole text."""
    end = r"|\\?\Z" if cut else ""  # an escape's backslash may be the last character
    partial = r"(?:\\(?:[uU][0-9A-Fa-f]*+)?)?"
    unended = rf"|<(?:{_IRI_CHAR}++|[()\[\]]++|{_IRI_ESCAPE})*+{partial}\Z" if cut else ""
    return re.compile(
        rf"'''(?:[^'\\]++|\\.|'(?!''))*+(?:'''{end})"
        rf'|"""(?:[^"\\]++|\\.|"(?!""))*+(?:"""{end})'
        rf"|'(?:[^'\\\n\r]++|\\.)*+(?:'{end})"
        rf'|"(?:[^"\\\n\r]++|\\.)*+(?:"{end})'
        r"|'|\""
        r"|#[^\n\r]*+"
        r"|\\."
        rf"|{_IRI}{odd}{unended}"
        rf"|<(?<!<<)(?={_IRI})|<(?<!<<)(?!<)|>(?<!>>)(?!>)",
        re.DOTALL,
    )


_STRIP = {cut: _hiding(cut) for cut in (False, True)}
_SPLIT = {cut: _hiding(cut, rf"|({_ODD_IRI})") for cut in (False, True)}
_MAY_BE_ODD = re.compile(rf"<(?!(?:{_IRI_CHAR}++|{_IRI_ESCAPE}|{_IRI_GROUP})*+>){_ODD_IRI[1:]}")
_CANONICAL = bytes.maketrans(b"[{]}", b"(())")
_NOT_BRACKET = bytes(set(range(256)) - set(b"()[]{}"))
_RUNS = re.compile(rb"\(++|\)++")


def _brackets(text: str, *, cut: bool = False) -> bytes:
    """The text's brackets in order, each ``(`` or ``)``; ``cut`` when the text is a prefix
    of the whole (a string that runs past its end hides the rest)."""
    # What hides brackets leaves a space, so that the << of a quoted triple is only ever
    # two adjacent characters of the text.
    if _MAY_BE_ODD.search(text) is None:  # no odd IRI, wherever it would be: the quick way
        kept = _STRIP[cut].sub(" ", text)
    else:
        parts: list[str | None] = _SPLIT[cut].split(text)
        parts[1::2] = ["(" * (o.count("(") + o.count("[")) if o else "" for o in parts[1::2]]
        kept = " ".join(parts)  # type: ignore[arg-type]
    kept = kept.replace("<<", "(").replace(">>", ")")
    return kept.encode("utf-8", "surrogatepass").translate(_CANONICAL, _NOT_BRACKET)


def _deepest(brackets: bytes) -> int:
    """How deep brackets nest; a closing one with none open is not counted (the parser
    stops there)."""
    depth = deepest = 0
    for run in _RUNS.finditer(brackets):
        size = run.end() - run.start()
        if brackets[run.start()] == ord("("):
            depth += size
            deepest = max(deepest, depth)
        else:
            depth = max(depth - size, 0)
    return deepest


@functools.lru_cache(maxsize=8)
def _within(limit: int) -> re.Pattern[bytes]:
    """Matches brackets nested at most ``limit`` deep, in one linear pass at the speed of
    the regex engine: a level is a possessive loop of groups, each a level shallower."""
    level = b""
    for _ in range(max(limit - 1, 0)):
        level = rb"(?:\(" + level + rb"(?:\)|\Z))*+"
    if limit == 0:
        return re.compile(rb"\)*+")
    return re.compile(rb"(?:\)|\(" + level + rb"(?:\)|\Z))*+")


def _openers(text: str) -> int:
    return text.count("(") + text.count("{") + text.count("[") + text.count("<<")


def nesting_depth(text: str) -> int:
    """How deep a SPARQL text nests brackets, as its parser would descend: ``(``, ``{``,
    ``[`` and ``<<``, not those in strings, comments or IRIs.

    >>> nesting_depth("SELECT * { ?s ?p ?o FILTER(regex(?o, '((((', 'i')) } # {{{{")
    3
    >>> nesting_depth("SELECT * { ?s <http://x/a> ?o FILTER(?o < 3 && ?o > <x:y>) }")
    2
    """
    return _deepest(_brackets(text))


def too_deep(
    text: str, what: str = "query", *, limit: int = NESTING_LIMIT, quick: bool = False
) -> str | None:
    """Why ``text`` is refused when it nests brackets deeper than ``limit``, else None.

    Linear in the text, and near free for a text with at most ``limit`` opening brackets
    in all. ``quick`` reads at most ``QUICK_SPAN`` characters, for the event loop: a longer
    text is refused if that much of it nests too deep, and otherwise left to a full check
    where it is parsed (the query worker, the update process).

    >>> too_deep("ASK { FILTER(" + "(" * 1000 + "1" + ")" * 1001 + " }")
    'the query nests brackets 1,002 deep; this endpoint takes at most 128'
    >>> too_deep("ASK { " + "{" * 10 + "}" * 10 + " }") is None
    True
    """
    whole = not quick or len(text) <= QUICK_SPAN
    read = text if whole else text[:QUICK_SPAN]
    if _openers(read) <= limit:
        return None
    brackets = _brackets(read, cut=not whole)
    if _within(limit).fullmatch(brackets) is not None:
        return None
    if brackets.count(b"()") + brackets.count(b")(") < _COUNTED_RUNS:
        depth = _deepest(brackets)
        how = f"{depth:,}" if whole else f"at least {depth:,}"
    else:
        how = f"more than {limit:,}"
    return f"the {what} nests brackets {how} deep; this endpoint takes at most {limit}"
