"""Deeply nested queries are refused before Oxigraph's parser sees them (400 naming the
limit), and no query worker is lost to one.

Oxigraph's SPARQL parser recurses once per bracket and overflows a worker's stack (SIGSEGV)
somewhere past 800 levels (see ``occugraph.sparql_text.NESTING_LIMIT``). The depth is read
from the text: brackets in strings, comments and IRIs do not count, and this is checked
against an independent, character-by-character reading of the same rules and against what
Oxigraph itself accepts. A real ``occugraph serve`` then gets the shapes that crashed it.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Store

from occugraph.sparql_text import (
    NESTING_LIMIT,
    QUICK_SPAN,
    _brackets,
    _deepest,
    nesting_depth,
    too_deep,
)
from occugraph.testing import Server, occugraph_serve
from tests.conftest import copy_store

TOKEN = "deep-nesting-t0ken"
QUERY = "application/sparql-query"
JSON_RESULTS = "application/sparql-results+json"

DEEP_FILTER = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 100_000 + "?o" + ")" * 100_000 + ") }"
DEEP_GROUPS = "SELECT * WHERE " + "{" * 50_000 + " ?s ?p ?o " + "}" * 50_000
DEEP_SUBQUERIES = (
    "SELECT * WHERE { " + "{ SELECT * WHERE " * 5_000 + "{ ?s ?p ?o }" + " }" * 5_000 + " }"
)
SHAPES = {"filter": DEEP_FILTER, "groups": DEEP_GROUPS, "subqueries": DEEP_SUBQUERIES}


# --- an independent reading of the same rules -----------------------------------------

IRI_EXCLUDED = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}
HEX = set("0123456789abcdefABCDEF")


def _escape(text: str, i: int) -> int | None:
    """The end of a \\u or \\U escape at ``i``, if there is one."""
    for letter, digits in (("u", 4), ("U", 8)):
        hexes = text[i + 2 : i + 2 + digits]
        if text.startswith("\\" + letter, i) and len(hexes) == digits and set(hexes) <= HEX:
            return i + 2 + digits
    return None


def _odd_run(text: str, j: int) -> int:
    """Where IRIREF characters (brackets too) and escapes from ``j`` stop."""
    while j < len(text):
        c = text[j]
        if c not in IRI_EXCLUDED:
            j += 1
        elif c == "\\" and (end := _escape(text, j)) is not None:
            j = end
        else:
            break
    return j


def _iri_end(text: str, i: int, *, odd: bool) -> int | None:
    """The end of the IRIREF at ``i``: one whose brackets are at most two balanced levels,
    or (``odd``) one with any brackets."""
    if text[i : i + 1] != "<":
        return None

    def run(j: int, depth: int) -> int | None:
        """Characters and escapes, and groups when ``depth`` allows, up to what stops them."""
        while j < len(text):
            c = text[j]
            if c not in IRI_EXCLUDED and c not in "()[]":
                j += 1
            elif c == "\\" and (end := _escape(text, j)) is not None:
                j = end
            elif c in "([" and depth > 0:
                inner = run(j + 1, depth - 1)
                if inner is None or inner >= len(text) or text[inner] not in ")]":
                    return None
                j = inner + 1
            else:
                return j
        return j

    j = _odd_run(text, i + 1) if odd else run(i + 1, 2)
    return j + 1 if j is not None and j < len(text) and text[j] == ">" else None


def _unended(text: str, i: int) -> bool:
    """Whether the IRIREF at ``i`` runs to the end of the text (a prefix), perhaps into the
    middle of an escape."""
    rest = text[_odd_run(text, i + 1) :]
    return re.fullmatch(r"(\\([uU][0-9A-Fa-f]*)?)?", rest) is not None


def _string_end(text: str, i: int, *, cut: bool) -> int | None:
    """The end of the string at ``i``: a long one ends at three quotes, a short one at one
    (a line's end first makes it no string); the end of a prefix ends either."""
    quote = text[i]
    long = text.startswith(quote * 3, i)
    j = i + (3 if long else 1)
    while j < len(text):
        c = text[j]
        if c == "\\":
            if j + 1 == len(text):
                return len(text) if cut else None
            j += 2
        elif long and text.startswith(quote * 3, j):
            return j + 3
        elif not long and c == quote:
            return j + 1
        elif not long and c in "\n\r":
            return None
        else:
            j += 1
    return j if cut else None


def reference_kept(text: str, *, cut: bool = False) -> str:
    """What ``_brackets`` keeps of the text before it pairs ``<<`` and ``>>``, read one
    character at a time: brackets, other characters, and a space for what it drops."""
    kept = []
    i = 0
    while i < len(text):
        c = text[i]
        if c in "'\"":
            end = _string_end(text, i, cut=cut)
            if end is None and text.startswith(c * 3, i):
                end = i + 2  # a long string that does not end: its first two quotes are one
            i, keep = (end if end is not None else i + 1), " "
        elif c == "#":
            while i < len(text) and text[i] not in "\n\r":
                i += 1
            keep = " "
        elif c == "\\" and i + 1 < len(text):
            i, keep = i + 2, " "
        elif c == "<":
            if (end := _iri_end(text, i, odd=False)) is not None:
                i, keep = end, " "
            elif (end := _iri_end(text, i, odd=True)) is not None:
                keep = " " + "(" * sum(text[i:end].count(b) for b in "([") + " "
                i = end
            elif cut and _unended(text, i):
                i, keep = len(text), " "  # an IRIREF the end of a prefix cuts: maybe an IRI
            else:
                before = text[i - 1] if i else ""
                after_iri = _iri_end(text, i + 1, odd=False) is not None
                half = before == "<" or (text[i + 1 : i + 2] == "<" and not after_iri)
                i, keep = i + 1, c if half else " "  # half of a quoted triple's <<
        elif c == ">":
            half = text[i - 1 : i] == ">" or text[i + 1 : i + 2] == ">"
            i, keep = i + 1, c if half else " "  # half of a quoted triple's >>
        else:
            i, keep = i + 1, c
        kept.append(keep)
    return "".join(kept)


def reference_depth(text: str, *, cut: bool = False) -> int:
    kept = reference_kept(text, cut=cut).replace("<<", "(").replace(">>", ")")
    depth = deepest = 0
    for c in kept:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


# --- the depth of tricky texts -----------------------------------------------------------

TRICKY = [
    ("SELECT * { ?s ?p ?o }", 1),
    ("SELECT * { ?s ?p 'a((((' }", 1),
    ('SELECT * { ?s ?p "a{{{{" }', 1),
    ("SELECT * { ?s ?p 'it\\'s ((((' }", 1),
    ('SELECT * { ?s ?p "say \\"((((\\"" }', 1),
    ("SELECT * { ?s ?p '''a ' and '' ((( ''' }", 1),
    ('SELECT * { ?s ?p """line\n(((\n"""" }', 1),
    ("SELECT * { ?s ?p '''a \\''' ((( ''' }", 1),
    ("SELECT * { ?s ?p ?o } # {{{{ (((( [[[[", 1),
    ("SELECT * { ?s ?p ?o # (((( \r FILTER((1)) }", 3),
    ("SELECT * { ?s <http://x/a#((> ?o }", 3),  # odd: counted as its opening brackets
    ("SELECT * { ?s <http://x/a#b> ?o FILTER((1)) }", 3),
    ("SELECT * { ?s ?p 'a # ((' FILTER((1)) }", 3),
    ("SELECT * { ?s <http://en.wikipedia.org/wiki/Mercury_(planet)> ?o }", 1),
    ("SELECT * { ?s <http://x/a_(b_(c))> ?o }", 1),
    ("SELECT * { ?s <x:a\\u0029> ?o }", 1),
    ("SELECT * { ?s ?p ?o FILTER(?o < (1 + (2))) }", 4),
    ("SELECT * { ?s ?p ?o FILTER(?o<(1)||?o>(2)) }", 3),
    ("SELECT * { ?s ?p ?o FILTER(?o < <x:(a)> || (?o > 1)) }", 3),
    ("PREFIX ex: <x:> SELECT * { ?s ex:a\\( ?o }", 1),
    ("PREFIX ex: <x:> SELECT * { ?s ex:a\\# ?o FILTER((1)) }", 3),
    ("SELECT * { ?s ?p << ?a ?b << ?c ?d ?e >> >> }", 3),
    ("SELECT * { ?s ?p <<<x:a> <x:b> <<<x:c> <x:d> <x:e>>>>> }", 3),
    ("SELECT * { ?s ?p <<( ?a ?b ?c )>> }", 3),
    ("SELECT * { ?s ?p [ ?q [ ?r ( 1 ( 2 ) ) ] ] }", 5),
    ("SELECT * { ?s ?p 'unended (((\n }", 4),
    ("SELECT * { } } } ((( ", 3),
    # Oxigraph reads an IRIREF it cannot parse as an IRI again as a comparison
    ("PREFIX : <x:> SELECT * { ?s ?p ?o FILTER(?o<:f((((?o))))>?o) }", 6),
    ("SELECT * { ?s <x:a))))> ?o FILTER((((1)))) }", 5),
    ("SELECT * { FILTER(<x:a))))(>((((1))))) }", 7),
]


@pytest.mark.parametrize(("text", "depth"), TRICKY)
def test_the_depth_of_tricky_texts(text: str, depth: int) -> None:
    assert nesting_depth(text) == depth
    assert reference_depth(text) == depth


# Oxigraph reads each of these as the depth counts them: were the brackets in their strings,
# comments and IRIs syntax, or those in code not, they would not parse.
AS_OXIGRAPH_READS = [
    "SELECT * { ?s ?p 'a((((' }",
    "SELECT * { ?s ?p 'it\\'s ((((' }",
    'SELECT * { ?s ?p "say \\"((((\\"" }',
    "SELECT * { ?s ?p '''a ' and '' ((( ''' }",
    'SELECT * { ?s ?p """line\n(((\n""" }',
    "SELECT * { ?s ?p ?o } # {{{{ (((( [[[[",
    "SELECT * { ?s ?p ?o # (((( \r FILTER((1)) }",
    "SELECT * { ?s <http://x/a#b> ?o FILTER((1)) }",
    "SELECT * { ?s <http://en.wikipedia.org/wiki/Mercury_(planet)> ?o }",
    "SELECT * { ?s <x:a\\u0029> ?o }",
    "PREFIX ex: <x:> SELECT * { ?s ex:a\\( ?o }",
    "SELECT * { ?s ?p ?o FILTER(?o<(1)||?o>(2)) }",
    "SELECT * { ?s ?p <<<x:a> <x:b> <<<x:c> <x:d> <x:e>>>>> }",
]


@pytest.mark.parametrize("text", AS_OXIGRAPH_READS)
def test_oxigraph_reads_the_text_as_the_depth_counts_it(text: str) -> None:
    Store().query(text, base_iri="http://example.org/")


def test_oxigraph_reads_an_iri_it_cannot_parse_again_as_a_comparison() -> None:
    """Why the brackets of an IRIREF count when they are not an IRI's few balanced ones:
    ``<:f(((?o))))>`` is no IRI, so Oxigraph parses ``(?o < :f(((?o)))) > (?o)``,
    descending into the call (which fails only when the query runs)."""
    query = "PREFIX : <x:> SELECT * { ?s ?p ?o FILTER((?o<:f(((?o))))>(?o)) }"
    with pytest.raises(RuntimeError, match="custom function"):
        Store().query(query, base_iri="http://example.org/")
    assert nesting_depth(query) >= 6  # the depth Oxigraph descends to (7: closers not counted)


# --- against the independent reading, on arbitrary text ------------------------------

PIECES = [
    *"(){}[]'\"<>#\\\n\r ?a:",
    "'''",
    '"""',
    "<<",
    ">>",
    "\\u0028",
    "\\'",
    "<x:a>",
    "<x:(a)>",
    "<x:a)>",
    "<x:((a>",
    "<x:#'>",
    "FILTER(",
    "é",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
FAST = settings(
    max_examples=400,
    deadline=timedelta(seconds=2),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@FAST
@given(texts)
def test_the_depth_agrees_with_a_reading_one_character_at_a_time(text: str) -> None:
    assert nesting_depth(text) == reference_depth(text)
    assert _deepest(_brackets(text, cut=True)) == reference_depth(text, cut=True)


@FAST
@given(texts, st.integers(min_value=0, max_value=6))
def test_the_limit_refuses_exactly_what_nests_deeper(text: str, limit: int) -> None:
    refused = too_deep(text, limit=limit)
    assert (refused is not None) == (nesting_depth(text) > limit)
    if refused is not None:
        assert f"nests brackets {nesting_depth(text):,} deep" in refused
        assert f"at most {limit}" in refused


@FAST
@given(texts, st.integers(min_value=0, max_value=40))
def test_a_prefix_never_nests_deeper_than_the_whole(text: str, cut: int) -> None:
    """What a quick check refuses from the start of a text, the whole text deserves."""
    assert _deepest(_brackets(text[:cut], cut=True)) <= nesting_depth(text)


def test_a_quick_check_reads_the_start_of_a_long_text() -> None:
    padding = "# " + "x" * QUICK_SPAN + "\n"
    deep_late = "SELECT * {" + padding + "FILTER(" + "(" * 200 + "1" + ")" * 201 + "}"
    assert too_deep(deep_late, quick=True) is None  # left to the worker, which reads it all
    assert (
        too_deep(deep_late) == "the query nests brackets 202 deep; this endpoint takes at most 128"
    )
    deep_early = "SELECT * { FILTER(" + "(" * 200_000 + "1" + ")" * 200_001 + "}"
    refused = too_deep(deep_early, quick=True)
    assert refused is not None and refused.startswith("the query nests brackets at least ")
    assert too_deep("ASK {" + "'((((' " * 100_000 + "}", quick=True) is None


@pytest.mark.parametrize(
    "text",
    [
        "(" * 8_000_000,
        "()" * 4_000_000,
        "(((())))" * 1_000_000,
        "'a'(" * 2_000_000,
        "<x:a)>(" * 1_000_000,
        "#\n(" * 2_000_000,
        "'''\\'''x(" * 1_000_000,
    ],
    ids=["deep", "pairs", "shallow", "strings", "odd-iris", "comments", "long-strings"],
)
def test_a_quick_check_of_8_mb_is_quick_however_it_is_made(text: str) -> None:
    started = time.perf_counter()
    too_deep(text, quick=True)
    assert time.perf_counter() - started < 0.5  # about 25 ms on an idle machine


HEAVY = {  # the shapes that take the most stack a level
    "SUM(": ("SELECT (", "SUM(", "?o", ")", " AS ?x) WHERE { ?s ?p ?o }"),
    "FILTER EXISTS {": ("SELECT * { ?s ?p ?o ", "FILTER EXISTS { ?s ?p ?o ", "", "}", " }"),
    "LANGMATCHES(LANG(": (
        "SELECT * { ?s ?p ?o FILTER(",
        "LANGMATCHES(LANG(",
        "?o",
        "),'en')",
        ")}",
    ),
    "STR(": ("SELECT * { ?s ?p ?o FILTER(", "STR(", "?o", ")", ") }"),
    "{": ("SELECT * WHERE ", "{", "?s ?p ?o", "}", ""),
    "subquery": ("SELECT * { ", "{ SELECT * WHERE ", "{ ?s ?p ?o }", " }", " }"),
}


def _at_most(shape: tuple[str, str, str, str, str], depth: int) -> str:
    head, opening, middle, closing, tail = shape
    levels = 1
    while (
        nesting_depth(head + opening * (levels + 1) + middle + closing * (levels + 1) + tail)
        <= depth
    ):
        levels += 1
    return head + opening * levels + middle + closing * levels + tail


@pytest.mark.parametrize("name", HEAVY)
def test_the_limit_parses_with_a_quarter_of_a_workers_stack(name: str) -> None:
    """At the limit the costliest shapes parse with 2 MB of stack, where workers have 8:
    the crashes measured at 8 MB start past 800 levels."""
    query = _at_most(HEAVY[name], NESTING_LIMIT)
    assert NESTING_LIMIT - 1 <= nesting_depth(query) <= NESTING_LIMIT
    assert too_deep(query) is None
    assert too_deep(_at_most(HEAVY[name], NESTING_LIMIT + 2)) is not None

    def quarter() -> None:
        resource.setrlimit(resource.RLIMIT_STACK, (2 << 20, 2 << 20))

    code = "import sys; from pyoxigraph import Store; Store().query(sys.stdin.read())"
    ran = subprocess.run(
        [sys.executable, "-c", code], input=query, text=True, preexec_fn=quarter, check=False
    )
    assert ran.returncode == 0


# --- a real server -----------------------------------------------------------------------


def spawned(pid: int) -> set[int]:
    """The processes multiprocessing spawned for ``pid``: its query workers and its update
    process (not its resource tracker), read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            state, parent = (entry / "stat").read_text().rpartition(")")[2].split()[:2]
            ours = int(parent) == pid and state != "Z"
            if ours and b"spawn_main" in (entry / "cmdline").read_bytes():
                found.add(int(entry.name))
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeds_link: Path) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("deep")
    store = copy_store(seeds_link, folder)  # its own: the update test is given the token
    env = {**os.environ, "OCCUGRAPH_UPDATE_TOKEN": TOKEN}
    options = ("--workers", "2", "--time-limit", "10")
    with occugraph_serve(store, log=folder / "serve.log", options=options, env=env) as running:
        yield running


def answers(server: Server, client: httpx2.Client) -> None:
    levels = client.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
        headers={"Accept": JSON_RESULTS},
    )
    assert levels.status_code == 200, levels.text
    assert int(levels.json()["results"]["bindings"][0]["n"]["value"]) > 1000


def refused(response: httpx2.Response, what: str = "query") -> str:
    assert response.status_code == 400, response.text[:300]
    error: str = response.json()["error"]
    assert error.startswith(f"the {what} nests brackets ")
    assert error.endswith(f"this endpoint takes at most {NESTING_LIMIT}")
    return error


def test_deep_queries_get_400_naming_the_limit_and_no_worker_is_lost(server: Server) -> None:
    with httpx2.Client(base_url=server.base, timeout=60) as client:
        answers(server, client)
        workers = spawned(server.pid)
        assert len(workers) == 2
        for name, query in SHAPES.items():
            response = client.post("/sparql", content=query, headers={"Content-Type": QUERY})
            error = refused(response)
            assert f"{nesting_depth(query):,} deep" in error, name
        form = client.post("/sparql", data={"query": DEEP_GROUPS})
        assert "50,000 deep" in refused(form)
        answers(server, client)
        assert spawned(server.pid) == workers


def test_a_15_mb_nested_body_is_refused_at_once(server: Server) -> None:
    body = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 7_800_000 + "?o" + ")" * 7_800_000 + ") }"
    with httpx2.Client(base_url=server.base, timeout=60) as client:
        answers(server, client)
        workers = spawned(server.pid)
        response = client.post("/sparql", content=body, headers={"Content-Type": QUERY})
        assert "nests brackets at least" in refused(response)
        answers(server, client)
        assert spawned(server.pid) == workers


def test_a_deep_update_gets_400_and_its_process_lives(server: Server) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    update = "DELETE { ?s ?p ?o } WHERE " + "{" * 50_000 + " ?s ?p ?o " + "}" * 50_000
    with httpx2.Client(base_url=server.base, timeout=60) as client:
        workers = spawned(server.pid)
        refused(client.post("/sparql", content=update, headers=auth), "update")
        writer = spawned(server.pid) - workers
        assert len(writer) == 1  # the update process, started for the first update
        refused(client.post("/sparql", content=update, headers=auth), "update")
        assert spawned(server.pid) == workers | writer
        fine = "INSERT DATA { GRAPH <https://example.org/g> { <urn:a> <urn:b> <urn:c> } }"
        assert client.post("/sparql", content=fine, headers=auth).status_code == 204
        answers(server, client)


def test_nesting_past_what_the_event_loop_reads_is_refused_by_the_worker(server: Server) -> None:
    """The endpoint reads the first QUICK_SPAN characters; the worker reads all of them."""
    comment = "# " + "x" * QUICK_SPAN + "\n"
    query = "SELECT * WHERE { ?s ?p ?o " + comment + DEEP_GROUPS.removeprefix("SELECT * WHERE ")
    with httpx2.Client(base_url=server.base, timeout=60) as client:
        answers(server, client)
        workers = spawned(server.pid)
        response = client.post("/sparql", content=query, headers={"Content-Type": QUERY})
        assert "50,001 deep" in refused(response)
        answers(server, client)
        assert spawned(server.pid) == workers


FLAT_CHAINS = {
    "minus": "SELECT ?o WHERE { VALUES ?o { 2 } " + "MINUS { VALUES ?o { 1 } } " * 3_000 + "}",
    "not": "SELECT ?o WHERE { VALUES ?o { 2 } FILTER(" + "!" * 30_000 + "(?o = 1)) }",
}


@pytest.mark.parametrize("name", FLAT_CHAINS)
def test_a_long_flat_chain_is_answered_without_losing_a_worker(server: Server, name: str) -> None:
    """Not nested, so not refused: 3,000 MINUS in a row or 30,000 !, which overflowed the
    8 MB stack of a worker's main thread (SIGSEGV, 500), run on its query thread's stack."""
    with httpx2.Client(base_url=server.base, timeout=60) as client:
        answers(server, client)
        workers = spawned(server.pid)
        response = client.post(
            "/sparql",
            content=FLAT_CHAINS[name],
            headers={"Content-Type": QUERY, "Accept": JSON_RESULTS},
        )
        assert response.status_code == 200, response.text
        found = [b["o"]["value"] for b in response.json()["results"]["bindings"]]
        assert found == (["2"] if name == "minus" else [])
        answers(server, client)
        assert spawned(server.pid) == workers
