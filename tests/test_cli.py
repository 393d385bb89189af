"""The command line on a seeds build: exit codes, stdout and stderr."""

from __future__ import annotations

import gc
import json
import re
import shutil
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Quad, Store

from occugraph.cli import main
from occugraph.store.embedded import current_build
from tests.conftest import SEEDS, ClientFactory

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

OCCUPATION = "https://graph.org.ai/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A first build of the seeds: its store, and what it printed on stderr."""
    path = str(tmp_path_factory.mktemp("cli") / "store")
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", path])
    assert result.exit_code == 0, result.output
    return path, result.stderr


@pytest.fixture(scope="module")
def store(first_build: tuple[str, str]) -> str:
    return first_build[0]


def run(*args: str) -> tuple[int, str, str]:
    """A command's exit code, stdout and stderr, as piped (no $COLUMNS: tables are whole)."""
    result = CliRunner(env={"COLUMNS": None}).invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_describe_gives_turtle_with_labels_of_neighbours(store: str) -> None:
    code, out, _ = run("describe", OCCUPATION, "--store", store)
    assert code == 0
    graph = rdflib.Graph().parse(data=out, format="turtle")
    subject = rdflib.URIRef(OCCUPATION)
    onet = rdflib.Namespace("https://graph.org.ai/ontology#")
    assert str(graph.value(subject, onet.onetCode)) == "21-1092.00"
    zone = graph.value(subject, onet.jobZone)
    assert str(zone) == "https://graph.org.ai/jobzones/4"
    assert str(graph.value(zone, rdflib.RDFS.label)).startswith("Job Zone 4")


def test_describe_jsonld_uses_the_context(store: str) -> None:
    code, out, _ = run(
        "describe", "https://graph.org.ai/noc/2016/4155", "--format", "jsonld", "--store", store
    )
    assert code == 0
    document = json.loads(out)
    assert "@context" in document
    nodes = document.get("@graph", [document])
    noc = next(
        n for n in nodes if n.get("id", n.get("@id")) == "https://graph.org.ai/noc/2016/4155"
    )
    assert len(noc["jobTitles"]) == 6


def test_describe_an_unknown_iri_fails_clearly(store: str) -> None:
    code, _, err = run("describe", "https://graph.org.ai/occupations/Nobody", "--store", store)
    assert code == 1
    assert "holds nothing about <https://graph.org.ai/occupations/Nobody>" in err


def test_validate_reports_no_violation(store: str) -> None:
    code, out, _ = run("validate", "--store", store)
    assert (code, out) == (0, "Conforms: 0 violation(s), 0 warning(s)\n")


def test_query_file_prints_a_table(store: str, tmp_path: Path) -> None:
    query = tmp_path / "levels.rq"
    query.write_text("""PREFIX occ: <https://graph.org.ai/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label ?rank WHERE { ?l a occ:ProficiencyLevel ; rdfs:label ?label ;
        occ:rank ?rank } ORDER BY ?rank""")
    code, out, _ = run("query", str(query), "--store", store)
    assert code == 0
    cells = [line.replace("┃", "│").split("│")[1:3] for line in out.splitlines()]
    rows = [row for row in cells if row]
    assert [[c.strip() for c in row] for row in rows] == [
        ["label", "rank"],
        ["Emerging", "1"],
        ["Developing", "2"],
        ["Proficient", "3"],
        ["Advanced", "4"],
    ]
    query.write_text("SELECT ?x WHERE { ?x ")
    code, _, err = run("query", str(query), "--store", store)
    assert code == 1 and "levels.rq" in err


def test_sources_lists_every_file_with_its_graph(store: str) -> None:
    code, out, _ = run("sources", "--store", store)
    assert code == 0
    assert out.count("21-1092.00") == 5
    for kind in [
        "onet-page",
        "competency-framework",
        "career-article",
        "noc-profile",
        "job-description",
    ]:
        assert kind in out


