"""Real servers as subprocesses on 127.0.0.1, for tests and benchmarks that need a real server.

Most tests call the ASGI app in-process, but some things only a real server shows: uvicorn's
start-up, the time limit that kills a query worker, streamed answers, slow clients, and how
fast it serves; Oxigraph's own server stands beside it as a remote store and as the baseline.
These helpers live in the package, as aiohttp's ``test_utils`` do, so that the tests and the
benchmarks share them without either importing the other.

Each server is started in its own process group on a free port, waited for until a URL of
its answers 200, and stopped with everything it started (query workers included) on leaving
the ``with`` block, so none outlives its caller::

    with occugraph_serve(store, log=tmp / "serve.log", options=("--workers", "2")) as server:
        httpx2.get(server.base + "/health")
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2

__all__ = [
    "HOST",
    "NEVER_ENDING_QUERY",
    "START_LIMIT",
    "VIRTUOSO_SETUP",
    "Server",
    "ServerDidNotStartError",
    "free_port",
    "occugraph_serve",
    "oxigraph_serve",
    "percentile",
    "running",
    "stop",
    "virtuoso_serve",
]

HOST = "127.0.0.1"
"""Only the loopback interface: a test server must not be reachable from elsewhere."""
START_LIMIT = 60.0
"""Seconds a server may take to answer its first request (a busy CI machine is slow)."""
NEVER_ENDING_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""A triple cross product that no store finishes in time, to show a time limit is kept."""


class ServerDidNotStartError(RuntimeError):
    """The server exited, or did not answer within ``START_LIMIT``; the message holds its log."""


@dataclass(frozen=True)
class Server:
    """A running server: where to send requests, and what to read when they fail.

    >>> Server("http://127.0.0.1:8123", pid=1, command=["serve"], log=Path("serve.log")).port
    8123
    """

    base: str
    """``http://127.0.0.1:PORT``, without a trailing slash."""
    pid: int
    """The server's process, also its process group: signal it to simulate faults."""
    command: list[str]
    log: Path
    """Its stdout and stderr, for the assertion message when something goes wrong."""

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])


def percentile(ordered: list[float], p: int) -> float:
    """The p-th percentile of sorted seconds, in milliseconds: what a latency report gives.

    >>> percentile([0.010, 0.020, 0.030, 0.040], 50)
    25.0
    """
    if not ordered:
        return 0.0
    if len(ordered) == 1:
        return ordered[0] * 1000
    return statistics.quantiles(ordered, n=100, method="inclusive")[p - 1] * 1000


def free_port() -> int:
    """A port nothing listens on now, so that tests running side by side do not collide.

    >>> 0 < free_port() < 65536
    True
    """
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def running(
    command: list[str],
    *,
    port: int,
    ready: str,
    log: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Iterator[Server]:
    """Run ``command`` (which listens on ``port``) until leaving; ``ready`` is a path that
    answers 200 once it serves. ``env`` replaces the environment; ``cwd`` is where it runs."""
    base = f"http://{HOST}:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
            cwd=cwd,
        )
        try:
            deadline = time.monotonic() + START_LIMIT
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise ServerDidNotStartError(
                        f"{command[0]} did not start (exit {process.poll()}):\n{log.read_text()}"
                    )
                with contextlib.suppress(httpx2.TransportError):
                    if httpx2.get(base + ready, timeout=2).status_code == 200:
                        break
                time.sleep(0.1)
            yield Server(base, process.pid, command, log)
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn and Oxigraph shut down cleanly on it), then SIGKILL to the group."""
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=5)


def occugraph_serve(
    store: Path | str,
    *,
    log: Path,
    options: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> contextlib.AbstractContextManager[Server]:
    """``occugraph serve --store STORE OPTIONS...`` until leaving the ``with`` block.

    It runs this interpreter's ``occugraph.cli``, so it serves the code under test, not
    whatever ``occugraph`` is first on the ``PATH``.
    """
    port = free_port()
    command = [sys.executable, "-m", "occugraph.cli", "serve", "--store", str(store)]
    command += ["--host", HOST, "--port", str(port), *options]
    return running(command, port=port, ready="/health", log=log, env=env)


def oxigraph_serve(
    location: Path, *, log: Path, read_only: bool = False
) -> contextlib.AbstractContextManager[Server]:
    """Oxigraph's own server (PyPI ``oxigraph``) on a store directory until
    leaving. Its SPARQL endpoints are ``/query`` and ``/update``, its graph store ``/store``."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    verb = "serve-read-only" if read_only else "serve"
    command = [binary, verb, "--location", str(location), "--bind", f"{HOST}:{port}"]
    return running(command, port=port, ready="/query?query=ASK%7B%7D", log=log)


VIRTUOSO_SETUP = """\
DB.DBA.RDF_GRAPH_GROUP_CREATE ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 1);
DB.DBA.RDF_GRAPH_GROUP_INS ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs',
                            'http://www.openlinksw.com/schemas/virtrdf#');
DB.DBA.RDF_GRAPH_GROUP_INS ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs',
                            'http://www.w3.org/ns/ldp#');
DB.DBA.RDF_GRAPH_GROUP_INS ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs',
                            'http://localuriqaserver/sparql');
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1, 0);
"""
"""Virtuoso's own graphs made private, so that the graphs a query sees by default (all
those anonymous users may read) are the build's graphs, as in the embedded store."""

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = .
[HTTPServer]
ServerPort = {host}:{port}
ServerRoot = {folder}
ServerThreads = 10
MaxClientConnections = 10
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""
"""A throw-away Virtuoso on the loopback interface: every file in ``folder``, no row cap
(Debian's default ini cuts answers at 10,000 rows) and no time limit of its own."""


@contextlib.contextmanager
def virtuoso_serve(folder: Path, *, log: Path) -> Iterator[Server]:
    """OpenLink Virtuoso (Debian's ``virtuoso-opensource``, ``virtuoso-t``) with a new
    database in ``folder`` until leaving; its own graphs are hidden (``VIRTUOSO_SETUP``)
    and its administrator is ``dba``, password ``dba``, as in every new database.
    Queries go to ``/sparql``, writes to ``/sparql-auth`` and ``/sparql-graph-crud-auth``.
    """
    binary = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if binary is None or isql is None:
        raise FileNotFoundError("virtuoso-t and isql-vt (Debian: virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(folder=folder.resolve(), host=HOST, port=port, sql_port=sql_port)
    )
    command = [binary, "+configfile", str(ini), "+foreground"]
    with running(
        command, port=port, ready="/sparql?query=ASK%7B%7D", log=log, cwd=folder
    ) as server:
        setup = folder / "setup.sql"
        setup.write_text(VIRTUOSO_SETUP)
        subprocess.run(
            [isql, f"{HOST}:{sql_port}", "dba", "dba", str(setup)],
            check=True,
            capture_output=True,
            timeout=START_LIMIT,
        )
        yield server
