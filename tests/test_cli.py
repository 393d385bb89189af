"""The command line on a seeds build: exit codes, stdout and stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from occugraph.cli import main
from tests.conftest import SEEDS

OCCUPATION = "https://graph.org.ai/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "store")
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", path])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
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
    assert (code, out.splitlines()[:2]) == (0, ["Validation Report", "Conforms: True"])


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
