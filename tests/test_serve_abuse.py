"""Abuse a public endpoint meets, each against a real ``occugraph serve`` on 127.0.0.1:
clients that abandon slow queries, a full queue, megabytes of query text, bodies sent a
byte at a time, and a query that eats memory. Each failed on the server before these
guards (docs/RELIABILITY.md, "Abuse a public endpoint meets").

No test measures speed. Where one waits, it is for liveness: an answer the old server
gave only after tens of seconds, or never, is asked for within a generous bound.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path

import httpx2
import pytest

from occugraph.testing import HOST, NEVER_ENDING_QUERY, Server, occugraph_serve

CHEAP = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
QUERY = "application/sparql-query"
JSON = "application/sparql-results+json"


def serving(store: Path, tmp_path: Path, *options: str) -> AbstractContextManager[Server]:
    return occugraph_serve(store, log=tmp_path / "serve.log", options=options)


@pytest.fixture
def abandoning(seeds_link: Path, tmp_path: Path) -> Iterator[Server]:
    with serving(seeds_link, tmp_path, "--workers", "2", "--time-limit", "2") as server:
        yield server


def post(server: Server, query: str, timeout: float) -> httpx2.Response:
    return httpx2.post(
        f"{server.base}/sparql",
        content=query.encode(),
        headers={"Content-Type": QUERY, "Accept": JSON},
        timeout=timeout,
    )


async def _abandon(server: Server, clients: int, after: float) -> int:
    """``clients`` post the never-ending query and give up after ``after`` seconds."""
    limits = httpx2.Limits(max_connections=clients)  # each its own connection
    async with httpx2.AsyncClient(base_url=server.base, timeout=after, limits=limits) as client:

        async def one() -> bool:
            try:
                await client.post(
                    "/sparql", content=NEVER_ENDING_QUERY, headers={"Content-Type": QUERY}
                )
            except httpx2.TimeoutException:
                return True
            return False

        return sum(await asyncio.gather(*(one() for _ in range(clients))))


def test_work_whose_client_has_gone_is_dropped(abandoning: Server) -> None:
    """40 clients give up on a slow query after 1 s. Before, the 40 queries ran on to
    their 2 s limit two at a time, and a query sent next waited about 40 s."""
    gave_up = asyncio.run(_abandon(abandoning, clients=40, after=1.0))
    assert gave_up == 40
    answered = post(abandoning, CHEAP, timeout=30)  # about 2 s: two workers restarted
    assert answered.status_code == 200
    assert answered.json()["results"]["bindings"]
    log = abandoning.log.read_text()
    assert log.count("the client went away before its answer") == 40, log[-3000:]
    assert "ran past the time limit" not in log and "Traceback" not in log
    health = httpx2.get(f"{abandoning.base}/health", timeout=10).json()
    assert health["queries"]["waiting"] == 0 and health["queries"]["busy"] == 0


def test_a_full_queue_is_refused_at_once_and_health_says_so(
    seeds_link: Path, tmp_path: Path
) -> None:
    """One worker, two places in the queue: of six slow queries one runs, two wait and
    three are refused at once with Retry-After; /health answers 503 meanwhile."""
    options = ("--workers", "1", "--time-limit", "3", "--max-waiting", "2")
    with serving(seeds_link, tmp_path, *options) as running, ThreadPoolExecutor(8) as pool:
        slow = [pool.submit(post, running, NEVER_ENDING_QUERY, 60) for _ in range(6)]
        time.sleep(1.0)  # all six have arrived; the first still runs (3 s limit)
        health = httpx2.get(f"{running.base}/health", timeout=10)
        answers = [future.result() for future in slow]
    refused = [a for a in answers if "busy" in a.text]
    timed_out = [a for a in answers if "time limit" in a.text]
    assert len(refused) == 3 and len(timed_out) == 3, [a.text for a in answers]
    assert all(a.status_code == 503 and a.headers["Retry-After"] for a in refused)
    assert health.status_code == 503
    assert health.json()["queries"] == {
        "workers": 1,
        "busy": 1,
        "waiting": 2,
        "max_waiting": 2,
        "saturated": True,
    }


def test_megabytes_of_query_text_do_not_stall_the_server(seeds_link: Path, tmp_path: Path) -> None:
    """Eight 15 MB queries (one string literal each) posted at once. Before, scanning
    them for SERVICE on the event loop kept /health from answering for 8.8 s."""
    literal = "a" * (15 * 1024 * 1024 - 100)
    big = f'ASK {{ ?s ?p "{literal}" }}'
    polls: list[float] = []
    options = ("--workers", "2", "--time-limit", "60")
    with serving(seeds_link, tmp_path, *options) as server, ThreadPoolExecutor(8) as pool:
        posted = [pool.submit(post, server, big, 120) for _ in range(8)]
        while not all(future.done() for future in posted):
            started = time.perf_counter()
            httpx2.get(f"{server.base}/health", timeout=30).raise_for_status()
            polls.append(time.perf_counter() - started)
            time.sleep(0.05)
        answers = [future.result() for future in posted]
    assert [a.status_code for a in answers] == [200] * 8
    assert all(a.json()["boolean"] is False for a in answers)
    # Liveness, not speed: the stall this guards against lasted seconds, not a moment.
    assert len(polls) > 3 and max(polls) < 2.0, sorted(polls)[-5:]


def test_a_body_sent_a_byte_at_a_time_is_cut_off(seeds_link: Path, tmp_path: Path) -> None:
    """Before, a body trickling in after the headers held its connection forever, and its
    end logged a 3.8 KB traceback."""
    options = ("--body-timeout", "1.5")
    with serving(seeds_link, tmp_path, *options) as server:
        head = (
            f"POST /sparql HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: {QUERY}\r\n"
            "Content-Length: 200\r\n\r\n"
        ).encode()
        started = time.monotonic()
        answer = b""
        with socket.create_connection((HOST, server.port), timeout=30) as sock:
            sock.sendall(head)
            try:
                while time.monotonic() - started < 20 and not answer:
                    sock.sendall(b"S")
                    sock.settimeout(0.5)
                    try:
                        answer = sock.recv(65536)
                    except TimeoutError:
                        continue
            except (BrokenPipeError, ConnectionResetError):
                pass
        assert answer.startswith(b"HTTP/1.1 408 "), answer
        assert b"body came too slowly" in answer
        time.sleep(0.5)  # the app hears of it and logs its line
        log = server.log.read_text()
        assert "Traceback" not in log, log
        assert log.count("the client went away before its answer") == 1, log


def test_a_query_past_its_memory_cap_is_stopped(seeds_link: Path, tmp_path: Path) -> None:
    """Sorting the cross product of all statements grew a worker to gigabytes within its
    time limit; now it is stopped at its cap and the next query is answered."""
    options = ("--workers", "1", "--time-limit", "60", "--max-query-memory", "200")
    hungry = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
    with serving(seeds_link, tmp_path, *options) as server:
        answer = post(server, hungry, timeout=120)
        assert answer.status_code == 503, answer.text
        assert "200 MiB" in answer.json()["error"]
        assert answer.headers["Retry-After"]
        assert post(server, CHEAP, timeout=60).status_code == 200
