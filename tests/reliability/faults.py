"""Faults, the full form: query workers killed mid-query, and a disk that fills in a build.

1. ``occugraph serve`` (``occugraph.testing``, 2 query workers, a 60 s time limit)
   on a seeds build. ``--kills`` times: wait for both workers to idle, send the
   pathological query of ``tests/test_serve_process.py``, find the worker burning CPU
   and SIGKILL it. Figures: the answers the killed queries got, the time from the kill
   until the pool has two live workers again and until a query is answered, and the
   ``--after`` queries sent after each kill (all must be answered, correctly). Then
   both idle workers are killed ``--idle-kills`` times, each followed by six queries.
2. A 40 MB tmpfs (root only; reported as not run otherwise). For each of ``--leaves``:
   a seeds build on it, the disk filled until that many bytes are free, then
   ``occugraph build`` (a subprocess) of the seeds and ``--pages`` O*NET pages. With
   little free, the disk fills while the build saves its records; with more, while it
   writes the new store. Figures: the exit code and error line, whether the store is
   intact (the same build current, the same statements, no other build left) and
   whether the next build, once the filler is gone, works. Then the four moments at
   which the build writes files of its own (its records, the checkpoint copy, the
   manifest of a new build or of the current one), each run by its test in
   ``tests/test_faults.py``.

Exits 1 if a check fails. Run from the project root, as a module (it imports the tests):

.venv/bin/python -m tests.reliability.faults [--kills 20] [--after 20] [--idle-kills 5]
    [--leaves 262144,1048576,2097152,4194304] [--pages 500]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import shutil
import signal
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx2
import pytest

from occugraph.build import build
from occugraph.store.embedded import builds_dir, current_build
from occugraph.testing import Server, occugraph_serve
from tests import test_faults as faults
from tests.conftest import SEEDS
from tests.reliability.checks import finish, show_command
from tests.test_serve_process import PATHOLOGICAL


def spread(values: list[float]) -> str:
    if not values:
        return "none"
    return f"median {statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def kill_one(server: Server, failed: list[str]) -> tuple[str, float, float]:
    """Kill the worker running a pathological query: its answer, and the seconds until
    the pool is whole again and until a query is answered."""
    faults.wait_for(lambda: len(faults.spawned(server.pid)) == 2, seconds=60)
    workers = faults.spawned(server.pid)
    faults.settled(workers)
    outcome: list[httpx2.Response | Exception] = []

    def slow() -> None:
        try:
            outcome.append(
                httpx2.get(f"{server.base}/sparql", params={"query": PATHOLOGICAL}, timeout=60)
            )
        except Exception as error:  # reported below
            outcome.append(error)

    thread = threading.Thread(target=slow)
    thread.start()
    victim = faults.busiest(workers)
    os.kill(victim, signal.SIGKILL)
    killed = time.monotonic()
    answered = whole = 0.0
    while not (answered and whole):
        if not whole and len(faults.spawned(server.pid) - {victim}) == 2:
            whole = time.monotonic() - killed
        if not answered:
            try:
                if faults.ask_levels(server) == 4:
                    answered = time.monotonic() - killed
            except (AssertionError, httpx2.TransportError):
                pass
        if time.monotonic() - killed > 60:
            failed.append("no recovery within 60 s of a kill")
            break
        time.sleep(0.02)
    thread.join(timeout=60)
    [answer] = outcome
    if isinstance(answer, Exception):
        return f"no answer: {type(answer).__name__}", whole, answered
    return f"{answer.status_code} {answer.text.strip()}", whole, answered


def asked(server: Server, times: int) -> int:
    """How many of ``times`` queries got the right answer."""
    right = 0
    for _ in range(times):
        with contextlib.suppress(AssertionError, httpx2.TransportError):
            right += faults.ask_levels(server) == 4
    return right


def workers_killed(kills: int, after: int, idle_kills: int) -> list[str]:
    failed: list[str] = []
    answers: Counter[str] = Counter()
    whole, answered = [], []
    served = idle_served = 0
    with tempfile.TemporaryDirectory(prefix="faults-") as folder:
        store = Path(folder) / "store"
        build([SEEDS], store=store)
        options = ("--workers", "2", "--time-limit", "60")
        with occugraph_serve(store, log=Path(folder) / "serve.log", options=options) as server:
            print(f"server: {shlex.join(server.command)}")
            for _ in range(kills):
                answer, took, first = kill_one(server, failed)
                answers[answer] += 1
                whole.append(took)
                answered.append(first)
                served += asked(server, after)
            for _ in range(idle_kills):
                faults.wait_for(lambda: len(faults.spawned(server.pid)) == 2, seconds=60)
                idle = faults.spawned(server.pid)
                for worker in idle:
                    os.kill(worker, signal.SIGKILL)
                faults.wait_for(lambda idle=idle: not faults.spawned(server.pid) & idle)
                idle_served += asked(server, 6)
            health = httpx2.get(f"{server.base}/health", timeout=10).json()
    print(f"\n## Query workers killed mid-query: {kills} kills\n")
    for answer, count in answers.most_common():
        print(f"  {count:3} × {answer}")
    print(f"  two worker processes again (a replacement started): {spread(whole)}")
    print(f"  first query answered after the kill: {spread(answered)}")
    print(f"  queries answered right afterwards: {served} of {kills * after}")
    print(f"  idle workers killed {idle_kills} × 2: {idle_served} of {idle_kills * 6} answered")
    print(f"  /health at the end: {health}")
    expected = '500 {"ok":false,"status":500,"error":"the query worker stopped unexpectedly"}'
    failed += [f"{n} killed queries answered {a!r}" for a, n in answers.items() if a != expected]
    failed += [] if served == kills * after else [f"{kills * after - served} queries failed"]
    failed += [] if idle_served == idle_kills * 6 else ["queries failed after idle kills"]
    return failed


def full_disk_trial(disk: Path, pages: Path, leave: int) -> tuple[str, str, bool, bool]:
    """One build on a disk with ``leave`` bytes free: its exit, error, store, next build."""
    link = disk / "store"
    if link.is_symlink():
        shutil.rmtree(builds_dir(link))
        link.unlink()
    assert faults.occugraph_build(link, SEEDS).returncode == 0
    previous, seeds = current_build(link), faults.triples(link)
    kept = sorted(p.name for p in builds_dir(link).iterdir())
    filler = faults.fill(disk, leave=leave)
    done = faults.occugraph_build(link, SEEDS, pages)
    error = next((line for line in done.stderr.splitlines() if line.startswith("Error")), "")
    if "Traceback" in done.stderr:
        error = "a traceback: " + done.stderr.strip().splitlines()[-1]
    intact = done.returncode != 0 and (
        current_build(link) == previous
        and faults.triples(link) == seeds
        and sorted(p.name for p in builds_dir(link).iterdir()) == kept
    )
    filler.unlink()
    again = faults.occugraph_build(link, SEEDS, pages)
    recovered = again.returncode == 0 and faults.triples(link) > seeds + 2_000
    return f"exit {done.returncode}", error.replace(str(link), "STORE"), intact, recovered


def disk_full(leaves: list[int], pages: int) -> list[str]:
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="full-disk-") as folder:
        corpus = Path(folder) / "pages"
        faults.write_onet_pages(corpus, pages)
        try:
            with faults.tmpfs(Path(folder) / "disk") as disk:
                assert faults.occugraph_build(disk / "store", SEEDS, corpus).returncode == 0
                print(f"\n## A full disk: a 40 MB tmpfs, the seeds and {pages} pages\n")
                print(
                    "| free before the build | outcome | error line | store intact | next build |"
                )
                print("|---|---|---|---|---|")
                for leave in leaves:
                    code, error, intact, recovered = full_disk_trial(disk, corpus, leave)
                    print(f"| {leave:,} B | {code} | {error} | {intact} | {recovered} |")
                    if code != "exit 1" or not error or not intact or not recovered:
                        failed.append(f"{leave:,} B free: {code}, {error!r}, {intact}, {recovered}")
        except faults.NoTmpfsError as error:
            print(f"\n## A full disk: not run ({error})")
            return []
    print("\n  the disk filled just before the build wrote (tests/test_faults.py):")
    for moment, said in faults.MOMENTS.items():
        with (
            tempfile.TemporaryDirectory() as folder,
            pytest.MonkeyPatch.context() as patch,
            faults.tmpfs(Path(folder) / "disk") as disk,
        ):
            started = time.monotonic()
            try:
                faults.test_a_disk_that_fills_while_the_build_writes_its_own_files(
                    disk, Path(folder), patch, moment, said
                )
                outcome = f"one line 'Error: STORE: no space left on the device for {said}…'"
                outcome += ", store intact, next build works"
            except AssertionError as error:
                outcome = f"FAILED: {str(error).splitlines()[0]}"
                failed.append(f"{moment}: {outcome}")
        print(f"  {moment}: {outcome} ({time.monotonic() - started:.1f} s)")
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--after", type=int, default=20)
    parser.add_argument("--idle-kills", type=int, default=5)
    parser.add_argument("--leaves", default="262144,1048576,2097152,4194304")
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    started = show_command("tests.reliability.faults")
    failed = workers_killed(args.kills, args.after, args.idle_kills)
    failed += disk_full([int(n) for n in args.leaves.split(",")], args.pages)
    finish(failed, started)


if __name__ == "__main__":
    main()
