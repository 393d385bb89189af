"""A rebuild repairs a store changed behind its back, through the endpoint (with the
update token) or by losing its manifest; ``build --full`` writes it anew. Each repaired
store must hold what a full build of the same files gives, and no statement twice. (A
remote store changed by another client: tests/test_remote_store.py.)"""

from __future__ import annotations

from pathlib import Path

import httpx2
from click.testing import CliRunner
from pyoxigraph import QuerySolutions

from occugraph.build import BuildReport, build
from occugraph.cli import main
from occugraph.store.embedded import MANIFEST, current_build, open_read_only
from occugraph.testing import Server, occugraph_serve
from tests.test_build_incremental import same_as_full_build
from tests.test_remote_store import copy_seeds

TOKEN = "repair-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SOURCES = "https://graph.org.ai/sources/"
STRANGER = SOURCES + "0123456789abcdef"
TWICE_DATED = """
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?thing WHERE { GRAPH ?g { ?thing prov:generatedAtTime ?t } }
GROUP BY ?thing HAVING (COUNT(DISTINCT ?t) > 1)
"""


def update(server: Server, text: str) -> None:
    answer = httpx2.post(f"{server.base}/sparql", data={"update": text}, headers=AUTH, timeout=60)
    assert answer.status_code == 204, answer.text


def twice_dated(store: Path) -> list[str]:
    answer = open_read_only(store).query(TWICE_DATED)
    assert isinstance(answer, QuerySolutions)
    return [row["thing"].value for row in answer]


def graph_size(store: Path, graph: str) -> int:
    answer = open_read_only(store).query(
        f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )
    assert isinstance(answer, QuerySolutions)
    return int(next(answer)["n"].value)


def repaired(corpus: Path, link: Path, tmp_path: Path) -> BuildReport:
    """Build again, check the store is whole, and that the next build finds nothing to do."""
    again = build([corpus], store=link)
    assert not again.up_to_date
    same_as_full_build(corpus, link, tmp_path, again)
    assert twice_dated(link) == []
    assert build([corpus], store=link).up_to_date
    return again


def test_writes_through_the_endpoint_are_undone_by_the_next_build(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    link = tmp_path / "store"
    first = build([corpus], store=link)
    sources = sorted(e.source.iri for e in first.entries if e.graph_key)
    with occugraph_serve(
        link, log=tmp_path / "serve.log", options=("--update-token", TOKEN)
    ) as server:
        update(server, "DROP ALL")
        assert httpx2.get(f"{server.base}/health", timeout=60).json()["triples"] == 0
        emptied = repaired(corpus, link, tmp_path)
        assert (emptied.written, emptied.triples) == (5, first.triples)

        # One source graph deleted through the Graph Store Protocol: only it is written.
        gone = httpx2.delete(
            f"{server.base}/graph-store", params={"graph": sources[0]}, headers=AUTH, timeout=60
        )
        assert gone.status_code == 204, gone.text
        assert graph_size(link, sources[0]) == 0
        assert repaired(corpus, link, tmp_path).written == 1

        # A statement slipped into a document's graph is gone after the build.
        update(server, f"INSERT DATA {{ GRAPH <{sources[1]}> {{ <urn:a> <urn:b> <urn:c> }} }}")
        assert repaired(corpus, link, tmp_path).written == 1
        assert not open_read_only(link).query("ASK { GRAPH ?g { <urn:a> ?p ?o } }")

        # A graph under sources/ that no file gives is removed; others' graphs are not ours.
        update(server, f"INSERT DATA {{ GRAPH <{STRANGER}> {{ <urn:a> <urn:b> <urn:c> }} }}")
        stranger = repaired(corpus, link, tmp_path)
        assert (stranger.written, stranger.removed) == (0, 1)


def test_a_lost_manifest_or_build_full_writes_the_store_anew_once(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path)
    link = tmp_path / "store"
    first = build([corpus], store=link)
    build_dir = current_build(link)
    assert build_dir is not None
    (build_dir / MANIFEST).unlink()
    lost = build([corpus], store=link)
    assert lost.written == 5 and lost.triples == first.triples
    assert twice_dated(link) == []
    same_as_full_build(corpus, link, tmp_path, lost)

    result = CliRunner().invoke(main, ["build", str(corpus), "--store", str(link), "--full"])
    assert result.exit_code == 0, result.output
    assert "5 graph(s) written" in result.output
    assert twice_dated(link) == []
    assert build([corpus], store=link).up_to_date
