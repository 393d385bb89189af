"""The HTTP app, driven through Starlette's TestClient on a seeds build (real workers)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from pyoxigraph import RdfFormat
from starlette.testclient import TestClient

from occugraph.settings import Settings
from tests.conftest import ClientFactory, term_value

OCCUPATION = "/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
LEVELS = """PREFIX occ: <https://graph.org.ai/ontology#>
SELECT ?level WHERE { ?level a occ:ProficiencyLevel } ORDER BY ?level"""
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON_RESULTS = "application/sparql-results+json"


@pytest.fixture(scope="module")
def client(client_factory: ClientFactory) -> Iterator[TestClient]:
    with client_factory(Settings(workers=2, time_limit=3.0, max_rows=100)) as test_client:
        yield test_client


def levels(response_json: dict[str, object]) -> list[str]:
    bindings = response_json["results"]["bindings"]  # type: ignore[index]
    return [b["level"]["value"].rsplit("/", 1)[1] for b in bindings]


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["ok"] is True and response.json()["triples"] > 20_000


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_the_three_ways_to_send_a_query(client: TestClient, how: str) -> None:
    headers = {"Accept": JSON_RESULTS}
    if how == "get":
        response = client.get("/sparql", params={"query": LEVELS}, headers=headers)
    elif how == "form":
        response = client.post("/sparql", data={"query": LEVELS}, headers=headers)
    else:
        response = client.post(
            "/sparql",
            content=LEVELS,
            headers={**headers, "Content-Type": "application/sparql-query"},
        )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(JSON_RESULTS)
    assert levels(response.json()) == ["Advanced", "Developing", "Emerging", "Proficient"]


@pytest.mark.parametrize(
    ("accept", "media_type", "first_line"),
    [
        ("text/csv", "text/csv", "level"),
        ("text/tab-separated-values", "text/tab-separated-values", "?level"),
        (
            "application/sparql-results+xml",
            "application/sparql-results+xml",
            '<?xml version="1.0"?>',
        ),
        ("text/csv;q=0.5, text/tab-separated-values;q=0.9", "text/tab-separated-values", "?level"),
        ("*/*", JSON_RESULTS, '{"head":{"vars":["level"]},"results":{"bindings":['),
    ],
)
def test_results_are_negotiated(
    client: TestClient, accept: str, media_type: str, first_line: str
) -> None:
    response = client.get("/sparql", params={"query": LEVELS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.text.splitlines()[0].startswith(first_line)


def parse_rdf(text: str, media_type: str) -> list[pyoxigraph.Triple]:
    return list(pyoxigraph.parse(text.encode(), format=RdfFormat.from_media_type(media_type)))


@pytest.mark.parametrize(
    "accept", ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]
)
def test_graphs_come_in_rdf_formats(client: TestClient, accept: str) -> None:
    query = (
        "CONSTRUCT { ?l a <https://graph.org.ai/ontology#ProficiencyLevel> } WHERE "
        "{ ?l a <https://graph.org.ai/ontology#ProficiencyLevel> }"
    )
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert len(parse_rdf(response.text, accept)) == 4


def test_protocol_errors(client: TestClient) -> None:
    syntax = client.get("/sparql", params={"query": "SELECT ?x WHERE {"})
    assert syntax.status_code == 400 and "syntax" in syntax.json()["error"]
    assert client.put("/sparql", content="x").status_code == 405
    wrong_type = client.post("/sparql", content=LEVELS, headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    no_fit = client.get("/sparql", params={"query": LEVELS}, headers={"Accept": "image/png"})
    assert no_fit.status_code == 406
    graph_only = client.get("/sparql", params={"query": LEVELS}, headers={"Accept": "text/turtle"})
    assert graph_only.status_code == 406
    service = client.get(
        "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}
    )
    assert service.status_code == 400 and "SERVICE" in service.json()["error"]
    empty = client.post(
        "/sparql", content="", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert empty.status_code == 400 and "no 'query'" in empty.json()["error"]


def test_the_dataset_can_be_chosen(client: TestClient) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    reference = client.get(
        "/sparql",
        params={"query": count, "default-graph-uri": "https://graph.org.ai/graphs/links"},
        headers={"Accept": JSON_RESULTS},
    ).json()
    # 5 sources × (occ:about, occ:resolvedBy) + 7 job titles resolved (6 NOC, 1 posting)
    # + 4 duties restating an O*NET task × (rdf:type, occ:duty, occ:restatedTask,
    # occ:similarity)
    assert reference["results"]["bindings"][0]["n"]["value"] == "33"
    named = client.get(
        "/sparql",
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": "https://graph.org.ai/graphs/links",
        },
        headers={"Accept": JSON_RESULTS},
    ).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [
        "https://graph.org.ai/graphs/links"
    ]


def test_the_row_cap_cuts_and_flags(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"}
    )
    assert response.headers["X-Result-Truncated"] == "true"
    assert response.headers["X-Result-Rows"] == "100"
    assert len(response.text.splitlines()) == 101


def test_a_query_past_its_limit_gets_503(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": PATHOLOGICAL})
    assert response.status_code == 503
    assert "time limit of 3 s" in response.json()["error"]
    assert client.get("/sparql", params={"query": LEVELS}).status_code == 200


def test_service_description_counts_the_dataset(client: TestClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    dataset = next(graph.subjects(rdflib.RDF.type, void.Dataset))
    triples = graph.value(dataset, void.triples)
    assert isinstance(triples, rdflib.Literal)
    # Distinct triples of the union: fewer than the statements of all graphs, which count a
    # triple once per document stating it (test_pages_find.py checks the exact figure).
    assert 20_000 < int(triples) < client.get("/health").json()["triples"]
    names = {str(o) for o in graph.objects(None, sd.name)}
    assert "https://graph.org.ai/graphs/reference" in names
    assert len([n for n in names if "/sources/" in n]) == 5


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("text/html", "text/html"),
    ],
)
def test_identifiers_dereference(client: TestClient, accept: str, media_type: str) -> None:
    response = client.get("/levels/Proficient", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["vary"].startswith("Accept")
    if media_type == "text/html":
        assert "<h1>Proficient</h1>" in response.text
        assert 'href="/levels/Advanced"' in response.text
    else:
        labels = {
            term_value(t.object)
            for t in parse_rdf(response.text, media_type)
            if term_value(t.subject) == "https://graph.org.ai/levels/Proficient"
            and t.predicate.value.endswith("#label")
        }
        assert labels == {"Proficient"}


def test_dereferencing_details(client: TestClient) -> None:
    forced = client.get("/levels/Proficient?format=ntriples", headers={"Accept": "text/html"})
    assert forced.headers["content-type"].startswith("application/n-triples")
    assert client.get("/levels/Nonexistent").status_code == 404
    assert client.get("/levels/Proficient", headers={"Accept": "image/png"}).status_code == 406
    first = client.get("/levels/Proficient", headers={"Accept": "text/turtle"})
    etag = first.headers["etag"]
    again = client.get(
        "/levels/Proficient", headers={"Accept": "text/turtle", "If-None-Match": etag}
    )
    assert again.status_code == 304 and again.headers["etag"] == etag
    redirect = client.get("/occupations/21-1092.00", follow_redirects=False)
    assert redirect.status_code == 301
    assert redirect.headers["location"].endswith(OCCUPATION)
    assert client.get("/occupations/99-9999.99", follow_redirects=False).status_code == 404


def test_saved_queries_over_http(client: TestClient) -> None:
    listed = client.get("/queries.json").json()
    assert "occupation-card" in [q["name"] for q in listed]
    card = client.get("/queries/occupation-card.json", params={"occupation": "21-1092.00"})
    assert card.status_code == 200
    [row] = card.json()["results"]["bindings"]
    assert row["code"]["value"] == "21-1092.00"
    assert row["noc2016s"]["value"] == "4155"
    csv = client.get("/queries/occupation-card.csv", params={"occupation": "21-1092.00"})
    assert csv.text.splitlines()[0].startswith("occupation,code,title")
    missing = client.get("/queries/occupation-card.json")
    assert missing.status_code == 400 and "occupation" in missing.json()["error"]
    injected = client.get(
        "/queries/occupation-card.json", params={"occupation": "} UNION { ?s ?p ?o }"}
    )
    assert injected.status_code == 400
    page = client.get(
        "/queries/occupation-card",
        params={"occupation": "21-1092.00"},
        headers={"Accept": "text/html"},
    )
    assert 'id="results"' in page.text and "21-1092.00" in page.text
    assert client.get("/queries/nope.json").status_code == 404
    # An empty form field is "not given": the optional level falls back to all levels.
    blank = client.get(
        "/queries/competency-statements.json", params={"occupation": "21-1092.00", "level": ""}
    )
    assert len(blank.json()["results"]["bindings"]) == 40


def test_writes_are_refused_without_a_token(client: TestClient) -> None:
    update = "INSERT DATA { GRAPH <https://example.org/g> { <urn:a> <urn:b> <urn:c> } }"
    response = client.post("/sparql", data={"update": update})
    assert response.status_code == 403
    assert (
        client.put(
            "/graph-store?graph=https://example.org/g",
            content="<urn:a> <urn:b> <urn:c> .",
            headers={"Content-Type": "application/n-triples"},
        ).status_code
        == 403
    )
    assert (
        client.get(
            "/sparql", params={"query": "ASK { <urn:a> ?p ?o }"}, headers={"Accept": JSON_RESULTS}
        ).json()["boolean"]
        is False
    )


def test_cors_lets_browsers_in(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": LEVELS}, headers={"Origin": "https://example.org"}
    )
    assert response.headers["access-control-allow-origin"] == "*"


def test_writes_with_the_token(client_factory: ClientFactory, seeds_copy: Path) -> None:
    settings = Settings(workers=1, update_token="s3cret")
    ask = {"query": "ASK { GRAPH <https://example.org/g> { <urn:a> <urn:b> <urn:c> } }"}
    with client_factory(settings, store=seeds_copy) as client:
        update = {
            "update": "INSERT DATA { GRAPH <https://example.org/g> { <urn:a> <urn:b> <urn:c> } }"
        }
        assert client.post("/sparql", data=update).status_code == 401
        wrong = client.post("/sparql", data=update, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert client.get("/sparql", params=ask).json()["boolean"] is False
        ok = client.post("/sparql", data=update, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 204
        assert client.get("/sparql", params=ask).json()["boolean"] is True
        relative = client.post(
            "/sparql",
            data={
                "update": "INSERT DATA { GRAPH <https://example.org/g> { <urn:a> <urn:b> <test> } }"
            },
            headers={"Authorization": "Bearer s3cret"},
        )
        assert relative.status_code == 204
        resolved = client.get(
            "/sparql",
            params={"query": "SELECT ?o WHERE { <urn:a> <urn:b> ?o FILTER(isIRI(?o)) }"},
            headers={"Accept": JSON_RESULTS},
        ).json()["results"]["bindings"]
        assert sorted(b["o"]["value"] for b in resolved) == ["http://testserver/test", "urn:c"]
        load = client.post(
            "/sparql",
            data={"update": "LOAD <http://127.0.0.1:9/x>"},
            headers={"Authorization": "Bearer s3cret"},
        )
        assert load.status_code == 400
        auth = {"Authorization": "Bearer s3cret"}
        put = client.put(
            "/graph-store?graph=https://example.org/h",
            content="<urn:x> <urn:y> <urn:z> .",
            headers={**auth, "Content-Type": "application/n-triples"},
        )
        assert put.status_code == 201
        got = client.get(
            "/graph-store?graph=https://example.org/h", headers={"Accept": "application/n-triples"}
        )
        assert got.text.strip() == "<urn:x> <urn:y> <urn:z> ."
        assert (
            client.delete("/graph-store?graph=https://example.org/h", headers=auth).status_code
            == 204
        )
        assert client.get("/graph-store?graph=https://example.org/h").status_code == 404
        assert "s3cret" not in json.dumps(
            client.get("/sparql", headers={"Accept": "application/ld+json"}).json()
        )
