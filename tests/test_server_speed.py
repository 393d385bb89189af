"""What makes serving fast without changing an answer: descriptions and bound parameters
kept per build, and a worker out of step replaced rather than trusted."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from occugraph.query import saved as queries
from occugraph.query import workers
from occugraph.query.workers import Job, QueryFailedError
from occugraph.server.graph import BuildCache, ServedGraph
from occugraph.settings import Settings
from tests.conftest import ClientFactory
from tests.test_workers import _chatty_serve

OCCUPATION = "/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
TITLE = "Probation Officers and Correctional Treatment Specialists"


@pytest.fixture
def client(client_factory: ClientFactory) -> Iterator[TestClient]:
    with client_factory(Settings(workers=1, time_limit=30)) as test_client:
        yield test_client


def no_pool(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on every job sent to the worker pool fails."""

    async def refuse(job: Job) -> workers.Answer:
        raise QueryFailedError(503, "the pool was asked")

    graph: ServedGraph = client.app.state.graph  # type: ignore[attr-defined]
    monkeypatch.setattr(graph.pool, "run", refuse)


def test_a_description_is_worked_out_once_per_build_and_format(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    turtle = {"Accept": "text/turtle"}
    first = client.get(OCCUPATION, headers=turtle)
    assert first.status_code == 200 and "Probation" in first.text
    no_pool(client, monkeypatch)
    again = client.get(OCCUPATION, headers=turtle)
    assert (again.status_code, again.content) == (200, first.content)
    assert again.headers["etag"] == first.headers["etag"]
    other_format = client.get(OCCUPATION, headers={"Accept": "application/ld+json"})
    assert other_format.status_code == 503 and "pool was asked" in other_format.text


def test_an_occupation_title_is_resolved_once_per_build(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = "/queries/occupation-card.json"
    first = client.get(path, params={"occupation": TITLE})
    assert first.status_code == 200
    assert first.json()["results"]["bindings"][0]["occupation"]["value"].endswith(OCCUPATION)

    def stand_in(store: object, value: str) -> None:
        raise ValueError("looked up by the stand-in")

    monkeypatch.setattr(queries, "resolve_occupation", stand_in)
    again = client.get(path, params={"occupation": TITLE})
    assert (again.status_code, again.content) == (200, first.content)
    unknown = client.get(path, params={"occupation": "No Such Occupation At All"})
    assert unknown.status_code == 400 and "stand-in" in unknown.json()["error"]


def test_a_worker_out_of_step_gets_a_json_500_and_later_answers_are_right(
    client_factory: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "_serve", _chatty_serve)
    level = "<https://graph.org.ai/ontology#ProficiencyLevel>"
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?level a {level} }}"
    name = "SELECT ?name WHERE { VALUES ?name { 'first' } }"
    csv = {"Accept": "text/csv"}
    with client_factory(Settings(workers=1, time_limit=30)) as client:
        first = client.get("/sparql", params={"query": name}, headers=csv)
        assert first.text.split() == ["name", "first"]
        stray = client.get("/sparql", params={"query": count}, headers=csv)
        assert stray.status_code == 500
        assert stray.json() == {
            "ok": False,
            "status": 500,
            "error": "the query worker answered out of turn and was replaced; try again",
        }
        later = client.get("/sparql", params={"query": count}, headers=csv)
        assert later.text.split() == ["n", "4"]


def test_a_whole_answer_is_kept_per_build_and_per_request_headers(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A saved query's page and a dereferenced IRI are answered again from memory: no view
    and no worker runs. Another Accept, Origin or Host is another answer; an ETag check
    still gets its 304 from the view; a new build starts with nothing kept."""
    page = "/queries/occupation-tasks"
    params = {"occupation": TITLE}
    html = {"Accept": "text/html"}
    first_page = client.get(page, params=params, headers=html)
    first_rdf = client.get(OCCUPATION, headers={"Accept": "text/turtle"})
    assert first_page.status_code == first_rdf.status_code == 200
    graph: ServedGraph = client.app.state.graph  # type: ignore[attr-defined]
    no_pool(client, monkeypatch)
    monkeypatch.setattr(graph.library, "find", view_ran)
    again = client.get(page, params=params, headers=html)
    assert (again.status_code, again.content) == (200, first_page.content)
    assert again.headers["content-type"] == first_page.headers["content-type"]
    rdf_again = client.get(OCCUPATION, headers={"Accept": "text/turtle"})
    assert (rdf_again.status_code, rdf_again.content) == (200, first_rdf.content)
    assert rdf_again.headers["etag"] == first_rdf.headers["etag"]
    revalidated = client.get(
        OCCUPATION, headers={"Accept": "text/turtle", "If-None-Match": first_rdf.headers["etag"]}
    )
    assert revalidated.status_code == 304
    # The description cache answers another Accept with the same format; an Origin or
    # another format is another answer, worked out by the view (which now fails).
    cors = client.get(OCCUPATION, headers={"Accept": "text/turtle", "Origin": "https://x.org"})
    assert cors.status_code == 200 and cors.headers["access-control-allow-origin"] == "*"
    other = client.get(OCCUPATION, headers={"Accept": "application/n-triples"})
    assert other.status_code == 503 and "pool was asked" in other.text
    with pytest.raises(RuntimeError, match="a view ran"):
        client.get(page, params=params, headers={"Accept": "text/html", "Host": "other.example"})
    graph.cache = BuildCache()  # what a new build brings
    assert client.get(OCCUPATION, headers={"Accept": "text/turtle"}).status_code == 503


def view_ran(name: str) -> None:
    raise RuntimeError("a view ran")


def test_a_sparql_answer_is_kept_unless_it_may_change_from_run_to_run(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A GET query's answer is a pure function of the build, unless it calls NOW(), RAND()
    and the like; a POSTed one is not kept (its text may be megabytes)."""
    json_results = {"Accept": "application/sparql-results+json"}
    steady = (
        "SELECT ?label WHERE { ?level a <https://graph.org.ai/ontology#ProficiencyLevel> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
    )
    changing = "SELECT (NOW() AS ?now) WHERE {}"
    first = client.get("/sparql", params={"query": steady}, headers=json_results)
    clock = client.get("/sparql", params={"query": changing}, headers=json_results)
    posted = client.post(
        "/sparql",
        content=steady,
        headers={**json_results, "Content-Type": "application/sparql-query"},
    )
    assert first.status_code == clock.status_code == posted.status_code == 200
    no_pool(client, monkeypatch)
    again = client.get("/sparql", params={"query": steady}, headers=json_results)
    assert (again.status_code, again.content) == (200, first.content)
    assert len(again.json()["results"]["bindings"]) == 4
    assert (
        client.get("/sparql", params={"query": changing}, headers=json_results).status_code == 503
    )
    reposted = client.post(
        "/sparql",
        content=steady,
        headers={**json_results, "Content-Type": "application/sparql-query"},
    )
    assert reposted.status_code == 503
