"""Hostile requests, the full form: every family of ``tests/test_hostile_requests.py``,
``--rounds`` times, against one real ``occugraph serve`` on 127.0.0.1.

The server (``occugraph.testing``, 2 query workers, a 5 s time limit, a 1.5 s deadline
for a request's head, the update token from the environment) serves a seeds build. The
families and their inputs are the test's own: injection strings in saved-query
parameters, ``/sparql``, dereference paths and graph IRIs; path traversal; huge and
malformed requests and 50 MB bodies; invalid UTF-8 anywhere; slow and silent clients;
every door to an outbound request (SERVICE, LOAD, remote JSON-LD contexts, external XML
entities, ...) with a listener on 127.0.0.1 that must receive nothing; and writes with
wrong tokens. Figures: requests per family, the statuses seen (never a 5xx), answers the
test would not allow, the digest of the store's N-Quads before and after (equal), the
connections the listener received (none) and how often the token appears in the answers
and the server's log (never).

Exits 1 if a check fails. Run from the project root, as a module (it imports the tests):

.venv/bin/python -m tests.reliability.hostile_requests [--rounds 3] [--silent 300] [--drippers 60]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shlex
import socket
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx2
from pyoxigraph import RdfFormat

from occugraph.build import build
from occugraph.store.embedded import open_read_only
from occugraph.testing import HOST, Server, occugraph_serve
from tests import test_hostile_requests as hostile
from tests.conftest import SEEDS
from tests.reliability.checks import finish, show_command

TOKEN = hostile.TOKEN
AUTH = hostile.AUTH
FIFTY_MB = 50 * 1024 * 1024
"""The size of the bodies sent to test the body limit (made when sent, not on import)."""


@dataclass
class Tally:
    """Statuses per family, and the answers the test would not allow."""

    statuses: dict[str, Counter[str]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    token_seen: int = 0

    def add(self, family: str, what: str, code: int | None, allowed: set[int], body: bytes) -> None:
        self.statuses.setdefault(family, Counter())[str(code or "closed")] += 1
        if (code or 0) >= 500 or (allowed and code not in allowed):  # empty: any but 5xx
            self.refused.append(f"{family}: {what[:80]!r} answered {code}")
        self.token_seen += body.count(TOKEN.encode())

    def response(self, family: str, what: str, answer: httpx2.Response, allowed: set[int]) -> None:
        head = "".join(f"{k}: {v}" for k, v in answer.headers.items()).encode()
        self.add(family, what, answer.status_code, allowed, head + answer.content)


def digest(store: Path) -> tuple[str, int]:
    """SHA-256 of the store's statements as sorted N-Quads, and how many there are."""
    dumped = open_read_only(store).dump(format=RdfFormat.N_QUADS)
    assert dumped is not None  # no output given: the dump is returned
    lines = sorted(dumped.splitlines())
    return hashlib.sha256(b"\n".join(lines)).hexdigest(), len(lines)


def injection(client: httpx2.Client, tally: Tally) -> None:
    for query, parameter, others in hostile.SAVED_PARAMETERS:
        for value in hostile.INJECTIONS:
            answer = client.get(f"/queries/{query}.json", params={**others, parameter: value})
            tally.response("injection", value, answer, {200, 400})
            if answer.status_code == 200 and answer.json()["results"]["bindings"]:
                tally.refused.append(f"injection: {value[:40]!r} in {query} matched something")
        answer = client.get(f"/queries/{query}.json", params={"DROP ALL": "1", **others})
        tally.response("injection", "DROP ALL", answer, {400})
    for value in hostile.INJECTIONS:
        for path, params, allowed in [
            ("/sparql", {"query": value}, {400}),
            ("/sparql", {"query": "ASK {}", "default-graph-uri": value}, {400}),
            ("/levels/Proficient" + quote(value, safe=""), {}, {404}),
            ("/graph-store", {"graph": value}, {400, 404}),
        ]:
            tally.response("injection", value, client.get(path, params=params), allowed)


