"""Extraction and mapping on a Dask cluster: a LocalCluster of worker processes on 127.0.0.1.

``occugraph build --executor dask://HOST:PORT`` must write what the local build writes, byte
for byte (the same records, the same N-Quads), and keep its incremental behaviour: a
rebuild with nothing changed does nothing, a changed file is all that is mapped again.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from occugraph.build import build, parallel
from occugraph.build.manifest import Manifest, code_key, records_path
from occugraph.build.manifest_file import read_manifest
from occugraph.cli import main
from occugraph.errors import OccugraphError
from occugraph.testing import free_port
from tests.conftest import CORPUS, SEEDS
from tests.test_build_incremental import statements

distributed = pytest.importorskip("distributed", reason="Dask is the [dask] extra")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A scheduler and two worker processes (one thread each), on the loopback only."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):
        yield cluster.scheduler_address.replace("tcp://", "dask://", 1)


def corpus(folder: Path) -> Path:
    """The seeds and the other occupations' documents together."""
    copied = folder / "corpus"
    shutil.copytree(SEEDS, copied / "seeds")
    shutil.copytree(CORPUS, copied / "others")
    return copied


def saved_records(store: Path) -> list[tuple[str, bytes]]:
    """Every record the build kept, as the JSON it stored."""
    with contextlib.closing(sqlite3.connect(records_path(store))) as db:
        return sorted(db.execute("SELECT sha, record FROM records"))


def test_a_dask_build_writes_what_a_local_build_writes(scheduler: str, tmp_path: Path) -> None:
    files = corpus(tmp_path)
    local = build([files], store=tmp_path / "local" / "store")
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(
            main, ["build", str(files), "--store", "dask/store", "--executor", scheduler]
        )
    assert result.exit_code == 0, result.output
    assert f"{local.written} graph(s) written" in result.output
    assert local.written == 15
    with distributed.Client(scheduler.replace("dask://", "tcp://")) as client:
        # The workers mapped documents: each has the element matcher it builds to map one.
        loaded = client.run(lambda: parallel._matcher.cache_info().currsize)
    assert sum(loaded.values()) >= 1
    dask, here = tmp_path / "dask" / "store", tmp_path / "local" / "store"
    assert statements(dask) == statements(here)
    assert saved_records(dask) == saved_records(here) != []


def test_a_dask_rebuild_sends_only_what_changed(scheduler: str, tmp_path: Path) -> None:
    files = corpus(tmp_path)
    store = tmp_path / "store"
    with parallel.executor(scheduler):
        first = build([files], store=store)
        assert first.written == 15 and first.errors == []
        assert build([files], store=store).up_to_date
        article = next((files / "seeds").glob("002_*.txt"))
        article.write_text(article.read_text(encoding="utf-8") + "\nThey also inspect.\n")
        changed = build([files], store=store)
    assert (changed.written, changed.removed) == (1, 1)
    full = build([files], store=tmp_path / "full" / "store")  # a local build
    assert statements(store) == statements(tmp_path / "full" / "store")
    assert changed.triples == full.triples


def map_jobs(manifest: Manifest) -> list[parallel.MapJob]:
    """Every resolved document of a build, to be mapped from the record store."""
    return [
        parallel.MapJob(e.source, e.resolution, manifest.built_at, None)
        for e in manifest.entries
        if e.resolution
    ]


def test_a_worker_maps_from_the_record_store_now_at_the_path(
    scheduler: str, tmp_path: Path
) -> None:
    """A Dask worker outlives builds: after a store is removed and built again at the same
    path, mapping from its record store reads the new file, not the one the worker had
    open (which, deleted, still answers with the old records)."""
    files, store = corpus(tmp_path), tmp_path / "store"
    build([files], store=store)
    manifest = read_manifest(store)
    assert manifest is not None
    at = records_path(store).absolute()
    with distributed.Client(scheduler.replace("dask://", "tcp://")) as client:
        [worker] = list(client.scheduler_info()["workers"])[:1]
        first, _ = client.submit(
            parallel.map_batch, map_jobs(manifest), at, code_key(), workers=[worker]
        ).result()
        for made in tmp_path.glob("store*"):
            made.unlink() if made.is_symlink() else shutil.rmtree(made)
        article = next((files / "seeds").glob("002_*.txt"))
        article.write_text(article.read_text(encoding="utf-8") + "\nThey also inspect.\n")
        build([files], store=store)
        again = read_manifest(store)
        assert again is not None
        second, _ = client.submit(
            parallel.map_batch, map_jobs(again), at, code_key(), workers=[worker], pure=False
        ).result()
    [new] = {e.source.iri for e in again.entries} - {e.source.iri for e in manifest.entries}
    assert f"<{new}>".encode() in second and f"<{new}>".encode() not in first


def test_an_address_that_is_not_a_scheduler_s_is_refused() -> None:
    with (
        pytest.raises(OccugraphError, match="not a Dask scheduler address"),
        parallel.executor("http://127.0.0.1:8786"),
    ):
        pass


def test_a_scheduler_that_does_not_answer_is_one_clear_line(tmp_path: Path) -> None:
    address = f"dask://127.0.0.1:{free_port()}"
    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(
            main, ["build", str(CORPUS), "--store", "store", "--executor", address]
        )
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: cannot reach the Dask scheduler at {address} (")
    assert not (tmp_path / "store").exists()
