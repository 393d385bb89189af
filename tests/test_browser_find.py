"""Issue 14's pages in a real browser (headless Debian Chromium through Playwright, as
``tests/test_browser.py``): search suggestions as one types, sorting and paging a result
table, the Yasgui editor at ``/sparql`` running a query with no network, a phone-wide
screen, and the screenshots README.md shows: each run writes them to ``tests/artifacts/``,
and ``make screenshots`` copies them to ``docs/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.test_browser import CHROMIUM, OCCUPATION, TITLE, WAIT, chromium, serving_seeds

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

sync_api = pytest.importorskip("playwright.sync_api")
if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)

DOCS = Path(__file__).resolve().parent / "artifacts"
LEVELS = """PREFIX occ: <https://graph.org.ai/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?level ?label WHERE { ?level a occ:ProficiencyLevel ; rdfs:label ?label } ORDER BY ?label"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeds_link: Path) -> Iterator[str]:
    with serving_seeds(tmp_path_factory.mktemp("browser-find"), seeds_link) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _page(browser: Browser, server: str, width: int, height: int) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(WAIT)
    # Nothing may come from elsewhere: every request other than the server's is refused.
    outside: list[str] = []

    def route(r: Route) -> None:
        if r.request.url.startswith(server) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
        assert not errors, f"script errors on the page: {errors}"
        assert not outside, f"the page asked other servers: {outside}"
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    yield from _page(browser, server, 1280, 900)


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[Page]:
    yield from _page(browser, server, 390, 844)


def test_the_search_box_suggests_as_one_types(page: Page, server: str) -> None:
    page.goto(f"{server}/levels/Proficient")
    page.locator("header.site input[name=q]").press_sequentially("clemen", delay=30)
    first = page.locator("header.site .suggestions li a").first
    first.wait_for()
    assert "officer, corrections - clemency" in first.inner_text()
    assert "job title" in first.inner_text()
    page.locator("header.site input[name=q]").press("ArrowDown")
    page.locator("header.site input[name=q]").press("Enter")
    page.wait_for_url(f"{server}{OCCUPATION}")
    assert page.inner_text("h1") == TITLE


def test_a_screenshot_of_search(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    page.locator("#q-main").press_sequentially("probation", delay=30)
    page.locator("main .suggestions li").nth(2).wait_for()
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "search.png"))
    page.locator("#q-main").press("Enter")
    page.wait_for_url("**/search?q=probation")
    assert TITLE in page.locator("#hits").inner_text()


def test_result_tables_sort_and_page(page: Page, server: str) -> None:
    page.goto(f"{server}/occupations")
    rows = page.locator("#occupations tbody tr:not([hidden])")
    assert rows.count() == 50
    assert "rows 1–50 of 1016" in page.inner_text(".pager")
    page.click(".pager button:has-text('Next')")
    assert "rows 51–100 of 1016" in page.inner_text(".pager")
    page.click("#occupations th:has-text('Occupation')")  # ascending: as listed
    page.click("#occupations th:has-text('Occupation')")  # descending
    assert page.locator("#occupations th").first.get_attribute("aria-sort") == "descending"
    titles = rows.locator("td:first-child").all_inner_texts()
    assert titles == sorted(titles, key=str.lower, reverse=True)
    assert "rows 1–50 of 1016" in page.inner_text(".pager")
    page.fill("#occupation-filter", "probation")
    assert rows.locator("td:first-child").all_inner_texts() == [TITLE]
    assert "rows 1–1 of 1" in page.inner_text(".pager")
    page.fill("#occupation-filter", "21-10")
    codes = rows.locator("td:nth-child(2)").all_inner_texts()
    assert codes and all(code.startswith("21-10") for code in codes)


