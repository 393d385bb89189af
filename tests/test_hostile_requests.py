"""Hostile input against ``occugraph serve``: every answer a clear 4xx, nothing changed,
nothing fetched, the update token nowhere to be seen.

One real server (``python -m occugraph.cli serve`` on a free port of 127.0.0.1, the update
token from the environment, a 1.5 s deadline for a request's head) over a seeds store.
Requests the HTTP clients would tidy up (``..`` segments, raw bytes, endless headers) are
written on a bare socket. A listener on 127.0.0.1 records any connection the server might
make while it is asked, through every door, to fetch from it.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx2
import pytest
from starlette.testclient import TestClient

from occugraph.settings import Settings
from occugraph.testing import HOST, Server, occugraph_serve
from tests.conftest import ClientFactory, copy_store

TOKEN = "hostile-requests-t0ken-7f3a9c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HEAD_TIMEOUT = 1.5
MAX_BODY = 16 * 1024 * 1024  # the default of --max-body
JSON_RESULTS = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"


def stored_triples(server: Server) -> int:
    count: int = httpx2.get(f"{server.base}/health", timeout=10).json()["triples"]
    return count


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeds_link: Path) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("hostile")
    store = copy_store(seeds_link, folder)  # its own: the token lets tests write to it
    options = ("--workers", "1", "--time-limit", "5", "--head-timeout", f"{HEAD_TIMEOUT:g}")
    # The token comes from the environment, as the README advises: not on a command line.
    env = {**os.environ, "OCCUGRAPH_UPDATE_TOKEN": TOKEN}
    log = folder / "serve.log"
    with occugraph_serve(store, log=log, options=options, env=env) as running:
        yield running
    assert TOKEN not in log.read_text(errors="replace")


@pytest.fixture
def unchanged(server: Server) -> Iterator[None]:
    """The store holds as many triples after the test as before it."""
    before = stored_triples(server)
    yield
    assert stored_triples(server) == before


def exchange(server: Server, request: bytes, *, timeout: float = 20) -> bytes:
    """Send raw bytes, read until the server closes; a reset just ends the answer."""
    chunks = []
    with socket.create_connection((HOST, server.port), timeout=timeout) as sock:
        with contextlib.suppress(OSError):
            sock.sendall(request)
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks)


def request(
    method: str, target: bytes, headers: dict[bytes, bytes] | None = None, body: bytes = b""
) -> bytes:
    head = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: " + HOST.encode()]
    head += [name + b": " + value for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT"):
        head.append(b"Content-Length: " + str(len(body)).encode())
    head.append(b"Connection: close")
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def status(answer: bytes) -> int | None:
    """The status of a raw answer, or None when the server closed without one."""
    if not answer.startswith(b"HTTP/1.1 "):
        return None
    return int(answer[9:12])


def error_of(answer: bytes) -> str:
    body = json.loads(answer.partition(b"\r\n\r\n")[2])
    assert body["ok"] is False and body["status"] == status(answer)
    message: str = body["error"]
    return message


# --- paths ---------------------------------------------------------------------------

TRAVERSALS = [
    b"/../../etc/passwd",
    b"/%2e%2e/%2e%2e/etc/passwd",
    b"/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    b"/queries/..%2f..%2fetc%2fpasswd",
    b"/queries/..%2F..%2Fpyproject.toml",
    b"/queries/../../pyproject.toml",
    b"/ontology/../pyproject.toml",
    b"/ontology/..%2f..%2fpyproject.toml",
    b"/context.jsonld/../../pyproject.toml",
    b"/levels/..%5c..%5cpyproject.toml",
    b"//etc/passwd",
    b"/levels/Proficient%00",
    b"/levels/Proficient%00.ttl",
    b"/queries/occupation-card%00.json",
    b"/%00/../pyproject.toml",
    b"/templates/base.html",
    b"/src/occugraph/server.py",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=[t.decode() for t in TRAVERSALS])
def test_paths_outside_the_graph_are_404(server: Server, target: bytes) -> None:
    answer = exchange(server, request("GET", target, {b"Accept": b"text/turtle"}))
    assert status(answer) == 404, answer[:300]
    assert answer.startswith(b"HTTP/1.1 404") and b"application/json" in answer
    for secret in (b"root:", b"[project]", b"[build-system]", b"import ", b"<!doctype"):
        assert secret not in answer
    error_of(answer)


def test_an_html_error_page_escapes_the_path(server: Server) -> None:
    answer = exchange(
        server,
        request("GET", b"/levels/%3Cscript%3Ealert(1)%3C/script%3E", {b"Accept": b"text/html"}),
    )
    assert status(answer) == 404
    assert b"<script>alert" not in answer and b"&lt;script&gt;alert(1)" in answer


# --- injection -------------------------------------------------------------------------

INJECTIONS = [
    '"} UNION { ?s ?p ?o } #',
    "x' . ?s ?p ?o . FILTER('1",
    '21-1092.00" } ; DROP ALL ; #',
    "1; DELETE WHERE { ?s ?p ?o }",
    "> } UNION { ?s ?p ?o } <",
    "\\u0022 } UNION { ?s ?p ?o }",
    "\x00",
    "%00",
    "../../etc/passwd",
    "${jndi:ldap://127.0.0.1/x}",
    "a" * 5000,
]
SAVED_PARAMETERS = [  # one saved query for each type of parameter
    ("occupation-card", "occupation", {}),
    ("element-statements", "element", {}),
    ("noc-sub-roles", "noc", {}),
    ("described-by-sources", "min_sources", {"occupation": "21-1092.00"}),
    ("competency-statements", "level", {"occupation": "21-1092.00"}),
    ("occupations-by-label", "label", {}),
    ("occupations-with-skill", "skill", {}),
    ("source-graph", "source", {}),
]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("query", "parameter", "others"), SAVED_PARAMETERS)
def test_saved_query_parameters_are_values_never_query_text(
    server: Server, query: str, parameter: str, others: dict[str, str]
) -> None:
    """Each injected value is refused (400 naming the parameter) or matches nothing."""
    with httpx2.Client(base_url=server.base, timeout=30) as client:
        for value in INJECTIONS:
            response = client.get(f"/queries/{query}.json", params={**others, parameter: value})
            assert response.status_code in (200, 400), (value, response.text)
            if response.status_code == 400:
                assert parameter in response.json()["error"]
            else:
                assert response.json()["results"]["bindings"] == [], value
        extra = client.get(f"/queries/{query}.json", params={"DROP ALL": "1", **others})
        assert extra.status_code == 400


@pytest.mark.usefixtures("unchanged")
def test_injection_strings_on_sparql_and_dereferencing(server: Server) -> None:
    with httpx2.Client(base_url=server.base, timeout=30) as client:
        for value in INJECTIONS:
            query = client.get("/sparql", params={"query": value}, headers={"Accept": JSON_RESULTS})
            assert query.status_code == 400 and "syntax" in query.json()["error"], value
            graph = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": value})
            assert graph.status_code == 400, value
            path = "/levels/Proficient" + quote(value, safe="")
            resource = client.get(path, headers={"Accept": "text/turtle"})
            assert resource.status_code == 404, value
            assert resource.json()["ok"] is False
            store = client.get("/graph-store", params={"graph": value})
            assert store.status_code in (400, 404), value


# --- sizes -----------------------------------------------------------------------------


def peak_memory(pid: int) -> int:
    """Peak resident memory of a process, in bytes (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


@pytest.mark.usefixtures("unchanged")
def test_a_50_mb_body_is_refused_without_being_read_into_memory(server: Server) -> None:
    body = b"#" * (50 * 1024 * 1024)
    before = peak_memory(server.pid)
    with httpx2.Client(base_url=server.base, timeout=60) as client:
        for path, content_type, headers in [
            ("/sparql", "application/sparql-query", {}),
            ("/sparql", FORM, {}),
            ("/sparql", "application/sparql-update", AUTH),
        ]:
            response = client.post(
                path, content=body, headers={**headers, "Content-Type": content_type}
            )
            assert response.status_code == 413, response.text
            assert "larger than this server takes" in response.json()["error"]
        put = client.put(
            "/graph-store?graph=https://example.org/big",
            content=body,
            headers={**AUTH, "Content-Type": "text/turtle"},
        )
        assert put.status_code == 413
    assert peak_memory(server.pid) - before < 20 * 1024 * 1024


@pytest.mark.usefixtures("unchanged")
def test_a_streamed_body_is_cut_at_the_limit(server: Server) -> None:
    """Without Content-Length (chunked), the body is counted as it comes."""
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        for _ in range(50):
            sent += 1024 * 1024
            yield b"#" * (1024 * 1024)

    with httpx2.Client(base_url=server.base, timeout=60) as client:
        for content_type, headers in [("application/sparql-query", {}), ("text/turtle", AUTH)]:
            path = "/sparql" if content_type.startswith("application") else "/graph-store"
            response = client.request(
                "POST" if path == "/sparql" else "PUT",
                path,
                params={} if path == "/sparql" else {"graph": "https://example.org/big"},
                content=chunks(),
                headers={**headers, "Content-Type": content_type},
            )
            assert response.status_code == 413, response.text
            assert response.json()["status"] == 413
        # A form field past Starlette's own 1 MB cap is refused before the body limit.
        form = client.post("/sparql", content=chunks(), headers={"Content-Type": FORM})
        assert form.status_code in (400, 413)
    assert sent > MAX_BODY


# Requests too big or too malformed for the HTTP layer, by name.
HUGE_REQUESTS = {
    "60KB header": request("GET", b"/health", {b"X-Big": b"a" * 60_000}),
    "2MB header": request("GET", b"/health", {b"X-Big": b"a" * 2_000_000}),
    "5000 headers": request("GET", b"/health", {f"X-H{i}".encode(): b"v" for i in range(5_000)}),
    "60KB URL": request("GET", b"/sparql?query=" + b"a" * 60_000),
    "2MB URL": request("GET", b"/sparql?query=" + b"a" * 2_000_000),
    "1M path segments": request("GET", b"/" + b"a/" * 1_000_000),
    "huge content-length": request(
        "GET", b"/health", {b"Content-Length": b"99999999999999999999999"}
    ),
    "negative content-length": request("GET", b"/health", {b"Content-Length": b"-1"}),
    "odd transfer-encoding": request("GET", b"/health", {b"Transfer-Encoding": b"chunked, gzip"}),
    "two hosts": b"GET /health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
    "NUL in request line": b"GET\x00/health HTTP/1.1\r\n\r\n",
    "binary garbage": b"\xff\xfe\xfd\r\n\r\n",
}


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("raw", list(HUGE_REQUESTS.values()), ids=list(HUGE_REQUESTS))
def test_huge_and_malformed_requests_get_4xx_or_are_closed(server: Server, raw: bytes) -> None:
    """uvicorn/h11 limits answer these: a 4xx or, when the request is too big to read
    past, a closed connection; never a 5xx, and the server goes on."""
    answer = exchange(server, raw)
    code = status(answer)
    assert code is None or 200 <= code < 500, answer[:300]
    if code is not None and code != 200:
        assert 400 <= code < 500
    assert httpx2.get(f"{server.base}/health", timeout=10).status_code == 200


# --- invalid UTF-8 ---------------------------------------------------------------------

BAD = b"\xff\xfe\xc3\x28\x80"


# Invalid UTF-8 in every part of a request, by name: (request, the statuses allowed).
INVALID_UTF8 = {
    "raw bytes in query string": (request("GET", b"/sparql?query=" + BAD), {400}),
    "escaped bytes in query": (request("GET", b"/sparql?query=%ff%fe%c3%28"), {400}),
    "escaped bytes in graph IRI": (
        request("GET", b"/sparql?query=ASK%7B%7D&default-graph-uri=%ff%fe"),
        {400},
    ),
    "escaped bytes in saved-query value": (
        request("GET", b"/queries/occupation-card.json?occupation=%ff%fe"),
        {400},
    ),
    "escaped bytes in saved-query name": (
        request("GET", b"/queries/occupation-card.json?%ff%fe=1"),
        {400},
    ),
    "escaped bytes in path": (request("GET", b"/levels/%ff%fe"), {404}),
    "raw bytes in path": (request("GET", b"/levels/" + BAD), {400}),
    "escaped bytes in saved-query path": (request("GET", b"/queries/%ff%fe.json"), {404}),
    "escaped bytes in graph-store IRI": (request("GET", b"/graph-store?graph=%ff%fe"), {400}),
    "raw bytes in form": (
        request("POST", b"/sparql", {b"Content-Type": FORM.encode()}, b"query=" + BAD),
        {400},
    ),
    "escaped bytes in form": (
        request("POST", b"/sparql", {b"Content-Type": FORM.encode()}, b"query=%ff%fe"),
        {400},
    ),
    "escaped bytes in update form": (
        request("POST", b"/sparql", {b"Content-Type": FORM.encode()}, b"update=%ff"),
        {401},
    ),
    "raw bytes in direct query": (
        request("POST", b"/sparql", {b"Content-Type": b"application/sparql-query"}, BAD),
        {400},
    ),
    "raw bytes in charset": (
        request(
            "POST",
            b"/sparql",
            {b"Content-Type": b"application/sparql-query; charset=" + BAD},
            b"ASK {}",
        ),
        {415},
    ),
    "raw bytes as content-type": (
        request("POST", b"/sparql", {b"Content-Type": BAD}, b"ASK {}"),
        {415},
    ),
    "raw bytes in Accept": (request("GET", b"/levels/Proficient", {b"Accept": BAD}), {200}),
    "raw bytes after an Accept type": (
        request("GET", b"/sparql?query=ASK%7B%7D", {b"Accept": b"text/csv" + BAD}),
        {406},
    ),
    "raw bytes in another header": (request("GET", b"/health", {b"X-Anything": BAD}), {200}),
    "raw bytes in a header name": (request("GET", b"/health", {BAD: b"1"}), {400}),
    "raw bytes in the update token": (
        request(
            "POST",
            b"/sparql",
            {b"Authorization": b"Bearer " + BAD, b"Content-Type": FORM.encode()},
            b"update=CLEAR+ALL",
        ),
        {401},
    ),
    "raw bytes in the token of a PUT": (
        request(
            "PUT",
            b"/graph-store?graph=https://example.org/g",
            {b"Authorization": b"Bearer " + BAD, b"Content-Type": b"text/turtle"},
            b"<urn:a> <urn:b> <urn:c> .",
        ),
        {401},
    ),
    "raw bytes as a PUT's content-type": (
        request(
            "PUT",
            b"/graph-store?graph=https://example.org/g",
            {**{k.encode(): v.encode() for k, v in AUTH.items()}, b"Content-Type": BAD},
            b"<urn:a> <urn:b> <urn:c> .",
        ),
        {415},
    ),
    "raw bytes in a Turtle literal": (
        request(
            "PUT",
            b"/graph-store?graph=https://example.org/g",
            {
                **{k.encode(): v.encode() for k, v in AUTH.items()},
                b"Content-Type": b"text/turtle",
            },
            b'<urn:a> <urn:b> "' + BAD + b'" .',
        ),
        {400},
    ),
}


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("raw", "expected"), list(INVALID_UTF8.values()), ids=list(INVALID_UTF8))
def test_invalid_utf8_anywhere_is_a_clear_4xx(
    server: Server, raw: bytes, expected: set[int]
) -> None:
    answer = exchange(server, raw)
    code = status(answer)
    assert code in expected, answer[:400]
    if code is not None and code >= 400 and b"application/json" in answer.partition(b"\r\n\r\n")[0]:
        error_of(answer)


