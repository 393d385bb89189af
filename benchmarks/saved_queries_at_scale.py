"""Time every saved query, and occugraph's own page queries, on a large store.

.venv/bin/python benchmarks/saved_queries_at_scale.py --store DIR [--runs 5]
    [--only NAME ...] [--patience 30] [--compare-with DIR_OF_OLD_QUERIES]
    [--occupation 47-2111.00]

Each query runs as the server runs it: parameters bound as RDF terms by Oxigraph
(``substitutions``; an occupation given by its code is resolved to its IRI first, as
``SavedQuery.bind`` does), the union of the named graphs as the default graph, every row
read. The parameters are fixed: occupation 47-2111.00 (Electricians; ``--occupation``
gives another, e.g. 21-1092.00 on the seeds build), product "Spreadsheet software",
activity "Getting Information", and for the other queries those of
``tests/test_queries.py``'s ``SEED_PARAMS``; a source document's queries get one of the
occupation's documents found in the store (its O*NET page if it has one), and
``canonical.rq`` one of its aliases (or its own IRI). A query whose first run takes longer than
``--patience`` seconds is not run again.

``--compare-with DIR`` also runs, once, the query of the same file name found anywhere
under DIR (a copy of ``queries/`` and ``src/occugraph/sparql/`` as they were) and says
whether the answers are the same: the same rows in the same order ("same"), the same rows
as multisets in another order ("reordered", to be checked against the ORDER BY: rows that
tie may come in any order), or not ("DIFFERENT"). CONSTRUCT answers are compared as sets.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    Store,
    Triple,
    Variable,
)

from occugraph.files import OWN_SPARQL
from occugraph.query.saved import Bindings, resolve_occupation, saved_queries
from occugraph.sparql_text import names_dataset
from occugraph.store.embedded import open_read_only

GO = "https://graph.org.ai/"
OCC = GO + "ontology#"
OCCUPATION = "<the occupation>"

# The parameters of each saved query: SEED_PARAMS of tests/test_queries.py, with the
# occupation, product and activity of this benchmark. ``SOURCE`` is filled in from the store.
SOURCE = "<a source document of the occupation>"
PARAMS: dict[str, dict[str, str]] = {
    "competency-statements": {"occupation": OCCUPATION},
    "described-by-sources": {"occupation": OCCUPATION},
    "education-requirements": {"occupation": OCCUPATION},
    "element-statements": {"element": "Active Listening"},
    "graph-statistics": {},
    "hot-technologies": {"occupation": OCCUPATION},
    "hiring-requirements": {"occupation": OCCUPATION},
    "job-titles": {"occupation": OCCUPATION},
    "noc-crosswalk": {"occupation": OCCUPATION},
    "noc-job-titles": {"occupation": OCCUPATION},
    "noc-sub-roles": {"noc": "4155"},
    "occupation-card": {"occupation": OCCUPATION},
    "occupation-products": {"occupation": OCCUPATION},
    "occupation-context": {"occupation": OCCUPATION},
    "occupation-skills": {"occupation": OCCUPATION},
    "occupation-summary": {"occupation": OCCUPATION},
    "occupation-tasks": {"occupation": OCCUPATION},
    "occupations-by-label": {"label": "probation@en"},
    "occupations-sharing-skills": {"occupation": OCCUPATION},
    "occupations-with-skill": {"skill": GO + "skills/Communication"},
    "occupations-using-product": {"product": "Spreadsheet software"},
    "occupations-sharing-work-activities": {"occupation": OCCUPATION},
    "onet-tasks": {"occupation": OCCUPATION},
    "progression-levels": {"occupation": OCCUPATION},
    "salary-figures": {"occupation": OCCUPATION},
    "source-graph": {"source": SOURCE},
    "source-provenance": {"occupation": OCCUPATION},
    "tasks-attested-by-several-sources": {"occupation": OCCUPATION},
    "work-activity-tree": {"activity": "Getting Information"},
}

# occugraph's own queries that take parameters or run once per build (src/occugraph/sparql/).
OWN = (
    "described-occupations",
    "source-things",
    "source-statements",
    "describe",
    "graph-sizes",
    "find-occupation",
    "canonical",
)

FIND_SOURCE = """PREFIX occ: <https://graph.org.ai/ontology#>
SELECT ?occupation ?source WHERE {
  GRAPH <https://graph.org.ai/graphs/links> { ?source occ:about ?occupation }
  GRAPH ?source { ?source occ:sourceKind ?kind }
} ORDER BY (?kind != "onet-page") ?source LIMIT 1"""

FIND_ALIAS = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?occupation ?alias WHERE { ?occupation owl:sameAs ?alias } ORDER BY ?alias LIMIT 1"""

