"""Finding things and reading them (issue 14): search and its JSON, ``/occupations``, result
tables by label, errors beside their field, the ontology page, property labels, a source's
own title and text, a task's sources, the icon and the service description's counts.

Through Starlette's TestClient on the seeds build; the values expected are what the seed
documents and the reference data say.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterator

import pytest
import rdflib
from pyoxigraph import QuerySolutions, Store
from starlette.testclient import TestClient

from occugraph.settings import Settings
from tests.conftest import SEEDS, ClientFactory

HTML = {"Accept": "text/html"}
OCCUPATION = "/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
TITLE = "Probation Officers and Correctional Treatment Specialists"
CAREER_ARTICLE = "/sources/01da692a19083f1c"
TASK = "/tasks/AddressAnyViolationsOfTheirReleaseConditions_19ea95a8"


@pytest.fixture(scope="module")
def client(client_factory: ClientFactory) -> Iterator[TestClient]:
    with client_factory(Settings(workers=2)) as test_client:
        yield test_client


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_search_json_finds_titles_codes_job_titles_and_noc(client: TestClient) -> None:
    def found(q: str) -> list[dict[str, str | None]]:
        response = client.get("/search.json", params={"q": q})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert body["query"] == q
        results: list[dict[str, str | None]] = body["results"]
        return results

    by_title = found("correctional treatment")
    assert by_title[0] == {
        "label": TITLE,
        "kind": "occupation",
        "code": "21-1092.00",
        "iri": "https://graph.org.ai" + OCCUPATION,
        "url": OCCUPATION,
        "leads_to": None,
    }
    assert found("21-1092")[0]["label"] == TITLE
    # Any of the 1,016 reference occupations, not only the one the documents describe.
    assert found("electricians")[0]["url"] == "/occupations/Electricians"
    # A job title the seed NOC profile lists leads to the occupation it was resolved to.
    clemency = found("clemency")
    assert [(h["kind"], h["label"], h["url"]) for h in clemency] == [
        ("job title", "officer, corrections - clemency", OCCUPATION)
    ]
    noc = found("4155")
    assert noc[0]["kind"] == "NOC unit group" and noc[0]["url"] == "/noc/2016/4155"
    assert noc[0]["label"] == "Probation and parole officers and related occupations"
    assert found("zzzz-no-such-thing") == []
    assert len(client.get("/search.json", params={"q": "a", "limit": "3"}).json()["results"]) == 3
    assert client.get("/search.json", params={"q": "a", "limit": "x"}).status_code == 400


def test_search_page_home_nav_and_404_carry_the_search_box(client: TestClient) -> None:
    page = client.get("/search", params={"q": "probation"}, headers=HTML)
    assert page.status_code == 200
    hits = page.text.split('id="hits"')[1].split("</ul>")[0]
    assert f'<a href="{OCCUPATION}" title="https://graph.org.ai{OCCUPATION}">{TITLE}</a>' in hits
    assert 'href="/noc/2016/4155"' in hits
    for path, status in (("/", 200), ("/levels/Proficient", 200), ("/no/such/thing", 404)):
        response = client.get(path, headers=HTML)
        assert response.status_code == status
        assert '<form class="search" role="search" action="/search"' in response.text
        assert '<a href="/occupations">Occupations</a>' in response.text
        assert '<a href="/sparql">SPARQL</a>' in response.text
    missing = client.get("/no/such/thing", headers=HTML).text
    assert 'id="q-main"' in missing  # the 404 page's own search form
    assert 'id="q-main"' in client.get("/", headers=HTML).text
    # A program asking for JSON gets the JSON error shape, not a page.
    assert client.get("/no/such/thing").json()["status"] == 404


def test_occupations_lists_every_occupation_with_a_filter(client: TestClient) -> None:
    response = client.get("/occupations", headers=HTML)
    assert response.status_code == 200
    rows = re.findall(
        r'<tr><td><a href="(/occupations/\w+)">([^<]+)</a></td><td>([^<]*)</td>', response.text
    )
    assert len(rows) == 1016
    assert (OCCUPATION, TITLE, "21-1092.00") in rows
    assert 'data-filter="occupation-filter"' in response.text
    assert 'id="occupation-filter"' in response.text
    # The scheme's description is still there for programs.
    turtle = client.get("/occupations", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")


def test_result_tables_name_iris_by_label(client: TestClient) -> None:
    page = client.get(
        "/queries/noc-job-titles", params={"occupation": "21-1092.00"}, headers=HTML
    ).text
    table = page.split('id="results"')[1].split("</table>")[0]
    assert (
        '<a href="/noc/2016/4155" title="https://graph.org.ai/noc/2016/4155" '
        'data-iri="https://graph.org.ai/noc/2016/4155">'
        "Probation and parole officers and related occupations</a>"
    ) in table
    assert f'data-iri="https://graph.org.ai{OCCUPATION}">{TITLE}</a>' in table
    assert 'class="results" data-table' in page and '<div class="table-wrap">' in page
    assert "<thead>" in table and "<tbody>" in table


def test_a_bad_parameter_is_shown_beside_its_field(client: TestClient) -> None:
    response = client.get(
        "/queries/described-by-sources",
        params={"occupation": "21-1092.00", "min_sources": "many"},
        headers=HTML,
    )
    assert response.status_code == 400
    page = response.text
    assert '<form method="get" class="card" id="params"' in page
    field = page.split('id="param-min_sources"')[1].split("</p>")[0]
    assert 'value="many"' in field and 'aria-invalid="true"' in field
    assert "is not a valid integer" in text(field) and "min_sources" in text(field)
    # The other values are kept as given.
    assert 'id="param-occupation" name="occupation" value="21-1092.00"' in page
    assert 'id="results"' not in page
    # A program gets the one JSON error shape.
    as_json = client.get(
        "/queries/described-by-sources.json",
        params={"occupation": "21-1092.00", "min_sources": "many"},
    )
    assert as_json.status_code == 400
    assert set(as_json.json()) == {"ok", "status", "error"}
    assert "min_sources" in as_json.json()["error"]


def test_the_ontology_page_and_its_formats(client: TestClient) -> None:
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    body = page.text
    assert '<header class="site standalone">' in body  # the site's nav bar
    assert body.count("<h1>") == 1 and "<h1>occugraph ontology</h1>" in body
    assert 'id="nocEquivalent"' in body and 'id="Occupation"' in body
    # Labels and definitions from the ontology, and its alignments.
    assert "NOC equivalent" in body
    assert "Links an O*NET occupation to a Canadian NOC unit group" in body  # * kept as is
    assert "closeMatch" in body
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert rdflib.Graph().parse(data=turtle.text, format="turtle")
    jsonld = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert "@context" in json.loads(jsonld.text)
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


def test_properties_are_named_by_the_ontology_labels(client: TestClient) -> None:
    page = client.get("/noc/2016/4155", headers=HTML).text
    properties = page.split('class="properties"')[1].split("</table>")[0]
    assert (
        '<a class="property" href="/ontology#onetEquivalent" '
        'title="https://graph.org.ai/ontology#onetEquivalent">O*NET equivalent</a>'
    ) in properties
    assert "occ:" not in text(properties)
    level = client.get("/levels/Proficient", headers=HTML).text
    linked = level.split("<h2>Linked from</h2>")[1]
    assert ">at level</a>" in linked and "occ:atLevel" not in text(linked)


def test_a_task_page_names_the_documents_that_state_it(client: TestClient) -> None:
    page = client.get(TASK, headers=HTML).text
    stated = page.split('id="stated-by"')[1].split("</ul>")[0]
    assert '<span class="kind">career-article</span>' in stated
    assert f'<a href="{CAREER_ARTICLE}">002_ed5356a180cf5e22.txt</a>' in stated


def test_a_source_page_is_titled_by_the_document_and_offers_its_text(
    client: TestClient,
) -> None:
    page = client.get(CAREER_ARTICLE, headers=HTML).text
    assert "<h1>What Does a Parole and Probation Officer Do?</h1>" in page
    assert "<title>What Does a Parole and Probation Officer Do? · occugraph</title>" in page
    assert f'<a href="{CAREER_ARTICLE}/text" id="original">' in page
    original = client.get(f"{CAREER_ARTICLE}/text")
    assert original.status_code == 200
    assert original.headers["content-type"] == "text/plain; charset=utf-8"
    seed = next(SEEDS.glob("002_*.txt")).read_bytes()
    assert original.content == seed
    assert hashlib.sha256(original.content).hexdigest().startswith("01da692a19083f1c")
    noc = client.get("/sources/cc3124d0fca22a5d", headers=HTML).text
    assert "<h1>Probation and parole officers and related occupations</h1>" in noc
    assert client.get("/sources/0000000000000000/text").status_code == 404


def test_the_icon(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/", headers=HTML).text


def number(node: object) -> int:
    assert isinstance(node, rdflib.Literal)
    return int(node)


def test_void_triples_are_distinct_triples(client: TestClient, seeds_store: Store) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    distinct = seeds_store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    assert isinstance(distinct, QuerySolutions)
    expected = int(next(iter(distinct))["n"].value)
    statements = client.get("/health").json()["triples"]
    assert expected < statements  # the seeds state some triples in several documents
    dataset = next(graph.subjects(rdflib.RDF.type, void.Dataset))
    default = graph.value(dataset, sd.defaultGraph)
    assert number(graph.value(default, void.triples)) == expected
    assert number(graph.value(dataset, void.triples)) == expected
    comment = str(graph.value(dataset, rdflib.RDFS.comment))
    assert comment.startswith(f"{statements} statements in 8 named graphs")
    for named in graph.objects(dataset, sd.namedGraph):
        name = graph.value(named, sd.name)
        size = number(graph.value(graph.value(named, sd.graph), void.triples))
        count = seeds_store.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
        )
        assert isinstance(count, QuerySolutions)
        assert size == int(next(iter(count))["n"].value)


@pytest.mark.parametrize(
    "path",
    [
        "/static/..%2f..%2fpyproject.toml",
        "/static/..%2f..%2f..%2f..%2fpyproject.toml",
        "/static/%2e%2e/templates/base.html",
        "/static/",
        "/sources/..%2f..%2fpyproject.toml/text",
        "/sources/01da692a19083f1c%2f..%2f..%2fpyproject/text",
    ],
)
def test_static_files_and_originals_stay_in_their_folders(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert b"[build-system]" not in response.content and b"<!doctype" not in response.content
