"""Faults the server and the build must survive: query workers killed mid-query, the update
process killed, a disk that fills up during a build.

The server runs as in ``test_serve_process`` (a real ``occugraph serve`` on a free port);
its processes are found under /proc as the server's children. The full disk is a 40 MB
tmpfs (root only; skipped otherwise) filled with a file until little is left, either
before a build starts or, through a wrapped write, just before the build writes its
records, its checkpoint copy or its manifest.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ParamSpec, TypeVar

import httpx2
import pytest
from click.testing import CliRunner
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from occugraph.build import build, manifest_file
from occugraph.build.manifest import RecordStore, records_path
from occugraph.build.manifest_file import read_manifest
from occugraph.cli import main
from occugraph.settings import Settings
from occugraph.store import embedded as store_module
from occugraph.store.embedded import (
    StoreFullError,
    builds_dir,
    current_build,
    next_build,
    open_read_only,
)
from occugraph.testing import Server, occugraph_serve
from tests.conftest import ROOT, SEEDS, ClientFactory, copy_store
from tests.test_serve_process import PATHOLOGICAL

TOKEN = "faults-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LEVELS = """PREFIX occ: <https://graph.org.ai/ontology#>
SELECT ?level WHERE { ?level a occ:ProficiencyLevel } ORDER BY ?level"""
JSON_RESULTS = "application/sparql-results+json"
P = ParamSpec("P")
T = TypeVar("T")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeds_link: Path) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("faults")
    store = copy_store(seeds_link, folder)  # its own: the update test writes to it
    # The slow query must still be running when its worker is killed: a 60 s time limit.
    options = ("--workers", "2", "--time-limit", "60")
    env = {**os.environ, "OCCUGRAPH_UPDATE_TOKEN": TOKEN}
    with occugraph_serve(store, log=folder / "serve.log", options=options, env=env) as running:
        yield running


def children(pid: int) -> dict[int, str]:
    """The live child processes of ``pid`` and their command lines, read from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'
            state, parent = stat.rpartition(")")[2].split()[:2]
            if int(parent) == pid and state != "Z":
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
    return {child: command.decode(errors="replace") for child, command in found.items()}


def spawned(pid: int) -> set[int]:
    """Children started by multiprocessing's spawn: query workers and the update writer
    (not its resource tracker)."""
    return {child for child, command in children(pid).items() if "spawn_main" in command}


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def cpu_used(pids: set[int], seconds: float = 0.5) -> dict[int, int]:
    before = {pid: cpu_ticks(pid) for pid in pids}
    time.sleep(seconds)
    return {pid: cpu_ticks(pid) - ticks for pid, ticks in before.items()}


def settled(pids: set[int]) -> None:
    """Wait until the processes idle: workers still starting up burn CPU too."""
    wait_for(lambda: max(cpu_used(pids, 0.3).values()) <= 1, seconds=60)


def busiest(pids: set[int]) -> int:
    """The one process that burns CPU: the one running the slow query."""
    found: list[int] = []

    def one_busy() -> bool:
        used = cpu_used(pids)
        found[:] = [pid for pid, ticks in used.items() if ticks > 5]
        return len(found) == 1

    wait_for(one_busy, seconds=30)
    return found[0]


