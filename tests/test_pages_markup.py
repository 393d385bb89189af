"""Markup in source text is shown as text on every HTML page (issue 6).

Every one of the five seeds is given markup where the pages show what it says: titles,
descriptions, tasks and duties, competency statements and a level label, NOC job titles
and sub-roles, a file name. Then every HTML page within two links of the home page, the
occupation card, /queries, /sparql and every saved query's page is fetched and parsed: no
element or event handler came from the data, and where the data shows, its markup reads
as the text it was.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from starlette.testclient import TestClient

from occugraph import ids
from occugraph.build import build
from occugraph.query.saved import saved_queries
from occugraph.settings import Settings
from tests.conftest import SEEDS, ClientFactory

SCRIPT = '<script>alert("xss")</script>'
IMG = '"><img src=x onerror=alert(1)>'
IN_FILE_NAME = '"><img src=x onerror=alert(2)>'
OCCUPATION = "/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists"
TITLE = "Probation Officers and Correctional Treatment Specialists"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # Firefox
HOPS = 2
# A value for each parameter of the saved queries, so that each runs on the marked data.
PARAMETERS = {
    "occupation": "21-1092.00",
    "element": "Communication",
    "noc": "4155",
    "label": "Probation Officers and Correctional Treatment Specialists@en",
    "skill": "https://graph.org.ai/skills/ActiveListening",
    "level": "",  # all levels
    "min_sources": "1",
    "product": "Spreadsheet software",
    "activity": "Getting Information",
}


def _once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def write_marked_corpus(folder: Path) -> None:
    """The five seeds, each with markup in what its pages show."""
    seeds = {path.name[:3]: path.read_text(encoding="utf-8") for path in SEEDS.iterdir()}
    onet = _once(seeds["000"], f"title: {TITLE}", f"title: {TITLE} {IMG}")
    onet = _once(onet, "description: Provide social", f"description: {SCRIPT} Provide social")
    (folder / "000_onet.txt").write_text(onet, encoding="utf-8")

    framework = json.loads(seeds["001"])
    framework["occupation"]["title"] += f" {IMG}"
    framework["framework"]["contextCovered"] = f"{SCRIPT} {IMG}"
    emerging = framework["framework"]["levels"]["emerging"]
    emerging["label"] = f"Emerging {IMG}"
    emerging["statements"][0] = f"{SCRIPT} {emerging['statements'][0]}"
    emerging["statements"][1] = _once(emerging["statements"][1], " — ", f" {IMG} — ")
    (folder / "001_framework.json").write_text(json.dumps(framework), encoding="utf-8")

    article = _once(seeds["002"], "Hey everyone!", f"Hey everyone! {SCRIPT} {IMG}")
    (folder / "002_article.txt").write_text(article, encoding="utf-8")

    noc = _once(
        seeds["003"],
        "Common job titles\n",
        f"Common job titles\n  • officer, {SCRIPT} - {IMG} worker\n",
    )
    noc = _once(noc, "  • check on the conduct", f"  • check {SCRIPT} on the conduct")
    noc = _once(noc, "  • plan rehabilitation programs", f"  • plan {IMG} rehabilitation programs")
    (folder / "003_noc.txt").write_text(noc, encoding="utf-8")

    posting = _once(
        seeds["004"],
        "  • Conduct interviews",
        f"  • Review {SCRIPT} case files {IMG}\n  • Conduct interviews",
    )
    (folder / f"job{IN_FILE_NAME}.txt").write_text(posting, encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("marked-corpus")
    write_marked_corpus(folder)
    return folder


@pytest.fixture(scope="module")
def marked(
    tmp_path_factory: pytest.TempPathFactory, corpus: Path, client_factory: ClientFactory
) -> Iterator[TestClient]:
    store = tmp_path_factory.mktemp("marked") / "store"
    report = build([corpus], store=store)
    assert not report.errors, report.errors
    assert sorted(report.kinds.values()) == [1, 1, 1, 1, 1]
    with client_factory(Settings(workers=1), store=store) as client:
        yield client


class Page(HTMLParser):
    """What a browser would make of a page: its elements, their attributes, its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_script = False

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def links(self) -> set[str]:
        """The site's own pages this one links to."""
        found = set()
        for tag, attrs in self.elements:
            target = urlsplit(attrs.get("href", "")) if tag == "a" else None
            if target and not target.scheme and not target.netloc and target.path.startswith("/"):
                found.add(target.path + (f"?{target.query}" if target.query else ""))
        return found


def assert_inert(path: str, page: Page) -> None:
    """Nothing of the data became an element, a handler or a script."""
    for tag, attrs in page.elements:
        assert tag != "img", (path, attrs)
        assert not [name for name in attrs if name.startswith("on")], (path, tag, attrs)
        for name in ("href", "src", "action"):
            assert not attrs.get(name, "").lower().startswith("javascript:"), (path, tag, attrs)
    for script in page.scripts:
        assert "alert(" not in script, path


