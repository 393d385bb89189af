"""``occugraph serve`` as a real process: what it says at start-up, and what it logs for a
client that asks to upgrade to HTTP/2 in clear text (issue 14)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import httpx2
from click.testing import CliRunner

from occugraph.cli import main
from occugraph.testing import HOST, free_port, occugraph_serve, running
from tests.conftest import SEEDS

H2C = (
    "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
    "HTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n"
)
"""The headers Java's ``java.net.http.HttpClient`` adds to a request on a new connection."""


def exchange(connection: socket.socket, request: str) -> bytes:
    """Send one request and read its whole answer (its length is given)."""
    connection.sendall(request.encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += connection.recv(65536)
    head, _, body = answer.partition(b"\r\n\r\n")
    length = int(
        next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:"))[15:]
    )
    while len(body) < length:
        body += connection.recv(65536)
    return head


def test_h2c_upgrades_are_answered_quietly_over_http_1_1(seeds_link: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with occugraph_serve(seeds_link, log=log) as server:
        with socket.create_connection((HOST, server.port), timeout=10) as connection:
            for path in ("/health", "/queries/occupation-card.json?occupation=21-1092.00"):
                request = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n{H2C}\r\n"
                assert exchange(connection, request).startswith(b"HTTP/1.1 200 OK")
            # the same connection goes on serving plain HTTP/1.1 requests
            plain = exchange(connection, f"GET /health HTTP/1.1\r\nHost: {HOST}\r\n\r\n")
            assert plain.startswith(b"HTTP/1.1 200 OK")
        body = "query=ASK%20%7B%7D"
        post = (
            f"POST /sparql HTTP/1.1\r\nHost: {HOST}\r\n{H2C}"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Accept: application/sparql-results+json\r\nContent-Length: {len(body)}\r\n\r\n{body}"
        )
        with socket.create_connection((HOST, server.port), timeout=10) as connection:
            assert exchange(connection, post).startswith(b"HTTP/1.1 200 OK")
    said = log.read_text()
    assert said.count('" 200') == 5, said  # with the readiness probe's GET /health
    assert "WARNING" not in said and "upgrade" not in said.lower(), said


def test_serve_without_a_build_says_so_and_answers_503_until_one_appears(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    log = tmp_path / "serve.log"
    port = free_port()
    command = [sys.executable, "-m", "occugraph.cli", "serve", "--store", str(store)]
    command += ["--host", HOST, "--port", str(port)]
    with running(command, port=port, ready="/context.jsonld", log=log) as server:
        assert httpx2.get(f"{server.base}/health").status_code == 503
        assert log.read_text().startswith(
            f"occugraph: no build at {store} yet: the graph's pages and queries answer 503 "
            f"until 'occugraph build --store {store}' writes one\n"
        )
        built = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(store)])
        assert built.exit_code == 0
        assert httpx2.get(f"{server.base}/health").status_code == 200


def test_serve_over_a_build_says_nothing_of_it(seeds_link: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with occugraph_serve(seeds_link, log=log):
        pass
    assert "no build" not in log.read_text()
