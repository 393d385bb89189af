"""Build graph.org.ai's whole corpus (113,989 real pages) and time what matters at that scale.

.venv/bin/python -m benchmarks.build_graph_org_ai [--corpus DIR] [--runs 3]

Without --corpus, the archive in ../shared/corpora/graph.org.ai is unpacked into a
temporary folder. One occupation's folder (``Occupations.org.ai/Electricians``) is held
back from the first build. Each run, side by side on one machine:

- full build: ``occugraph build`` into an empty store, as a child process, with the peak
  memory of its process tree (PSS and RSS, sampled from /proc) and of its largest process;
- bulk load: the same statements, dumped as N-Quads, loaded by Oxigraph's own
  ``Store.bulk_load`` into an empty store: the floor a build can approach; the ratio is
  full build / bulk load within the run;
- rebuilds as the ``occugraph build`` command: nothing changed; one page changed (a line
  added to a tool page); one occupation folder added (the folder held back, about 170
  pages).

The first run also counts the pages accepted and rejected by shape (which folder of the
corpus, which ``$type``), and prints the build's summary.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.build_scale import Figures, build_and_bulk_load, measure, occugraph
from occugraph.build.manifest_file import read_manifest

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT.parent / "shared" / "corpora" / "graph.org.ai" / "graph.org.ai-onet.tar.xz"
HELD_BACK = "Occupations.org.ai/Electricians"
CHANGED = "Occupations.org.ai/Registered Nurses/Tools/Mechanical stethoscopes.mdx"
TARGETS = (
    ("rejected pages, share of all", 0.005),
    ("ratio full build / bulk load (wall)", 1.5),
    ("full build: peak PSS, process tree MB", 1024.0),
    ("rebuild, nothing changed: occugraph build, wall s", 2.0),
    ("rebuild, one page changed: occugraph build, wall s", 2.0),
)


def shape(path: str) -> str:
    """Which of the corpus's page shapes a file is, by where it lies and what it is called."""
    parts = path.split("/")
    if "[" in parts[-1] or parts[-1] == ".mdx":  # [Task].mdx; .mdx: the page of an empty slug
        return "template"
    if parts[0] == "Standards.org.ai":
        return "Standards.org.ai occupation" if parts[-2] == "Occupations" else "index page"
    if parts[0] == "Tasks.org.ai":
        return "Tasks.org.ai task"
    if parts[0] == "Occupations.org.ai":
        if len(parts) == 3:
            return "Occupations.org.ai occupation"
        return {"Tasks": "Occupations.org.ai task", "Technology": "technology"}.get(
            parts[2], "tool"
        )
    return "other"


def accepted_and_rejected(store: Path, corpus: Path) -> tuple[Counter[str], Counter[str]]:
    manifest = read_manifest(store)
    assert manifest is not None
    accepted: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    for entry in manifest.entries:
        kind = shape(str(Path(entry.source.path).relative_to(corpus)))
        (rejected if entry.error else accepted)[kind] += 1
    return accepted, rejected


def unpack(archive: Path, into: Path) -> Path:
    with tarfile.open(archive, "r:xz") as tar:
        tar.extractall(into, filter="data")
    return into


def corpus_options(description: str) -> argparse.ArgumentParser:
    """The options of a script that builds graph.org.ai's corpus: where to find it."""
    parser = argparse.ArgumentParser(description=description.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="the archive, already unpacked")
    parser.add_argument("--archive", type=Path, default=ARCHIVE)
    return parser


def the_corpus(args: argparse.Namespace, work: Path) -> Path:
    """The unpacked corpus: the one given, or the archive unpacked into ``work``."""
    print("$ " + " ".join([sys.executable, *sys.argv]), flush=True)
    corpus: Path = args.corpus or unpack(args.archive, work / "unpacked")
    return corpus


def main() -> None:
    parser = corpus_options(__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        source = the_corpus(args, work)
        figures = Figures()
        for run in range(1, args.runs + 1):
            here = work / f"run{run}"
            corpus = here / "corpus"
            shutil.copytree(source, corpus)
            held = here / "held"
            (corpus / HELD_BACK).rename(held)
            store = here / "store"
            full, loaded = build_and_bulk_load(corpus, store, here)
            unchanged = measure(occugraph(corpus, store))
            with (corpus / CHANGED).open("a", encoding="utf-8") as page:
                page.write(f"\nChanged for run {run}.\n")
            changed = measure(occugraph(corpus, store))
            held.rename(corpus / HELD_BACK)
            added = measure(occugraph(corpus, store))
            for name, m in (("full build", full), ("bulk load", loaded)):
                figures.add(f"{name}: wall s", m.wall)
                figures.add(f"{name}: CPU s (all processes)", m.cpu)
                figures.add(f"{name}: peak RSS, largest process MB", m.maxrss_mb)
                figures.add(f"{name}: peak PSS, process tree MB", m.tree_pss_mb)
            figures.add("ratio full build / bulk load (wall)", full.wall / loaded.wall)
            for name, m in (
                ("nothing changed", unchanged),
                ("one page changed", changed),
                ("one occupation folder added", added),
            ):
                figures.add(f"rebuild, {name}: occugraph build, wall s", m.wall)
            print(
                f"run {run}: full {full.wall:.1f}s, bulk load {loaded.wall:.1f}s, "
                f"ratio {full.wall / loaded.wall:.2f}, peak PSS {full.tree_pss_mb:.0f} MB, "
                f"rebuilds {unchanged.wall:.2f}/{changed.wall:.2f}/{added.wall:.2f}s; "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            if run == 1:
                print(full.stdout.strip())
                accepted, rejected = accepted_and_rejected(store, corpus)
                total = sum(accepted.values()) + sum(rejected.values())
                figures.add("rejected pages, share of all", sum(rejected.values()) / total)
                print(f"\npages by shape ({total} in all): accepted / rejected")
                for kind in sorted(accepted.keys() | rejected.keys()):
                    print(f"  {kind:32s} {accepted[kind]:7d} / {rejected[kind]}")
                triples = re.search(r"triples:\s+(\d+)", full.stdout)
                print(f"triples: {triples[1] if triples else '?'}\n")
            shutil.rmtree(here)
        print()
        for name in sorted(figures.samples):
            print(figures.line(name, ""))
        print("\ntargets:")
        for name, limit in TARGETS:
            values = figures.samples.get(name, [])
            median = sorted(values)[len(values) // 2] if values else None
            met = "met" if median is not None and median <= limit else "NOT met"
            print(f"  {name:58s} ≤ {limit:g}: {met} ({median if median is not None else '-'})")


if __name__ == "__main__":
    main()