def shown(page: Page) -> str:
    return " ".join(page.text)


def crawl(client: TestClient, start: list[str]) -> dict[str, Page]:
    """Every HTML page within ``HOPS`` links of ``start`` (further on lie only the O*NET
    and NOC reference lists, which no source document wrote)."""
    pages: dict[str, Page] = {}
    seen, frontier = set(start), start
    for _ in range(HOPS + 1):
        following = []
        for path in frontier:
            response = client.get(path, headers=HTML)
            if not response.headers["content-type"].startswith("text/html"):
                continue  # a link to an export (.ttl, .json, .csv)
            # Some links answer 4xx: a saved query's page without its parameters (400), a
            # SELECT query's graph formats (406). Their error pages are checked too.
            assert response.status_code < 500 and (path not in start or response.is_success), (
                path,
                response.text[:300],
            )
            pages[path] = Page(response.text)
            following += sorted(pages[path].links() - seen)
            seen |= pages[path].links()
        frontier = following
    return pages


def saved_query_pages(values: dict[str, str]) -> list[str]:
    """Each saved query's page, run with a value for each of its parameters."""
    paths = []
    for name, query in saved_queries().items():
        missing = set(query.params) - set(values)
        assert not missing, f"give {name}'s parameters {missing} a value in PARAMETERS"
        given = "&".join(f"{p}={quote(values[p])}" for p in query.params if values[p])
        paths.append(f"/queries/{name}" + (f"?{given}" if given else ""))
    return paths


@pytest.fixture(scope="module")
def pages(marked: TestClient, corpus: Path) -> dict[str, Page]:
    job = (corpus / f"job{IN_FILE_NAME}.txt").read_bytes()
    values = {**PARAMETERS, "source": ids.source(hashlib.sha256(job).hexdigest())}
    return crawl(marked, ["/", OCCUPATION, "/queries", "/sparql", *saved_query_pages(values)])


def test_no_page_holds_an_element_from_the_data(pages: dict[str, Page]) -> None:
    kinds = {path.split("/")[1].partition("?")[0] for path in pages}
    # Every kind of page was reached: home, the SPARQL page, saved queries and resources.
    assert kinds >= {
        "",
        "sparql",
        "queries",
        "occupations",
        "tasks",
        "skills",
        "levels",
        "sources",
        "noc",
        "frameworks",
        "jobtitles",
    }, kinds
    marked_titles = [p for p in pages if p.startswith("/jobtitles/") and SCRIPT in shown(pages[p])]
    assert marked_titles, "no page of the job title with markup"
    for path, page in pages.items():
        assert_inert(path, page)


def test_markup_reads_as_the_text_it_was(pages: dict[str, Page]) -> None:
    """Where a page shows a marked value, it shows the markup whole, as characters (or
    cut short with an ellipsis, as the diagram's boxes cut long labels)."""
    showing = [path for path, page in pages.items() if "alert" in shown(page)]
    assert len(showing) >= 20, showing
    for path in showing:
        for text in pages[path].text:
            rest = text
            for markup in (SCRIPT, IMG, IN_FILE_NAME):
                # as itself, or in a Turtle string (a CONSTRUCT query's page shows Turtle)
                rest = rest.replace(markup, "").replace(markup.replace('"', '\\"'), "")
            whole = "alert" not in rest and "onerror" not in rest
            assert whole or text.rstrip().endswith("…"), (path, text)
    card = shown(pages[OCCUPATION])
    assert f"{SCRIPT} Provide social services" in card and f"{TITLE} {IMG}" in card
    # The page of each source document that states a marked value: all but the career
    # article, whose markup is in its opening words, which no statement keeps (pages of the
    # documents' parts show markup too, naming them under "Stated by").
    sources = [path for path in showing if re.fullmatch(r"/sources/[0-9a-f]{16}", path)]
    assert len(sources) == 4, showing


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("/queries/occupation-tasks?occupation=21-1092.00", f"Review {SCRIPT} case files {IMG}"),
        ("/queries/competency-statements?occupation=21-1092.00", SCRIPT),
        ("/queries/job-titles?occupation=21-1092.00", f"officer, {SCRIPT} - {IMG} worker"),
        ("/queries/noc-job-titles?occupation=21-1092.00", f"officer, {SCRIPT} - {IMG} worker"),
        ("/queries/noc-sub-roles?noc=4155", f"check {SCRIPT} on the conduct"),
        ("/queries/progression-levels?occupation=21-1092.00", f"Emerging {IMG}"),
        ("/queries/source-provenance?occupation=21-1092.00", f"job{IN_FILE_NAME}.txt"),
    ],
)
def test_saved_query_results_show_markup_as_text(
    pages: dict[str, Page], page: str, expected: str
) -> None:
    assert expected in shown(pages[page])