def ask_levels(server: Server) -> int:
    """Posted, so that a worker runs it every time (a GET's answer is kept per build)."""
    response = httpx2.post(
        f"{server.base}/sparql",
        content=LEVELS,
        headers={"Accept": JSON_RESULTS, "Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return len(response.json()["results"]["bindings"])


def wait_for(condition: object, seconds: float = 30) -> None:
    assert callable(condition)
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_a_worker_killed_mid_query_is_a_clear_error_and_is_replaced(server: Server) -> None:
    workers = spawned(server.pid)
    assert len(workers) == 2
    settled(workers)
    outcome: dict[str, httpx2.Response | Exception] = {}

    def slow() -> None:
        try:
            outcome["slow"] = httpx2.get(
                f"{server.base}/sparql", params={"query": PATHOLOGICAL}, timeout=60
            )
        except Exception as error:  # reported below
            outcome["slow"] = error

    thread = threading.Thread(target=slow)
    thread.start()
    victim = busiest(workers)
    os.kill(victim, signal.SIGKILL)
    thread.join(timeout=30)
    response = outcome["slow"]
    assert isinstance(response, httpx2.Response), response
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "ok": False,
        "status": 500,
        "error": "the query worker stopped unexpectedly",
    }
    # The pool replaced the worker, and everyone else is answered as before.
    wait_for(lambda: len(spawned(server.pid)) == 2)
    assert victim not in spawned(server.pid)
    assert [ask_levels(server) for _ in range(6)] == [4] * 6
    health = httpx2.get(f"{server.base}/health", timeout=10)
    assert health.status_code == 200 and health.json()["ok"] is True


def test_workers_killed_while_idle_are_replaced_before_anyone_notices(server: Server) -> None:
    workers = spawned(server.pid)
    assert len(workers) == 2
    for worker in workers:
        os.kill(worker, signal.SIGKILL)
    wait_for(lambda: not spawned(server.pid) & workers)
    # No query fails: a dead idle worker is replaced when it is next taken.
    assert [ask_levels(server) for _ in range(6)] == [4] * 6
    replaced = spawned(server.pid)
    assert len(replaced) == 2 and not replaced & workers


def test_the_update_process_killed_is_replaced(server: Server) -> None:
    workers = spawned(server.pid)
    insert = "INSERT DATA { GRAPH <https://example.org/faults> { <urn:a> <urn:b> <urn:c> } }"
    with httpx2.Client(base_url=server.base, timeout=30) as client:
        assert client.post("/sparql", data={"update": insert}, headers=AUTH).status_code == 204
        # Nothing has followed the new build yet, so the one new process is the writer.
        [writer] = spawned(server.pid) - workers
        os.kill(writer, signal.SIGKILL)
        wait_for(lambda: writer not in spawned(server.pid))
        time.sleep(0.5)  # for the server to notice
        # The writer died between updates: the next update starts another and succeeds.
        clear = "CLEAR GRAPH <https://example.org/faults>"
        assert client.post("/sparql", data={"update": clear}, headers=AUTH).status_code == 204
        assert client.get("/health").json()["ok"] is True
        assert ask_levels(server) == 4
    # Two workers on the newest build and one writer; the killed one is gone.
    wait_for(lambda: len(spawned(server.pid)) == 3)
    assert writer not in spawned(server.pid)


# --- a full disk -----------------------------------------------------------------------


def write_onet_pages(folder: Path, count: int) -> None:
    """Real O*NET occupations as onet-page documents, as benchmarks/make_corpus.py writes them."""
    folder.mkdir(parents=True)
    with (ROOT / "data/onet/Occupation Data.txt").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))[:count]
    for row in rows:
        description = row["Description"].replace('"', "'")
        (folder / f"{row['O*NET-SOC Code']}.md").write_text(
            f'---\ncode: {row["O*NET-SOC Code"]}\ntitle: "{row["Title"]}"\n'
            f'description: "{description}"\n---\n# {row["Title"]}\n\n## Tasks\n\n'
            f'<Tasks occupation="x"></Tasks>\n'
        )


class NoTmpfsError(RuntimeError):
    """A tmpfs cannot be mounted here (no mount command, or not root)."""


@contextlib.contextmanager
def tmpfs(mount: Path, size: str = "40m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``mount`` (made here) until the block ends."""
    mount.mkdir()
    if shutil.which("mount") is None:
        raise NoTmpfsError("no mount command here")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        raise NoTmpfsError(f"cannot mount a tmpfs to fill up (needs root): {made.stderr.strip()}")
    try:
        yield mount
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 40 MB tmpfs, unmounted afterwards."""
    with contextlib.ExitStack() as stack:
        try:
            mount = stack.enter_context(tmpfs(tmp_path / "disk"))
        except NoTmpfsError as error:
            pytest.skip(str(error))
        yield mount


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` with one file until only ``leave`` bytes are free."""
    stats = os.statvfs(disk)
    filler = disk / "filler"
    with filler.open("wb") as out:
        out.write(b"\0" * (stats.f_bavail * stats.f_frsize - leave))
    return filler


def triples(link: Path) -> int:
    return len(open_read_only(link))


def occugraph_build(link: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "occugraph.cli", "build", *map(str, paths)]
    path = [os.environ.get("PYTHONPATH", ""), str(ROOT / "src")]  # a frozen copy comes first
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, path))}
    return subprocess.run([*command, "--store", str(link)], capture_output=True, text=True, env=env)


