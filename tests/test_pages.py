"""The HTML pages people read, driven through Starlette's TestClient on a seeds build.

Expected values are what the seed documents say (the framework's four levels of ten
statements, the NOC profile's six job titles, the career article's salary), so the pages are
checked against the sources, not against the code that renders them.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from occugraph.build import build
from occugraph.query.saved import saved_queries
from occugraph.server.pages.diagram import Edge, Node, neighbourhood
from occugraph.settings import Settings
from tests.conftest import SEED_NOC_TITLES, SEEDS, ClientFactory
from tests.test_queries import SEED_PARAMS

OCCUPATION = "/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
TITLE = "Probation Officers and Correctional Treatment Specialists"
HTML = {"Accept": "text/html"}
LEVELS = ["Emerging", "Developing", "Proficient", "Advanced"]
CAREER_ARTICLE = "/sources/01da692a19083f1c"
SCRIPT = '<script>alert("xss")</script>'
IMG = '"><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def client(client_factory: ClientFactory) -> Iterator[TestClient]:
    with client_factory(Settings(workers=2)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def occupation_page(client: TestClient) -> str:
    response = client.get(OCCUPATION, headers=HTML)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def section(page: str, name: str) -> str:
    """The text of ``<section id="name">`` (sections do not nest)."""
    match = re.search(rf'<section[^>]*\bid="{name}"[^>]*>(.*?)</section>', page, re.DOTALL)
    assert match, f"no section {name!r}"
    return match[1]


def text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_the_card(occupation_page: str) -> None:
    card = section(occupation_page, "card")
    assert f"<h1>{TITLE}</h1>" in occupation_page
    assert "21-1092.00" in card
    assert "Provide social services to assist in rehabilitation of law offenders" in card
    assert 'href="/jobzones/4"' in card and "Job Zone 4" in card
    assert 'href="/industries/62"' in card and "Health Care and Social Assistance" in card
    for noc in ("/noc/2016/4155", "/noc/2021/41311", "/noc/2021/42201"):
        assert f'href="{noc}"' in card


def test_competency_statements_by_level_in_progression_order(occupation_page: str) -> None:
    competencies = section(occupation_page, "competencies")
    levels = re.findall(r'<div class="card level" id="level-(\d)">(.*?)</ol>', competencies, re.S)
    headings = [re.search(r"<h3>(.*?)</h3>", body, re.S) for _, body in levels]
    names = [text(h[1]).split()[0] for h in headings if h]
    assert names == LEVELS
    assert [rank for rank, _ in levels] == ["1", "2", "3", "4"]
    for name, (_, body) in zip(LEVELS, levels, strict=True):
        assert f'href="/levels/{name}"' in body
        assert body.count("<li ") == 10
    # The first Emerging statement as the framework writes it, linked to its own page.
    assert "Case folders for assigned offenders" in competencies
    assert 'href="/frameworks/ProbationOfficersAndCorrectionalTreatmentSpecialists/v.26.05/' in (
        competencies
    )
    assert "Emerging &lt; Developing &lt; Proficient &lt; Advanced" in competencies


def test_noc_equivalents_and_their_job_titles(occupation_page: str) -> None:
    noc = section(occupation_page, "noc")
    group = noc.split('href="/noc/2016/4155"')[1].split('<div class="card noc">')[0]
    titles = re.findall(r'<li><a href="/jobtitles/\w+">(.*?)</a></li>', group)
    assert titles == SEED_NOC_TITLES
    assert "Probation and parole officers and related occupations" in noc
    assert 'href="/noc/2021/41311"' in noc and 'href="/noc/2021/42201"' in noc


def test_skills_name_the_sources_that_attest_them(occupation_page: str) -> None:
    skills = section(occupation_page, "skills")
    row = next(r for r in skills.split("<tr>") if 'href="/skills/ActiveListening"' in r)
    assert "2.A.1.b" in row
    assert "competency-framework" in row and "career-article" in row
    assert f'href="{CAREER_ARTICLE}">002_ed5356a180cf5e22.txt</a>' in row
    assert 'href="/abilities/DeductiveReasoning"' in skills


def test_tasks_salary_and_provenance(occupation_page: str) -> None:
    tasks = section(occupation_page, "tasks")
    row = next(r for r in tasks.split("<tr>") if "supervise the terms of a probation order" in r)
    assert "noc-profile" in row and "(Probation and parole officers)" in row
    assert 'href="/tasks/' in row
    salaries = section(occupation_page, "salaries")
    assert "about 59,860 USD a year" in text(salaries)
    assert "U.S. Bureau of Labor Statistics" in salaries and "career-article" in salaries
    provenance = text(section(occupation_page, "provenance"))
    for file, how in [
        ("000_f979f17b6d4b40ab.txt", "code"),
        ("001_309d4041f9c3a9b7.txt", "code"),
        ("002_ed5356a180cf5e22.txt", "mentions"),
        ("003_585c7f048d702e3b.txt", "noc-code"),
        ("004_952eca2d1e8a16ec.txt", "job-title"),
    ]:
        assert re.search(rf"{re.escape(file)} \S+ {how} by ", provenance), (file, how)


def test_the_diagram(occupation_page: str) -> None:
    svg = re.search(r"<svg .*?</svg>", occupation_page, re.S)
    assert svg is not None
    assert f"<title>{TITLE}</title>" in svg[0]
    assert "Probation Officers and" in svg[0]  # the centre box, wrapped
    for target in ("/noc/2016/4155", CAREER_ARTICLE, "/skills/ActiveListening"):
        assert f'<a href="{target}">' in svg[0]
    assert "NOC equivalent" in svg[0] and "framework for" in svg[0]
    assert "<script" not in svg[0]


def test_every_link_on_the_occupation_page_leads_to_a_page(
    client: TestClient, occupation_page: str
) -> None:
    links = {
        html.unescape(h)
        for h in re.findall(r'href="(/[^"#?]*)"', occupation_page)
        if not h.startswith(("/queries", "/ontology"))
    }
    assert len(links) > 100
    for link in sorted(links):
        response = client.get(link, headers=HTML)
        assert response.status_code == 200, link


def test_resource_pages_link_their_alternates(client: TestClient) -> None:
    for path in (OCCUPATION, "/levels/Proficient", CAREER_ARTICLE):
        response = client.get(path, headers=HTML)
        assert response.status_code == 200
        link = response.headers["link"]
        assert f'<{path}?format=turtle>; rel="alternate"; type="text/turtle"' in link
        assert 'type="application/ld+json"' in link
        target = link.split(">")[0].lstrip("<")
        turtle = client.get(target, headers=HTML)
        assert turtle.headers["content-type"].startswith("text/turtle")


def test_a_source_page_lists_what_it_contributed(client: TestClient) -> None:
    page = client.get(CAREER_ARTICLE, headers=HTML).text
    contributed = page.split('id="contributed"')[1]
    assert re.search(r'<a href="/ontology#Task">Task</a></td><td>27</td>', contributed)
    assert f'What it says about <a href="{OCCUPATION}">{TITLE}</a>' in contributed
    assert "chief probation officer or parole officer" in contributed
    assert 'href="/queries/source-graph?source=https%3A//graph.org.ai/sources/01da' in contributed


def test_the_home_page(client: TestClient) -> None:
    response = client.get("/", headers=HTML)
    assert response.status_code == 200
    page = response.text
    triples = client.get("/health").json()["triples"]
    stats = text(page.split('id="stats"')[1].split("</div>")[0])
    assert f"{triples:,} triples in 8 named graphs, 5 of them source documents" in stats
    assert "describing 1 occupation" in stats
    assert f'<a href="{OCCUPATION}">{TITLE}</a>' in page
    for name, query in saved_queries().items():
        assert f'<form class="params" method="get" action="/queries/{name}">' in page
        assert f'href="/queries/{name}"' in page
        for parameter in query.params:
            assert re.search(rf'id="query-{name}".*?<input name="{parameter}"', page, re.DOTALL), (
                name,
                parameter,
            )
    assert 'id="editor"' in page and "fetch(" in page


def test_saved_query_forms_give_tables(client: TestClient) -> None:
    page = client.get(
        "/queries/noc-job-titles", params={"occupation": "21-1092.00"}, headers=HTML
    ).text
    results = page.split('id="results"')[1]
    for title in SEED_NOC_TITLES:
        assert f"<td>{title}</td>" in results
    # IRIs are named by their labels, the IRI kept on hover (test_pages_find.py).
    assert 'href="/noc/2016/4155" title="https://graph.org.ai/noc/2016/4155"' in results
    assert "8 rows" in page
    ask = client.get(
        "/queries/described-by-sources",
        params={"occupation": "21-1092.00", "min_sources": "5"},
        headers=HTML,
    )
    assert '<p class="card" id="answer">yes</p>' in ask.text
    graph = client.get(
        "/queries/occupation-summary", params={"occupation": "21-1092.00"}, headers=HTML
    )
    assert '<pre class="card" id="graph">' in graph.text and "21-1092.00" in graph.text
    blank = client.get("/queries/occupation-card", headers=HTML).text
    assert '<input id="param-occupation" name="occupation" value="" size="60" required>' in blank
    assert 'id="results"' not in blank


@pytest.mark.parametrize("name", ["noc-job-titles", "described-by-sources", "occupation-summary"])
def test_every_format_a_query_page_links_to_answers(client: TestClient, name: str) -> None:
    params = SEED_PARAMS[name]
    page = client.get(f"/queries/{name}", params=params, headers=HTML).text
    links = re.findall(rf'<a href="(/queries/{name}\.\w+\?[^"]*)">', page)
    assert len(links) >= 3
    for link in links:
        response = client.get(html.unescape(link))
        assert response.status_code == 200, (link, response.text)


def test_the_diagram_escapes_and_places_every_node() -> None:
    around = [Node(f"n{i}", f"node {i} <b>&", "skill", f"/skills/S{i}") for i in range(15)]
    svg = neighbourhood(
        Node("c", IMG, "occupation", "javascript:x"),
        around,
        [Edge("c", n.key, "requires <i>") for n in around] + [Edge("c", "missing", "gone")],
    )
    assert "<b>" not in svg and "<i>" not in svg and "<img" not in svg
    assert "javascript:" not in svg
    assert "&lt;img src=x onerror=alert(1)&gt;" in svg
    assert svg.count('<g class="node">') == 15 and svg.count('<g class="edge">') == 15
    assert "gone" not in svg
    height = float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg)[1])  # type: ignore[index]
    boxes = [
        (float(x), float(y), float(w), float(h))
        for x, y, w, h in re.findall(
            r'<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"', svg
        )
    ]
    for x, y, w, h in boxes:
        assert x >= 0 and y >= 0 and x + w <= 900 and y + h <= height
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1 :]:
            overlap = x1 < x2 + w2 and x2 < x1 + w1 and y1 < y2 + h2 and y2 < y1 + h1
            assert not overlap


@pytest.fixture(scope="module")
def hostile(
    tmp_path_factory: pytest.TempPathFactory, client_factory: ClientFactory
) -> Iterator[TestClient]:
    """A build whose documents carry markup in a title, a description, a task and a file name."""
    corpus = tmp_path_factory.mktemp("hostile-corpus")
    onet = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    onet = onet.replace("description: Provide social", f"description: {SCRIPT} Provide social", 1)
    onet = onet.replace(f"title: {TITLE}", f"title: {TITLE} {IMG}", 1)
    (corpus / "000_onet.txt").write_text(onet, encoding="utf-8")
    posting = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    posting = posting.replace(
        "  • Conduct interviews", f"  • Review {SCRIPT} case files {IMG}\n  • Conduct interviews", 1
    )
    (corpus / 'job"><img src=x onerror=alert(2)>.txt').write_text(posting, encoding="utf-8")
    shutil.copy(next(SEEDS.glob("003_*.txt")), corpus / "003_noc.txt")
    store = tmp_path_factory.mktemp("hostile") / "store"
    report = build([corpus], store=store)
    assert not report.errors
    with client_factory(Settings(workers=1), store=store) as test_client:
        yield test_client


def assert_inert(page: str) -> None:
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "onerror=alert" not in page.replace("&lt;img src=x onerror=alert", "")


def test_markup_in_sources_is_shown_as_text(hostile: TestClient) -> None:
    page = hostile.get(OCCUPATION, headers=HTML).text
    assert_inert(page)
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt; Provide social services" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the title as the onet page states it
    tasks = section(page, "tasks")
    assert "Review &lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt; case files" in tasks
    svg = re.search(r"<svg .*?</svg>", page, re.S)
    assert svg is not None and "job&quot;&gt;&lt;img src=x onerror=alert(2)&gt;.txt" in svg[0]
    task = re.search(r'href="(/tasks/Review[^"]+)"', tasks)
    assert task is not None
    for path in (task[1], "/"):
        other = hostile.get(path, headers=HTML)
        assert other.status_code == 200
        assert_inert(other.text)
    sources = re.findall(r'href="(/sources/[0-9a-f]{16})"', page)
    assert len(set(sources)) == 3
    for source in set(sources):
        assert_inert(hostile.get(source, headers=HTML).text)
    listed = hostile.get(
        "/queries/occupation-tasks", params={"occupation": "21-1092.00"}, headers=HTML
    ).text
    assert_inert(listed)
    assert "Review &lt;script&gt;" in listed


def test_non_web_iris_are_not_links() -> None:
    from occugraph.server.pages.resource import href

    assert href("javascript:alert(1)") is None
    assert href("https://example.org/x") == "https://example.org/x"
    assert href("https://graph.org.ai/levels/Proficient") == "/levels/Proficient"


def test_pages_render_for_a_reference_only_occupation(client: TestClient) -> None:
    # An O*NET occupation no source describes still gets its card, and says so.
    response = client.get("/occupations/11-1011.00", headers=HTML)
    assert response.status_code == 200
    assert "Chief Executives" in response.text
    assert "No source document in the corpus is about this occupation" in response.text
    assert "<svg" in response.text


def test_pages_module_files_are_packaged() -> None:
    templates = Path(__file__).resolve().parents[1] / "src" / "occugraph" / "server" / "templates"
    assert {p.name for p in templates.glob("*.html")} >= {
        "occupation.html",
        "resource.html",
        "home.html",
        "_macros.html",
    }
