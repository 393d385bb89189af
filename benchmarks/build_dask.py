"""Extraction and mapping through the local process pool and through a Dask cluster.

.venv/bin/python -m benchmarks.build_dask [--corpus DIR] [--workers 2]

Two full builds of graph.org.ai's corpus (113,989 pages) into empty stores, each as an
``occugraph build`` child process, one after the other on the same machine: first with
the local process pool (one process a core), then with ``--executor dask://…`` on a
``LocalCluster`` of ``--workers`` worker processes (one thread each) on 127.0.0.1,
started before the clock does. Prints wall time, CPU time of the build's process tree
(the cluster's processes are not in it: their CPU is read from /proc before and after),
documents per second, the load average before each build, and whether both stores hold
the same statements (their counts and the SHA-256 of their sorted N-Quads).

Without --corpus, the archive in ../shared/corpora/graph.org.ai is unpacked into a
temporary folder. Each build reads the corpus and writes only its store.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from pyoxigraph import RdfFormat

from benchmarks.build_graph_org_ai import corpus_options, the_corpus
from benchmarks.build_scale import measure, occugraph
from occugraph.build.manifest_file import read_manifest
from occugraph.store.embedded import open_read_only


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU seconds of these processes so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def digest(store: Path) -> str:
    """SHA-256 of the store's N-Quads lines, sorted, build times and blank-node labels
    (the ontology's, new each build) aside."""
    dumped = (open_read_only(store).dump(format=RdfFormat.N_QUADS) or b"").decode()
    lines = sorted(
        re.sub(r"_:\w+", "_:", line) for line in dumped.splitlines() if "AtTime>" not in line
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def main() -> None:
    from distributed import Client, LocalCluster

    parser = corpus_options(__doc__)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        corpus = the_corpus(args, work)
        rows = []
        print(f"load average before the local build: {os.getloadavg()}", flush=True)
        local = measure(occugraph(corpus, work / "local" / "store"))
        rows.append(("local process pool", local.wall, local.cpu, work / "local" / "store"))
        with (
            LocalCluster(
                n_workers=args.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
        ):
            pids = [int(pid) for pid in client.run(os.getpid).values()]
            address = cluster.scheduler_address.replace("tcp://", "dask://", 1)
            print(f"load average before the Dask build: {os.getloadavg()}", flush=True)
            before = cpu_seconds([*pids, os.getpid()])
            store = work / "dask" / "store"
            dask = measure([*occugraph(corpus, store), "--executor", address])
            cluster_cpu = cpu_seconds([*pids, os.getpid()]) - before
        rows.append((f"Dask, {args.workers} workers", dask.wall, dask.cpu + cluster_cpu, store))
        print(f"load average after: {os.getloadavg()}")
        print("| executor | wall s | CPU s | documents | documents/s | statements | digest |")
        print("|---|---|---|---|---|---|---|")
        for name, wall, cpu, built in rows:
            manifest = read_manifest(built)
            assert manifest is not None
            documents = len(manifest.entries)
            print(
                f"| {name} | {wall:.1f} | {cpu:.1f} | {documents:,} | {documents / wall:,.0f} "
                f"| {manifest.triples:,} | {digest(built)} |"
            )


if __name__ == "__main__":
    main()