@pytest.mark.parametrize(
    "full",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        OSError("IO error: No space left on device: While appending to file: 000010.sst"),
        sqlite3.OperationalError("database or disk is full"),
    ],
)
def test_a_full_disk_inside_a_build_is_a_store_full_error(tmp_path: Path, full: Exception) -> None:
    """As Python, RocksDB and SQLite report it; no tmpfs needed."""
    link = tmp_path / "store"
    with next_build(link) as (store, _):
        store.add(Quad(NamedNode("urn:s"), NamedNode("urn:p"), Literal("kept"), DefaultGraph()))
    previous = current_build(link)
    assert previous is not None
    with pytest.raises(StoreFullError) as raised, next_build(link) as (store, _):
        store.add(Quad(NamedNode("urn:s"), NamedNode("urn:p"), Literal("lost"), DefaultGraph()))
        raise full
    assert raised.value.__cause__ is full
    assert str(raised.value) == (
        f"{link}: no space left on the device for the new build; it was abandoned and the "
        "store is unchanged (free some space and build again)"
    )
    assert current_build(link) == previous and triples(link) == 1
    assert {p.name for p in builds_dir(link).iterdir()} == {previous.name, ".lock"}


def test_a_build_that_fills_the_disk_fails_clearly_and_keeps_the_store(
    small_disk: Path, tmp_path: Path
) -> None:
    pages = tmp_path / "pages"
    write_onet_pages(pages, 500)  # about 4 MB more store than the seeds alone
    link = small_disk / "store"
    # Read every page once, so that what fills the disk below is the store being written
    # (the build keeps what it read beside the store); then start again from the seeds.
    # Both by the command, as below: records are kept per version of the code, which a
    # test process computes once, and others may edit while the tests run.
    assert occugraph_build(link, SEEDS, pages).returncode == 0
    shutil.rmtree(builds_dir(link))
    link.unlink()
    assert occugraph_build(link, SEEDS).returncode == 0
    seeds = triples(link)
    previous = current_build(link)
    assert previous is not None
    filler = fill(small_disk, leave=1024 * 1024)

    failed = occugraph_build(link, SEEDS, pages)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert f"Error: {link}: no space left on the device for the new build" in failed.stderr
    assert "the store is unchanged" in failed.stderr

    # The previous build is current, opens, and is the only one left.
    assert current_build(link) == previous
    assert triples(link) == seeds
    assert {p.name for p in builds_dir(link).iterdir()} == {previous.name, ".lock"}

    filler.unlink()
    assert build([SEEDS, pages], store=link).triples > seeds + 10_000
    assert current_build(link) != previous


def test_a_disk_that_fills_while_files_are_read_keeps_the_store(
    small_disk: Path, tmp_path: Path, seeds_link: Path
) -> None:
    """Here the disk may fill while the build caches what it read, before the store is
    written (build.py's part): the store is whole whatever the message."""
    pages = tmp_path / "pages"
    write_onet_pages(pages, 500)
    link = copy_store(seeds_link, small_disk)  # the seeds build, its records beside it
    seeds = triples(link)
    previous = current_build(link)
    assert previous is not None
    filler = fill(small_disk, leave=1024 * 1024)
    failed = occugraph_build(link, SEEDS, pages)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert "no space left" in failed.stderr or "disk is full" in failed.stderr
    assert current_build(link) == previous and triples(link) == seeds
    assert {p.name for p in builds_dir(link).iterdir()} == {previous.name, ".lock"}
    filler.unlink()
    assert build([SEEDS, pages], store=link).triples > seeds + 10_000


def test_a_write_to_a_full_disk_is_507_and_changes_nothing(
    small_disk: Path, seeds_link: Path, client_factory: ClientFactory
) -> None:
    link = copy_store(seeds_link, small_disk)
    fill(small_disk, leave=64 * 1024)
    body = "".join(f"<urn:s{i}> <urn:p> <urn:o{i}> .\n" for i in range(60_000)).encode()
    with client_factory(Settings(workers=1, update_token=TOKEN), store=link) as client:
        before = client.get("/health").json()
        put = client.put(
            "/graph-store?graph=https://example.org/big",
            content=body,
            headers={**AUTH, "Content-Type": "application/n-triples"},
        )
        assert put.status_code == 507, put.text
        assert "no space left" in put.json()["error"]
        assert client.get("/health").json() == before
        update = client.post(
            "/sparql",
            data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
            headers=AUTH,
        )
        # A small update may still fit; either way the answer is clear and the store whole.
        assert update.status_code in (204, 507), update.text
        added = 1 if update.status_code == 204 else 0
        assert client.get("/health").json()["triples"] == before["triples"] + added


