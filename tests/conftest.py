"""Shared fixtures: stores built once per test run from the seeds and the test corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Store

from occugraph.build import BuildReport, build
from occugraph.store.embedded import open_read_only

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


def read_raw(path: Path) -> str:
    """A file's text with its line ends as they are (CRLF and CR kept), as a build reads it."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def seed_text(prefix: str) -> str:
    """The seed document whose file name starts with ``prefix`` ('000' ... '004')."""
    return read_raw(next(SEEDS.glob(f"{prefix}_*.txt")))


def select(store: Store, query: str) -> list[tuple[str | None, ...]]:
    """Rows of plain values, so tests compare with ordinary strings."""
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return [tuple(None if t is None else t.value for t in row) for row in result]


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, Store]:
    link = tmp_path_factory.mktemp("seeds") / "store"
    report = build([SEEDS], store=link)
    return report, open_read_only(link)


@pytest.fixture(scope="session")
def seeds_store(seeds_build: tuple[BuildReport, Store]) -> Store:
    return seeds_build[1]


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, Store]:
    link = tmp_path_factory.mktemp("corpus") / "store"
    report = build([CORPUS], store=link)
    return report, open_read_only(link)
