"""Time a full build of a corpus into a fresh store, and a rebuild with nothing changed.

.venv/bin/python benchmarks/build_seeds.py [--corpus seeds] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from occugraph.build import build
from occugraph.store.embedded import open_read_only

COUNT_SOURCE_TRIPLES = """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
    FILTER(STRSTARTS(STR(?g), "https://graph.org.ai/sources/")) }"""


def source_triples(store: Path) -> int:
    return int(next(iter(open_read_only(store).query(COUNT_SOURCE_TRIPLES)))["n"].value)


def spread(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples):.3f}s "
        f"(min {min(samples):.3f}s, max {max(samples):.3f}s, n={len(samples)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("seeds"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    full: list[float] = []
    unchanged: list[float] = []
    triples = documents = 0
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            store = Path(folder) / "store"
            started = time.perf_counter()
            report = build([args.corpus], store=store)
            full.append(time.perf_counter() - started)
            triples = report.triples
            documents = source_triples(store)
            started = time.perf_counter()
            again = build([args.corpus], store=store)
            unchanged.append(time.perf_counter() - started)
            assert again.up_to_date
    print(
        f"corpus {args.corpus}: {len(report.entries)} files, {triples} triples "
        f"in all named graphs, {documents} of them in the documents' own graphs"
    )
    print(f"full build:           {spread(full)}")
    print(f"rebuild, no change:   {spread(unchanged)}")


if __name__ == "__main__":
    main()