# --- a disk that fills while the build writes its own files ----------------------------


def fill_up(disk: Path) -> None:
    """Fill ``disk`` until the kernel refuses to write another byte."""
    number = len(list(disk.glob("filler*")))
    descriptor = os.open(disk / f"filler{number}", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, bytes(65536))
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(descriptor)


def filling_first(disk: Path, write: Callable[P, T]) -> Callable[P, T]:
    """``write``, after the disk has filled up: the moment is exact, the full disk real."""

    def full(*args: P.args, **kwargs: P.kwargs) -> T:
        fill_up(disk)
        return write(*args, **kwargs)

    return full


# Where a build writes files of its own, and the start of what it then says.
MOMENTS = {
    "records": "the build's records",
    "checkpoint": "the new build; it was abandoned",
    "manifest": "the new build; it was abandoned",
    "manifest in place": "the build's records",
}


def fill_at(moment: str, disk: Path, patch: pytest.MonkeyPatch) -> None:
    """Fill ``disk`` just before the build writes the file of ``moment``."""
    if moment == "records":
        patch.setattr(RecordStore, "save", filling_first(disk, RecordStore.save))
    elif moment == "checkpoint":  # old builds are cleared right before the copy is made
        patch.setattr(
            store_module, "_remove_builds", filling_first(disk, store_module._remove_builds)
        )
    else:  # a manifest is written under a temporary name, then renamed
        patch.setattr(manifest_file, "_written", filling_first(disk, manifest_file._written))


def copy_corpus(tmp_path: Path, pages: int) -> Path:
    corpus = tmp_path / "corpus"
    write_onet_pages(corpus, pages)
    for seed in SEEDS.iterdir():
        shutil.copy(seed, corpus / seed.name)
    return corpus


@pytest.mark.parametrize(("moment", "said"), MOMENTS.items())
def test_a_disk_that_fills_while_the_build_writes_its_own_files(
    small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str, said: str
) -> None:
    """The record store (SQLite, beside the store), the checkpoint copy of the previous
    store, the manifest of a new build, and the manifest a build updates in place when
    only file paths changed. The disk is filled, for real, just before that write."""
    link = small_disk / "store"
    first = SEEDS
    if moment == "manifest in place":
        first = copy_corpus(small_disk, 0)  # on the small disk, so that moving it is a rename
    assert CliRunner().invoke(main, ["build", str(first), "--store", str(link)]).exit_code == 0
    previous = current_build(link)
    assert previous is not None
    kept = {path.name: path.read_bytes() for path in previous.iterdir() if path.is_file()}
    seeds = triples(link)

    if moment == "manifest in place":
        corpus = first.rename(small_disk / "moved")
    else:
        corpus = copy_corpus(tmp_path, 100)
    fill_at(moment, small_disk, monkeypatch)
    failed = CliRunner().invoke(main, ["build", str(corpus), "--store", str(link)])

    assert failed.exit_code == 1, failed.output
    assert isinstance(failed.exception, SystemExit), repr(failed.exception)
    assert "Traceback" not in failed.output
    [line] = failed.stderr.splitlines()
    assert line.startswith(f"Error: {link}: no space left on the device for {said}"), line
    assert line.endswith("the store is unchanged (free some space and build again)"), line
    # The previous build is current, whole (its manifest too), and the only one left.
    assert current_build(link) == previous and triples(link) == seeds
    assert {p.name: p.read_bytes() for p in previous.iterdir() if p.is_file()} == kept
    assert {p.name for p in builds_dir(link).iterdir()} == {previous.name, ".lock"}

    monkeypatch.undo()
    for filler in small_disk.glob("filler*"):
        filler.unlink()
    with contextlib.closing(sqlite3.connect(records_path(link))) as records:
        assert records.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = CliRunner().invoke(main, ["build", str(corpus), "--store", str(link)])
    assert again.exit_code == 0, again.output
    manifest = read_manifest(link)
    assert manifest is not None
    assert {Path(e.source.path).parent for e in manifest.entries} == {corpus}
    if moment == "manifest in place":
        assert current_build(link) == previous and triples(link) == seeds
    else:
        assert current_build(link) != previous and triples(link) > seeds + 2_000