def raw(server: Server, tally: Tally, family: str, requests: dict[str, bytes]) -> None:
    for what, request in requests.items():
        answer = hostile.exchange(server, request)
        tally.add(family, what, hostile.status(answer), set(), answer)


def traversal(server: Server, tally: Tally) -> None:
    for target in hostile.TRAVERSALS:
        answer = hostile.exchange(server, hostile.request("GET", target, {b"Accept": b"text/*"}))
        tally.add("traversal", target.decode(), hostile.status(answer), {404}, answer)
        for secret in (b"root:", b"[project]", b"[build-system]", b"import "):
            if secret in answer:
                tally.refused.append(f"traversal: {target!r} showed {secret!r}")


def huge(server: Server, client: httpx2.Client, tally: Tally) -> int:
    """The huge requests and 50 MB bodies; the server's peak memory growth (bytes)."""
    before = hostile.peak_memory(server.pid)
    for what, request in hostile.HUGE_REQUESTS.items():
        raw_answer = hostile.exchange(server, request)
        tally.add("huge", what, hostile.status(raw_answer), set(), raw_answer)
    body = b"#" * FIFTY_MB
    for content_type, headers in [
        ("application/sparql-query", {}),
        (hostile.FORM, {}),
        ("application/sparql-update", AUTH),
    ]:
        answer = client.post(
            "/sparql", content=body, headers={**headers, "Content-Type": content_type}
        )
        tally.response("huge", f"50 MB {content_type}", answer, {413})
    answer = client.put(
        "/graph-store?graph=https://example.org/big",
        content=body,
        headers={**AUTH, "Content-Type": "text/turtle"},
    )
    tally.response("huge", "50 MB PUT", answer, {413})
    return hostile.peak_memory(server.pid) - before


def invalid_utf8(server: Server, tally: Tally) -> None:
    for what, (request, expected) in hostile.INVALID_UTF8.items():
        answer = hostile.exchange(server, request)
        tally.add("invalid UTF-8", what, hostile.status(answer), expected, answer)


def slow_clients(server: Server, tally: Tally, silent: int, drippers: int) -> float:
    """Silent connections and drippers, while /health is asked; its slowest answer (s)."""
    idle = [socket.create_connection((HOST, server.port)) for _ in range(silent)]
    answers: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: answers.append(hostile.drip(server.port)))
        for _ in range(drippers)
    ]
    slowest = 0.0
    try:
        for thread in threads:
            thread.start()
        with httpx2.Client(base_url=server.base, timeout=30) as client:
            for _ in range(20):
                asked = time.monotonic()
                tally.response("slow clients", "/health meanwhile", client.get("/health"), {200})
                slowest = max(slowest, time.monotonic() - asked)
                time.sleep(0.1)
        for thread in threads:
            thread.join(timeout=60)
        for answer in answers:
            tally.add("slow clients", "dripped head", hostile.status(answer), {408}, answer)
        time.sleep(0.5)
        for sock in idle:  # closed by the server: the read ends at once, empty
            sock.settimeout(5)
            tally.statuses["slow clients"]["silent, closed by the server"] += sock.recv(1) == b""
    finally:
        for sock in idle:
            sock.close()
    return slowest


def outbound(client: httpx2.Client, tally: Tally, url: str) -> None:
    for door, template in hostile.QUERY_DOORS.items():
        query = template.format(url=url)
        allowed = {200} if door.startswith(("FROM", "DESCRIBE")) else {400}
        direct = {"Content-Type": "application/sparql-query"}
        for answer in (
            client.get("/sparql", params={"query": query}),
            client.post("/sparql", data={"query": query}),
            client.post("/sparql", content=query, headers=direct),
        ):
            tally.response("outbound", door, answer, allowed)
    for door, template in hostile.UPDATE_DOORS.items():
        update = template.format(url=url)
        tally.response("outbound", door, client.post("/sparql", data={"update": update}), {401})
        answer = client.post("/sparql", data={"update": update}, headers=AUTH)
        tally.response("outbound", door, answer, {400})
    graph = {"graph": "https://example.org/hostile"}
    for door, (content_type, template) in hostile.BODY_DOORS.items():
        body, headers = template.format(url=url), {"Content-Type": content_type}
        answer = client.put("/graph-store", params=graph, content=body, headers=headers)
        tally.response("outbound", door, answer, {401})
        answer = client.put("/graph-store", params=graph, content=body, headers={**headers, **AUTH})
        tally.response("outbound", door, answer, {201, 400})
        if answer.status_code == 201:  # a base IRI is only a name: undo the write
            client.delete("/graph-store", params=graph, headers=AUTH)


