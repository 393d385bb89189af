"""Time builds into a remote store (Oxigraph's server) beside the embedded store.

.venv/bin/python -m benchmarks.build_remote [--occupations 100] [--runs 3]

benchmarks/make_corpus.py writes the corpus into a temporary folder. Each run, side
by side: a full build into an empty embedded store and into a fresh `oxigraph serve`
on 127.0.0.1 (one Graph Store PUT per graph), a rebuild with nothing changed, and a
rebuild with one career article changed (one PUT, one DROP, one links update). The
ratio is remote / embedded within the run. Every build is a call of build() in this
process, so interpreter start-up is not counted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.build_scale import change_one
from benchmarks.build_seeds import spread
from occugraph.build import build
from occugraph.build.targets import RemoteTarget
from occugraph.store.remote import RemoteStore
from occugraph.testing import oxigraph_serve

ROOT = Path(__file__).resolve().parents[1]


def timed(documents: Path, store: Path | RemoteTarget) -> float:
    started = time.perf_counter()
    build([documents], store=store)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--occupations", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        corpus = work / "corpus"
        command = [sys.executable, str(ROOT / "benchmarks" / "make_corpus.py")]
        command += ["--occupations", str(args.occupations), "--out", str(corpus)]
        subprocess.run(command, check=True, capture_output=True)
        index = [
            dict(zip(("file", "kind", "code"), line.split("\t"), strict=True))
            for line in (corpus / "index.tsv").read_text().splitlines()[1:]
        ]
        print(f"{len(index)} documents; load average {os.getloadavg()[0]:.1f}")
        for run in range(1, args.runs + 1):
            here = work / f"run{run}"
            documents = here / "documents"
            shutil.copytree(corpus / "documents", documents)
            with (
                oxigraph_serve(here / "oxi", log=here / "oxigraph.log") as server,
                RemoteStore(server.base) as remote,
            ):
                embedded = here / "store"
                target = RemoteTarget(remote, here / "state")
                for case in ("full", "nothing changed", "one changed"):
                    if case == "one changed":
                        change_one(documents, index, run)
                    seconds = (timed(documents, embedded), timed(documents, target))
                    figures.setdefault(f"{case}: embedded", []).append(seconds[0])
                    figures.setdefault(f"{case}: remote", []).append(seconds[1])
                    ratio = figures.setdefault(f"{case}: remote / embedded", [])
                    ratio.append(seconds[1] / seconds[0])
    for name, samples in figures.items():
        if name.endswith("embedded") and "/" in name:
            print(
                f"{name:34} median {statistics.median(samples):.2f} "
                f"(min {min(samples):.2f}, max {max(samples):.2f})"
            )
        else:
            print(f"{name:34} {spread(samples)}")


if __name__ == "__main__":
    main()
