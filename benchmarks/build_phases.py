"""Where a build's time and memory go: each phase of ``build()`` timed in-process.

.venv/bin/python benchmarks/build_phases.py CORPUS STORE [--in-process]

Wraps the pipeline's phases (listing, scanning, reading, resolving, the links graph,
writing, the last loads and compaction, the manifest) and prints, as each starts and
ends: seconds since the build started, the build process's resident memory and the CPU
time it has used (its workers' not included). Build into a fresh STORE to time a full build.

``--in-process`` builds with no worker pool and adds up the CPU time of the Python work
that workers would share (reading and extracting each file, mapping documents to N-Quads):
what the pages cost, apart from the store's loading threads.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import occugraph.build.parallel as parallel
import occugraph.build.pipeline as pipeline
import occugraph.build.targets as targets

PHASES: list[tuple[Any, str]] = [
    (pipeline, "discover"),
    (pipeline, "scan"),
    (pipeline, "_read_corpus"),
    (pipeline, "_resolve"),
    (pipeline, "links_change"),
    (pipeline, "_update"),
    (targets._StoreSink, "_finish"),
    (targets, "write_manifest"),
]


def resident_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def timed(function: Callable[..., Any], name: str, started: float) -> Callable[..., Any]:
    def say(mark: str) -> None:
        print(
            f"{time.perf_counter() - started:7.1f} s {resident_mb():6d} MB "
            f"{time.process_time():7.1f} s CPU  {mark} {name}",
            flush=True,
        )

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        say(">")
        try:
            return function(*args, **kwargs)
        finally:
            say("<")

    return wrapper


def thread_cpu(function: Callable[..., Any], spent: dict[str, float]) -> Callable[..., Any]:
    """``function``, adding the CPU time of the thread that calls it to ``spent``."""
    name = function.__name__

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        before = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.thread_time() - before

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("store", type=Path)
    parser.add_argument("--in-process", action="store_true", help="no worker pool")
    args = parser.parse_args()
    spent: dict[str, float] = {}
    if args.in_process:
        parallel.Workers.get = lambda self, work: None  # type: ignore[method-assign]
        pipeline.read_one = thread_cpu(pipeline.read_one, spent)
        pipeline.map_documents = thread_cpu(pipeline.map_documents, spent)
    started = time.perf_counter()
    for owner, name in PHASES:
        setattr(owner, name, timed(getattr(owner, name), name, started))
    report = pipeline.build([args.corpus], store=args.store)
    print(
        f"{time.perf_counter() - started:.1f} s, {report.triples} statements, "
        f"{report.written} graphs written"
    )
    for name, seconds in spent.items():
        print(f"{name}: {seconds:.1f} s CPU (the calling thread's)")


if __name__ == "__main__":
    main()