def writes(client: httpx2.Client, tally: Tally) -> None:
    for write, (method, path, params, headers, body) in hostile.WRITES.items():
        for wrong in hostile.WRONG_TOKENS:
            answer = client.request(
                method, path, params=params, content=body, headers={**headers, **wrong}
            )
            tally.response("writes without the token", write, answer, {401})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--silent", type=int, default=300)
    parser.add_argument("--drippers", type=int, default=60)
    args = parser.parse_args()
    started = show_command("tests.reliability.hostile_requests")
    os.environ["OCCUGRAPH_UPDATE_TOKEN"] = TOKEN  # the server's, from its environment
    tally, failed = Tally(), []
    with tempfile.TemporaryDirectory(prefix="hostile-requests-") as folder:
        store = Path(folder) / "store"
        build([SEEDS], store=store)
        before = digest(store)
        options = ("--workers", "2", "--time-limit", "5", "--head-timeout", "1.5")
        with (
            occugraph_serve(store, log=Path(folder) / "serve.log", options=options) as running,
            hostile.listening() as listener,
            httpx2.Client(base_url=running.base, timeout=60) as client,
        ):
            print(f"server: {shlex.join(running.command)}")
            server = running
            grown, slowest = 0, 0.0
            for _ in range(args.rounds):
                injection(client, tally)
                traversal(server, tally)
                grown = max(grown, huge(server, client, tally))
                invalid_utf8(server, tally)
                slowest = max(slowest, slow_clients(server, tally, args.silent, args.drippers))
                outbound(client, tally, listener.url)
                writes(client, tally)
            time.sleep(0.5)  # a connection the server made would be accepted by now
            received = len(listener.received)
            for path in ("/", "/sparql", "/queries", "/queries/occupation-card", "/nope"):
                for accept in ("text/html", "application/json", "text/turtle"):
                    answer = client.get(path, headers={"Accept": accept})
                    tally.response("pages", path, answer, set())
            seconds = time.monotonic() - started
        in_log = running.log.read_text(errors="replace").count(TOKEN)
        after = digest(store)

    print(f"\n{args.rounds} rounds in {seconds:.0f} s\n")
    print("| family | requests | statuses |\n|---|---|---|")
    for family, statuses in tally.statuses.items():
        shown = ", ".join(f"{code}: {n:,}" for code, n in sorted(statuses.items()))
        print(f"| {family} | {sum(statuses.values()):,} | {shown} |")
    fivexx = sum(n for s in tally.statuses.values() for c, n in s.items() if c.startswith("5"))
    print(f"\n5xx answers: {fivexx}; answers the test would not allow: {len(tally.refused)}")
    print(f"store before: {before[1]:,} quads, sha256 {before[0][:16]}")
    print(f"store after:  {after[1]:,} quads, sha256 {after[0][:16]}")
    print(f"connections to the 127.0.0.1 listener: {received}")
    print(f"the token in answers: {tally.token_seen}; in the server's log: {in_log}")
    print(f"server peak memory growth over the 50 MB bodies: {grown / 2**20:.1f} MB")
    print(f"slowest /health while slow clients held connections: {slowest * 1000:.0f} ms")
    failed += tally.refused
    failed += ["the store changed"] if before != after else []
    failed += [f"{received} outbound connections"] if received else []
    failed += ["the token was shown"] if tally.token_seen or in_log else []
    finish(failed, started)


if __name__ == "__main__":
    main()