def test_commands_without_a_store_say_so(tmp_path: Path) -> None:
    code, _, err = run("describe", OCCUPATION, "--store", str(tmp_path / "none"))
    assert code == 1 and "run 'occugraph build' first" in err


# --- issue 14: a quieter, more forgiving command line ----------------------------------


def test_a_first_build_keeps_the_crosswalk_note_for_verbose(
    first_build: tuple[str, str], tmp_path: Path
) -> None:
    _, said = first_build
    assert "data/crosswalk" not in said and "note:" not in said
    result = CliRunner().invoke(
        main, ["build", str(SEEDS), "--store", str(tmp_path / "store"), "--verbose"]
    )
    assert result.exit_code == 0
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert [line[:40] for line in notes] == [
        "note: reference data: rows holding U+FFF",
        "note: data/crosswalk: 164 rows name O*NE",
    ]
    assert "data/crosswalk/noc2016_onet20.csv (1)" in notes[0]


@pytest.mark.parametrize(
    "name",
    [
        OCCUPATION,
        "https://graph.org.ai/occupations/21-1092.00",  # graph.org.ai's alias
        "21-1092.00",
        "probation officers and correctional treatment specialists",
        "Probation Officer and Correctional Treatment Specialist",  # singular, as the build
        "parole officer",  # a job title of the NOC profile the build resolved
    ],
)
def test_describe_takes_an_occupation_as_saved_queries_do(store: str, name: str) -> None:
    code, out, err = run("describe", name, "--store", store)
    assert code == 0, err
    assert out == run("describe", OCCUPATION, "--store", store)[1]
    code, table, _ = run("query", "occupation-card", "-p", f"occupation={name}", "--store", store)
    assert code == 0 and "21-1092.00" in table


def test_describe_says_which_names_it_does_not_know(store: str) -> None:
    code, _, err = run("describe", "astronaut of the deep", "--store", store)
    assert code == 1
    assert err == (
        "Error: 'astronaut of the deep' is not an occupation's IRI, code or title "
        "(no occupation has that title)\n"
    )


def test_server_resolves_occupations_as_the_command_line(client_factory: ClientFactory) -> None:
    with client_factory() as client:
        for name in ["parole officer", "Probation Officer and Correctional Treatment Specialist"]:
            card = client.get("/queries/occupation-card.json", params={"occupation": name})
            assert card.status_code == 200, card.text
            [row] = card.json()["results"]["bindings"]
            assert row["occupation"]["value"] == OCCUPATION


def test_a_langstring_without_a_language_is_english(
    store: str, client_factory: ClientFactory
) -> None:
    tagged = run("query", "occupations-by-label", "-p", "label=electrician@en", "--store", store)
    plain = run("query", "occupations-by-label", "-p", "label=electrician", "--store", store)
    assert plain == tagged and tagged[0] == 0
    assert "47-2111.00" in plain[1]
    french = run("query", "occupations-by-label", "-p", "label=electrician@fr", "--store", store)
    assert "47-2111.00" not in french[1]
    with client_factory() as client:
        found = client.get("/queries/occupations-by-label.json", params={"label": "electrician"})
        assert found.status_code == 200
        codes = {row["code"]["value"] for row in found.json()["results"]["bindings"]}
        assert "47-2111.00" in codes


