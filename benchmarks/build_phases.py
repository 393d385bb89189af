"""Where a build's time and memory go: each phase of ``build()`` timed in-process.

.venv/bin/python benchmarks/build_phases.py CORPUS STORE

Wraps the pipeline's phases (listing, scanning, reading, resolving, the links graph,
writing, the last loads and compaction, the manifest) and prints, as each starts and
ends: seconds since the build started, the build process's resident memory and the CPU
time it has used (its workers' not included). Build into a fresh STORE to time a full build.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("store", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    for owner, name in PHASES:
        setattr(owner, name, timed(getattr(owner, name), name, started))
    report = pipeline.build([args.corpus], store=args.store)
    print(
        f"{time.perf_counter() - started:.1f} s, {report.triples} statements, "
        f"{report.written} graphs written"
    )


if __name__ == "__main__":
    main()
