"""One table of settings for the command line and the app; a user's own saved queries."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from occugraph.build import BuildReport
from occugraph.cli import main
from occugraph.errors import OccugraphError
from occugraph.formats import DESCRIPTIONS, EXPORTS, FORMATS, GRAPHS, RESULTS
from occugraph.query.saved import QueryLibrary, find, saved_queries
from occugraph.settings import Settings
from tests.conftest import ClientFactory

TASKS = """#+ title: Tasks in the graph
PREFIX occ: <https://graph.org.ai/ontology#>
SELECT (COUNT(DISTINCT ?task) AS ?tasks) WHERE { ?task a occ:Task }
"""
CARD = """#+ title: My own occupation card
#+ params:
#+   occupation:
#+     type: occupation
#+     required: true
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?occupation ?label WHERE { ?occupation rdfs:label ?label }
"""


def option(command: str, name: str) -> click.Option:
    found = next(p for p in main.commands[command].params if p.name == name)
    assert isinstance(found, click.Option)
    return found


@pytest.mark.parametrize("name", list(Settings.model_fields))
def test_every_setting_is_a_serve_option_with_its_default_and_help(name: str) -> None:
    field = Settings.model_fields[name]
    serve = option("serve", name)
    assert serve.opts == [f"--{name.replace('_', '-')}"]
    assert serve.help == field.description
    if name != "queries":
        assert serve.default == field.default


def test_bounds_come_from_the_table() -> None:
    workers = option("serve", "workers").type
    assert isinstance(workers, click.IntRange)
    assert (workers.min, workers.max) == (1, 64)
    result = CliRunner().invoke(main, ["serve", "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output


def test_the_update_token_comes_from_the_environment_and_is_never_shown() -> None:
    token = option("serve", "update_token")
    assert token.envvar == "OCCUGRAPH_UPDATE_TOKEN"
    assert not token.show_default


def test_the_cli_offers_the_formats_of_the_table() -> None:
    for command, expected in [
        ("export", EXPORTS),
        ("describe", DESCRIPTIONS),
        ("query", ("table", *RESULTS, *GRAPHS)),
    ]:
        choice = option(command, "format_").type
        assert isinstance(choice, click.Choice)
        assert tuple(choice.choices) == expected


def test_a_users_folder_adds_queries_and_may_replace_one(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "task-count.rq").write_text(TASKS)
    (mine / "occupation-card.rq").write_text(CARD)
    own = saved_queries()
    both = saved_queries([mine])
    assert set(both) == set(own) | {"task-count"}
    assert both["task-count"].title == "Tasks in the graph"
    assert both["occupation-card"].title == "My own occupation card"
    assert own["occupation-card"].title != "My own occupation card"
    assert find("occupation-card", [mine]).path == str(mine / "occupation-card.rq")


def test_two_folders_may_not_name_one_query(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "task-count.rq").write_text(TASKS)
    with pytest.raises(
        OccugraphError, match=r"saved query 'task-count' is also .*a/task-count\.rq"
    ):
        QueryLibrary([tmp_path / "a", tmp_path / "b"]).all()


def test_a_missing_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(OccugraphError, match="no such folder of saved queries") as error:
        QueryLibrary([tmp_path / "nowhere"])
    assert error.value.path == str(tmp_path / "nowhere")


def test_a_name_is_a_name_not_a_path(tmp_path: Path) -> None:
    """Over HTTP a name comes from the URL: it must not reach files beside the folders."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "secret.rq").write_text(TASKS)
    library = QueryLibrary([tmp_path / "mine"])
    with pytest.raises(OccugraphError, match=r"no saved query named '\.\./secret'"):
        library.find("../secret")


def test_query_and_queries_take_a_users_folder(
    tmp_path: Path, seeds_build: tuple[BuildReport, object]
) -> None:
    report, _ = seeds_build
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "task-count.rq").write_text(TASKS)
    runner = CliRunner()
    listed = runner.invoke(main, ["queries", "--queries", str(mine)])
    assert listed.exit_code == 0 and "task-count" in listed.output
    answer = runner.invoke(
        main,
        ["query", "task-count", "--queries", str(mine), "--format", "csv", "--store", report.store],
    )
    assert answer.exit_code == 0, answer.output
    assert answer.output.split()[0] == "tasks" and int(answer.output.split()[1]) > 10
    missing = runner.invoke(main, ["queries", "--queries", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_every_command_turns_a_users_error_into_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    for args in (
        ["describe", "https://graph.org.ai/x", "--store", str(tmp_path / "none")],
        ["export", "--store", str(tmp_path / "none")],
        ["query", "no-such-query", "--store", str(tmp_path / "none")],
        ["validate", "--store", str(tmp_path / "none")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, args


# --- the app reads the same table -----------------------------------------------------


def test_the_server_offers_a_users_saved_queries(
    tmp_path: Path, client_factory: ClientFactory
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "task-count.rq").write_text(TASKS)
    with client_factory(Settings(workers=1, queries=(mine,))) as client:
        listed = {entry["name"] for entry in client.get("/queries.json").json()}
        assert "task-count" in listed and "occupation-card" in listed
        answer = client.get("/queries/task-count.csv")
        assert answer.status_code == 200
        assert answer.text.split()[0] == "tasks" and int(answer.text.split()[1]) > 10
    with client_factory(Settings(workers=1)) as client:
        assert client.get("/queries/task-count.csv").status_code == 404


def test_every_reader_of_formats_follows_the_table(client_factory: ClientFactory) -> None:
    """A format added to occugraph.formats reaches every answer that holds its kind."""
    occupation = "/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
    select = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"
    with client_factory(Settings(workers=1)) as client:
        description = client.get("/sparql", headers={"Accept": "application/n-triples"}).text
        for name in (*RESULTS, *GRAPHS):
            assert f"<{FORMATS[name].iri}>" in description, name
        page = client.get(occupation, headers={"Accept": "text/html"})
        for name in GRAPHS:
            media_type = FORMATS[name].media_type
            described = client.get(occupation, headers={"Accept": media_type})
            assert described.status_code == 200, name
            assert described.headers["content-type"].startswith(media_type)
            graph = client.get(
                "/sparql", params={"query": construct}, headers={"Accept": media_type}
            )
            assert graph.headers["content-type"].startswith(media_type), name
            stored = client.get(
                "/graph-store",
                params={"graph": "https://graph.org.ai/graphs/ontology"},
                headers={"Accept": media_type},
            )
            assert stored.status_code == 200, name
            assert f'type="{media_type}"' in page.headers["link"], name
        for name in RESULTS:
            media_type = FORMATS[name].media_type
            answer = client.get("/sparql", params={"query": select}, headers={"Accept": media_type})
            assert answer.headers["content-type"].startswith(media_type), name
            suffixed = client.get(f"/queries/graph-statistics.{FORMATS[name].suffix}")
            assert suffixed.headers["content-type"].startswith(media_type), name