FIND_TITLE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?occupation ?title WHERE { ?occupation rdfs:label ?title } ORDER BY ?title LIMIT 1"""

Term = NamedNode | BlankNode | Literal | Triple
Answer = list[tuple[str, ...]] | set[tuple[str, ...]] | bool


@dataclass
class Case:
    name: str
    text: str
    bindings: Bindings


@dataclass
class Timing:
    name: str
    rows: int
    seconds: list[float]
    verdict: str = ""
    old_seconds: float | None = None


def first(store: Store, query: str, bindings: Bindings, variable: str) -> Term | None:
    result = store.query(query, use_default_graph_as_union=True, substitutions=bindings)
    assert isinstance(result, QuerySolutions)
    row = next(iter(result), None)
    return None if row is None else row[variable]


def shown(term: Term | None) -> str:
    """A term as text; blank-node labels differ between runs, so they are left out."""
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return "_:b"
    if isinstance(term, Triple):
        return f"<< {shown(term.subject)} {shown(term.predicate)} {shown(term.object)} >>"
    return str(term)


def cases(store: Store, code: str) -> list[Case]:
    """Every query with its parameters bound as the server binds them."""
    occupation = resolve_occupation(store, code)
    source = first(store, FIND_SOURCE, {Variable("occupation"): occupation}, "source")
    alias = first(store, FIND_ALIAS, {Variable("occupation"): occupation}, "alias")
    if not isinstance(source, NamedNode):
        sys.exit(f"the store holds no document about {occupation}: another store?")
    found: list[Case] = []
    given = {OCCUPATION: code, SOURCE: source.value}
    for name, saved in saved_queries().items():
        values = {k: given.get(v, v) for k, v in PARAMS[name].items()}
        found.append(Case(name, saved.text, saved.bind(store, values)))
    own: dict[str, Bindings] = {
        "described-occupations": {},
        "source-things": {Variable("source"): source},
        "source-statements": {Variable("source"): source},
        "describe": {Variable("resource"): occupation},
        "graph-sizes": {},
        "find-occupation": {Variable("key"): Literal(code)},
        "canonical": {Variable("alias"): alias if isinstance(alias, NamedNode) else occupation},
    }
    for name in OWN:
        text = (OWN_SPARQL / f"{name}.rq").read_text(encoding="utf-8")
        found.append(Case(name, text, own[name]))
        if name == "find-occupation":  # an occupation given by its title, in another case
            title = first(store, FIND_TITLE, {Variable("occupation"): occupation}, "title")
            key = Literal((title.value if isinstance(title, Literal) else code).lower())
            found.append(Case(f"{name} (title)", text, {Variable("key"): key}))
    return found


def run(store: Store, text: str, bindings: Bindings) -> Answer:
    """The whole answer of one query, run as the server's workers run it."""
    result = store.query(
        text, use_default_graph_as_union=not names_dataset(text), substitutions=bindings
    )
    if isinstance(result, QueryBoolean):
        return bool(result)
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        return [tuple(shown(row[n]) for n in names) for row in result]
    return {(shown(t.subject), shown(t.predicate), shown(t.object)) for t in result}


def size(answer: Answer) -> int:
    return int(answer) if isinstance(answer, bool) else len(answer)


def compare(old: Answer, new: Answer) -> str:
    if old == new:
        return "same"
    if isinstance(old, list) and isinstance(new, list) and Counter(old) == Counter(new):
        at = next(i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b)
        return f"reordered (from row {at + 1})"
    return f"DIFFERENT (old {size(old)} rows)"


def old_text(folder: Path, name: str) -> str | None:
    stem = name.split(" ")[0]
    found = sorted(folder.rglob(f"{stem}.rq"))
    return found[0].read_text(encoding="utf-8") if found else None


def measure(
    store: Store, case: Case, runs: int, patience: float, old_folder: Path | None
) -> Timing:
    seconds: list[float] = []
    answer: Answer = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = run(store, case.text, case.bindings)
        seconds.append(time.perf_counter() - started)
        if seconds[0] > patience:
            break
    timing = Timing(case.name, size(answer), seconds)
    if old_folder is not None:
        text = old_text(old_folder, case.name)
        if text is None:
            timing.verdict = "no old query"
        else:
            started = time.perf_counter()
            old = run(store, text, case.bindings)
            timing.old_seconds = time.perf_counter() - started
            timing.verdict = compare(old, answer)
    return timing


def table(timings: list[Timing], comparing: bool) -> list[str]:
    width = max(len(t.name) for t in timings)
    head = f"{'query':<{width}}  {'rows':>6}  {'median s':>9}  {'max s':>8}  {'n':>2}"
    if comparing:
        head += f"  {'old s':>8}  answers"
    lines = [head, "-" * len(head)]
    for t in timings:
        line = (
            f"{t.name:<{width}}  {t.rows:>6}  {statistics.median(t.seconds):>9.3f}  "
            f"{max(t.seconds):>8.3f}  {len(t.seconds):>2}"
        )
        if comparing:
            old = "" if t.old_seconds is None else f"{t.old_seconds:.3f}"
            line += f"  {old:>8}  {t.verdict}"
        lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", type=Path, required=True, help="an occugraph store (link)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=None, help="only these queries, by name")
    parser.add_argument(
        "--patience", type=float, default=30.0, help="run once a query slower than this (s)"
    )
    parser.add_argument("--compare-with", type=Path, default=None, metavar="DIR")
    parser.add_argument("--occupation", default="47-2111.00", help="an O*NET-SOC code")
    args = parser.parse_args()

    store = open_read_only(args.store)
    print(shlex.join([".venv/bin/python", "benchmarks/saved_queries_at_scale.py", *sys.argv[1:]]))
    print(f"store {args.store}: {len(store):,} quads")
    chosen = [
        case
        for case in cases(store, args.occupation)
        if not args.only or case.name.split(" ")[0] in args.only
    ]
    timings: list[Timing] = []
    for case in chosen:
        timings.append(measure(store, case, args.runs, args.patience, args.compare_with))
        print(f"  {timings[-1].name}: {statistics.median(timings[-1].seconds):.3f}s", flush=True)
    print()
    print("\n".join(table(timings, args.compare_with is not None)))


if __name__ == "__main__":
    main()
