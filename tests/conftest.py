"""Shared fixtures: stores built once per test run from the seeds and the test corpus, and
apps over them.

The seeds build is shared by the whole run and is read-only: tests that only read it take
``seeds_store`` (a read-only handle), ``seeds_link`` (the store link, for a server or the
command line) or ``client_factory`` (an app under Starlette's ``TestClient``). A test that
writes (SPARQL Update or Graph Store with a token, a build that changes the store) takes a
private copy instead: ``seeds_copy``, or ``copy_store`` for a fixture of wider scope.
"""

from __future__ import annotations

import contextlib
import gc
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol

import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Store, Triple
from starlette.testclient import TestClient

from occugraph.build import BuildReport, build
from occugraph.cli import main
from occugraph.server.app import create_app
from occugraph.settings import Settings
from occugraph.store.embedded import builds_dir, current_build, open_read_only

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CORPUS = Path(__file__).resolve().parent / "corpus"
SEED_NOC_TITLES = [
    "caseworker, corrections - case manager",
    "manager, corrections - community case",
    "officer, corrections - clemency",
    "officer, parole - probation officer",
    "program officer, social assistance",
    "program worker, corrections - youth worker",
]
"""The job titles of the seed NOC profile, de-duplicated and sorted, as every layer gives them."""

PREFIXES = """
PREFIX occ: <https://graph.org.ai/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX go: <https://graph.org.ai/>
PREFIX graphs: <https://graph.org.ai/graphs/>
PREFIX noc2016: <https://graph.org.ai/noc/2016/>
"""


def build_seeds_into(url: str, shown: str, folder: Path, *options: str) -> str:
    """Build the seeds into the remote store at ``url`` with the command line, run from
    ``folder`` (where it keeps what it knows of the store); its output, which names the
    store as ``shown``."""
    with contextlib.chdir(folder):
        result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", url, *options])
    assert result.exit_code == 0, result.output
    assert f"Built {shown} " in result.output
    assert "5 graph(s) written, 0 removed" in result.output
    return result.output


def read_raw(path: Path) -> str:
    """A file's text with its line ends as they are (CRLF and CR kept), as a build reads it."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def seed_text(prefix: str) -> str:
    """The seed document whose file name starts with ``prefix`` ('000' ... '004')."""
    return read_raw(next(SEEDS.glob(f"{prefix}_*.txt")))


def term_value(term: NamedNode | BlankNode | Literal | Triple) -> str:
    """A term's value; a quoted triple (RDF-star) has none, and occugraph writes none."""
    assert not isinstance(term, Triple), term
    return term.value


def select(store: Store, query: str) -> list[tuple[str | None, ...]]:
    """Rows of plain values, so tests compare with ordinary strings."""
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    return [tuple(None if t is None else t.value for t in row) for row in result]


def copy_store(link: Path, folder: Path) -> Path:
    """A private copy of the store at ``link`` in ``folder``, and its link there.

    A store is its link (relative, into ``store.builds/``), its builds and its records, all
    in the link's folder, so a copy of that folder with the link kept as a link is a store
    of its own, for a test to write to. A seeds build copies in a few milliseconds.
    """
    shutil.copytree(link.parent, folder, symlinks=True, dirs_exist_ok=True)
    return folder / link.name


@pytest.fixture(scope="module", autouse=True)
def _collect_garbage_on_the_main_thread() -> None:
    """Collect what earlier modules left in reference cycles, here on the main thread.

    pyoxigraph's query results may only be dropped on the thread that made them. A result
    held in a cycle (a ``CliRunner`` result keeps the test's frame through its exception's
    traceback) is dropped by whichever thread runs the next collection: if that is a
    ``TestClient`` or request thread, pyoxigraph reports an unraisable error there. When
    each module built its own store, the build's allocations happened to collect on the
    main thread; now that modules share one build, this does it on purpose (~0.1 s each).
    """
    gc.collect()


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BuildReport, Store]]:
    """The one build of the seeds in a test run, and a read-only handle on it."""
    link = tmp_path_factory.mktemp("seeds") / "store"
    report = build([SEEDS], store=link)
    built = current_build(link)
    assert built is not None
    yield report, open_read_only(link)
    # Shared by every test, it must be as built: a test that writes takes ``seeds_copy``.
    assert current_build(link) == built, f"a test wrote to the shared seeds build {link}"
    assert {path.name for path in builds_dir(link).iterdir()} == {built.name, ".lock"}


@pytest.fixture(scope="session")
def seeds_store(seeds_build: tuple[BuildReport, Store]) -> Store:
    return seeds_build[1]


@pytest.fixture(scope="session")
def seeds_link(seeds_build: tuple[BuildReport, Store]) -> Path:
    """The link of the one seeds build (``store`` → ``store.builds/<id>/oxigraph``): read-only."""
    return Path(seeds_build[0].store)


@pytest.fixture
def seeds_copy(seeds_link: Path, tmp_path: Path) -> Path:
    """A private copy of the seeds build, for a test that writes to its store."""
    return copy_store(seeds_link, tmp_path / "seeds-copy")


class ClientFactory(Protocol):
    """Makes a ``TestClient`` over ``create_app(store or seeds_link, settings)``.

    Use the client in a ``with`` block, as Starlette's own tests use ``test_client_factory``:
    the app's lifespan then runs, and closes its query workers when the block ends.
    """

    def __call__(
        self,
        settings: Settings | None = None,
        *,
        store: Path | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> TestClient: ...


@pytest.fixture(scope="session")
def client_factory(seeds_link: Path) -> ClientFactory:
    """Apps over the seeds build (read-only), or over a store of the test's own."""

    def make(
        settings: Settings | None = None,
        *,
        store: Path | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> TestClient:
        if store is None and settings is not None and settings.update_token is not None:
            raise ValueError(
                "an app that takes writes needs a store of its own: pass store=seeds_copy"
            )
        app = create_app(seeds_link if store is None else store, settings)
        return TestClient(app, headers=None if headers is None else dict(headers))

    return make


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, Store]:
    link = tmp_path_factory.mktemp("corpus") / "store"
    report = build([CORPUS], store=link)
    return report, open_read_only(link)