# --- slow clients ----------------------------------------------------------------------


def drip(port: int) -> bytes:
    """Send a request's head a byte every 50 ms (10 s for the whole head, were it let
    through) until the server answers or closes; its answer, empty if none."""
    with socket.create_connection((HOST, port), timeout=15) as sock:
        with contextlib.suppress(OSError):
            for byte in request("GET", b"/health", {b"X-Slow": b"a" * 150}):
                if select.select([sock], [], [], 0)[0]:
                    break  # the server answered (or closed): stop sending
                sock.send(bytes([byte]))
                time.sleep(0.05)
        with contextlib.suppress(OSError):
            return sock.recv(4096)
    return b""


def test_slow_and_silent_clients_are_cut_off_while_others_are_answered(server: Server) -> None:
    silent = [socket.create_connection((HOST, server.port)) for _ in range(100)]
    answers: dict[int, bytes] = {}

    def dripper(index: int) -> None:
        answers[index] = drip(server.port)

    drippers = [threading.Thread(target=dripper, args=(i,)) for i in range(20)]
    try:
        started = time.monotonic()
        for thread in drippers:
            thread.start()
        with httpx2.Client(base_url=server.base, timeout=10) as client:
            for _ in range(10):
                asked = time.monotonic()
                assert client.get("/health").status_code == 200
                assert time.monotonic() - asked < 5  # loose: test machines are shared
        for thread in drippers:
            thread.join(timeout=30)
        cut_after = time.monotonic() - started
        assert len(answers) == 20
        assert all(status(a) == 408 for a in answers.values()), answers
        assert "too slowly" in error_of(answers[0])
        assert HEAD_TIMEOUT <= cut_after < HEAD_TIMEOUT + 8  # not the 11 s a head takes
        time.sleep(0.5)
        for sock in silent:  # closed by the server: the read ends at once, empty
            sock.settimeout(5)
            assert sock.recv(1) == b""
    finally:
        for sock in silent:
            sock.close()
    assert httpx2.get(f"{server.base}/health", timeout=10).status_code == 200


