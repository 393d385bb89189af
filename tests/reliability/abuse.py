"""Abuse a public endpoint meets, the full form of ``tests/test_serve_abuse.py``, at the
sizes the issue reported them, each against its own real ``occugraph serve`` on 127.0.0.1
over a seeds build. Figures, one line each, for docs/RELIABILITY.md:

- abandoned: N clients post a never-ending query to a server with 2 workers and a 2 s
  limit and give up after 1 s; then the seconds until a normal query is answered.
- big bodies: K queries of M MB posted at once; the slowest /health answer meanwhile.
- slow bodies: C connections send headers, then a body byte every 2 s; the seconds until
  the last is cut off, the slowest /health answer meanwhile, and the tracebacks logged.
- memory: a query that sorts the cross product of all statements, with the default cap;
  the seconds until it is stopped and the most private memory its worker was seen with.

Exits 1 if a check fails. Run from the project root, as a module:

.venv/bin/python -m tests.reliability.abuse [--abandoning 40 200] [--bodies 4x8 8x15]
    [--slow 300]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2

from occugraph.build import build
from occugraph.query.workers import private_memory
from occugraph.testing import HOST, Server, occugraph_serve
from tests.conftest import SEEDS
from tests.reliability.checks import finish, show_command
from tests.reliability.load import descendants
from tests.test_serve_abuse import CHEAP, _abandon, post

HUNGRY = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"


def worst_health(server: Server, busy: Callable[[], bool]) -> float:
    """The slowest /health answer, in seconds, while ``busy()`` holds."""
    worst = 0.0
    while busy():
        started = time.perf_counter()
        httpx2.get(f"{server.base}/health", timeout=120)
        worst = max(worst, time.perf_counter() - started)
        time.sleep(0.05)
    return worst


def abandoned(store: Path, folder: Path, clients: int) -> tuple[str, bool]:
    options = ("--workers", "2", "--time-limit", "2")
    with occugraph_serve(store, log=folder / f"abandon-{clients}.log", options=options) as server:
        gave_up = asyncio.run(_abandon(server, clients=clients, after=1.0))
        started = time.perf_counter()
        answer = post(server, CHEAP, timeout=300)
        waited = time.perf_counter() - started
        gone = server.log.read_text().count("the client went away before its answer")
    ok = answer.status_code == 200 and gave_up == clients == gone
    return (
        f"{clients} clients gave up after 1 s ({gone} logged as gone); the next query was "
        f"answered {answer.status_code} after {waited:.2f} s",
        ok,
    )


def big_bodies(store: Path, folder: Path, count: int, megabytes: int) -> tuple[str, bool]:
    literal = "a" * (megabytes * 1024 * 1024 - 100)
    query = f'ASK {{ ?s ?p "{literal}" }}'
    options = ("--workers", "2", "--time-limit", "60")
    log = folder / f"bodies-{count}x{megabytes}.log"
    with (
        occugraph_serve(store, log=log, options=options) as server,
        ThreadPoolExecutor(count) as pool,
    ):
        posted = [pool.submit(post, server, query, 300) for _ in range(count)]
        worst = worst_health(server, lambda: not all(f.done() for f in posted))
        statuses = sorted({f.result().status_code for f in posted})
    return (
        f"{count} queries of {megabytes} MB at once: answered {statuses}; slowest /health "
        f"meanwhile {worst:.3f} s",
        statuses == [200] and worst < 1.0,
    )


def slow_bodies(store: Path, folder: Path, connections: int) -> tuple[str, bool]:
    options = ("--body-timeout", "10")
    head = (
        f"POST /sparql HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/sparql-query\r\n"
        "Content-Length: 1000\r\n\r\n"
    ).encode()
    cut: list[float] = []
    with occugraph_serve(store, log=folder / "slow.log", options=options) as server:
        started = time.perf_counter()

        def trickle() -> None:
            with socket.create_connection((HOST, server.port), timeout=60) as sock:
                sock.sendall(head)
                try:
                    while True:
                        sock.settimeout(2)
                        try:
                            sock.recv(65536)  # the 408, or the end of the connection
                            break
                        except TimeoutError:
                            sock.sendall(b"S")
                except OSError:
                    pass
            cut.append(time.perf_counter() - started)

        threads = [threading.Thread(target=trickle) for _ in range(connections)]
        for thread in threads:
            thread.start()
        worst = worst_health(server, lambda: any(t.is_alive() for t in threads))
        time.sleep(1)
        log = server.log.read_text()
    tracebacks = log.count("Traceback")
    return (
        f"{connections} bodies a byte every 2 s: the last cut off after {max(cut):.1f} s "
        f"(deadline 10 s); slowest /health meanwhile {worst:.3f} s; tracebacks logged: "
        f"{tracebacks}",
        len(cut) == connections and max(cut) < 30 and tracebacks == 0,
    )


def memory(store: Path, folder: Path) -> tuple[str, bool]:
    options = ("--workers", "1", "--time-limit", "120")
    with occugraph_serve(store, log=folder / "memory.log", options=options) as server:
        peak = 0
        done = threading.Event()

        def watch() -> None:
            nonlocal peak
            while not done.is_set():
                for pid in descendants(server.pid):
                    peak = max(peak, private_memory(pid) or 0)
                time.sleep(0.02)

        watcher = threading.Thread(target=watch)
        watcher.start()
        started = time.perf_counter()
        answer = post(server, HUNGRY, timeout=300)
        stopped = time.perf_counter() - started
        done.set()
        watcher.join()
        after = post(server, CHEAP, timeout=120).status_code
    return (
        f"a sort of the cross product: {answer.status_code} after {stopped:.1f} s "
        f"({answer.json().get('error', '')!r}); its worker was seen at {peak / 2**20:.0f} MiB "
        f"at most (cap 2048); the next query {after}",
        answer.status_code == 503 and after == 200,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--abandoning", type=int, nargs="*", default=[40, 200])
    parser.add_argument("--bodies", nargs="*", default=["4x8", "8x15"])
    parser.add_argument("--slow", type=int, default=300)
    arguments = parser.parse_args()
    started = show_command("tests.reliability.abuse")
    checks: list[tuple[str, bool]] = []
    with tempfile.TemporaryDirectory(prefix="occugraph-abuse-") as scratch:
        folder = Path(scratch)
        store = Path(build([SEEDS], store=folder / "store").store)
        for clients in arguments.abandoning:
            checks.append(abandoned(store, folder, clients))
        for size in arguments.bodies:
            count, megabytes = (int(n) for n in size.split("x"))
            checks.append(big_bodies(store, folder, count, megabytes))
        checks.append(slow_bodies(store, folder, arguments.slow))
        checks.append(memory(store, folder))
    for line, ok in checks:
        print(("ok    " if ok else "FAIL  ") + line)
    finish([line for line, ok in checks if not ok], started)


if __name__ == "__main__":
    main()