def test_validate_summarises_violations_and_gives_the_report_as_turtle(
    seeds_copy: Path,
) -> None:
    build = current_build(seeds_copy)
    assert build is not None
    writable = Store(str(build / "oxigraph"))
    bad = NamedNode("https://graph.org.ai/occupations/Broken")
    graph = NamedNode("https://graph.org.ai/sources/0000000000000000")
    statements: list[tuple[NamedNode, NamedNode | Literal]] = [
        (RDF_TYPE, NamedNode("https://graph.org.ai/ontology#Occupation")),
        (NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Broken")),
        (NamedNode("https://graph.org.ai/ontology#onetCode"), Literal("not-a-code")),
    ]
    for predicate, value in statements:
        writable.add(Quad(bad, predicate, value, graph))
    writable.flush()
    del writable
    gc.collect()
    code, out, _ = run("validate", "--store", str(seeds_copy))
    assert code == 1
    rows = [line for line in out.splitlines() if "occupations/Broken" in line]
    assert len(rows) == 1 and "OccupationCodeWellFormed" in rows[0]
    assert out.splitlines()[-1] == "Does not conform: 1 violation(s), 0 warning(s)"
    code, turtle, _ = run("validate", "--store", str(seeds_copy), "--format", "turtle")
    report = rdflib.Graph().parse(data=turtle, format="turtle")
    shacl = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert code == 1
    assert list(report.subjects(shacl.focusNode, rdflib.URIRef(bad.value))) != []
    assert (None, shacl.conforms, rdflib.Literal(False)) in report


def test_rejected_files_are_not_up_to_date_and_have_no_graph(tmp_path: Path) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    shutil.copy(next(SEEDS.glob("000_*.txt")), corpus)
    (corpus / "broken.txt").write_bytes(b"not a document\x00")
    store = str(tmp_path / "store")
    for _ in range(2):  # the first build, then one that finds nothing changed
        code, out, err = run("build", str(corpus), "--store", store)
        assert code == 0 and "broken.txt" in err
        assert "up to date" not in out
        assert "1 file(s) rejected" in out.splitlines()[0]
    code, out, _ = run("sources", "--store", store)
    [line] = [line for line in out.splitlines() if "broken.txt" in line]
    assert "rejected: no graph" in line and "graph.org.ai/sources/" not in line
    assert out.count("https://graph.org.ai/sources/") == 1
    # A file that breaks after a good build keeps its graph, which sources marks as such.
    seed = next(corpus.glob("000_*.txt"))
    seed.write_bytes(b"broken now\x00")
    code, out, _ = run("build", str(corpus), "--store", store)
    assert out.splitlines()[0].endswith(": no graph changed; 2 file(s) rejected (listed above)")
    code, out, _ = run("sources", "--store", store)
    rows = [line for line in out.splitlines() if seed.name in line]
    assert len(rows) == 2
    assert "rejected: no graph" in rows[0]
    assert "https://graph.org.ai/sources/67966570e273348e (previous version)" in rows[1]


def test_tables_fit_the_terminal_and_are_not_cut_when_piped(store: str) -> None:
    narrow = CliRunner(env={"COLUMNS": "60"}).invoke(main, ["sources", "--store", store])
    assert narrow.exit_code == 0
    assert max(len(line) for line in narrow.stdout.splitlines()) == 60
    wide = CliRunner(env={"COLUMNS": None}).invoke(main, ["sources", "--store", store])
    assert "https://graph.org.ai/sources/67966570e273348e" in wide.stdout
    assert max(len(line) for line in wide.stdout.splitlines()) > 100
    card = ["query", "occupation-card", "-p", "occupation=21-1092.00", "--store", store]
    narrow = CliRunner(env={"COLUMNS": "60"}).invoke(main, card)
    assert max(len(line) for line in narrow.stdout.splitlines()) == 60
    wide = CliRunner(env={"COLUMNS": None}).invoke(main, card)
    assert max(len(line) for line in wide.stdout.splitlines()) > 500  # the description


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_store_option_says_path(command: str) -> None:
    help_text = run(command, "--help")[1]
    if "--store" in help_text:
        assert re.search(r"--store (PATH\|URL|PATH)\s", help_text), help_text
        assert "DIR|URL" not in help_text


def test_a_store_url_for_an_embedded_command_is_refused_clearly() -> None:
    code, _, err = run("sources", "--store", "http://127.0.0.1:7878")
    assert code == 2
    assert "http://127.0.0.1:7878 is a store URL; 'occugraph sources' reads an embedded" in err