# --- no outbound requests --------------------------------------------------------------


@dataclass
class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    port: int = 0
    received: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/ctx"


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with listening() as found:
        yield found


@contextlib.contextmanager
def listening() -> Iterator[Listener]:
    """A listener on a free port of 127.0.0.1, accepting until the block ends."""
    found = Listener()
    stop_accepting = threading.Event()
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        sock.listen(64)
        sock.settimeout(0.1)
        found.port = sock.getsockname()[1]

        def accept() -> None:
            while not stop_accepting.is_set():
                try:
                    connection, _ = sock.accept()
                except TimeoutError:
                    continue
                with connection:
                    connection.settimeout(1)
                    data = b"<connected>"
                    with contextlib.suppress(OSError):
                        data = connection.recv(4096) or data
                    found.received.append(data)

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        yield found
        stop_accepting.set()
        thread.join(timeout=5)


P = "PREFIX ex: <http://example.org/> PREFIX u: <{url}> "
# Spellings of SERVICE and LOAD that a scan for the keyword might miss; Oxigraph reads
# every one of them as the keyword (checked against pyoxigraph directly).
QUERY_DOORS = {
    "service": "SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "service silent": "SELECT * {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "lower case, comment between": "select * {{ service #c\n silent <{url}> {{ ?s ?p ?o }} }}",
    "in a subquery": "SELECT * {{ {{ SELECT * {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }} }}",
    "in OPTIONAL": "SELECT * {{ OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
    "run together": "SELECT * {{ SERVICESILENT<{url}>{{ ?s ?p ?o }} }}",
    "prefixed name": P + "SELECT * {{ SERVICE SILENT u: {{ ?s ?p ?o }} }}",
    "prefixed, run together": P + "SELECT * {{ SERVICEu:{{ ?s ?p ?o }} }}",
    "after ex:p\\#": P + "SELECT * {{ BIND(ex:p\\# AS ?z) SERVICE SILENT u: {{ ?s ?p ?o }} }}",
    "after ex:p\\'": P + "SELECT * {{ BIND(ex:p\\' AS ?z) SERVICE SILENT u: {{ ?s ?p ?o }} "
    "FILTER(?z != 'x') }}",
    # The scan takes <2)SERVICEu:#> for an IRI; only the workers' sandbox stops this one.
    "inside a would-be IRI": P + "SELECT * {{ FILTER(1<2)SERVICEu:#>\n{{ ?s ?p ?o }} }}",
    "FROM": "SELECT * FROM <{url}> {{ ?s ?p ?o }}",
    "FROM NAMED": "SELECT * FROM NAMED <{url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "DESCRIBE": "DESCRIBE <{url}>",
}
UPDATE_DOORS = {
    "LOAD": "LOAD <{url}>",
    "LOAD SILENT INTO": "LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>",
    "load, lower case": "load #c\n silent <{url}>",
    "run together": "LOADSILENT<{url}>",
    "after ex:c\\#": P + "INSERT DATA {{ ex:a ex:b ex:c\\# }} ; LOAD SILENT u:",
    "SERVICE in WHERE": "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "inside a would-be IRI": P + "INSERT {{ ?s ?p ?o }} WHERE {{ FILTER(1<2)SERVICEu:#>\n"
    "{{ ?s ?p ?o }} }}",
}
BODY_DOORS = {
    "JSON-LD remote @context": (
        "application/ld+json",
        '{{"@context": "{url}", "@id": "http://example.org/a", "name": "x"}}',
    ),
    "JSON-LD @context list": (
        "application/ld+json",
        '{{"@context": ["{url}"], "@id": "http://example.org/a", "name": "x"}}',
    ),
    "JSON-LD @import": (
        "application/ld+json",
        '{{"@context": {{"@import": "{url}"}}, "@id": "http://example.org/a", "name": "x"}}',
    ),
    "JSON-LD scoped context": (
        "application/ld+json",
        '{{"@context": {{"p": {{"@id": "http://example.org/p", "@context": "{url}"}}}}, '
        '"@id": "http://example.org/a", "p": {{"name": "x"}}}}',
    ),
    "Turtle @base and @prefix": (
        "text/turtle",
        "@base <{url}> . @prefix p: <{url}#> . <a> p:b <c> .",
    ),
    "RDF/XML external entity": (
        "application/rdf+xml",
        '<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "{url}">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="http://example.org/a"><rdf:value>&e;</rdf:value>'
        "</rdf:Description></rdf:RDF>",
    ),
    "RDF/XML xml:base": (
        "application/rdf+xml",
        '<?xml version="1.0"?><rdf:RDF xml:base="{url}" '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="a"><rdf:value rdf:resource="b"/></rdf:Description>'
        "</rdf:RDF>",
    ),
}


def nothing_fetched(listener: Listener) -> None:
    time.sleep(0.2)  # a connection the server made would be accepted by now
    assert listener.received == []


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("door", QUERY_DOORS)
def test_queries_fetch_nothing(server: Server, listener: Listener, door: str) -> None:
    query = QUERY_DOORS[door].format(url=listener.url)
    with httpx2.Client(base_url=server.base, timeout=30) as client:
        answers = [
            client.get("/sparql", params={"query": query}),
            client.post("/sparql", data={"query": query}),
            client.post(
                "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
            ),
        ]
    for response in answers:
        if door.startswith(("FROM", "DESCRIBE")):  # harmless: answered from the store alone
            assert response.status_code == 200, response.text
        else:
            assert response.status_code == 400, response.text
            assert (
                "SERVICE is not allowed" in response.json()["error"]
                or "Permission denied" in response.json()["error"]
            )
    nothing_fetched(listener)


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("door", UPDATE_DOORS)
def test_updates_fetch_nothing_with_or_without_the_token(
    server: Server, listener: Listener, door: str
) -> None:
    update = UPDATE_DOORS[door].format(url=listener.url)
    direct = {"Content-Type": "application/sparql-update"}
    with httpx2.Client(base_url=server.base, timeout=30) as client:
        assert client.post("/sparql", data={"update": update}).status_code == 401
        assert client.post("/sparql", content=update, headers=direct).status_code == 401
        for response in (
            client.post("/sparql", data={"update": update}, headers=AUTH),
            client.post("/sparql", content=update, headers={**AUTH, **direct}),
        ):
            assert response.status_code == 400, response.text
            assert (
                "LOAD and SERVICE are not allowed" in response.json()["error"]
                or "Permission denied" in response.json()["error"]
            )
    nothing_fetched(listener)


@pytest.mark.parametrize("door", BODY_DOORS)
def test_graph_store_bodies_fetch_nothing(server: Server, listener: Listener, door: str) -> None:
    ctype, template = BODY_DOORS[door]
    body = template.format(url=listener.url)
    graph = {"graph": "https://example.org/hostile"}
    before = stored_triples(server)
    with httpx2.Client(base_url=server.base, timeout=30) as client:
        for method in ("PUT", "POST"):
            refused = client.request(
                method, "/graph-store", params=graph, content=body, headers={"Content-Type": ctype}
            )
            assert refused.status_code == 401
        response = client.put(
            "/graph-store", params=graph, content=body, headers={**AUTH, "Content-Type": ctype}
        )
        # Remote contexts and external entities are parse errors; a base IRI is only a
        # name. Either way nothing is fetched.
        assert response.status_code in (201, 400), response.text
        if response.status_code == 400:
            assert "cannot parse" in response.json()["error"]
            assert stored_triples(server) == before
        else:
            assert client.delete("/graph-store", params=graph, headers=AUTH).status_code == 204
    nothing_fetched(listener)
    assert stored_triples(server) == before


@pytest.mark.usefixtures("unchanged")
def test_dereferencing_fetches_nothing(server: Server, listener: Listener) -> None:
    url = listener.url
    with httpx2.Client(base_url=server.base, timeout=30) as client:
        for path, params, expected in [
            ("/" + url, {}, 404),
            ("/" + quote(url, safe=""), {}, 404),
            ("/graph-store", {"graph": url}, 404),
            ("/levels/Proficient", {"format": url}, 406),
            ("/queries/occupation-card.json", {"occupation": url}, 200),  # an IRI, unknown
            ("/queries/occupations-with-skill.json", {"skill": url}, 200),
            ("/queries/source-graph.ttl", {"source": url}, 200),
            ("/sparql", {"query": "ASK {}", "default-graph-uri": url}, 200),
            ("/sparql", {"query": "ASK {}", "named-graph-uri": url}, 200),
        ]:
            response = client.get(path, params=params)
            assert response.status_code == expected, (path, response.text)
    nothing_fetched(listener)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="seccomp is Linux's")
def test_a_sandboxed_process_cannot_open_internet_sockets() -> None:
    """What stops the fetches no keyword scan catches: run in a child, as workers do."""
    code = (
        "import socket, sys\n"
        "from occugraph.query.sandbox import forbid_network\n"
        "assert forbid_network()\n"
        "a, b = socket.socketpair()  # Unix sockets still work: workers talk to the server\n"
        "for family in (socket.AF_INET, socket.AF_INET6):\n"
        "    try:\n"
        "        socket.socket(family)\n"
        "    except PermissionError:\n"
        "        continue\n"
        "    sys.exit('opened an Internet socket')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- writes ----------------------------------------------------------------------------

INSERT = "INSERT DATA { GRAPH <https://example.org/w> { <urn:a> <urn:b> <urn:c> } }"
TRIPLE = "<urn:x> <urn:y> <urn:z> ."
WRITES = {
    "update by form": ("POST", "/sparql", {}, {"Content-Type": FORM}, "update=" + quote(INSERT)),
    "update direct": ("POST", "/sparql", {}, {"Content-Type": "application/sparql-update"}, INSERT),
    "graph store PUT": (
        "PUT",
        "/graph-store",
        {"graph": "https://example.org/w"},
        {"Content-Type": "application/n-triples"},
        TRIPLE,
    ),
    "graph store POST": (
        "POST",
        "/graph-store",
        {"graph": "https://example.org/w"},
        {"Content-Type": "application/n-triples"},
        TRIPLE,
    ),
    "graph store POST default": (
        "POST",
        "/graph-store",
        {"default": ""},
        {"Content-Type": "text/turtle"},
        TRIPLE,
    ),
    "graph store DELETE": (
        "DELETE",
        "/graph-store",
        {"graph": "https://graph.org.ai/graphs/links"},
        {},
        "",
    ),
}
WRONG_TOKENS = [
    {},
    {"Authorization": "Bearer nope"},
    {"Authorization": f"Bearer {TOKEN}x"},
    {"Authorization": f"Bearer {TOKEN[:-1]}"},
    {"Authorization": f"Basic {TOKEN}"},
    {"X-Update-Token": TOKEN},
]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("write", WRITES)
def test_writes_without_the_token_are_401_and_change_nothing(server: Server, write: str) -> None:
    method, path, params, headers, body = WRITES[write]
    with httpx2.Client(base_url=server.base, timeout=30) as client:
        for wrong in WRONG_TOKENS:
            response = client.request(
                method, path, params=params, content=body, headers={**headers, **wrong}
            )
            assert response.status_code == 401, (wrong, response.text)
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert TOKEN not in response.text


@pytest.fixture(scope="module")
def read_only(client_factory: ClientFactory) -> Iterator[TestClient]:
    with client_factory(Settings(workers=1)) as client:
        yield client


@pytest.mark.parametrize("write", WRITES)
def test_a_server_without_a_token_refuses_every_write_with_403(
    read_only: TestClient, write: str
) -> None:
    method, path, params, headers, body = WRITES[write]
    before = read_only.get("/health").json()["triples"]
    for given in ({}, AUTH):
        response = read_only.request(
            method, path, params=params, content=body, headers={**headers, **given}
        )
        assert response.status_code == 403, response.text
        assert "read-only" in response.json()["error"]
    assert read_only.get("/health").json()["triples"] == before


def test_writes_with_the_token_work_and_the_token_is_never_shown(server: Server) -> None:
    before = stored_triples(server)
    with httpx2.Client(base_url=server.base, timeout=30) as client:
        for write in ("update by form", "update direct", "graph store PUT", "graph store POST"):
            method, path, params, headers, body = WRITES[write]
            response = client.request(
                method, path, params=params, content=body, headers={**headers, **AUTH}
            )
            assert response.status_code in (201, 204), (write, response.text)
        assert stored_triples(server) == before + 1  # the PUT replaced what the updates added
        ask = client.get(
            "/sparql",
            params={"query": "ASK { GRAPH <https://example.org/w> { <urn:x> <urn:y> <urn:z> } }"},
            headers={"Accept": JSON_RESULTS},
        )
        assert ask.json()["boolean"] is True
        deleted = client.delete(
            "/graph-store", params={"graph": "https://example.org/w"}, headers=AUTH
        )
        assert deleted.status_code == 204
        assert stored_triples(server) == before

        seen = [
            client.get(path, headers={"Accept": accept}).text
            for path in ("/", "/sparql", "/queries", "/queries/occupation-card", "/health", "/nope")
            for accept in ("text/html", "application/json")
        ]
        descriptions = [
            client.get("/sparql", headers={"Accept": accept}).text
            for accept in ("text/turtle", "application/ld+json", "application/n-triples")
        ]
        seen += descriptions
        seen += [
            client.post("/sparql", data={"update": "CLEAR GRAPH <urn:none>"}, headers=AUTH).text,
            client.post("/sparql", data={"update": "NOT AN UPDATE"}, headers=AUTH).text,
            client.post("/sparql", data={"update": "LOAD <urn:x>"}, headers=AUTH).text,
            client.put(
                "/graph-store?graph=urn:g",
                content="bad {",
                headers={**AUTH, "Content-Type": "text/turtle"},
            ).text,
            client.post(
                "/sparql", data={"update": INSERT}, headers={"Authorization": "Bearer x"}
            ).text,
        ]
    for description in descriptions:  # says that updates are taken, not how
        assert "SPARQL11Update" in description
    for text in seen:
        assert TOKEN not in text
    assert TOKEN not in server.log.read_text(errors="replace")