def test_a_result_table_shows_labels_and_copies_iris(page: Page, server: str) -> None:
    page.goto(f"{server}/queries/noc-job-titles?occupation=21-1092.00")
    link = page.locator("#results a[href='/noc/2016/4155']").first
    assert link.inner_text() == "Probation and parole officers and related occupations"
    assert link.get_attribute("title") == "https://graph.org.ai/noc/2016/4155"
    page.evaluate(
        """() => { const a = document.querySelector("#results a[href='/noc/2016/4155']");
        const range = document.createRange(); range.selectNodeContents(a.closest('td'));
        const s = getSelection(); s.removeAllRanges(); s.addRange(range); }"""
    )
    copied = page.evaluate(
        """() => { const data = new DataTransfer();
        document.dispatchEvent(new ClipboardEvent('copy', {clipboardData: data, bubbles: true}));
        return data.getData('text/plain'); }"""
    )
    assert copied.strip() == "https://graph.org.ai/noc/2016/4155"
    page.click("#results th:has-text('title')")
    assert page.locator("#results th", has_text="title").first.get_attribute("aria-sort")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "result-table.png"), full_page=True)


def test_a_bad_value_is_shown_beside_its_field(page: Page, server: str) -> None:
    page.goto(f"{server}/queries/described-by-sources")
    page.fill("#params input[name=occupation]", "21-1092.00")
    page.fill("#params input[name=min_sources]", "several")
    page.click("#params button")
    page.wait_for_url("**/queries/described-by-sources?**")
    error = page.locator("#error-min_sources")
    assert "is not a valid integer" in error.inner_text()
    assert page.input_value("#params input[name=min_sources]") == "several"
    assert page.input_value("#params input[name=occupation]") == "21-1092.00"


def test_the_sparql_editor_runs_a_query_offline(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    page.click("header.site a:has-text('SPARQL')")
    page.wait_for_url(f"{server}/sparql")
    page.locator(".CodeMirror").wait_for()
    # Syntax highlighting: CodeMirror's SPARQL mode marks keywords.
    assert page.locator(".CodeMirror .cm-keyword", has_text="SELECT").count() >= 1
    page.evaluate("(q) => window.yasgui.getTab().getYasqe().setValue(q)", LEVELS)
    page.click(".yasqe_queryButton")
    table = page.locator(".yasr table.dataTable")
    table.wait_for()
    cells = table.locator("tbody td").all_inner_texts()
    for label in ("Advanced", "Developing", "Emerging", "Proficient"):
        assert any(label in cell for cell in cells), (label, cells)
    # IRIs are shown by their labels, linking to their pages here.
    proficient = table.locator("a.iri.labelled[href='/levels/Proficient']")
    proficient.wait_for()
    assert proficient.inner_text() == "Proficient"
    assert proficient.get_attribute("title") == "https://graph.org.ai/levels/Proficient"
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "sparql-editor.png"))
    # The examples are the saved queries, their occupation bound to the described one.
    options = page.locator("#examples option").all_inner_texts()
    bound = [o for o in options if o.endswith("(21-1092.00)")]
    assert len(options) == 31 and bound  # a prompt, the own example, 29 saved queries
    page.select_option("#examples", label=bound[0])
    text = page.evaluate("window.yasgui.getTab().getYasqe().getValue()")
    assert f"VALUES (?occupation) {{ (<https://graph.org.ai{OCCUPATION}>) }}" in text


def test_prefixes_complete_in_the_editor(page: Page, server: str) -> None:
    page.goto(f"{server}/sparql")
    page.locator(".CodeMirror").wait_for()
    page.evaluate("() => window.yasgui.getTab().getYasqe().setValue('')")
    page.click(".CodeMirror")
    page.keyboard.type("PREFIX sko")
    page.keyboard.press("Control+Space")
    hint = page.locator(".CodeMirror-hints li").first
    hint.wait_for()
    assert "skos" in hint.inner_text()


def test_screenshots_of_the_occupation_and_ontology_pages(page: Page, server: str) -> None:
    page.goto(f"{server}{OCCUPATION}")
    page.locator("#diagram svg").wait_for()
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "occupation.png"))
    page.goto(f"{server}/ontology")
    assert page.locator("header.site a:has-text('Ontology')").is_visible()
    assert page.locator("#nocEquivalent").count() == 1
    page.screenshot(path=str(DOCS / "ontology.png"))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        OCCUPATION,
        "/queries/occupation-tasks?occupation=21-1092.00",
        "/sources/01da692a19083f1c",
        "/noc/2016/4155",
        "/occupations",
        "/search?q=officer",
        "/sparql",
        "/queries",
    ],
)
def test_pages_fit_a_phone_screen(phone: Page, server: str, path: str) -> None:
    phone.goto(f"{server}{path}")
    phone.wait_for_load_state("load")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
